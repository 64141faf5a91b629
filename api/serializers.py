from rest_framework import serializers

from areas.models import AdministrativeUnit, VillagePlacement

from .fields import StrictModelSerializer


class UnitSerializer(StrictModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = AdministrativeUnit
        fields = [
            "tree",
            "code",
            "level",
            "kind",
            "name",
            "short_name",
            "parent_code",
            "valid_from",
            "valid_to",
            "latitude",
            "longitude",
            "area_km2",
        ]


class SuccessionSerializer(serializers.Serializer):
    tree = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    is_default = serializers.BooleanField()
    share = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class UnitDetailSerializer(UnitSerializer):
    successors = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = UnitSerializer.Meta.fields + ["successors", "predecessors"]

    def _rows(self, successions, side):
        return SuccessionSerializer(
            [
                {
                    "tree": getattr(s, side).tree,
                    "code": getattr(s, side).code,
                    "name": getattr(s, side).name,
                    "kind": s.kind,
                    "is_default": s.is_default,
                    "share": s.share,
                }
                for s in successions
            ],
            many=True,
        ).data

    def get_successors(self, unit) -> list[dict]:
        return self._rows(unit.successions.select_related("successor"), "successor")

    def get_predecessors(self, unit) -> list[dict]:
        return self._rows(unit.predecessions.select_related("predecessor"), "predecessor")


class PlacementSerializer(StrictModelSerializer):
    commune_tree = serializers.CharField(source="commune.tree")
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")

    class Meta:
        model = VillagePlacement
        fields = ["commune_tree", "commune_code", "commune_name", "from_year", "to_year"]
