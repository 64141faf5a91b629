"""Recognition decisions through the API: the same scope and the same service functions as the pages.
A village officer sees, in a decision, only their village's subjects beside the decision's total."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Perm
from areas.models import Tree
from criteria.models import Title
from evaluations import decisions, selectors
from evaluations.models import SUBJECT_FIELD, DecisionStatus, Evaluation, RecognitionDecision

from .common import HistoryMixin, ScopedViewSet, area_param, choice_param, resolve_unit, service_errors, year_param
from .evaluations import EvaluationSerializer
from .fields import StrictModelSerializer, StrictPrimaryKeyRelatedField


class DecisionSerializer(StrictModelSerializer):
    issuing_area_tree = serializers.ChoiceField(source="issuing_area.tree", choices=Tree.choices)
    issuing_area_code = serializers.CharField(source="issuing_area.code", max_length=5)
    issuing_area_name = serializers.CharField(source="issuing_area.name", read_only=True)
    evaluations = StrictPrimaryKeyRelatedField(
        many=True,
        queryset=Evaluation.objects.none(),
        help_text="Ids of approved evaluations of the title and year under the issuing unit, with a recognised result "
        "(when read: those the caller sees; a village officer sees their village's subjects only).",
    )
    recognised_total = serializers.IntegerField(
        read_only=True, help_text="How many evaluations the decision lists, including those the caller does not see."
    )

    class Meta:
        model = RecognitionDecision
        fields = [
            "id",
            "title",
            "year",
            "number",
            "date",
            "issuing_area_tree",
            "issuing_area_code",
            "issuing_area_name",
            "issuing_body",
            "signer",
            "legal_basis",
            "status",
            "published_at",
            "revoked_at",
            "revoke_reason",
            "evaluations",
            "recognised_total",
        ]
        read_only_fields = ["status", "published_at", "revoked_at", "revoke_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["evaluations"].child_relation.queryset = Evaluation.objects.visible_to(request.user)

    def validate(self, attrs):
        return resolve_unit(self, attrs, "issuing_area")


class DecisionDetailSerializer(DecisionSerializer):
    recognised = EvaluationSerializer(
        source="evaluations",
        many=True,
        read_only=True,
        help_text="The recognised evaluations the caller sees (a village officer: their village's subjects).",
    )

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "recognised"]


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why the decision is revoked: required.")


DECISION_FIELDS = ["title", "year", "issuing_area", "number", "date", "issuing_body", "signer", "legal_basis"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="Issued by this unit or a unit below it, written tree:code."),
            OpenApiParameter("year", int, description="Year evaluated."),
            OpenApiParameter("title", str, enum=list(SUBJECT_FIELD), description="Title."),
            OpenApiParameter("status", str, enum=DecisionStatus.values, description="Draft, published or revoked."),
        ]
    ),
    create=extend_schema(
        description="Drafts a decision; it counts only once published.", responses={201: DecisionDetailSerializer}
    ),
    update=extend_schema(description="Changes a draft.", responses={200: DecisionDetailSerializer}),
    partial_update=extend_schema(description="Changes a draft.", responses={200: DecisionDetailSerializer}),
)
class DecisionViewSet(
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Recognition decisions issued by units in the caller's area. A draft is published (its
    recognitions then count) or changed; a published one may be revoked with a reason. None is
    ever deleted."""

    model = RecognitionDecision
    lookup_value_regex = r"\d+"
    manage_perm = Perm.MANAGE_DECISIONS
    write_actions = ("create", "update", "partial_update", "publish", "revoke")
    manage_refused = gettext_lazy("Your role cannot draft, publish or revoke decisions.")

    def get_serializer_class(self):
        return DecisionSerializer if self.action == "list" else DecisionDetailSerializer

    def queryset_for(self, user, params):
        found = selectors.decisions_for(
            user,
            area=area_param(params),
            year=year_param(params["year"]) if params.get("year") else None,
            title=choice_param(params["title"], Title, "title") if params.get("title") else "",
            status=choice_param(params["status"], DecisionStatus, "status") if params.get("status") else "",
        )
        return selectors.with_recognised(found, user)

    def get_object(self):
        return decisions.get_decision_for_user(self.request.user, pk=self.kwargs["pk"], perm=self.object_perm())

    def retrieve(self, request, *args, **kwargs):
        # Read through the scoped list: the annex as far as the caller sees it, and the total.
        return self._answer(self.get_object())

    def readable_history(self, entries):
        return selectors.narrow_decision_entries(self.request.user, entries)

    def _answer(self, decision, code=status.HTTP_200_OK):
        user = self.request.user
        found = selectors.with_recognised(selectors.decisions_for(user), user).get(pk=decision.pk)
        return Response(DecisionDetailSerializer(found).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors({}):
            decision = decisions.decision_create(
                actor=request.user,
                evaluations=data["evaluations"],
                **{name: data.get(name, "") for name in DECISION_FIELDS},
            )
        return self._answer(decision, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        decision = self.get_object()
        serializer = self.get_serializer(decision, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = {name: getattr(decision, name) for name in DECISION_FIELDS}
        with service_errors({}):
            decisions.decision_update(
                actor=request.user,
                decision=decision,
                evaluations=data.get("evaluations", decision.evaluations.all()),
                **{name: data.get(name, current[name]) for name in DECISION_FIELDS},
            )
        return self._answer(decision)

    @extend_schema(
        request=None,
        responses={200: DecisionDetailSerializer},
        description="Publishes a draft: its recognitions count from now on.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        decision = self.get_object()
        with service_errors({}):
            decisions.decision_publish(actor=request.user, decision=decision)
        return self._answer(decision)

    @extend_schema(
        request=RevokeSerializer,
        responses={200: DecisionDetailSerializer},
        description="Revokes a published decision with the reason; it is kept, and stops counting.",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        decision = self.get_object()
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors({}):
            decisions.decision_revoke(actor=request.user, decision=decision, reason=serializer.validated_data["reason"])
        return self._answer(decision)
