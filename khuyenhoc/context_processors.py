from accounts.roles import Perm
from core.access import has_perm


def permissions(request):
    """The role table's answers for the menu, so templates never test role names."""
    user = getattr(request, "user", None)
    return {"can": {perm.name.lower(): has_perm(user, perm) for perm in Perm}}
