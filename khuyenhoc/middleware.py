from django.conf import settings
from django.utils import translation
from django.utils.translation import check_for_language


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
