"""Which approving level and which deadlines apply where: a province's own rule where it has one
for the title and year, the national default otherwise; and who may change which rules.

National defaults (area None) are changed by system administrators only. A province officer
changes their own province's rules: changing a national default from a province copies it for
the province, and removing the province's rule falls back to the default. Officers below read the
rules that apply to them; nobody sees another province's rules but system administrators.
"""

from django.db.models import Q

from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Level, VillagePlacement

from .models import ApproverRule, Deadline

# A path is the tree's digit then the province's two-digit code (areas.models.CODE_LENGTH).
PROVINCE_PATH_LENGTH = 3


def province_path(area) -> str:
    """The path of the province-level unit `area` (a unit on either tree) lies in."""
    return area.path[:PROVINCE_PATH_LENGTH]


def approver_rule_for(title: str, year: int, tree: str, province: str | None = None) -> ApproverRule | None:
    """The rule that decides who approves `title` in `year` on `tree`, in the province whose path is
    `province`: its own rule covering the year, else the national default covering it."""
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


# Who sees and changes which rules ---------------------------------------------------------------


def manages_national(user) -> bool:
    """System administrators, and only they, change the national defaults and any province's rules."""
    return scope_for(user).everything


def own_province(user) -> AdministrativeUnit | None:
    """The province whose rules a province officer changes: their own unit, when it is a province."""
    unit = getattr(user, "unit", None)
    if unit is not None and unit.level == Level.PROVINCE:
        return unit
    return None


def provinces_read_by(user) -> set[str] | None:
    """The paths of the provinces whose own rules `user` reads (None: all of them). An officer reads
    the rules of the provinces their area lies in, on either tree (a new commune's officer also
    reads those of the old province its old communes lay in)."""
    scope = scope_for(user)
    if scope.everything:
        return None
    paths = {prefix[:PROVINCE_PATH_LENGTH] for prefix in scope.unit_prefixes}
    if scope.village_id is not None:
        paths.update(
            path[:PROVINCE_PATH_LENGTH]
            for path in VillagePlacement.objects.filter(village_id=scope.village_id).values_list(
                "commune_path", flat=True
            )
        )
    return paths


def visible_rules(queryset, user):
    """The national defaults and the rules of the provinces `user` reads."""
    provinces = provinces_read_by(user)
    if provinces is None:
        return queryset
    return queryset.filter(Q(area=None) | Q(area__path__in=provinces))


def may_change(user, area) -> bool:
    """Whether `user` changes the rules of `area` (None: the national defaults)."""
    if manages_national(user):
        return True
    own = own_province(user)
    return area is not None and own is not None and area.pk == own.pk
