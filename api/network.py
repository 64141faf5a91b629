"""The study-promotion network and the yearly base of areas through the API, by the services of the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Perm
from areas.models import Tree
from registry import associations, network, selectors
from registry.access import get_area_year_for_user, get_association_for_user, get_association_year_for_user
from registry.models import AreaYear, Association, AssociationLevel, AssociationYear
from registry.network_counts import counts_from_list, counts_from_lists

from .common import (
    HistoryMixin,
    ScopedViewSet,
    area_param,
    choice_param,
    resolve_unit,
    service_errors,
    whole_number_param,
)
from .fields import StrictModelSerializer, StrictPrimaryKeyRelatedField, YearField, version_field
from .versions import CONFLICT_RESPONSE, VERSION_HELP, VersionedSerializer, versioned_errors

AREA_PARAMETER = OpenApiParameter(
    "area", str, description="This unit and every unit below it, written tree:code (e.g. 2025:01843)."
)
YEAR_PARAMETER = OpenApiParameter("year", int, description="Year of the figures.")

# Where the year services' own checks land: a year outside the system's range or not on the area's tree.
YEAR_ERROR_FIELDS = {
    None: "year",
    "year": "year",
    "not_integer": "year",
    "decimal": "year",
    "out_of_range": "year",
    "wrong_tree": "year",
}

UPSERT_DESCRIPTION = (
    "Saves the one record of an {key} and a year: creates it (201) or replaces its figures (200). {figures} "
    "Replacing needs the `version` you read (409 if someone else changed the record since). Every change is in the "
    "record's history."
)


def optional_number(params, param: str) -> int | None:
    return whole_number_param(params[param], param) if params.get(param) else None


def area_fields():
    return (
        serializers.ChoiceField(source="area.tree", choices=Tree.choices),
        serializers.CharField(source="area.code", max_length=5),
        serializers.CharField(source="area.name", read_only=True),
    )


class AssociationYearNestedSerializer(StrictModelSerializer):
    class Meta:
        model = AssociationYear
        fields = ["id", "year", *network.ASSOCIATION_YEAR_FIELDS]


class AssociationSerializer(StrictModelSerializer):
    area_tree, area_code, area_name = area_fields()
    years = AssociationYearNestedSerializer(many=True, read_only=True)
    version = version_field(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Association
        fields = ["id", "level", "name", "area_tree", "area_code", "area_name", "last_year", "years", "version"]
        read_only_fields = ["last_year"]

    def validate(self, attrs):
        return resolve_unit(self, attrs, "area")


class AssociationRenameSerializer(VersionedSerializer, StrictModelSerializer):
    """A rename: the name and the version read; the level and the area never change."""

    class Meta:
        model = Association
        fields = ["name", "version"]
        extra_kwargs = {"name": {"required": True}}


class AssociationCloseSerializer(VersionedSerializer, serializers.Serializer):
    last_year = YearField(help_text="The last year the association reports; none after it (a year of its area's tree).")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            AREA_PARAMETER,
            OpenApiParameter("level", str, enum=AssociationLevel.values, description="Level of the association."),
        ]
    )
)
class AssociationViewSet(
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Study promotion associations the caller may see, each with its yearly figures (newest first). A
    PUT or PATCH renames one (send the version read); `close/` closes it after a year."""

    model = Association
    serializer_class = AssociationSerializer
    lookup_value_regex = r"\d+"
    manage_perm = Perm.MANAGE_REGISTRIES
    write_actions = ("create", "update", "partial_update", "close")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return AssociationRenameSerializer
        if self.action == "close":
            return AssociationCloseSerializer
        return AssociationSerializer

    @extend_schema(request=AssociationRenameSerializer, responses={200: AssociationSerializer, 409: CONFLICT_RESPONSE})
    def update(self, request, *args, **kwargs):
        association = self.get_object()
        serializer = self.get_serializer(association, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        with versioned_errors({"duplicate": "name"}):
            association = associations.association_rename(
                actor=request.user,
                association=association,
                version=serializer.validated_data["version"],
                name=serializer.validated_data.get("name", association.name),
            )
        return Response(AssociationSerializer(association).data)

    @extend_schema(request=AssociationRenameSerializer, responses={200: AssociationSerializer, 409: CONFLICT_RESPONSE})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        request=AssociationCloseSerializer,
        responses={200: AssociationSerializer, 409: CONFLICT_RESPONSE},
        description="Close the association after a year: it reports no later year. Send the version read.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, **kwargs):
        association = self.get_object()
        serializer = self.get_serializer(association, data=request.data)
        serializer.is_valid(raise_exception=True)
        with versioned_errors(
            {**dict.fromkeys(YEAR_ERROR_FIELDS, "last_year"), "closed": "last_year", "later_years": "last_year"}
        ):
            association = associations.association_close(
                actor=request.user,
                association=association,
                version=serializer.validated_data["version"],
                last_year=serializer.validated_data["last_year"],
            )
        return Response(AssociationSerializer(association).data)

    def queryset_for(self, user, params):
        level = choice_param(params["level"], AssociationLevel, "level") if params.get("level") else ""
        return selectors.associations_for(user, area=area_param(params), level=level)

    def get_object(self):
        return get_association_for_user(self.request.user, pk=self.kwargs["pk"], perm=self.object_perm())

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors({"level": "area_code", "scope": "area_code", "duplicate": "name"}):
            serializer.instance = network.association_create(
                actor=self.request.user, level=data["level"], area=data["area"], name=data["name"]
            )


class UpsertMixin:
    """POST saves the record of a natural key (…, year): 201 when it is new, 200 when it existed
    (the view's `exists(validated_data)` tells which)."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        existed = self.exists(serializer.validated_data)
        self.perform_create(serializer)
        return Response(serializer.data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


UPSERT_VERSION_HELP = (
    "The version of the year's record you read; leave it out when you saw none. Refused with 409 when the record "
    "was changed (or first entered) by someone else since."
)


class AssociationYearListSerializer(serializers.ListSerializer):
    """A page of association years: the figures their lists decide are read in two queries for the
    whole page, not two per row."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        self.child.context["from_lists"] = counts_from_lists(
            {row.association_id for row in rows}, {row.year for row in rows}
        )
        return super().to_representation(rows)


class AssociationYearSerializer(StrictModelSerializer):
    association = StrictPrimaryKeyRelatedField(queryset=Association.objects.none())
    version = version_field(required=False, allow_null=True, help_text=UPSERT_VERSION_HELP)
    association_name = serializers.CharField(source="association.name", read_only=True)
    from_list = serializers.SerializerMethodField(
        help_text="The figures counted from the association's list of branches and boards (the others were "
        "entered); a value sent for one of them is replaced by the count."
    )

    class Meta:
        model = AssociationYear
        list_serializer_class = AssociationYearListSerializer
        fields = [
            "id",
            "association",
            "association_name",
            "year",
            *network.ASSOCIATION_YEAR_FIELDS,
            "from_list",
            "version",
        ]
        # Every figure of an association's year is asked for, as on the page.
        extra_kwargs = {field: {"required": True} for field in network.ASSOCIATION_YEAR_FIELDS}
        # No unique-together check: posting an existing (association, year) replaces its figures.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["association"].queryset = selectors.associations_for(request.user)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_from_list(self, row) -> list[str]:
        listed = self.context.get("from_lists")  # a page of rows: read once for all of them
        if listed is None:
            return sorted(counts_from_list(row.association, [row.year])[row.year])
        return sorted(listed.get((row.association_id, row.year), {}))


@extend_schema_view(
    list=extend_schema(
        parameters=[
            AREA_PARAMETER,
            YEAR_PARAMETER,
            OpenApiParameter("association", int, description="Id of the association."),
        ]
    )
)
class AssociationYearViewSet(
    HistoryMixin, UpsertMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    """An association's members, branches and boards for a year."""

    model = AssociationYear
    serializer_class = AssociationYearSerializer
    lookup_value_regex = r"\d+"
    manage_perm = Perm.MANAGE_REGISTRIES

    def queryset_for(self, user, params):
        return selectors.association_years_for(
            user,
            area=area_param(params),
            year=optional_number(params, "year"),
            association=optional_number(params, "association"),
        )

    def get_object(self):
        return get_association_year_for_user(self.request.user, pk=self.kwargs["pk"], perm=self.object_perm())

    def exists(self, data) -> bool:
        return AssociationYear.objects.filter(association=data["association"], year=data["year"]).exists()

    @extend_schema(
        description=UPSERT_DESCRIPTION.format(key="association", figures="Every figure is required."),
        responses={200: AssociationYearSerializer, 201: AssociationYearSerializer, 409: CONFLICT_RESPONSE},
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        with versioned_errors({**YEAR_ERROR_FIELDS, "scope": "association", "closed": "year"}):
            serializer.instance = network.association_year_save(
                actor=self.request.user,
                association=data["association"],
                year=data["year"],
                version=data.get("version"),
                **{field: data.get(field) for field in network.ASSOCIATION_YEAR_FIELDS},
            )


class AreaYearSerializer(StrictModelSerializer):
    area_tree, area_code, area_name = area_fields()
    version = version_field(required=False, allow_null=True, help_text=UPSERT_VERSION_HELP)

    class Meta:
        model = AreaYear
        fields = ["id", "area_tree", "area_code", "area_name", "year", *network.AREA_YEAR_FIELDS, "version"]

    def validate(self, attrs):
        return resolve_unit(self, attrs, "area")


@extend_schema_view(list=extend_schema(parameters=[AREA_PARAMETER, YEAR_PARAMETER]))
class AreaYearViewSet(HistoryMixin, UpsertMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """An area's base (population, households) and study-promotion fund for a year; a figure left out or
    null is not known yet."""

    model = AreaYear
    serializer_class = AreaYearSerializer
    lookup_value_regex = r"\d+"
    manage_perm = Perm.MANAGE_REGISTRIES

    def queryset_for(self, user, params):
        return selectors.area_years_for(user, area=area_param(params), year=optional_number(params, "year"))

    def get_object(self):
        return get_area_year_for_user(self.request.user, pk=self.kwargs["pk"], perm=self.object_perm())

    def exists(self, data) -> bool:
        return AreaYear.objects.filter(area=data["area"], year=data["year"]).exists()

    @extend_schema(
        description=UPSERT_DESCRIPTION.format(key="area", figures="A figure left out or null is saved as not known."),
        responses={200: AreaYearSerializer, 201: AreaYearSerializer, 409: CONFLICT_RESPONSE},
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        with versioned_errors({**YEAR_ERROR_FIELDS, "scope": "area_code"}):
            serializer.instance = network.area_year_save(
                actor=self.request.user,
                area=data["area"],
                year=data["year"],
                version=data.get("version"),
                **{field: data.get(field) for field in network.AREA_YEAR_FIELDS},
            )
