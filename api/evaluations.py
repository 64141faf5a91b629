"""Evaluations and recognition decisions through the API: the same scope and the same service
functions as the pages. Every transition names the `version` the caller saw; a change that landed
first answers 409 Conflict, and the caller reloads."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.response import Response

from accounts.roles import Perm
from areas.models import Tree
from core.access import get_visible_or_404, has_perm
from criteria.models import CriteriaSet, Title
from evaluations import decisions, selectors, services
from evaluations.models import SUBJECT_FIELD, DecisionStatus, Evaluation, EvaluationState, Mark, RecognitionDecision

from .common import (
    HistoryMixin,
    ScopedViewSet,
    area_param,
    choice_param,
    param_errors,
    resolve_unit,
    service_errors,
    year_param,
)

SUBJECT_HELP = (
    "The evaluated record: a household, clan, village or unit by its code; a commune written tree:code "
    "(e.g. 2025:01843)."
)
AREA_PARAMETER = OpenApiParameter(
    "area",
    str,
    description="This unit and every unit below it, written tree:code (e.g. 2025:01843); the code alone "
    "is read on the tree of the year asked for.",
)
CONFLICT = OpenApiResponse(description="Someone else changed the evaluation first: reload it (the version moved).")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Someone else changed this record while you were working on it: reload it.")
    default_code = "stale"


@contextmanager
def transition_errors(field_of_code: dict):
    """A stale version as 409; the service's other refusals as 400 placed by their code."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict") and any(item.code == "stale" for item in error.error_list):
            raise Conflict(error.messages[0]) from error
        with service_errors(field_of_code):
            raise


def subject_key(evaluation: Evaluation) -> str:
    subject = evaluation.subject
    return f"{subject.tree}:{subject.code}" if evaluation.title == Title.COMMUNE else subject.code


class MarkSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="node.code", read_only=True)

    class Meta:
        model = Mark
        fields = ["code", "points", "passed", "note", "adjusted_points", "adjusted_passed", "adjust_reason"]


class EvaluationSerializer(serializers.ModelSerializer):
    criteria_set_name = serializers.CharField(source="criteria_set.name", read_only=True)
    is_illustration = serializers.BooleanField(
        source="criteria_set.is_illustration",
        read_only=True,
        help_text="The set holds values invented for the demo (minh hoạ): so does the result.",
    )
    area_tree = serializers.CharField(source="area.tree", read_only=True)
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    subject = serializers.SerializerMethodField(help_text=SUBJECT_HELP)
    subject_name = serializers.SerializerMethodField()
    approved_by = serializers.CharField(source="approved_by.username", default=None, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "title",
            "year",
            "criteria_set",
            "criteria_set_name",
            "is_illustration",
            "area_tree",
            "area_code",
            "area_name",
            "subject",
            "subject_name",
            "state",
            "total",
            "result",
            "version",
            "registered_at",
            "submitted_at",
            "approved_at",
            "approved_by",
            "changes_since_approval",
        ]
        read_only_fields = fields

    def get_subject(self, evaluation) -> str:
        return subject_key(evaluation)

    def get_subject_name(self, evaluation) -> str:
        return str(evaluation.subject)


class EvaluationDetailSerializer(EvaluationSerializer):
    marks = MarkSerializer(many=True, read_only=True)

    class Meta(EvaluationSerializer.Meta):
        fields = [*EvaluationSerializer.Meta.fields, "marks"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    title = serializers.ChoiceField(choices=Title.choices)
    year = serializers.IntegerField()
    subject = serializers.CharField(help_text=SUBJECT_HELP)
    criteria_set = serializers.PrimaryKeyRelatedField(
        queryset=CriteriaSet.objects.all(),
        required=False,
        allow_null=True,
        help_text="The set to use; left out, the newest completed set covering the year.",
    )

    def validate_title(self, value):
        if value not in SUBJECT_FIELD:
            raise serializers.ValidationError(_("This title cannot be evaluated yet."))
        return value

    def validate(self, attrs):
        user = self.context["request"].user
        subject = selectors.find_subject(user, attrs["title"], attrs["year"], attrs["subject"].strip())
        if subject is None:
            raise serializers.ValidationError({"subject": [_("Nothing with this code in your area.")]})
        attrs["subject"] = subject
        return attrs


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read: refused with 409 if it moved.")


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why: required.")


class MarksSerializer(VersionSerializer):
    marks = serializers.DictField(
        child=serializers.JSONField(), help_text="By leaf code: points, true/false for pass or fail, or null to clear."
    )
    notes = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="A note per leaf code."
    )


class AdjustSerializer(ReasonSerializer):
    marks = serializers.DictField(child=serializers.JSONField(), help_text="The approver's marks by leaf code.")


# Where the transitions' refusals land; the others (wrong state, closed year…) are on the whole record.
TRANSITION_ERROR_FIELDS = {None: "marks", "reason": "reason"}
REGISTER_ERROR_FIELDS = {
    "duplicate": "subject",
    "no_commune": "subject",
    "not_commune": "subject",
    "wrong_tree": "year",
    "title": "criteria_set",
    "default": "criteria_set",
    "year": "criteria_set",
    "incomplete": "criteria_set",
    "no_set": "criteria_set",
}

# Each route of one evaluation: its body, its service, and the permission it needs once the evaluation
# is found in the caller's area (the service then checks the approving level, the state and the year).
TRANSITIONS = {
    "marks": (MarksSerializer, services.evaluation_marks_save),
    "submit": (VersionSerializer, services.evaluation_submit),
    "return_": (ReasonSerializer, services.evaluation_return),
    "adjust": (AdjustSerializer, services.evaluation_adjust),
    "approve": (VersionSerializer, services.evaluation_approve),
    "unlock": (ReasonSerializer, services.evaluation_unlock),
}
ACTION_PERMS = {
    "marks": Perm.EVALUATE,
    "submit": Perm.EVALUATE,
    "return_": Perm.APPROVE,
    "adjust": Perm.APPROVE,
    "approve": Perm.APPROVE,
    "unlock": Perm.APPROVE,
}


def transition_schema(body, description: str):
    return extend_schema(
        request=body,
        description=description,
        responses={200: EvaluationDetailSerializer, 409: CONFLICT},
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            AREA_PARAMETER,
            OpenApiParameter("year", int, description="Year evaluated."),
            OpenApiParameter("title", str, enum=list(SUBJECT_FIELD), description="Title."),
            OpenApiParameter("state", str, enum=EvaluationState.values, description="Where it is in the workflow."),
            OpenApiParameter("q", str, description="The subject's name, with or without diacritics."),
        ]
    ),
    create=extend_schema(request=RegisterSerializer, responses={201: EvaluationDetailSerializer}),
)
class EvaluationViewSet(
    HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """Evaluations the caller may see, in the order of the evaluations page. POST registers one; its
    routes move it through the workflow: marks → submit → (return | adjust) → approve → unlock, each
    allowed to the right role and area."""

    model = Evaluation
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action == "list":
            return EvaluationSerializer
        if self.action == "create":
            return RegisterSerializer
        return EvaluationDetailSerializer

    def queryset_for(self, user, params):
        year = year_param(params["year"]) if params.get("year") else None
        area = None
        if params.get("area"):
            with param_errors("area"):
                area = selectors.evaluation_area(params["area"], year=year)
        return selectors.evaluations_for(
            user,
            area=area,
            year=year,
            title=choice_param(params["title"], Title, "title") if params.get("title") else "",
            state=choice_param(params["state"], EvaluationState, "state") if params.get("state") else "",
            query=params.get("q", ""),
        )

    def object_perm(self) -> str:
        return ACTION_PERMS.get(self.action, self.view_perm)

    def get_object(self):
        return get_visible_or_404(
            self._with_marks(), user=self.request.user, perm=self.object_perm(), pk=self.kwargs["pk"]
        )

    def _with_marks(self):
        marks = Mark.objects.select_related("node").order_by("node__position", "node_id")
        records = Evaluation.objects.select_related("criteria_set", "area", "approved_by", *SUBJECT_FIELD.values())
        return records.prefetch_related(Prefetch("marks", queryset=marks))

    def _answer(self, evaluation):
        return Response(EvaluationDetailSerializer(self._with_marks().get(pk=evaluation.pk)).data)

    def create(self, request, *args, **kwargs):
        if not has_perm(request.user, Perm.EVALUATE):
            raise PermissionDenied(_("Your role cannot register evaluations."))
        serializer = RegisterSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors(REGISTER_ERROR_FIELDS):
            evaluation = services.evaluation_register(
                actor=request.user,
                title=data["title"],
                year=data["year"],
                subject=data["subject"],
                criteria_set=data.get("criteria_set"),
            )
        return Response(EvaluationDetailSerializer(self._with_marks().get(pk=evaluation.pk)).data, status=201)

    def _transition(self, request):
        """Run the action's service with the body's fields (version, marks, notes, reason)."""
        body, change = TRANSITIONS[self.action]
        evaluation = self.get_object()
        serializer = body(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transition_errors(TRANSITION_ERROR_FIELDS):
            change(actor=request.user, evaluation=evaluation, **serializer.validated_data)
        return self._answer(evaluation)

    @transition_schema(
        MarksSerializer, "Save self-assessment marks (and notes) while registered, in progress or returned."
    )
    @action(detail=True, methods=["post"])
    def marks(self, request, pk=None):
        return self._transition(request)

    @transition_schema(VersionSerializer, "Submit a complete self-assessment to the approver.")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request)

    @transition_schema(ReasonSerializer, "The approver returns a submitted evaluation for revision, with the reason.")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._transition(request)

    @transition_schema(AdjustSerializer, "The approver's own marks where they differ, with the reason.")
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        return self._transition(request)

    @transition_schema(VersionSerializer, "The approver approves a submitted evaluation: it is then locked.")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request)

    @transition_schema(ReasonSerializer, "The approving level reopens an approved evaluation, with the reason.")
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        return self._transition(request)


class DecisionSerializer(serializers.ModelSerializer):
    issuing_area_tree = serializers.ChoiceField(source="issuing_area.tree", choices=Tree.choices)
    issuing_area_code = serializers.CharField(source="issuing_area.code", max_length=5)
    issuing_area_name = serializers.CharField(source="issuing_area.name", read_only=True)
    evaluations = serializers.PrimaryKeyRelatedField(
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
