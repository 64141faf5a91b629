"""How the history words awards' entries (see audit.wording): levels by their names, and a
nomination's recipient as the certificate names it."""

from django.utils.translation import gettext_lazy

from areas.models import Level
from audit.wording import EMPTY, Key, describe_records


def _level(value) -> str:
    try:
        return str(Level(int(value)).label)
    except (TypeError, ValueError):
        return EMPTY if value in (None, "") else str(value)


def _levels(value, snapshot) -> str:
    return ", ".join(_level(item) for item in value or []) or EMPTY


def describe() -> None:
    describe_records(
        "awards.awardkind",
        keys={
            "issuer_level": Key(label=gettext_lazy("issued at level"), text=lambda value, snapshot: _level(value)),
            "nominator_levels": Key(label=gettext_lazy("nominated by levels"), text=_levels),
        },
    )
    describe_records("awards.nomination", name=lambda nomination: nomination.recipient_name)
    describe_records(
        "awards.awarddecision",
        keys={"recipients": Key(label=gettext_lazy("recipients"))},
    )
