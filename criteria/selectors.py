"""The criteria sets a user reads, for the sets page and the API alike: one filter, one order; and
the sets an evaluation in an area may take."""

from django.db.models import Prefetch, Q

from core.memo import remembered

from .models import CriteriaSet, Node
from .scope import province_path


def criteria_sets_for(user, *, title: str = "", year: int | None = None):
    """Every set the user sees (the published rules), with its criteria and bands, by title, newest
    first; `title`: of one title; `year`: in force that year."""
    sets = (
        CriteriaSet.objects.visible_to(user)
        .select_related("area")
        .prefetch_related(Prefetch("nodes", queryset=Node.objects.select_related("parent")), "bands")
    )
    if title:
        sets = sets.filter(title=title)
    if year is not None:
        sets = sets.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year), valid_from__lte=year)
    return sets.order_by("title", "-valid_from", "name", "-version", "pk")


def sets_applying(*, title: str, year: int, area) -> tuple[list[CriteriaSet], list[CriteriaSet]]:
    """The sets (not shipped defaults) of `title` in force in `year` that evaluations in `area`
    may take, newest first: (the own sets of its province, the national sets). A province's own
    set, when it has a complete one, is taken there instead of the national ones."""
    province = province_path(area) if area is not None else None
    return remembered(("sets applying", title, year, province), lambda: _sets_applying(title, year, province))


def _sets_applying(title: str, year: int, province: str | None) -> tuple[list[CriteriaSet], list[CriteriaSet]]:
    sets = (
        CriteriaSet.objects.usable()
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year), title=title, valid_from__lte=year)
        .prefetch_related("nodes", "bands")
        .order_by("-version", "-id")
    )
    own = list(sets.filter(area__path=province)) if province is not None else []
    return own, list(sets.filter(area=None))
