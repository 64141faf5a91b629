from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from areas.access import get_unit_for_user, get_village_for_user
from areas.models import AdministrativeUnit, Tree, Village, VillagePlacement
from areas.search import search_areas

from .serializers import UnitDetailSerializer, UnitSerializer, VillageSerializer


@extend_schema(
    parameters=[
        OpenApiParameter("tree", str, enum=Tree.values, description="Tree of units (pre2025 or 2025)."),
        OpenApiParameter("parent", str, description="Code of the parent unit, on the same tree."),
        OpenApiParameter("level", int, description="1 province, 2 district, 3 commune."),
        OpenApiParameter("q", str, description="Name, with or without diacritics."),
    ]
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative units of both trees that the caller may see. Detail: /units/{tree}:{code}/."""

    lookup_value_regex = r"(pre2025|2025):\d{2,5}"
    lookup_field = "key"

    def get_queryset(self):
        units = AdministrativeUnit.objects.visible_to(self.request.user).select_related("parent")
        params = self.request.query_params
        tree = params.get("tree")
        if tree:
            if tree not in Tree.values:
                raise ValidationError({"tree": [_("Unknown tree “%(tree)s”.") % {"tree": tree}]})
            units = units.filter(tree=tree)
        if params.get("parent"):
            units = units.filter(parent__code=params["parent"])
        if params.get("level", "").isdigit():
            units = units.filter(level=int(params["level"]))
        if params.get("q"):
            ids = [u.pk for u in search_areas(self.request.user, params["q"], limit=100)[0]]
            units = units.filter(pk__in=ids)
        return units.order_by("tree", "path")

    def get_serializer_class(self):
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer

    def get_object(self):
        tree, code = self.kwargs["key"].split(":", 1)
        return get_unit_for_user(self.request.user, tree=tree, code=code)


class VillageViewSet(viewsets.ReadOnlyModelViewSet):
    """Villages the caller may see, with their parent commune per period."""

    serializer_class = VillageSerializer
    lookup_field = "code"

    def get_queryset(self):
        villages = Village.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("placements", queryset=VillagePlacement.objects.select_related("commune").order_by("from_year"))
        )
        commune = self.request.query_params.get("commune")
        if commune:
            villages = villages.filter(placements__commune__code=commune).distinct()
        return villages.order_by("code")

    def get_object(self):
        village = get_village_for_user(self.request.user, code=self.kwargs["code"])
        return self.get_queryset().get(pk=village.pk)
