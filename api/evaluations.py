"""Evaluations through the API: the same scope and the same service functions as the pages. Every
transition names the `version` the caller saw; a change that landed first answers 409 Conflict, and the
caller reloads."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.roles import Perm
from core.access import get_visible_or_404, has_perm
from criteria.models import CriteriaSet, Title
from evaluations import selectors, services
from evaluations.models import SUBJECT_FIELD, Evaluation, EvaluationState, Mark

from .common import (
    HistoryMixin,
    ScopedViewSet,
    choice_param,
    param_errors,
    service_errors,
    year_param,
)
from .fields import StrictModelSerializer, StrictPrimaryKeyRelatedField, YearField, version_field
from .versions import CONFLICT_RESPONSE, versioned_errors

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


def subject_key(evaluation: Evaluation) -> str:
    subject = evaluation.subject
    return f"{subject.tree}:{subject.code}" if evaluation.title == Title.COMMUNE else subject.code


class MarkSerializer(StrictModelSerializer):
    code = serializers.CharField(source="node.code", read_only=True)

    class Meta:
        model = Mark
        fields = ["code", "points", "passed", "note", "adjusted_points", "adjusted_passed", "adjust_reason"]


class EvaluationSerializer(StrictModelSerializer):
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
    year = YearField()
    subject = serializers.CharField(help_text=SUBJECT_HELP)
    criteria_set = StrictPrimaryKeyRelatedField(
        queryset=CriteriaSet.objects.all(),
        required=False,
        allow_null=True,
        help_text="The set to use; left out, the newest completed set covering the year.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Another province's sets are not named to the caller, not even as refused choices.
            self.fields["criteria_set"].queryset = CriteriaSet.objects.visible_to(request.user)

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
    version = version_field(help_text="The version you read: refused with 409 if it moved.")


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
        responses={200: EvaluationDetailSerializer, 409: CONFLICT_RESPONSE},
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
        with versioned_errors(TRANSITION_ERROR_FIELDS):
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
