"""Documents through the API: ask for one (it is made in the background), follow its status, download
its file. The same scope, checks and service as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.roles import Perm
from areas.models import Tree
from documents import selectors, services
from documents.access import get_document_for_user
from documents.kinds import KINDS, decision_kinds, kind_of
from documents.models import Document
from evaluations.decisions import get_decision_for_user
from stats.access import visible_area

from .common import ScopedViewSet, area_param, choice_param


class DocumentSerializer(serializers.ModelSerializer):
    area = serializers.SerializerMethodField(help_text="tree:code, or null for the whole country.")
    area_name = serializers.CharField(source="area.name", default=None, read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", default=None, read_only=True)
    download = serializers.SerializerMethodField(help_text="Where the file is, once the document is ready.")
    # Plain text in the schema: an enum named "status" would collide with the decisions' own.
    status = serializers.CharField(
        read_only=True, help_text="queued (waiting for the worker), running, done (the file is ready) or failed."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "area",
            "area_name",
            "tree",
            "first_year",
            "last_year",
            "decision",
            "status",
            "progress",
            "message",
            "file_name",
            "file_size",
            "requested_by",
            "created_at",
            "data_as_of",
            "finished_at",
            "template_version",
            "download",
        ]
        read_only_fields = fields

    def get_area(self, document) -> str | None:
        return f"{document.area.tree}:{document.area.code}" if document.area else None

    def get_download(self, document) -> str | None:
        request = self.context.get("request")
        if not document.file or request is None:
            return None
        return request.build_absolute_uri(f"/api/v1/documents/{document.pk}/download/")


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    area = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="tree:code (e.g. pre2025:06); empty: the whole country.",
    )
    years = serializers.CharField(
        required=False, max_length=20, help_text="One year (2018) or a span of years (2016-2018)."
    )
    decision = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="For the kinds made from one recognition decision (annex, certificates): its id.",
    )
    tree = serializers.ChoiceField(
        choices=Tree.choices, required=False, help_text="For the whole country: the tree to add up."
    )


def _field_of(error: DjangoValidationError, default: str) -> str:
    """The request's field a service's refusal is about: the kind, or else `default`. A refusal made of
    several messages has no single code."""
    return "kind" if getattr(error, "code", None) == "kind" else default


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=list(KINDS), description="Only this kind of document."),
            OpenApiParameter("area", str, description="Only documents of this area, written tree:code."),
        ]
    ),
    create=extend_schema(
        request=DocumentRequestSerializer,
        responses={202: DocumentSerializer},
        description="Asks for a document; it is made in the background: follow its status, then download it.",
    ),
)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Documents of the areas the caller sees: statistical workbooks and review reports, each with what it
    was made from (area, years, the moment of the data, the template)."""

    model = Document
    serializer_class = DocumentSerializer
    lookup_value_regex = r"\d+"
    view_perm = Perm.VIEW_STATISTICS
    manage_perm = Perm.VIEW_STATISTICS
    manage_refused = gettext_lazy("Your role cannot ask for documents.")

    def queryset_for(self, user, params):
        kind = choice_param(params["kind"], list(KINDS), "kind") if params.get("kind") else ""
        return selectors.documents_for(user, kind=kind, area=area_param(params))

    def get_object(self):
        return get_document_for_user(self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        given = DocumentRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if data["kind"] in decision_kinds():
            return self._create_for_decision(request, data)
        # Outside the caller's scope an area answers 404, as everywhere.
        area = visible_area(request.user, data["area"]) if data.get("area") else None
        try:
            period = services.parse_period(data.get("years", ""))
            document = services.document_request(
                actor=request.user, kind=data["kind"], area=area, period=period, tree=data.get("tree")
            )
        except DjangoValidationError as error:
            raise ValidationError({_field_of(error, "years"): error.messages}) from error
        document.refresh_from_db()
        return Response(self.get_serializer(document).data, status=status.HTTP_202_ACCEPTED)

    def _create_for_decision(self, request, data):
        if not data.get("decision"):
            message = _("This kind of document is made from a decision: name the decision.")
            raise ValidationError({"decision": [message]})
        # Outside the caller's scope a decision answers 404, as everywhere.
        decision = get_decision_for_user(request.user, pk=data["decision"])
        try:
            document = services.document_request_for_decision(actor=request.user, kind=data["kind"], decision=decision)
        except DjangoValidationError as error:
            raise ValidationError({_field_of(error, "decision"): error.messages}) from error
        document.refresh_from_db()
        return Response(self.get_serializer(document).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        if not document.file:
            raise Http404
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.file_name,
            content_type=kind_of(document.kind).content_type,
        )
