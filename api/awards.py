"""Awards through the API: nominations and award decisions read in the caller's scope, moved through
their states by the same service functions as the pages (submit, return, select, set aside; publish,
revoke), each with its history. Proposing and drafting are done on the pages."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Perm
from awards import decisions, services
from awards.models import AwardDecision, AwardDecisionStatus, Nomination, NominationState

from .common import HistoryMixin, ScopedViewSet, choice_param, service_errors


class NominationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.name", read_only=True)
    kind_is_illustration = serializers.BooleanField(source="kind.is_illustration", read_only=True)
    area = serializers.SerializerMethodField(help_text="The proposing unit, tree:code.")
    awarding_area = serializers.SerializerMethodField(help_text="The unit whose body decides, tree:code.")
    recipient_name = serializers.CharField(read_only=True, help_text="As a certificate prints it.")
    recipient_place = serializers.CharField(read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "kind",
            "kind_is_illustration",
            "area",
            "awarding_area",
            "recipient",
            "recipient_name",
            "recipient_place",
            "first_year",
            "last_year",
            "reason",
            "achievements",
            "state",
            "review_note",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields

    def get_area(self, nomination) -> str:
        return f"{nomination.area.tree}:{nomination.area.code}"

    def get_awarding_area(self, nomination) -> str:
        return f"{nomination.awarding_area.tree}:{nomination.awarding_area.code}"


class AwardDecisionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.name", read_only=True)
    issuing_area = serializers.SerializerMethodField(help_text="tree:code")
    nominations = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The recipients' nominations."
    )

    class Meta:
        model = AwardDecision
        fields = [
            "id",
            "kind",
            "issuing_area",
            "number",
            "date",
            "issuing_body",
            "signer",
            "signer_title",
            "status",
            "published_at",
            "revoked_at",
            "revoke_reason",
            "nominations",
        ]
        read_only_fields = fields

    def get_issuing_area(self, decision) -> str:
        return f"{decision.issuing_area.tree}:{decision.issuing_area.code}"


class AwardNoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, help_text="Required to return or set aside.")


class AwardRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why the decision is revoked: required.")


RELATED = ("kind", "area", "awarding_area", "association__area", "village", "organisation__area", "clan__commune")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("state", str, enum=NominationState.values, description="The nomination's state.")]
    )
)
class NominationViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Nominations for awards made or decided by units in the caller's area."""

    model = Nomination
    serializer_class = NominationSerializer
    lookup_value_regex = r"\d+"
    manage_perm = Perm.NOMINATE_AWARDS
    write_actions = ("submit",)
    manage_refused = gettext_lazy("Your role cannot propose for awards.")

    def queryset_for(self, user, params):
        found = Nomination.objects.visible_to(user).select_related(*RELATED, "household__village", "person_village")
        if params.get("state"):
            found = found.filter(state=choice_param(params["state"], NominationState, "state"))
        return found.order_by("-created_at", "-id")

    def get_object(self):
        perm = Perm.VIEW_REGISTRIES if self.action not in ("return_", "select", "reject") else Perm.DECIDE_AWARDS
        return services.get_nomination_for_user(self.request.user, pk=self.kwargs["pk"], perm=perm)

    def _move(self, change, **kwargs):
        nomination = self.get_object()
        with service_errors({"state": "state"}):
            moved = change(nomination=nomination, actor=self.request.user, **kwargs)
        return Response(NominationSerializer(services.get_nomination_for_user(self.request.user, pk=moved.pk)).data)

    @extend_schema(request=None, responses=NominationSerializer, description="Draft or returned → submitted.")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._move(services.nomination_submit)

    @extend_schema(request=AwardNoteSerializer, responses=NominationSerializer, description="Submitted → returned.")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._move(services.nomination_return, note=request.data.get("note", ""))

    @extend_schema(request=AwardNoteSerializer, responses=NominationSerializer, description="Submitted → selected.")
    @action(detail=True, methods=["post"])
    def select(self, request, pk=None):
        return self._move(services.nomination_select, note=request.data.get("note", ""))

    @extend_schema(request=AwardNoteSerializer, responses=NominationSerializer, description="→ not selected.")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._move(services.nomination_reject, note=request.data.get("note", ""))


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AwardDecisionStatus.values, description="Draft, published or revoked.")
        ]
    )
)
class AwardDecisionViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Award decisions of units in the caller's area, or awarding a nomination the caller sees."""

    model = AwardDecision
    serializer_class = AwardDecisionSerializer
    lookup_value_regex = r"\d+"
    manage_perm = Perm.DECIDE_AWARDS
    write_actions = ("publish", "revoke")
    manage_refused = gettext_lazy("Your role cannot publish or revoke award decisions.")

    def queryset_for(self, user, params):
        found = AwardDecision.objects.visible_to(user).select_related("kind", "issuing_area")
        if params.get("status"):
            found = found.filter(status=choice_param(params["status"], AwardDecisionStatus, "status"))
        return found.prefetch_related("nominations").order_by("-date", "-id")

    def get_object(self):
        return decisions.get_award_decision_for_user(self.request.user, pk=self.kwargs["pk"], perm=self.object_perm())

    def _answer(self, decision):
        return Response(
            AwardDecisionSerializer(decisions.get_award_decision_for_user(self.request.user, pk=decision.pk)).data
        )

    @extend_schema(request=None, responses=AwardDecisionSerializer, description="Draft → published.")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        decision = self.get_object()
        with service_errors({"state": "status"}):
            decision = decisions.award_decision_publish(actor=request.user, decision=decision)
        return self._answer(decision)

    @extend_schema(request=AwardRevokeSerializer, responses=AwardDecisionSerializer, description="Published → revoked.")
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        decision = self.get_object()
        with service_errors({"state": "status"}):
            decision = decisions.award_decision_revoke(
                actor=request.user, decision=decision, reason=str(request.data.get("reason", ""))
            )
        return self._answer(decision)
