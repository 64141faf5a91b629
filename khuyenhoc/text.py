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
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str) -> str:
    """Lower case without diacritics, đ as d: the form searches compare."""
    decomposed = unicodedata.normalize("NFD", value.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


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


def sort_key(value: str) -> str:
    """A key whose plain ordering is Vietnamese alphabetical order.

    Digits only, so that every collation orders it the same way. Letters first
    (two digits each), then the tones as a tie-break, as dictionaries do; runs of
    digits compare as numbers, so "Tổ 9" comes before "Tổ 10".
    """
    primary = []
    tones = []
    text = nfc(value)
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
