"""Find any unit or village by name, with or without diacritics ("bac kan" finds "Bắc Kạn")."""

from django.db.models import Prefetch

from khuyenhoc.text import fold, nfc

from .models import AdministrativeUnit, Village, VillagePlacement

MIN_QUERY_LENGTH = 2


def search_areas(user, query: str, limit: int = 20):
    folded = fold(nfc(query or ""))
    if len(folded) < MIN_QUERY_LENGTH:
        return [], []
    units = list(
        AdministrativeUnit.objects.visible_to(user)
        .filter(search_name__contains=folded)
        .select_related("parent")
        .order_by("level", "sort_key", "tree")[:limit]
    )
    villages = list(
        Village.objects.visible_to(user)
        .filter(search_name__contains=folded)
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=VillagePlacement.objects.select_related("commune").order_by("-from_year"),
                to_attr="placements_newest_first",
            )
        )
        .order_by("sort_key", "code")[:limit]
    )
    return units, villages
