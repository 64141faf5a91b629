"""How the API knows its caller: an API token of `accounts.tokens` (header `Authorization: Token <key>`),
or the session of the website. Both refuse an account that must first change its temporary password, as
its pages do (403); an unknown, expired or revoked token, or an inactive account's, is refused (401) with the
reason, in the caller's language."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from accounts.tokens import TokenRefused, check_can_hold_tokens, token_user

KEYWORD = "Token"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as: Authorization: Token <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed(_("This API token does not exist.")) from error
        try:
            return token_user(key)
        except TokenRefused as refused:
            if refused.code == "must_change_password":  # a known caller, who may not use the API yet
                raise PermissionDenied(refused.message) from refused
            raise AuthenticationFailed(refused.message) from refused

    def authenticate_header(self, request):
        return KEYWORD


class ApiSessionAuthentication(SessionAuthentication):
    """The website's session (with its CSRF check), refused while the password is a temporary one."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            try:
                check_can_hold_tokens(result[0])
            except ValidationError as error:
                raise PermissionDenied(error.messages[0]) from error
        return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token <key>`, the key issued once by POST /api/v1/auth/token/ (or the account's token page). "
                "A token expires after a number of days unused (30 unless configured) and is revoked by its "
                "owner, by a manager of the account, and by every password change or reset. An account with a "
                "temporary password cannot use the API."
            ),
        }


class ApiSessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
