"""How the history words statistics' entries (see audit.wording): an entered total names its holder
by code and its title by key."""

from django.utils.translation import gettext_lazy

from areas.models import AdministrativeUnit, Village
from audit.wording import EMPTY, Key, describe_records, referenced_name
from criteria.models import Title

from .models import EnteredAggregate


def _holder(code, snapshot) -> str:
    # A village's code carries its commune's code and a number: "02197-017".
    return referenced_name(Village if "-" in str(code) else AdministrativeUnit, code, snapshot)


def _title(value, snapshot) -> str:
    return str(Title(value).label) if value in Title.values else (value or EMPTY)


def describe() -> None:
    describe_records(
        "stats.enteredaggregate",
        keys={
            "holder": Key(label=gettext_lazy("held by"), text=_holder),
            "title": Key(label=EnteredAggregate._meta.get_field("title").verbose_name, text=_title),
        },
    )
