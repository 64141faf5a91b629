"""How a refusal raised inside the API becomes its answer: Django REST framework's handler, except that a
record not found says so in the caller's language (Django's `get_object_or_404` names the model in
English: “No CriteriaSet matches the given query.”)."""

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = NotFound()
    return exception_handler(exc, context)
