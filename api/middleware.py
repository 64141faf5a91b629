"""The API answers in its caller's language and always as the API: never with a page of the website.

- Language: the website opens in Vietnamese whatever the browser says (khuyenhoc.middleware), but an
  API client states its language in `Accept-Language`; a supported language named there is used for
  the answer's messages (a language cookie still wins; nothing said: Vietnamese).
- Errors outside Django REST framework — a URL that matches no route (404), an error of the server
  (500), a refusal of a middleware — come as Django's HTML pages; under the API they are replaced by
  the API's error body (`{"detail": …}`) in the caller's language, with the same status code."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.response import Response

API_PREFIX = "/api/"


def _message(status: int) -> str:
    messages = {
        400: _("The request could not be read."),
        403: _("You may not do this."),
        404: _("There is nothing at this address of the API."),
        405: _("This address does not answer this method."),
        413: _("The request is too large."),
    }
    if status >= 500:
        return _("The server could not answer this request; nothing was saved. Try again later.")
    return messages.get(status, _("The request was refused."))


def requested_language(request) -> str | None:
    """The first language of `Accept-Language` that the site speaks (None when none is named)."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return None
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            return None
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class ApiLanguageAndErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        language = requested_language(request)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language"])
        if response.status_code >= 400 and not isinstance(response, Response) and not _is_json(response):
            response = self._as_api_error(response)
        return response

    def _as_api_error(self, page):
        answer = JsonResponse({"detail": _message(page.status_code)}, status=page.status_code)
        for header in ("Allow", "Retry-After", "Vary"):
            if header in page.headers:
                answer.headers[header] = page.headers[header]
        return answer


def _is_json(response) -> bool:
    return response.headers.get("Content-Type", "").startswith("application/json")
