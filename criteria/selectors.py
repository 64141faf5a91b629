"""The criteria sets a user reads, for the sets page and the API alike: one filter, one order."""

from django.db.models import Prefetch, Q

from .models import CriteriaSet, Node


def criteria_sets_for(user, *, title: str = "", year: int | None = None):
    """Every set the user sees (the published rules), with its criteria and bands, by title, newest
    first; `title`: of one title; `year`: in force that year."""
    sets = CriteriaSet.objects.visible_to(user).prefetch_related(
        Prefetch("nodes", queryset=Node.objects.select_related("parent")), "bands"
    )
    if title:
        sets = sets.filter(title=title)
    if year is not None:
        sets = sets.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year), valid_from__lte=year)
    return sets.order_by("title", "-valid_from", "name", "-version", "pk")
