"""Vietnamese names: NFC at the boundary, search without diacritics, alphabetical order."""

import unicodedata

from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from core.text import SORT_KEY_LENGTH, fold, nfc, sort_key

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]


def test_fold_removes_diacritics_and_dd():
    assert fold("Bắc Kạn") == "bac kan"
    assert fold("Đức Xuân") == "duc xuan"
    assert fold("  Thôn   Nà  Pài ") == "thon na pai"


def test_nfc_joins_decomposed_text_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "Bắc  Kạn ")
    assert decomposed != "Bắc Kạn"
    assert nfc(decomposed) == "Bắc Kạn"


def test_vietnamese_order_of_letters():
    words = ["Bình", "An", "Ân", "Ăn", "Đông", "Dương", "Ô Môn", "Ơn", "Ong", "Ưng", "Uông", "Yên"]
    assert sorted(words, key=sort_key) == [
        "An",
        "Ăn",
        "Ân",
        "Bình",
        "Dương",
        "Đông",
        "Ong",
        "Ô Môn",
        "Ơn",
        "Uông",
        "Ưng",
        "Yên",
    ]


def test_tones_break_ties_in_dictionary_order():
    # level, grave, hook, tilde, acute, dot below
    assert sorted(["ma", "mà", "mả", "mã", "má", "mạ"][::-1], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # letters outrank tones: "mạ" comes before "mai" whatever the tones
    assert sort_key("mạ") < sort_key("mai")


def test_shorter_word_first_and_numbers_as_numbers():
    assert sort_key("An") < sort_key("An Bình") < sort_key("Anh")
    assert sorted(["Tổ 10", "Tổ 9", "Tổ 1"], key=sort_key) == ["Tổ 1", "Tổ 9", "Tổ 10"]


def test_a_name_of_many_numbers_has_a_key_its_column_holds_and_still_sorts_by_them():
    """Each number takes 11 characters of the key: 120 characters of them made a key of over 400."""
    numbers = "Tổ " + ".".join(str(n) for n in range(1, 40))
    assert len(numbers) <= 120 and len(sort_key(numbers)) == SORT_KEY_LENGTH
    assert sort_key("Tổ 1.2") < sort_key(numbers) < sort_key("Tổ 2")
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "sort_key"), None)
        assert field is None or field.max_length >= SORT_KEY_LENGTH, model


def test_sort_key_is_digits_only():
    assert sort_key("Thị trấn Bằng Lũng, Đông 12").isdigit()


VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđghklmnpqrstvx"
syllable = st.builds(
    lambda onset, vowel, tone, coda: unicodedata.normalize("NFC", onset + vowel + tone + coda),
    st.text(alphabet=CONSONANTS, max_size=2),
    st.sampled_from(VOWELS),
    st.sampled_from(TONES),
    st.text(alphabet=CONSONANTS + VOWELS, max_size=2),
)
names = st.lists(syllable, min_size=1, max_size=4).map(" ".join)


def reference(name):
    """Letters compared one by one in the Vietnamese alphabet (a space lowest), then the tones."""
    letters, tones = [], []
    for char in name:
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if mark in TONES[1:]:
                tone = TONES.index(mark)
            else:
                base = unicodedata.normalize("NFC", base + mark)
        if base == " ":
            letters.append(0)
        else:
            letters.append(ALPHABET.index(base) + 1)
            tones.append(tone)
    return letters, tones


@given(st.lists(names, min_size=2, max_size=8))
def test_sort_key_matches_a_reference_comparison(words):
    assert [reference(w) for w in sorted(words, key=sort_key)] == sorted(reference(w) for w in words)


@given(names)
def test_fold_is_ascii_lowercase(name):
    folded = fold(name)
    assert folded.isascii()
    assert folded == folded.lower()


mixed_text = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÔƠƯ0123456789 -,.()")
        + ["ắ", "Ặ", "ỗ", "ự", "ý", "ç", "ß", "中", "\u0301", "\t", "\xa0"]
    ),
    max_size=30,
)


@given(mixed_text)
def test_the_quick_paths_give_exactly_what_unicode_data_gives(value):
    from core.text import _fold_slowly, _sort_key_slowly

    assert fold(value) == _fold_slowly(value)
    assert sort_key(value) == _sort_key_slowly(nfc(value))
