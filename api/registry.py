"""Households through the API: the same scope and the same service functions as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from accounts.roles import Perm
from accounts.scope import has_perm, require_perm
from areas.models import Village
from audit.models import AuditEntry
from audit.services import history_of
from khuyenhoc.text import fold
from registry import services
from registry.access import get_clan_for_user, get_household_for_user, get_organisation_for_user
from registry.models import Clan, Household, Organisation
from registry.validation import clean_head_name, clean_members


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["created_at", "actor", "action", "before", "after", "reason"]


class HistoryMixin:
    """GET …/{code}/history/: every change of the record, newest first (the record's scope applies)."""

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, code=None):
        record = self.get_object()
        page = self.paginate_queryset(history_of(record))
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)


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
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HouseholdSerializer
    lookup_field = "code"

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
        return get_household_for_user(self.request.user, code=self.kwargs["code"])

    def _require_manage(self):
        if not has_perm(self.request.user, Perm.MANAGE_HOUSEHOLDS):
            raise PermissionDenied(_("Your role cannot change households."))

    def perform_create(self, serializer):
        self._require_manage()
        data = serializer.validated_data
        serializer.instance = services.household_create(
            actor=self.request.user, village=data["village"], head_name=data["head_name"], members=data["members"]
        )

    def perform_update(self, serializer):
        self._require_manage()
        household = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.household_update(
            actor=self.request.user,
            household=household,
            village=data.get("village", household.village),
            head_name=data.get("head_name", household.head_name),
            members=data.get("members", household.members),
            is_active=data.get("is_active", household.is_active),
        )


class ClanSerializer(serializers.ModelSerializer):
    commune_tree = serializers.CharField(source="commune.tree", read_only=True)
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    villages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Clan
        fields = ["code", "name", "commune_tree", "commune_code", "villages", "head_name", "member_households",
                  "has_board", "updated_at"]  # fmt: skip


class OrganisationSerializer(serializers.ModelSerializer):
    area_tree = serializers.CharField(source="area.tree", read_only=True)
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "managing_level", "area_tree", "area_code", "updated_at"]


@extend_schema(parameters=[OpenApiParameter("q", str, description="Name, with or without diacritics.")])
class ClanViewSet(HistoryMixin, viewsets.ReadOnlyModelViewSet):
    """Clans the caller may see (changes go through the pages for now, by the same services)."""

    serializer_class = ClanSerializer
    lookup_field = "code"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clan.objects.none()
        require_perm(self.request.user, Perm.VIEW_REGISTRIES)
        clans = Clan.objects.visible_to(self.request.user).select_related("commune").prefetch_related("villages")
        if self.request.query_params.get("q"):
            clans = clans.filter(search_name__contains=fold(self.request.query_params["q"]))
        return clans.order_by("code")

    def get_object(self):
        return get_clan_for_user(self.request.user, code=self.kwargs["code"])


@extend_schema(
    parameters=[OpenApiParameter("kind", str, description="agency, school, enterprise, armed_forces, other")]
)
class OrganisationViewSet(HistoryMixin, viewsets.ReadOnlyModelViewSet):
    """Units (agencies, schools, enterprises, armed-forces units) the caller may see."""

    serializer_class = OrganisationSerializer
    lookup_field = "code"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        require_perm(self.request.user, Perm.VIEW_REGISTRIES)
        organisations = Organisation.objects.visible_to(self.request.user).select_related("area")
        if self.request.query_params.get("kind"):
            organisations = organisations.filter(kind=self.request.query_params["kind"])
        return organisations.order_by("code")

    def get_object(self):
        return get_organisation_for_user(self.request.user, code=self.kwargs["code"])
