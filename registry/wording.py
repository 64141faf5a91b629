"""How the history words a merge's entries (see audit.wording): the codes merged into a household or
clan, and how many records of each kind moved to it."""

from django.apps import apps
from django.utils.translation import gettext_lazy

from audit.wording import Key, describe_records, number


def _moved(value, snapshot) -> str:
    """{"app.model": count} → "Đánh giá: 3, Công dân học tập: 1"."""
    parts = []
    for label, count in value.items():
        try:
            name = str(apps.get_model(label)._meta.verbose_name_plural)
        except LookupError:
            name = label
        parts.append(f"{name[:1].upper()}{name[1:]}: {number(count)}")
    return ", ".join(parts) or "—"


def describe() -> None:
    keys = {
        "merged": Key(label=gettext_lazy("merged into it"), text=lambda value, snapshot: "; ".join(value)),
        "moved": Key(label=gettext_lazy("moved to it"), text=_moved),
    }
    for label in ["registry.household", "registry.clan"]:
        describe_records(label, keys=keys)
