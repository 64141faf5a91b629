"""No lost update through the API: every editable record shows its `version`, a change must send the
version it read back, and a change that landed first answers 409 Conflict with the message in the
caller's language (see `core.versions`)."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from core.versions import STALE_MESSAGE, is_stale

from .common import service_errors
from .fields import version_field

VERSION_HELP = "The record's version: send back the one you read when changing it; refused with 409 if it moved."
CONFLICT_RESPONSE = OpenApiResponse(
    description="Someone else changed the record first: read it again (the version moved)."
)


class StaleConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = STALE_MESSAGE
    default_code = "stale"


class VersionedSerializer(serializers.Serializer):
    """Adds `version`: read with the record, required when changing it (ignored when creating)."""

    version = version_field(required=False, help_text=VERSION_HELP)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if self.instance is not None and "version" not in values:  # a PATCH too: partial skips "required"
            raise serializers.ValidationError({"version": [self.fields["version"].error_messages["required"]]})
        return values


@contextmanager
def versioned_errors(field_of_code: dict):
    """A stale version as 409; the service's other refusals as 400 placed by their code."""
    try:
        yield
    except DjangoValidationError as error:
        if is_stale(error):
            raise StaleConflict(error.messages[0]) from error
        with service_errors(field_of_code):
            raise


def update_schemas(serializer) -> dict:
    """For `extend_schema_view`: the update routes answer the record, or 409 when its version moved."""
    schema = extend_schema(responses={200: serializer, 409: CONFLICT_RESPONSE})
    return {"update": schema, "partial_update": schema}
