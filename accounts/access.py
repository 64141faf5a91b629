from core.access import get_visible_or_404

from .models import User
from .roles import Perm


def get_account_for_user(user, *, pk: int, perm: str = Perm.MANAGE_ACCOUNTS) -> User:
    return get_visible_or_404(User.objects.select_related("unit", "village"), user=user, perm=perm, pk=pk)
