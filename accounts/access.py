from django.http import Http404

from .models import User
from .roles import Perm
from .scope import require_perm


def get_account_for_user(user, *, pk: int, perm: str = Perm.MANAGE_ACCOUNTS) -> User:
    account = User.objects.visible_to(user).filter(pk=pk).select_related("unit", "village").first()
    if account is None:
        raise Http404
    require_perm(user, perm)
    return account
