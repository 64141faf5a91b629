"""The accounts' list as the accounts page reads it: the manager's scope, the search, the order."""

from django.db.models import Q

from core.text import nfc

from .models import User


def accounts_for(user, *, query: str = ""):
    """Accounts the user manages, whose user name or full name holds `query`; by user name."""
    accounts = User.objects.visible_to(user).select_related("unit", "village")
    query = nfc(query)
    if query:
        accounts = accounts.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return accounts.order_by("username")
