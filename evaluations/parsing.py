"""How a mark travels as text (an HTML field, a cell of the village meeting's sheet): what was typed,
as the services take it, and a stored mark as it is written back. The services check every value
again (ranges, states, scope)."""

from criteria.models import Scoring

PASSED, NOT_PASSED = "yes", "no"


def parse_mark(scoring: str, raw) -> object:
    """What a field holds, as the services take it: None when empty, True/False for pass or fail,
    the text of the points otherwise (a decimal comma is accepted). Anything else is passed on for
    the service to refuse with its own message."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if scoring == Scoring.PASS_FAIL:
        return {PASSED: True, NOT_PASSED: False}.get(raw, raw)
    return raw.replace(",", ".")


def mark_input(scoring: str, value) -> str:
    """A stored mark as its field shows it (number fields take a decimal point)."""
    if value is None:
        return ""
    if scoring == Scoring.PASS_FAIL:
        return PASSED if value else NOT_PASSED
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
