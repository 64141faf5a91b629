"""Rules owned by an area: who reads and who changes the rules of which province.

A rule (a criteria set here, an approving level or a deadline in evaluations) is a national default
(area None), changed by system administrators only, or a province's own (area its province-level
unit), changed by that province's officers, applying in that province instead of the default.
Officers read the national defaults and the rules of the provinces their area lies in; nobody sees
another province's rules but system administrators. Evaluations' `rule_scope` uses the same reading.
"""

from django.db.models import Q

from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Level, VillagePlacement

# A path is the tree's digit then the province's two-digit code (areas.models.CODE_LENGTH).
PROVINCE_PATH_LENGTH = 3


def province_path(area) -> str:
    """The path of the province-level unit `area` (a unit on either tree) lies in."""
    return area.path[:PROVINCE_PATH_LENGTH]


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


def area_of_new(user, source_area=None):
    """The area a rule `user` makes belongs to: a province officer's, their province's; a system
    administrator's, the area of the rule it is made from (None: national)."""
    if manages_national(user):
        return source_area
    return own_province(user)
