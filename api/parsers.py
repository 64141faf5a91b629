"""The body of a request read as JSON, refused in the caller's language when it is not JSON (Django REST
framework's own message carries the decoder's English words)."""

import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            data = json.loads(stream.read().decode(encoding), parse_constant=_refuse_constant)
        except UnicodeDecodeError as error:
            raise ParseError(_("The body is not text in UTF-8.")) from error
        except ValueError as error:
            where = getattr(error, "lineno", None)
            if where is None:
                raise ParseError(_("The body is not valid JSON.")) from error
            message = _("The body is not valid JSON (line %(line)d, column %(column)d).")
            raise ParseError(message % {"line": error.lineno, "column": error.colno}) from error
        if _holds_nul(data):
            # No field has a use for it, and PostgreSQL cannot take it in a query or a text column.
            raise ParseError(_("The body holds a NUL character (\\u0000), which no field accepts."))
        return data


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON: Python's decoder would accept them."""
    raise ValueError(name)
