from django.http import Http404

from accounts.roles import Perm
from accounts.scope import require_perm

from .models import Clan, Household, Organisation


def get_household_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Household:
    household = Household.objects.visible_to(user).filter(code=code).select_related("village").first()
    if household is None:
        raise Http404
    require_perm(user, perm)
    return household


def get_clan_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Clan:
    clan = Clan.objects.visible_to(user).filter(code=code).select_related("commune").first()
    if clan is None:
        raise Http404
    require_perm(user, perm)
    return clan


def get_organisation_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Organisation:
    organisation = Organisation.objects.visible_to(user).filter(code=code).select_related("area").first()
    if organisation is None:
        raise Http404
    require_perm(user, perm)
    return organisation
