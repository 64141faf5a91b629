from core.access import get_visible_or_404

from .models import ApiToken, User
from .roles import Perm


def get_account_for_user(user, *, pk: int, perm: str = Perm.MANAGE_ACCOUNTS) -> User:
    return get_visible_or_404(User.objects.select_related("unit", "village"), user=user, perm=perm, pk=pk)


def get_token_for_user(user, *, account: User, pk: int) -> ApiToken:
    """One API token of `account` (the user's own, or one of an account they manage): 404 otherwise."""
    return get_visible_or_404(ApiToken.objects.filter(user=account), user=user, perm=None, pk=pk)
