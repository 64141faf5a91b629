from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import ValidationError

from areas.access import get_unit_for_user
from areas.models import AdministrativeUnit, Tree
from areas.selectors import units_for

from .common import ScopedViewSet, whole_number_param
from .serializers import UnitDetailSerializer, UnitSerializer
from .villages import VillageViewSet

__all__ = ["UnitViewSet", "VillageViewSet"]


@extend_schema(
    parameters=[
        OpenApiParameter("tree", str, enum=Tree.values, description="Tree of units (pre2025 or 2025)."),
        OpenApiParameter("parent", str, description="Code of the parent unit, on the same tree."),
        OpenApiParameter("level", int, description="1 province, 2 district, 3 commune."),
        OpenApiParameter("q", str, description="Name, with or without diacritics."),
    ]
)
class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Administrative units of both trees that the caller may see. Detail: /units/{tree}:{code}/."""

    model = AdministrativeUnit
    view_perm = None  # every signed-in user reads the units of their area
    lookup_value_regex = r"(pre2025|2025):\d{2,5}"
    lookup_field = "key"

    def queryset_for(self, user, params):
        tree = params.get("tree")
        if tree and tree not in Tree.values:
            raise ValidationError({"tree": [_("Unknown tree “%(tree)s”.") % {"tree": tree}]})
        level = params.get("level", "")
        return units_for(
            user,
            tree=tree,
            parent=params.get("parent", ""),
            level=whole_number_param(level, "level", max_value=9) if level else None,
            query=params.get("q", ""),
        )

    def get_serializer_class(self):
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer

    def get_object(self):
        tree, code = self.kwargs["key"].split(":", 1)
        return get_unit_for_user(self.request.user, tree=tree, code=code)
