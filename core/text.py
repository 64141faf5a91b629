"""Vietnamese text at the system's boundaries.

Every name entering the system is normalised to NFC (decomposed input from old Office
versions and some phones would otherwise make two spellings of one name). Search and
sorting use keys computed here and stored beside the name, because neither SQLite nor
PostgreSQL (whose collation depends on how the server was built) sorts Vietnamese.
"""

import re
import unicodedata

# Vietnamese alphabetical order: the modified vowels and đ are letters of their own.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}

# Dictionary order of the tones: level, grave, hook, tilde, acute, dot below.
_TONE_RANK = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
# Marks that make a base letter into another letter of the alphabet.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+")


def nfc(value: str) -> str:
    """NFC form with runs of whitespace collapsed and the ends trimmed."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    # split() and re's \s agree on what whitespace is; split is several times faster per name.
    return " ".join(value.split())


def _fold_slowly(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def fold(value: str) -> str:
    """Lower case without diacritics, đ as d: the form searches compare."""
    words = []
    for word in value.split():
        if word.isascii():
            words.append(word.lower())
            continue
        folded = _FOLDED_WORDS.get(word)
        if folded is None:
            folded = _remember(_FOLDED_WORDS, word, _fold_word(word))
        words.append(folded)
    return " ".join(words)


def _fold_word(word: str) -> str:
    quick = word.translate(_FOLD_TABLE).lower()
    return quick if quick.isascii() else _fold_slowly(word)


# Imports fold and key millions of names made of a few thousand distinct syllables: each word is
# computed once and remembered (bounded, so a stream of unusual words cannot grow it for ever).
_FOLDED_WORDS: dict[str, str] = {}
_WORD_SORT_KEYS: dict[str, tuple[str, str] | None] = {}
_MAX_REMEMBERED = 200_000


def _remember(cache: dict, word: str, value):
    if len(cache) >= _MAX_REMEMBERED:
        cache.clear()
    cache[word] = value
    return value


def _letters_with_tones(word: str):
    """Yield (letter, tone rank) for each character, in Vietnamese terms."""
    for cluster in _clusters(unicodedata.normalize("NFD", word.lower())):
        base, marks = cluster[0], cluster[1:]
        tone = 0
        for mark in marks:
            if mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
            else:
                base = _LETTER_MARKS.get((base, mark), base)
        yield base, tone


def _clusters(decomposed: str):
    cluster = ""
    for ch in decomposed:
        if unicodedata.combining(ch) and cluster:
            cluster += ch
        else:
            if cluster:
                yield cluster
            cluster = ch
    if cluster:
        yield cluster


def _sort_key_slowly(value: str) -> str:
    """`sort_key` of an NFC string, letter by letter from Unicode data."""
    primary = []
    tones = []
    text = value
    position = 0
    for match in _NUMBER.finditer(text):
        _encode_text(text[position : match.start()], primary, tones)
        primary.append("02" + match.group().lstrip("0").rjust(9, "0")[-9:])
        position = match.end()
    _encode_text(text[position:], primary, tones)
    return "".join(primary) + "00" + "".join(tones)


def _encode_text(text: str, primary: list, tones: list) -> None:
    for letter, tone in _letters_with_tones(text):
        rank = _LETTER_RANK.get(letter)
        if rank is None:
            # Spaces and punctuation separate words and sort before any letter.
            if not primary or primary[-1] != "01":
                primary.append("01")
            continue
        primary.append(str(10 + rank))
        tones.append(str(tone))


# The shortest sort key column (every model's is at least this long). A run of digits takes 11
# characters of the key, so a name of 120 characters made of numbers ("Tổ 1.2.3.…") made a key of over
# 400 and could not be saved. Cut, a key still orders by all of a name's letters (two characters each)
# and numbers up to the 400th character; what it loses is at most some tones, the last tie-break.
SORT_KEY_LENGTH = 400


def sort_key(value: str) -> str:
    """A key whose plain ordering is Vietnamese alphabetical order.

    Digits only, so that every collation orders it the same way. Letters first (two digits
    each), then the tones as a tie-break, as dictionaries do; runs of digits compare as numbers,
    so "Tổ 9" comes before "Tổ 10". Names of plain words and numbers are keyed word by word from
    a per-character table; anything else (punctuation, letters outside Vietnamese) letter by
    letter from Unicode data.
    """
    text = nfc(value)
    primary = []
    tones = []
    for word in text.split(" "):
        if word.isdigit() and word.isascii():  # numbers are not remembered: there are too many
            primary.append("02" + word.lstrip("0").rjust(9, "0")[-9:])
            continue
        key = _WORD_SORT_KEYS.get(word, False)
        if key is False:
            key = _remember(_WORD_SORT_KEYS, word, _word_sort_key(word))
        if key is None:
            return _sort_key_slowly(text)[:SORT_KEY_LENGTH]
        primary.append(key[0])
        tones.append(key[1])
    # One space between words: the "01" a run of separators makes in the slow path.
    return ("01".join(primary) + "00" + "".join(tones))[:SORT_KEY_LENGTH]


def _word_sort_key(word: str) -> tuple[str, str] | None:
    """(letters, tones) of a word that is all letters; None for anything else."""
    if not _LETTERS.issuperset(word):
        return None
    return word.translate(_PRIMARY_TABLE), word.translate(_TONE_TABLE)


def _build_tables():
    """Per-character answers of the slow functions, for ASCII and the Vietnamese letters."""
    fold_table, sort_table = {}, {}
    candidates = [chr(c) for c in range(32, 127)] + [chr(c) for c in range(0xC0, 0x250)]
    candidates += [chr(c) for c in range(0x1EA0, 0x1F00)] + ["đ", "Đ"]
    for ch in candidates:
        if ch.isdigit():
            continue
        folded = _fold_slowly(ch) if not ch.isspace() else " "
        if folded.isascii() and folded != ch.lower():
            fold_table[ord(ch)] = folded
        pairs = list(_letters_with_tones(ch))
        if len(pairs) != 1:
            continue
        letter, tone = pairs[0]
        rank = _LETTER_RANK.get(letter)
        sort_table[ch] = (None, None) if rank is None else (str(10 + rank), str(tone))
    for mark in range(0x300, 0x370):
        fold_table[mark] = ""
    return fold_table, sort_table


_FOLD_TABLE, _SORT_TABLE = _build_tables()
_LETTERS = frozenset(ch for ch, (letter, _tone) in _SORT_TABLE.items() if letter is not None)
_PRIMARY_TABLE = {ord(ch): _SORT_TABLE[ch][0] for ch in _LETTERS}
_TONE_TABLE = {ord(ch): _SORT_TABLE[ch][1] for ch in _LETTERS}
