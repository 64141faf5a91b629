"""POST /api/v1/auth/token/: a new API token for a user name and password, its key shown once.

The password is checked through Django's `authenticate` with the request, so django-axes counts wrong
passwords here as on the login page and refuses a locked account or address (429, with when to try
again: `accounts.lockout`). A temporary password gets no token: it must be changed on the website first.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.lockout import forget_failures
from accounts.tokens import NAME_MAX_LENGTH, token_issue


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, help_text="What the token is for."
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key, shown only in this answer: send it as `Token <key>`.")
    prefix = serializers.CharField(help_text="The key's first characters, as the token pages list it.")
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    idle_days = serializers.IntegerField(help_text="The token expires after this many days unused.")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class LockedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    locked_until = serializers.DateTimeField()
    retry_after = serializers.IntegerField(help_text="Seconds (also in the Retry-After header).")


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={
            201: IssuedTokenSerializer,
            400: OpenApiResponse(description="A field is missing, or the user name or password is wrong."),
            403: OpenApiResponse(
                DetailSerializer, description="The account is inactive or its password is a temporary one."
            ),
            429: OpenApiResponse(
                LockedSerializer, description="Too many wrong passwords for this account or from this address."
            ),
        },
        auth=[],
        description="Issues a new API token for the account (any earlier tokens stay valid until they expire "
        "or are revoked). Wrong passwords lock the account and the address for a while, as on the login page.",
    )
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # The Django request: axes marks it when the caller is locked, and its middleware answers then.
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            raise ValidationError({"non_field_errors": [_("The user name or password is wrong.")]})
        forget_failures(user.get_username())
        try:
            token, key = token_issue(actor=user, account=user, name=data.get("name", ""))
        except DjangoValidationError as error:
            raise PermissionDenied(error.messages[0]) from error
        answer = {
            "token": key,
            "prefix": token.prefix,
            "name": token.name,
            "created_at": token.created_at,
            "idle_days": settings.KHUYENHOC_TOKEN_IDLE_DAYS,
        }
        return Response(IssuedTokenSerializer(answer).data, status=status.HTTP_201_CREATED)
