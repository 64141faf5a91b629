"""API tokens: issued with the key shown once, checked on every API call, listed and revoked by their owner or
by a manager of the account, and all revoked when the account's password changes or is reset.

Only a token's SHA-256 is stored (the key is 256 random bits, so a fast hash is enough) with its first
characters, to tell tokens apart on the pages. A token expires after `KHUYENHOC_TOKEN_IDLE_DAYS` days
unused; its last use is written at most once a minute. Every issue and revoke writes an audit entry on the
account, so the account's history shows them.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.text import nfc

from .models import ApiToken, User

KEY_START = "kh_"
PREFIX_LENGTH = len(KEY_START) + 8
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length
# A token's last use is written when it is older than this: one write a minute at most, not one per call.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenRefused(Exception):
    """The key names no usable token; `message` says why, in the user's language."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def idle_period() -> timedelta:
    return timedelta(days=settings.KHUYENHOC_TOKEN_IDLE_DAYS)


def expires_at(token: ApiToken):
    """When the token expires if it is not used before then."""
    return (token.last_used_at or token.created_at) + idle_period()


def is_expired(token: ApiToken, now=None) -> bool:
    return (now or timezone.now()) >= expires_at(token)


def _entry(token: ApiToken) -> dict:
    return {"token": token.prefix, "name": token.name}


def check_can_hold_tokens(account: User) -> None:
    if not account.is_active:
        raise ValidationError(_("This account is no longer active."), code="inactive")
    if account.must_change_password:
        raise ValidationError(
            _("You are using a temporary password: choose your own password on the website before using the API."),
            code="must_change_password",
        )


@transaction.atomic
def token_issue(*, actor, account: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `account`; returns it with its key, which is never stored and never shown again."""
    check_can_hold_tokens(account)
    name = nfc(name or "").strip()
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("A token's name has at most %(count)d characters.") % {"count": NAME_MAX_LENGTH}, code="name"
        )
    key = KEY_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=account, name=name, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))
    audit_record(actor=actor, action="account.token_issue", obj=account, after=_entry(token))
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, reason: str = "") -> bool:
    """Revoke one token; False when it already was (nothing is written again)."""
    now = timezone.now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor)
    if not revoked:
        return False
    token.revoked_at, token.revoked_by = now, actor
    audit_record(actor=actor, action="account.token_revoke", obj=token.user, before=_entry(token), reason=reason)
    return True


@transaction.atomic
def tokens_revoke_all(*, actor, account: User, reason: str = "") -> int:
    """Revoke every token of `account` still in force (a password changed or reset); how many were."""
    tokens = list(ApiToken.objects.active().filter(user=account).select_for_update())
    for token in tokens:
        token.user = account
        token_revoke(actor=actor, token=token, reason=reason)
    return len(tokens)


def token_user(key: str) -> tuple[User, ApiToken]:
    """The account a key authenticates, or TokenRefused saying why not. Notes the token's use."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key or "")).first()
    if token is None:
        raise TokenRefused(_("This API token does not exist."))
    if token.revoked_at is not None:
        raise TokenRefused(_("This API token was revoked. Ask for a new one."))
    now = timezone.now()
    if is_expired(token, now):
        raise TokenRefused(
            _("This API token expired after %(days)d days unused. Ask for a new one.")
            % {"days": settings.KHUYENHOC_TOKEN_IDLE_DAYS}
        )
    try:
        check_can_hold_tokens(token.user)
    except ValidationError as error:
        raise TokenRefused(error.messages[0], code=error.code) from error
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
