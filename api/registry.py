"""Households, clans and units through the API: the same scope and the same service functions as the pages."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from accounts.roles import Perm
from areas.models import Tree, Village
from areas.selectors import village_choices
from registry import merging, selectors, services
from registry.access import get_clan_for_user, get_household_for_user, get_organisation_for_user
from registry.models import Clan, Household, Organisation, UnitKind
from registry.validation import clean_head_name, clean_member_households, clean_members, clean_name, clean_optional_name

from .common import HistoryMixin, ScopedViewSet, choice_param, param_errors, resolve_unit, service_errors, yes_no_param
from .fields import StrictModelSerializer
from .merging import MergeMixin
from .versions import VersionedSerializer, update_schemas, versioned_errors

HOUSEHOLD_STATUS = ["active", "left", "all"]


class HouseholdSerializer(VersionedSerializer, StrictModelSerializer):
    village = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Village.objects.none(),
        error_messages={"does_not_exist": gettext_lazy("No village with this code in your area.")},
    )

    class Meta:
        model = Household
        fields = ["code", "village", "head_name", "members", "is_active", "updated_at", "version"]
        read_only_fields = ["code", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["village"].queryset = village_choices(request.user)

    def validate_head_name(self, value):
        return clean_head_name(value)

    def validate_members(self, value):
        return clean_members(value)


@extend_schema_view(**update_schemas(HouseholdSerializer))
@extend_schema(
    parameters=[
        OpenApiParameter("village", str, description="Village code."),
        OpenApiParameter("q", str, description="Head of household, with or without diacritics."),
        OpenApiParameter(
            "status",
            str,
            enum=HOUSEHOLD_STATUS,
            description="Still living there (active), gone (left), or both (all, when left out).",
        ),
    ]
)
class HouseholdViewSet(
    MergeMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Households the caller may see, as the households page lists them: by village, then name."""

    model = Household
    serializer_class = HouseholdSerializer
    lookup_field = "code"
    manage_perm = Perm.MANAGE_HOUSEHOLDS
    write_actions = ("create", "update", "partial_update", "merge")
    fetch = staticmethod(get_household_for_user)
    merge_service = staticmethod(merging.household_merge)

    def queryset_for(self, user, params):
        status = choice_param(params.get("status") or "all", HOUSEHOLD_STATUS, "status")
        return selectors.households_for(
            user,
            village=params.get("village", ""),
            query=params.get("q", ""),
            active=selectors.STATUS_ACTIVE.get(status),
        )

    def get_object(self):
        return get_household_for_user(self.request.user, code=self.kwargs["code"], perm=self.object_perm())

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors({}):
            serializer.instance = services.household_create(
                actor=self.request.user, village=data["village"], head_name=data["head_name"], members=data["members"]
            )

    def perform_update(self, serializer):
        household = serializer.instance
        data = serializer.validated_data
        with versioned_errors({}):
            serializer.instance = services.household_update(
                actor=self.request.user,
                household=household,
                version=data["version"],
                village=data.get("village", household.village),
                head_name=data.get("head_name", household.head_name),
                members=data.get("members", household.members),
                is_active=data.get("is_active", household.is_active),
            )


class ClanSerializer(VersionedSerializer, StrictModelSerializer):
    commune_tree = serializers.ChoiceField(source="commune.tree", choices=Tree.choices)
    commune_code = serializers.CharField(source="commune.code", max_length=5)
    villages = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Village.objects.none(),
        error_messages={"does_not_exist": gettext_lazy("No village with this code in your area.")},
        help_text="Codes of the villages the clan spans, in your area.",
    )

    class Meta:
        model = Clan
        fields = [
            "code",
            "name",
            "commune_tree",
            "commune_code",
            "villages",
            "head_name",
            "member_households",
            "has_board",
            "updated_at",
            "version",
        ]
        read_only_fields = ["code", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["villages"].child_relation.queryset = village_choices(request.user)

    # The same validators as the pages, the services and the imports.
    def validate_name(self, value):
        return clean_name(value)

    def validate_head_name(self, value):
        return clean_optional_name(value)

    def validate_member_households(self, value):
        return clean_member_households(value)

    def validate(self, attrs):
        return resolve_unit(self, attrs, "commune")


# Where the clan service's own checks land: the rules the serializer cannot check alone.
CLAN_ERROR_FIELDS = {"not_commune": "commune_code", "scope": "villages"}


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name, with or without diacritics."),
            OpenApiParameter("commune", str, description="Registered at this commune: its code, or tree:code."),
            OpenApiParameter("has_board", bool, description="Has a study-promotion board."),
        ]
    ),
    **update_schemas(ClanSerializer),
)
class ClanViewSet(
    MergeMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Clans the caller may see, by name. Changes go through the same service as the pages; the code is
    issued by it."""

    model = Clan
    serializer_class = ClanSerializer
    lookup_field = "code"
    manage_perm = Perm.MANAGE_REGISTRIES
    write_actions = ("create", "update", "partial_update", "merge")
    fetch = staticmethod(get_clan_for_user)
    merge_service = staticmethod(merging.clan_merge)

    def queryset_for(self, user, params):
        has_board = yes_no_param(params["has_board"], "has_board") if params.get("has_board") else None
        with param_errors("commune"):
            return selectors.clans_for(
                user, query=params.get("q", ""), commune=params.get("commune", ""), has_board=has_board
            )

    def get_object(self):
        return get_clan_for_user(self.request.user, code=self.kwargs["code"], perm=self.object_perm())

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors(CLAN_ERROR_FIELDS):
            serializer.instance = services.clan_save(
                actor=self.request.user,
                clan=None,
                commune=data["commune"],
                name=data["name"],
                head_name=data.get("head_name", ""),
                member_households=data["member_households"],
                has_board=data.get("has_board", False),
                villages=data.get("villages", []),
            )

    def perform_update(self, serializer):
        clan = serializer.instance
        data = serializer.validated_data
        with versioned_errors(CLAN_ERROR_FIELDS):
            serializer.instance = services.clan_save(
                actor=self.request.user,
                clan=clan,
                version=data["version"],
                commune=data.get("commune", clan.commune),
                name=data.get("name", clan.name),
                head_name=data.get("head_name", clan.head_name),
                member_households=data.get("member_households", clan.member_households),
                has_board=data.get("has_board", clan.has_board),
                villages=data.get("villages", clan.villages.all()),
            )


class OrganisationSerializer(VersionedSerializer, StrictModelSerializer):
    area_tree = serializers.ChoiceField(source="area.tree", choices=Tree.choices)
    area_code = serializers.CharField(
        source="area.code", max_length=5, help_text="A unit of the level that manages it."
    )

    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "managing_level", "area_tree", "area_code", "updated_at", "version"]
        read_only_fields = ["code", "updated_at"]

    def validate_name(self, value):
        return clean_name(value, max_length=200)

    def validate(self, attrs):
        return resolve_unit(self, attrs, "area")


ORGANISATION_ERROR_FIELDS = {"level": "area_code", "scope": "area_code"}


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name, with or without diacritics."),
            OpenApiParameter("kind", str, enum=UnitKind.values, description="Kind of unit."),
            OpenApiParameter("area", str, description="Exactly this area: its code, or tree:code."),
        ]
    ),
    **update_schemas(OrganisationSerializer),
)
class OrganisationViewSet(
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Units (agencies, schools, enterprises, armed-forces units) the caller may see, by name; changes go
    through the same service as the pages, which issues the code."""

    model = Organisation
    serializer_class = OrganisationSerializer
    lookup_field = "code"
    manage_perm = Perm.MANAGE_REGISTRIES

    def queryset_for(self, user, params):
        kind = choice_param(params["kind"], UnitKind, "kind") if params.get("kind") else ""
        with param_errors("area"):
            return selectors.organisations_for(user, query=params.get("q", ""), kind=kind, area=params.get("area", ""))

    def get_object(self):
        return get_organisation_for_user(self.request.user, code=self.kwargs["code"], perm=self.object_perm())

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors(ORGANISATION_ERROR_FIELDS):
            serializer.instance = services.organisation_save(
                actor=self.request.user,
                organisation=None,
                name=data["name"],
                kind=data["kind"],
                managing_level=data["managing_level"],
                area=data["area"],
            )

    def perform_update(self, serializer):
        organisation = serializer.instance
        data = serializer.validated_data
        with versioned_errors(ORGANISATION_ERROR_FIELDS):
            serializer.instance = services.organisation_save(
                actor=self.request.user,
                organisation=organisation,
                version=data["version"],
                name=data.get("name", organisation.name),
                kind=data.get("kind", organisation.kind),
                managing_level=data.get("managing_level", organisation.managing_level),
                area=data.get("area", organisation.area),
            )
