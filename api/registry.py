"""Households, clans and units through the API: the same scope and the same service functions as the pages."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from accounts.roles import Perm
from areas.models import Tree, Village
from core.access import require_perm
from core.text import fold, nfc
from registry import services
from registry.access import get_clan_for_user, get_household_for_user, get_organisation_for_user
from registry.models import Clan, Household, Organisation, UnitKind
from registry.validation import clean_head_name, clean_member_households, clean_members, clean_name, clean_optional_name

from .common import (
    HistoryMixin,
    ManagedWritesMixin,
    choice_param,
    resolve_unit,
    service_errors,
    unit_code_filter,
    yes_no_param,
)


class HouseholdSerializer(serializers.ModelSerializer):
    village = serializers.SlugRelatedField(slug_field="code", queryset=Village.objects.none())

    class Meta:
        model = Household
        fields = ["code", "village", "head_name", "members", "is_active", "updated_at"]
        read_only_fields = ["code", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["village"].queryset = Village.objects.visible_to(request.user)

    def validate_head_name(self, value):
        return clean_head_name(value)

    def validate_members(self, value):
        return clean_members(value)


@extend_schema(
    parameters=[
        OpenApiParameter("village", str, description="Village code."),
        OpenApiParameter("q", str, description="Head of household, with or without diacritics."),
    ]
)
class HouseholdViewSet(
    HistoryMixin,
    ManagedWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HouseholdSerializer
    lookup_field = "code"
    manage_perm = Perm.MANAGE_HOUSEHOLDS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Household.objects.none()
        require_perm(self.request.user, Perm.VIEW_REGISTRIES)
        households = Household.objects.visible_to(self.request.user).select_related("village")
        params = self.request.query_params
        if params.get("village"):
            households = households.filter(village__code=params["village"])
        if params.get("q"):
            households = households.filter(search_name__contains=fold(params["q"]))
        return households.order_by("code")

    def get_object(self):
        perm = self.object_perm(Perm.VIEW_REGISTRIES)
        return get_household_for_user(self.request.user, code=self.kwargs["code"], perm=perm)

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors({}):
            serializer.instance = services.household_create(
                actor=self.request.user, village=data["village"], head_name=data["head_name"], members=data["members"]
            )

    def perform_update(self, serializer):
        household = serializer.instance
        data = serializer.validated_data
        with service_errors({}):
            serializer.instance = services.household_update(
                actor=self.request.user,
                household=household,
                village=data.get("village", household.village),
                head_name=data.get("head_name", household.head_name),
                members=data.get("members", household.members),
                is_active=data.get("is_active", household.is_active),
            )


class ClanSerializer(serializers.ModelSerializer):
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
        ]
        read_only_fields = ["code", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["villages"].child_relation.queryset = Village.objects.visible_to(request.user)

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
    )
)
class ClanViewSet(
    HistoryMixin,
    ManagedWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Clans the caller may see. Changes go through the same service as the pages; the code is issued by it."""

    serializer_class = ClanSerializer
    lookup_field = "code"
    manage_perm = Perm.MANAGE_REGISTRIES

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clan.objects.none()
        require_perm(self.request.user, Perm.VIEW_REGISTRIES)
        clans = Clan.objects.visible_to(self.request.user).select_related("commune").prefetch_related("villages")
        params = self.request.query_params
        if params.get("q"):
            clans = clans.filter(search_name__contains=fold(nfc(params["q"])))
        if params.get("commune"):
            clans = clans.filter(**unit_code_filter("commune", params["commune"]))
        if params.get("has_board"):
            clans = clans.filter(has_board=yes_no_param(params["has_board"], "has_board"))
        return clans.order_by("code")

    def get_object(self):
        perm = self.object_perm(Perm.VIEW_REGISTRIES)
        return get_clan_for_user(self.request.user, code=self.kwargs["code"], perm=perm)

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
        with service_errors(CLAN_ERROR_FIELDS):
            serializer.instance = services.clan_save(
                actor=self.request.user,
                clan=clan,
                commune=data.get("commune", clan.commune),
                name=data.get("name", clan.name),
                head_name=data.get("head_name", clan.head_name),
                member_households=data.get("member_households", clan.member_households),
                has_board=data.get("has_board", clan.has_board),
                villages=data.get("villages", clan.villages.all()),
            )


class OrganisationSerializer(serializers.ModelSerializer):
    area_tree = serializers.ChoiceField(source="area.tree", choices=Tree.choices)
    area_code = serializers.CharField(
        source="area.code", max_length=5, help_text="A unit of the level that manages it."
    )

    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "managing_level", "area_tree", "area_code", "updated_at"]
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
    )
)
class OrganisationViewSet(
    HistoryMixin,
    ManagedWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Units (agencies, schools, enterprises, armed-forces units) the caller may see; changes go through
    the same service as the pages, which issues the code."""

    serializer_class = OrganisationSerializer
    lookup_field = "code"
    manage_perm = Perm.MANAGE_REGISTRIES

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        require_perm(self.request.user, Perm.VIEW_REGISTRIES)
        organisations = Organisation.objects.visible_to(self.request.user).select_related("area")
        params = self.request.query_params
        if params.get("q"):
            organisations = organisations.filter(search_name__contains=fold(nfc(params["q"])))
        if params.get("kind"):
            organisations = organisations.filter(kind=choice_param(params["kind"], UnitKind, "kind"))
        if params.get("area"):
            organisations = organisations.filter(**unit_code_filter("area", params["area"]))
        return organisations.order_by("code")

    def get_object(self):
        perm = self.object_perm(Perm.VIEW_REGISTRIES)
        return get_organisation_for_user(self.request.user, code=self.kwargs["code"], perm=perm)

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
        with service_errors(ORGANISATION_ERROR_FIELDS):
            serializer.instance = services.organisation_save(
                actor=self.request.user,
                organisation=organisation,
                name=data.get("name", organisation.name),
                kind=data.get("kind", organisation.kind),
                managing_level=data.get("managing_level", organisation.managing_level),
                area=data.get("area", organisation.area),
            )
