"""The answer to a request that could not be read: the 400 page, with our own message when a view
said what was wrong (a BadRequest raised with a Vietnamese message), drawn without the request as
Django's own handler does (the request may be what is broken)."""

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.template import loader


def bad_request(request, exception):
    message = " ".join(str(arg) for arg in exception.args) if type(exception) is BadRequest else ""
    return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))
