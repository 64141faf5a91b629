"""Merging duplicate households or clans through the API: `POST …/{code}/merge/` keeps the record of
the route and merges the ones named into it, through the same service as the page."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .versions import CONFLICT_RESPONSE, versioned_errors


class MergeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version read of the record kept (the one of the route)."
    )
    duplicates = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        help_text="The codes of the records merged into it, each with the version read.",
    )
    reason = serializers.CharField(help_text="Why they are one and the same.")


class MergeMixin:
    """The `merge` route of a viewset whose records are merged by `merge_service` and fetched for the
    caller by `fetch(user, code=, perm=)` (both static methods); "merge" is one of its write actions."""

    @extend_schema(
        request=MergeSerializer,
        responses={409: CONFLICT_RESPONSE},
        description=(
            "Merge the records named in `duplicates` (same village for households, same commune for clans) "
            "into this one: their evaluations and the records referring to them move here, each is kept marked "
            "as merged. Refused (400, nothing changed) when two evaluations of one year would meet."
        ),
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, **kwargs):
        survivor = self.get_object()
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        duplicates = [self.fetch(request.user, code=code, perm=self.manage_perm) for code in data["duplicates"]]
        versions = {survivor.pk: data["version"]}
        versions.update({d.pk: data["duplicates"][d.code] for d in duplicates})
        with versioned_errors({"reason": "reason", "choice": "duplicates", "place": "duplicates"}):
            survivor = self.merge_service(
                survivor=survivor, duplicates=duplicates, actor=request.user, reason=data["reason"], versions=versions
            )
        return Response(self.get_serializer(survivor).data)
