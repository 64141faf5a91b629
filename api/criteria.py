"""Criteria sets through the API, read-only: the national sets and the own sets of the caller's
province (another province's are not found), as on the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers

from criteria.models import CriteriaSet, Node, RatingBand, Title
from criteria.selectors import criteria_sets_for
from criteria.services import criteria_set_missing, result_codes

from .common import ScopedViewSet, choice_param, year_param


class NodeSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent.code", default=None, read_only=True, help_text="Code of the standard or criterion it belongs to."
    )

    class Meta:
        model = Node
        fields = ["code", "parent", "position", "kind", "name", "scoring", "max_points", "min_points", "level"]


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingBand
        fields = ["code", "label", "min_total", "position"]


class ResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class CriteriaSetSerializer(serializers.ModelSerializer):
    based_on = serializers.PrimaryKeyRelatedField(read_only=True)
    nodes = NodeSerializer(many=True, read_only=True)
    bands = BandSerializer(many=True, read_only=True)
    results = serializers.SerializerMethodField(help_text="Every result the rule can give, best first.")
    missing = serializers.SerializerMethodField(help_text="What must be entered before the set can be used.")
    recognised_results = serializers.ListField(child=serializers.CharField(), read_only=True)
    province = serializers.CharField(
        source="area.name",
        default=None,
        allow_null=True,
        read_only=True,
        help_text="The province whose own set it is, used there instead of the national sets; null: a national set.",
    )

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "title",
            "name",
            "legal_number",
            "legal_date",
            "issuer",
            "valid_from",
            "valid_to",
            "rule",
            "pass_total",
            "validity_years",
            "years_at_level_1",
            "recognised_results",
            "count_each_valid_year",
            "is_default",
            "is_illustration",
            "based_on",
            "province",
            "version",
            "note",
            "nodes",
            "bands",
            "results",
            "missing",
        ]

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, criteria_set) -> list[dict]:
        return ResultSerializer(
            [{"code": c, "label": label} for c, label in result_codes(criteria_set)], many=True
        ).data

    def get_missing(self, criteria_set) -> list[str]:
        return [str(message) for message in criteria_set_missing(criteria_set)]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("title", str, enum=Title.values, description="The title the set evaluates."),
            OpenApiParameter("year", int, description="Sets valid in this year."),
        ]
    )
)
class CriteriaSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Criteria sets with their tree of criteria, rating bands and what they still lack. A shipped
    default is never used as it is; an illustration set holds values invented for the demo."""

    model = CriteriaSet
    view_perm = None  # published rules: every signed-in user reads the national ones and their province's
    serializer_class = CriteriaSetSerializer
    lookup_value_regex = r"\d+"

    def queryset_for(self, user, params):
        title = choice_param(params["title"], Title, "title") if params.get("title") else ""
        year = year_param(params["year"]) if params.get("year") else None
        return criteria_sets_for(user, title=title, year=year)
