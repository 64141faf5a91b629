"""A set's validity years must not reach into another set's years (issue 15, item 5).

Under a set that counts a recognition in each year it stays valid, a recognition granted for its last
year still counts `validity_years − 1` years later. If another set of the same title, for the same
area (the nation, or the same province), starts within those years, two sets would speak for the same
years and the counting would follow neither clearly: refused, naming the other set and the years."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import CriteriaSet
from .validation import Problem


def _lineage(criteria_set: CriteriaSet | None) -> set[int]:
    """The set's earlier versions and copies it was made from, and the versions made from it."""
    found = set()
    current = criteria_set
    while current is not None and current.pk not in found:
        found.add(current.pk)
        current = current.based_on
    if criteria_set is not None and criteria_set.pk:
        frontier = [criteria_set.pk]
        while frontier:
            newer = list(
                CriteriaSet.objects.filter(based_on__in=frontier).exclude(pk__in=found).values_list("pk", flat=True)
            )
            found.update(newer)
            frontier = newer
    return found


def validity_overlaps(fields: dict, *, area_id, criteria_set: CriteriaSet | None = None) -> list[Problem]:
    """The problem, if any, of a set's fields (cleaned) against the other sets of its title and area."""
    years = fields.get("validity_years") or 1
    last = fields.get("valid_to")
    if not fields.get("count_each_valid_year") or years <= 1 or last is None:
        return []
    reach = last + years - 1
    others = CriteriaSet.objects.filter(
        title=fields.get("title"), area_id=area_id, is_default=False, valid_from__gt=last, valid_from__lte=reach
    ).exclude(pk__in=_lineage(criteria_set))
    other = others.order_by("valid_from", "pk").first()
    if other is None:
        return []
    message = _(
        "A recognition granted for %(last)d under this set would still count until %(reach)d, but “%(other)s” "
        "applies from %(first)d: shorten the validity or end this set earlier."
    ) % {"last": last, "reach": reach, "other": other.name, "first": other.valid_from}
    return [Problem("set", None, "validity_years", ValidationError(message, code="validity_overlap"))]
