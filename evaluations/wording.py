"""How the history words evaluations' entries (see audit.wording): marks by criterion, evidence, and
the years closed on an area."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.wording import Key, describe_records, field_key

from .marking import NOTE_PREFIX
from .models import Evaluation, Evidence


def _criterion(code: str) -> Key:
    if code.startswith(NOTE_PREFIX):
        return Key(label=_("Note on criterion %(code)s") % {"code": code.removeprefix(NOTE_PREFIX)})
    return Key(label=_("Criterion %(code)s") % {"code": code})


def describe() -> None:
    describe_records(
        "evaluations.evaluation",
        keys={
            "subject": Key(label=gettext_lazy("evaluated")),
            "criterion": Key(label=gettext_lazy("criterion")),
            "file": field_key(Evidence, "original_name"),
        },
        other_key=_criterion,
    )
    # A batch of certificates is written on its decision: how many were new, how many it has in all.
    describe_records(
        "evaluations.recognitiondecision",
        keys={
            "issued": Key(label=gettext_lazy("certificates issued this time")),
            "total": Key(label=gettext_lazy("certificates of the decision")),
        },
        action="certificate.issue",
    )
    # Closing and reopening a title's year is written on the approving area.
    describe_records(
        "areas.administrativeunit",
        keys={"title": field_key(Evaluation, "title"), "year": field_key(Evaluation, "year")},
    )
