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
