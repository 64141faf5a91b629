"""The API's schema documents its refusals too: every operation lists the error answers it can give
(400, 401, 403, 404, 409 where a version is checked, 415 where a body is read) with their body, so that
a client — and the schema fuzzer of the suite — can rely on the schema for every answer, not only the
successful ones."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"

ERROR_SCHEMA = {
    "type": "object",
    "description": "A refusal, said in the caller's language (Vietnamese unless the request asks for English).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
MESSAGES = {"type": "array", "items": {"type": "string"}}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "What is wrong, in the caller's language: by field (or query parameter) its messages, "
    "`non_field_errors` for the record as a whole, `detail` when the body could not be read at all. "
    "A field holding several values (a list or a map) has its messages by position or by key.",
    "properties": {"detail": {"type": "string"}, "non_field_errors": MESSAGES},
    "additionalProperties": {
        "oneOf": [MESSAGES, {"type": "object", "additionalProperties": {"oneOf": [MESSAGES, {"type": "object"}]}}]
    },
}

DESCRIPTIONS = {
    "400": "A query parameter or a field of the body is refused; each one names what is wrong.",
    "401": "No credentials, or an unknown, expired or revoked token.",
    "403": "The caller's role may not do this here (or the account must first change its temporary password).",
    "404": "Nothing with this key in the caller's area (records outside it are not told apart from none).",
    "409": "Someone else changed the record first: read it again (the version moved).",
    "415": "The body is not sent as JSON (or another media type this operation reads).",
}


def may_be_null(field) -> bool:
    """Whether a read-only field can answer null: it says so (`default=None`), or it reads through a
    relation or a column that may be empty (`parent.code` of a unit without a parent)."""
    if field.default is None:
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    for attribute in getattr(field, "source_attrs", None) or []:  # unbound (a list's child) or "*": []
        if model is None:
            return False
        try:
            column = model._meta.get_field(attribute)
        except FieldDoesNotExist:
            return False
        if column.null:
            return True
        model = column.related_model
    return False


class ApiAutoSchema(AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if isinstance(field, serializers.Field) and field.read_only and may_be_null(field):
            meta["nullable"] = True
        return meta

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            # A filter left empty (`?year=`, as a page's form sends it) is a filter not given.
            schema = parameter.get("schema", {})
            if parameter.get("in") == "query" and (schema.get("type") in ("integer", "boolean") or "enum" in schema):
                parameter["allowEmptyValue"] = True
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        return codes

    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        media_types = self.map_renderers("media_type")
        for code in [*self._error_codes(), *(code for code in responses if code.startswith("4"))]:
            response = responses.setdefault(code, {"description": DESCRIPTIONS.get(code, "")})
            if not response.get("description"):
                response["description"] = DESCRIPTIONS.get(code, "")
            if not response.get("content"):
                schema = (
                    self._component(FIELD_ERRORS, FIELD_ERRORS_SCHEMA)
                    if code == "400"
                    else self._component(ERROR, ERROR_SCHEMA)
                )
                response["content"] = {media_type: {"schema": schema} for media_type in media_types}
        return responses
