"""Learning citizens through the API: the same scope, rules and services as the pages. Personal data
(Nghị định 13/2023/NĐ-CP): only roles that may see persons read them, and every list and record read
is logged as the pages log theirs."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Perm
from areas.models import Village
from areas.selectors import village_choices
from audit.services import history_of
from registry import selectors
from registry.access import get_citizen_for_user
from registry.citizens import (
    READS,
    citizen_create,
    citizen_update,
    clean_birth_year,
    clean_full_name,
    clean_sex,
    log_access,
)
from registry.models import Citizen, Household, TargetGroup

from .common import AuditEntrySerializer, HistoryMixin, ScopedViewSet, choice_param, service_errors
from .fields import StrictModelSerializer
from .versions import VersionedSerializer, update_schemas, versioned_errors

CITIZEN_STATUS = ["active", "left", "all"]


class CitizenSerializer(VersionedSerializer, StrictModelSerializer):
    village = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Village.objects.none(),
        error_messages={"does_not_exist": gettext_lazy("No village with this code in your area.")},
    )
    household = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Household.objects.none(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("No household has this code in your area.")},
    )
    target_group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=TargetGroup.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("No target group has this code.")},
    )
    sex = serializers.CharField(max_length=12, help_text="female/male (or Nữ/Nam).")

    class Meta:
        model = Citizen
        fields = [
            "code",
            "village",
            "household",
            "full_name",
            "birth_year",
            "sex",
            "target_group",
            "is_active",
            "updated_at",
            "version",
        ]
        read_only_fields = ["code", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["village"].queryset = village_choices(request.user)
            self.fields["household"].queryset = Household.objects.visible_to(request.user)

    def validate_full_name(self, value):
        return clean_full_name(value)

    def validate_birth_year(self, value):
        return clean_birth_year(value)

    def validate_sex(self, value):
        return clean_sex(value)


@extend_schema_view(**update_schemas(CitizenSerializer))
@extend_schema(
    parameters=[
        OpenApiParameter("village", str, description="Village code."),
        OpenApiParameter("q", str, description="Full name, with or without diacritics."),
        OpenApiParameter("target_group", str, description="Target group code."),
        OpenApiParameter("status", str, enum=CITIZEN_STATUS, description="active, left or all (when left out)."),
    ]
)
class CitizenViewSet(
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Persons registered as learning citizens that the caller may see, by village, then name."""

    model = Citizen
    serializer_class = CitizenSerializer
    lookup_field = "code"
    view_perm = Perm.VIEW_CITIZENS
    manage_perm = Perm.MANAGE_HOUSEHOLDS

    def queryset_for(self, user, params):
        status = choice_param(params.get("status") or "all", CITIZEN_STATUS, "status")
        return selectors.citizens_for(
            user,
            village=params.get("village", ""),
            query=params.get("q", ""),
            active=selectors.STATUS_ACTIVE.get(status),
            target_group=params.get("target_group", ""),
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        detail = {key: request.query_params.get(key, "") for key in ("village", "q", "status", "target_group")}
        log_access(actor=request.user, action="citizen.api_list", detail={**detail, "count": response.data["count"]})
        return response

    def retrieve(self, request, *args, **kwargs):
        citizen = self.get_object()
        log_access(actor=request.user, action="citizen.api_view", citizen=citizen, detail={"code": citizen.code})
        return Response(self.get_serializer(citizen).data)

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, **kwargs):
        """The person's changes, newest first (reads of the record are in the access log, not here)."""
        record = self.get_object()
        page = self.paginate_queryset(history_of(record).exclude(action__in=READS))
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)

    def get_object(self):
        perm = self.object_perm()
        citizen = get_citizen_for_user(self.request.user, code=self.kwargs["code"])
        if perm != Perm.VIEW_CITIZENS:
            get_citizen_for_user(self.request.user, code=self.kwargs["code"], perm=perm)
        return citizen

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors({"required": "village", "scope": "village", "household_village": "household"}):
            serializer.instance = citizen_create(
                actor=self.request.user,
                village=data["village"],
                household=data.get("household"),
                full_name=data["full_name"],
                birth_year=data["birth_year"],
                sex=data["sex"],
                target_group=data.get("target_group"),
                is_active=data.get("is_active", True),
            )

    def perform_update(self, serializer):
        citizen = serializer.instance
        data = serializer.validated_data
        with versioned_errors({"scope": "village", "household_village": "household"}):
            serializer.instance = citizen_update(
                actor=self.request.user,
                citizen=citizen,
                version=data["version"],
                village=data.get("village", citizen.village),
                household=data.get("household", citizen.household),
                full_name=data.get("full_name", citizen.full_name),
                birth_year=data.get("birth_year", citizen.birth_year),
                sex=data.get("sex", citizen.sex),
                target_group=data.get("target_group", citizen.target_group),
                is_active=data.get("is_active", citizen.is_active),
            )
