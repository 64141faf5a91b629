from django.http import Http404

from accounts.roles import Perm
from accounts.scope import require_perm

from .models import Household


def get_household_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Household:
    household = Household.objects.visible_to(user).filter(code=code).select_related("village").first()
    if household is None:
        raise Http404
    require_perm(user, perm)
    return household
