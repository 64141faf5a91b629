from accounts.roles import Perm
from accounts.scope import get_visible_or_404

from .models import Clan, Household, Organisation


def get_household_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Household:
    return get_visible_or_404(Household.objects.select_related("village"), user=user, perm=perm, code=code)


def get_clan_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Clan:
    return get_visible_or_404(Clan.objects.select_related("commune"), user=user, perm=perm, code=code)


def get_organisation_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Organisation:
    return get_visible_or_404(Organisation.objects.select_related("area"), user=user, perm=perm, code=code)
