"""Validators of criteria sets, shared by the pages, the YAML and xlsx imports and the services.

Each field validator takes what a form, a YAML file or a spreadsheet cell gives and returns the
clean value or raises a ValidationError with a code. `check_definition` then checks a whole set
(fields, ratings, criteria) together and returns every problem with where it is, so that each
caller can say it in its own terms: a form field, a YAML path, a row and column.

Choices are read from the keys the code uses (`points`) or from the Vietnamese words of the
spreadsheets (`Chấm điểm`), which stay Vietnamese whatever the interface language as files travel
between levels.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.parsing import clean_yes_no as parse_yes_no
from core.parsing import parse_whole_number
from core.text import fold, nfc

from .models import ACHIEVED, NOT_ACHIEVED, NodeKind, ResultRule, Scoring, Title

KIND_WORDS = {NodeKind.STANDARD: "Tiêu chuẩn", NodeKind.CRITERION: "Tiêu chí", NodeKind.INDICATOR: "Chỉ tiêu"}
SCORING_WORDS = {Scoring.GROUP: "Cộng các phần", Scoring.POINTS: "Chấm điểm", Scoring.PASS_FAIL: "Đạt/Không đạt"}
TITLE_WORDS = {
    Title.HOUSEHOLD: "Gia đình học tập",
    Title.CLAN: "Dòng họ học tập",
    Title.VILLAGE: "Cộng đồng học tập cấp thôn",
    Title.UNIT: "Đơn vị học tập",
    Title.COMMUNE: "Cộng đồng học tập cấp xã",
    Title.CITIZEN: "Công dân học tập",
}
RULE_WORDS = {
    ResultRule.RATINGS: "Xếp loại theo tổng điểm",
    ResultRule.THRESHOLD: "Đạt danh hiệu khi đủ tổng điểm",
    ResultRule.LEVELS: "Đạt mức khi đạt mọi chỉ tiêu của mức",
}
YES, NO = "Có", "Không"

MAX_POINTS = Decimal("99999.99")  # the model's seven digits, two after the point
MAX_LEVEL = 9
CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
BAND_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LEVEL_RESULT = re.compile(r"^level_[1-9]$")


@dataclass(frozen=True)
class NodeValues:
    code: str
    parent_code: str
    kind: str
    name: str
    scoring: str
    max_points: Decimal | None = None
    min_points: Decimal | None = None
    level: int | None = None


@dataclass(frozen=True)
class BandValues:
    code: str
    label: str
    min_total: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    part: str  # "set", "band" or "node"
    index: int | None  # the band's or node's position in the lists given
    field: str
    error: ValidationError


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError(_("Write this as text."), code="text")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def clean_text(value, *, max_length: int, required: bool = False) -> str:
    text = nfc(_text(value))
    if required and not text:
        raise ValidationError(_("This cannot be empty."), code="required")
    if len(text) > max_length:
        raise ValidationError(
            _("At most %(max)d characters (this has %(count)d).") % {"max": max_length, "count": len(text)},
            code="too_long",
        )
    return text


def clean_note(value) -> str:
    """A note keeps its lines."""
    return unicodedata.normalize("NFC", _text(value)).strip()


def clean_node_code(value) -> str:
    code = clean_text(value, max_length=12, required=True)
    if not CODE.match(code):
        raise ValidationError(
            _("A number is made of digits, letters, dots and dashes, e.g. 1.2 (not “%(code)s”).") % {"code": code},
            code="code",
        )
    return code


def clean_parent_code(value) -> str:
    return clean_node_code(value) if _text(value).strip() else ""


def clean_band_code(value) -> str:
    code = clean_text(value, max_length=20, required=True)
    if not BAND_CODE.match(code):
        raise ValidationError(
            _("A rating's code is lower-case letters without accents, digits, “_” or “-”, e.g. tot (not “%(code)s”).")
            % {"code": code},
            code="band_code",
        )
    if code in (ACHIEVED, NOT_ACHIEVED) or LEVEL_RESULT.match(code):
        raise ValidationError(
            _("“%(code)s” is a result code of its own: choose another.") % {"code": code}, code="reserved"
        )
    return code


def _choice(value, words: dict, message: str):
    text = fold(_text(value))
    if not text:
        raise ValidationError(_("This cannot be empty."), code="required")
    for key, word in words.items():
        if text in (fold(key), fold(word), fold(str(key.label))):
            return key.value
    raise ValidationError(
        message % {"value": _text(value), "choices": ", ".join(f"“{w}”" for w in words.values())}, code="choice"
    )


def clean_kind(value) -> str:
    return _choice(value, KIND_WORDS, _("“%(value)s” is not a kind of criterion: write one of %(choices)s."))


def clean_scoring(value) -> str:
    return _choice(value, SCORING_WORDS, _("“%(value)s” is not a way of scoring: write one of %(choices)s."))


def clean_title(value) -> str:
    return _choice(value, TITLE_WORDS, _("“%(value)s” is not a title: write one of %(choices)s."))


def clean_rule(value) -> str:
    return _choice(value, RULE_WORDS, _("“%(value)s” is not a result rule: write one of %(choices)s."))


def clean_points_value(value) -> Decimal | None:
    """Points or a threshold: empty (not known yet), or a number from 0 with at most two decimals."""
    from .services import clean_points

    if isinstance(value, bool):
        raise ValidationError(_("Write the points as a number."), code="number")
    points = clean_points(_text(value).strip() if isinstance(value, str) else value)
    if points is None:
        return None
    if points > MAX_POINTS:
        raise ValidationError(_("At most %(max)s points.") % {"max": MAX_POINTS}, code="too_large")
    if points != points.quantize(Decimal("0.01")):
        raise ValidationError(_("At most two digits after the decimal point."), code="decimals")
    return points.quantize(Decimal("0.01"))


def _whole(value, *, low: int, high: int, required: bool, message: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(_("This cannot be empty."), code="required")
        return None
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)  # a YAML file's 3.0
    try:
        return parse_whole_number(value, min_value=low, max_value=high, grouped=False)
    except ValidationError as error:
        raise ValidationError(message, code="number") from error


def clean_level(value) -> int | None:
    message = _("A level is a whole number from 1 to %(max)d.") % {"max": MAX_LEVEL}
    return _whole(value, low=1, high=MAX_LEVEL, required=False, message=message)


def clean_year(value, *, required: bool = False) -> int | None:
    return _whole(value, low=1945, high=2100, required=required, message=_("Write a year such as 2025."))


def clean_years(value, *, low: int = 0, required: bool = False) -> int | None:
    message = _("Write a whole number of years from %(low)d to 50.") % {"low": low}
    return _whole(value, low=low, high=50, required=required, message=message)


def clean_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("Write the date as dd/mm/yyyy (not “%(value)s”).") % {"value": text}, code="date")


def clean_yes_no(value, *, default: bool = False) -> bool:
    return parse_yes_no(value, empty=default)


def clean_result_codes(value) -> list[str]:
    """Result codes from a list or from text separated by commas, semicolons or spaces."""
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,;\s]+", _text(value))
    codes = []
    for item in items:
        code = _text(item).strip()
        if code and code not in codes:
            codes.append(code)
    return codes


# Field by field, what a set, a rating and a criterion are made of, for every way in.
SET_VALIDATORS = {
    "title": clean_title,
    "name": lambda value: clean_text(value, max_length=200, required=True),
    "legal_number": lambda value: clean_text(value, max_length=80),
    "legal_date": clean_date,
    "issuer": lambda value: clean_text(value, max_length=200),
    "valid_from": lambda value: clean_year(value, required=True),
    "valid_to": clean_year,
    "rule": clean_rule,
    "pass_total": clean_points_value,
    "validity_years": lambda value: clean_years(value, low=1) or 1,
    "years_at_level_1": clean_years,
    "recognised_results": clean_result_codes,
    "count_each_valid_year": clean_yes_no,
    "is_illustration": clean_yes_no,
    "note": clean_note,
}
BAND_VALIDATORS = {
    "code": clean_band_code,
    "label": lambda value: clean_text(value, max_length=60, required=True),
    "min_total": clean_points_value,
}
NODE_VALIDATORS = {
    "code": clean_node_code,
    "parent_code": clean_parent_code,
    "kind": clean_kind,
    "name": lambda value: clean_text(value, max_length=2000),
    "scoring": clean_scoring,
    "max_points": clean_points_value,
    "min_points": clean_points_value,
    "level": clean_level,
}


def clean_values(validators: dict, raw: dict) -> tuple[dict, list[tuple[str, ValidationError]]]:
    """Every field of `raw` cleaned (a field it lacks is cleaned from None), and the errors by field."""
    clean, errors = {}, []
    for field, validator in validators.items():
        try:
            clean[field] = validator(raw.get(field))
        except ValidationError as error:
            errors.append((field, error))
    return clean, errors


def possible_results(rule: str, band_codes) -> str:
    """In words, the codes `recognised_results` may name under `rule`."""
    if rule == ResultRule.RATINGS:
        return ", ".join(band_codes) or _("(no ratings yet)")
    if rule == ResultRule.THRESHOLD:
        return ACHIEVED
    return "level_1, level_2, …"


def _recognisable(rule: str, band_codes: set, code: str) -> bool:
    if rule == ResultRule.RATINGS:
        return code in band_codes
    if rule == ResultRule.THRESHOLD:
        return code == ACHIEVED
    return bool(LEVEL_RESULT.match(code))


def check_definition(fields: dict, bands: list[BandValues], nodes: list[NodeValues]) -> list[Problem]:
    """What is inconsistent in a whole set, its fields already cleaned one by one. Values not
    known yet (empty points, texts, thresholds) are not problems: the set reports them as missing."""
    problems = []

    def add(part, index, field, message, code):
        problems.append(Problem(part, index, field, ValidationError(message, code=code)))

    rule = fields.get("rule")
    valid_from, valid_to = fields.get("valid_from"), fields.get("valid_to")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        add(
            "set",
            None,
            "valid_to",
            _("The last year comes before the first (%(first)d).") % {"first": valid_from},
            "years",
        )

    band_codes, thresholds = set(), set()
    for index, band in enumerate(bands):
        if rule != ResultRule.RATINGS:
            add("band", index, "code", _("Only a set whose total gives a rating has ratings."), "bands_rule")
        if band.code in band_codes:
            add("band", index, "code", _("Another rating has the code “%(code)s”.") % {"code": band.code}, "duplicate")
        band_codes.add(band.code)
        if band.min_total is not None:
            if band.min_total in thresholds:
                add("band", index, "min_total", _("Another rating starts at the same total."), "duplicate_threshold")
            thresholds.add(band.min_total)
    for code in fields.get("recognised_results") or []:
        if not _recognisable(rule, band_codes, code):
            message = _("“%(code)s” is not a result of this set; its results are: %(codes)s.") % {
                "code": code,
                "codes": possible_results(rule, band_codes),
            }
            add("set", None, "recognised_results", message, "recognised")

    by_code = {}
    for index, node in enumerate(nodes):
        if node.code in by_code:
            add(
                "node",
                index,
                "code",
                _("Another criterion has the number “%(code)s”.") % {"code": node.code},
                "duplicate",
            )
        else:
            by_code[node.code] = node
        if node.scoring == Scoring.PASS_FAIL and node.max_points is not None:
            add("node", index, "max_points", _("A criterion marked pass or fail has no points."), "pass_fail_points")
    with_parts = set()
    for index, node in enumerate(nodes):
        if not node.parent_code:
            continue
        if node.parent_code not in by_code:
            add(
                "node",
                index,
                "parent_code",
                _("No criterion has the number “%(code)s”.") % {"code": node.parent_code},
                "parent",
            )
        elif _in_a_loop(node, by_code):
            message = _("“%(code)s” cannot be part of itself or of one of its own parts.") % {"code": node.code}
            add("node", index, "parent_code", message, "loop")
        else:
            with_parts.add(node.parent_code)
    for index, node in enumerate(nodes):
        if node.code in with_parts and node.scoring != Scoring.GROUP and by_code.get(node.code) is node:
            message = _("“%(code)s” has parts, so it is scored as the sum of its parts.") % {"code": node.code}
            add("node", index, "scoring", message, "parts")
    return problems


def _in_a_loop(node: NodeValues, by_code: dict) -> bool:
    seen, current = {node.code}, node
    while current.parent_code:
        if current.parent_code in seen:
            return True
        seen.add(current.parent_code)
        current = by_code.get(current.parent_code)
        if current is None:
            return False
    return False
