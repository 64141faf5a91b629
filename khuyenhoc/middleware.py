import logging
import sys

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import got_request_exception
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext

from api.middleware import API_PREFIX

logger = logging.getLogger(__name__)


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose another language in the header.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers in Vietnam run English-language browsers: the system must still open in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        response.headers.setdefault("Vary", "Cookie")
        return response


class SecurityHeadersMiddleware:
    """Two headers on every answer.

    - `Content-Security-Policy` (settings.KHUYENHOC_CONTENT_SECURITY_POLICY): a page loads scripts, styles,
      images, fonts and data only from the site itself, runs no inline script and cannot be framed, so
      a name that slipped past escaping still could not run or send anything anywhere.
    - `Cache-Control: private, no-store` on every answer to a logged-in user or an API client (pages,
      API, downloads): households' personal data is not kept by a shared office computer's browser or
      by a proxy between the commune and the province. Anonymous answers keep their own caching.
    Static files are answered by WhiteNoise before this runs, and keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {sources}" for directive, sources in settings.KHUYENHOC_CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        if _personal(request):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _personal(request) -> bool:
    """Whether the answer may hold what only this caller may see: a logged-in user (the API's token
    users included: DRF records them on the request), a session, or credentials sent with it."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers


# A database that is busy rather than broken: SQLite's single write lock not granted within the
# timeout ("database is locked", or "… table/schema is locked"), PostgreSQL's lock not available or a
# deadlock (SQLSTATE 55P03, 40P01). Waiting a moment and trying again succeeds.
BUSY_SQLSTATES = {"55P03", "40P01"}
RETRY_AFTER_SECONDS = 5


def database_busy(error) -> bool:
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "is locked" in str(error)


class DatabaseBusyMiddleware:
    """A save that could not get the database in time answers 503 “the system is busy, try again in a
    moment” — a page with a way back, or JSON for the API, in the user's language — never a 500.

    Writes inside views (every service) reach `process_exception`. A busy database met by another
    middleware (the session saved after the view) is turned into a 500 answer by Django before this
    middleware sees it; the `got_request_exception` signal marks such a request, and `__call__` (placed
    outside the session middleware) answers it as busy instead. The transaction that met the lock rolled
    back: nothing of it was written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_khuyenhoc_database_busy", False) and response.status_code >= 500:
            return busy_response(request)
        return response

    def process_exception(self, request, exception):
        if database_busy(exception):
            logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
            return busy_response(request)
        return None


def _note_busy(sender, request=None, **kwargs):
    if request is not None and database_busy(sys.exc_info()[1]):
        request._khuyenhoc_database_busy = True


got_request_exception.connect(_note_busy, dispatch_uid="khuyenhoc.database_busy")


def busy_response(request) -> HttpResponse:
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        message = gettext("The system is busy, please try again in a moment.")
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = _busy_page(request, message)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _busy_page(request, message: str) -> HttpResponse:
    referer = request.headers.get("Referer", "")
    back = referer if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}) else "/"
    try:
        return render(request, "503.html", {"message": message, "back": back}, status=503)
    except Exception:  # the page itself needed the busy database (its menu): say it in plain text
        logger.exception("The busy page could not be drawn; answered in plain text.")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")


class NulInQueryMiddleware:
    """A NUL character in an address's parameters is refused with 400 naming the parameter (the
    Vietnamese error page, or the API's error body keyed by the parameter as its other checks are): no
    search or filter has a use for it, and PostgreSQL cannot take it in a query, so it would otherwise
    end as a 500 on one database and not on the other."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" not in request.META.get("QUERY_STRING", "") and not any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return self.get_response(request)
        held = (key for key, values in request.GET.lists() if any("\x00" in value for value in values))
        name = next((key for key in held if "\x00" not in key), None)
        if name is None:
            message = gettext("The address holds a NUL character, which no search or filter can take.")
        else:
            message = gettext("“{name}” holds a NUL character, which no search or filter can take.").format(name=name)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({name or "detail": [message] if name else message}, status=400)
        raise BadRequest(message)
