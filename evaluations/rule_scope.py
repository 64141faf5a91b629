"""Which approving level and which deadlines apply where: a province's own rule where it has one
for the title and year, the national default otherwise; and who may change which rules.

National defaults (area None) are changed by system administrators only. A province officer
changes their own province's rules: changing a national default from a province copies it for
the province, and removing the province's rule falls back to the default. Officers below read the
rules that apply to them; nobody sees another province's rules but system administrators.
"""

from django.db.models import Q

from core.memo import remembered

# Who reads and changes which rules is the same for criteria sets, approving levels and deadlines.
from criteria.scope import (  # noqa: F401 (the evaluations app reads them from here)
    PROVINCE_PATH_LENGTH,
    manages_national,
    may_change,
    own_province,
    province_path,
    visible_rules,
)

from .models import ApproverRule, Deadline


def approver_rule_for(title: str, year: int, tree: str, province: str | None = None) -> ApproverRule | None:
    """The rule that decides who approves `title` in `year` on `tree`, in the province whose path is
    `province`: its own rule covering the year, else the national default covering it."""
    return remembered(
        ("approver rule", title, year, tree, province), lambda: _approver_rule(title, year, tree, province)
    )


def _approver_rule(title: str, year: int, tree: str, province: str | None) -> ApproverRule | None:
    rules = ApproverRule.objects.filter(title=title, tree=tree, from_year__lte=year).exclude(to_year__lt=year)
    if province:
        own = rules.filter(area__path=province).order_by("-from_year").first()
        if own is not None:
            return own
    return rules.filter(area=None).order_by("-from_year").first()


def deadlines_for(title: str, year: int, area) -> list[Deadline]:
    """The deadlines of a title's year in `area`: for each kind, the province's own, else the default."""
    rows = Deadline.objects.filter(title=title, year=year).filter(Q(area=None) | Q(area__path=province_path(area)))
    chosen: dict[str, Deadline] = {}
    for row in rows.order_by("due"):
        if row.kind not in chosen or (row.area_id is not None and chosen[row.kind].area_id is None):
            chosen[row.kind] = row
    return sorted(chosen.values(), key=lambda row: row.due)
