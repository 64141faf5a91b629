"""Villages through the API: read with their communes per period; created, renamed (or given another
kind) and moved to another commune from a year through the areas' services, as the pages do."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from areas import services
from areas.access import get_village_for_user
from areas.models import Tree, Village, VillageKind
from areas.permissions import AreaPerm
from areas.selectors import villages_for

from .common import HistoryMixin, ScopedViewSet, resolve_unit, service_errors
from .fields import StrictModelSerializer, YearField
from .serializers import PlacementSerializer
from .versions import CONFLICT_RESPONSE, VersionedSerializer, update_schemas, versioned_errors

COMMUNE_HELP = "The commune, on the tree in force in the year: tree (pre2025 or 2025) and code."


class VillageSerializer(VersionedSerializer, StrictModelSerializer):
    placements = PlacementSerializer(many=True, read_only=True)

    class Meta:
        model = Village
        fields = ["code", "name", "kind", "placements", "version"]
        read_only_fields = ["code"]

    def validate_name(self, value):
        return services.validate_village_name(value)


class VillageCreateSerializer(VillageSerializer):
    commune_tree = serializers.ChoiceField(source="commune.tree", choices=Tree.choices, write_only=True)
    commune_code = serializers.CharField(source="commune.code", max_length=5, write_only=True, help_text=COMMUNE_HELP)
    from_year = YearField(write_only=True, help_text="The first year the village belongs to this commune.")
    kind = serializers.ChoiceField(choices=VillageKind.choices, default=VillageKind.VILLAGE)

    class Meta(VillageSerializer.Meta):
        fields = [*VillageSerializer.Meta.fields, "commune_tree", "commune_code", "from_year"]

    def validate(self, attrs):
        return resolve_unit(self, attrs, "commune")


class VillageMoveSerializer(serializers.Serializer):
    commune_tree = serializers.ChoiceField(source="commune.tree", choices=Tree.choices)
    commune_code = serializers.CharField(source="commune.code", max_length=5, help_text=COMMUNE_HELP)
    from_year = YearField(help_text="The first year the village belongs to the new commune; earlier years keep theirs.")
    rename_clashes = serializers.BooleanField(
        default=False,
        help_text="If the new commune already has a village of this name, add the old commune's name in brackets.",
    )

    def validate(self, attrs):
        return resolve_unit(self, attrs, "commune")


# Where the areas services' own refusals land.
VILLAGE_ERROR_FIELDS = {
    "not_commune": "commune_code",
    "wrong_tree": "from_year",
    "duplicate_name": "name",
    "required": "name",
    "max_length": "name",
}
MOVE_ERROR_FIELDS = {"not_commune": "commune_code", "wrong_tree": "from_year"}


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("commune", str, description="Ever placed in the commune of this code.")]
    ),
    create=extend_schema(request=VillageCreateSerializer, responses={201: VillageSerializer}),
    **update_schemas(VillageSerializer),
)
class VillageViewSet(
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Villages the caller may see, with their parent commune per period. Creating, renaming and moving go
    through the same services as the pages: the code is issued by the system and never changes."""

    model = Village
    view_perm = None
    lookup_field = "code"
    manage_perm = AreaPerm.MANAGE_VILLAGES
    write_actions = ("create", "update", "partial_update", "move")
    manage_refused = gettext_lazy("Your role cannot create, rename or move villages.")

    def get_serializer_class(self):
        if self.action == "create":
            return VillageCreateSerializer
        if self.action == "move":
            return VillageMoveSerializer
        return VillageSerializer

    def queryset_for(self, user, params):
        return villages_for(user, commune=params.get("commune", ""))

    def get_object(self):
        village = get_village_for_user(self.request.user, code=self.kwargs["code"], perm=self.object_perm())
        return villages_for(self.request.user).get(pk=village.pk)

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors(VILLAGE_ERROR_FIELDS):
            village = services.village_create(
                actor=self.request.user,
                commune=data["commune"],
                name=data["name"],
                kind=data["kind"],
                from_year=data["from_year"],
            )
        serializer.instance = villages_for(self.request.user).get(pk=village.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(VillageSerializer(serializer.instance).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        village = serializer.instance
        data = serializer.validated_data
        with versioned_errors(VILLAGE_ERROR_FIELDS):
            services.village_update(
                actor=self.request.user,
                village=village,
                version=data["version"],
                name=data.get("name", village.name),
                kind=data.get("kind", village.kind),
            )
        serializer.instance = villages_for(self.request.user).get(pk=village.pk)

    @extend_schema(
        request=VillageMoveSerializer,
        responses={200: VillageSerializer, 409: CONFLICT_RESPONSE},
        description="Give the village a new parent commune from a year on; earlier years keep their commune.",
    )
    @action(detail=True, methods=["post"])
    def move(self, request, **kwargs):
        village = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors(MOVE_ERROR_FIELDS):
            services.villages_move(
                actor=request.user,
                villages=[village],
                commune=data["commune"],
                from_year=data["from_year"],
                rename_clashes=data["rename_clashes"],
            )
        return Response(VillageSerializer(villages_for(request.user).get(pk=village.pk)).data)
