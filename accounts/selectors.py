"""The accounts' list as the accounts page reads it: the manager's scope, the search, the order."""

from django.db.models import Q
from django.utils import timezone

from core.text import nfc

from .models import User
from .tokens import expires_at


def accounts_for(user, *, query: str = ""):
    """Accounts the user manages, whose user name or full name holds `query`; by user name."""
    accounts = User.objects.visible_to(user).select_related("unit", "village")
    query = nfc(query)
    if query:
        accounts = accounts.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return accounts.order_by("username")


def tokens_of(account):
    """The account's API tokens, newest first, each with `expires_at` and `state` ("active", "expired",
    "revoked") for the pages."""
    now = timezone.now()
    tokens = list(account.api_tokens.select_related("revoked_by").order_by("-created_at", "-pk"))
    for token in tokens:
        token.expires_at = expires_at(token)
        token.state = "revoked" if token.revoked_at else ("expired" if now >= token.expires_at else "active")
    return tokens
