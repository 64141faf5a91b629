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
    return _SPACES.sub(" ", value).strip()


def _fold_slowly(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def fold(value: str) -> str:
    """Lower case without diacritics, đ as d: the form searches compare."""
    # Imports fold every name: a translation table does it in one C call for Vietnamese text.
    quick = value.translate(_FOLD_TABLE).lower()
    if quick.isascii():
        return _SPACES.sub(" ", quick).strip()
    return _fold_slowly(value)


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


def sort_key(value: str) -> str:
    """A key whose plain ordering is Vietnamese alphabetical order.

    Digits only, so that every collation orders it the same way. Letters first (two digits
    each), then the tones as a tie-break, as dictionaries do; runs of digits compare as numbers,
    so "Tổ 9" comes before "Tổ 10". Computed from a per-character table when every character is
    in it (all Vietnamese letters, ASCII), otherwise letter by letter from Unicode data.
    """
    text = nfc(value)
    if not all(ch in _SORT_TABLE or ch in _ASCII_DIGITS for ch in text):
        return _sort_key_slowly(text)
    primary = []
    tones = []
    for part in _NUMBER_OR_TEXT.findall(text):
        if part[0].isdigit():
            primary.append("02" + part.lstrip("0").rjust(9, "0")[-9:])
            continue
        for ch in part:
            letter, tone = _SORT_TABLE[ch]
            if letter is None:
                if not primary or primary[-1] != "01":
                    primary.append("01")
            else:
                primary.append(letter)
                tones.append(tone)
    return "".join(primary) + "00" + "".join(tones)


_NUMBER_OR_TEXT = re.compile(r"[0-9]+|[^0-9]+")
_ASCII_DIGITS = frozenset("0123456789")


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
