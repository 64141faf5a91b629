from django.http import Http404

from accounts.roles import Perm
from core.access import get_visible_or_404

from .models import AreaYear, Association, AssociationYear, Citizen, Clan, Household, Organisation


def get_household_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Household:
    return get_visible_or_404(Household.objects.select_related("village"), user=user, perm=perm, code=code)


def get_clan_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Clan:
    return get_visible_or_404(Clan.objects.select_related("commune"), user=user, perm=perm, code=code)


def get_organisation_for_user(user, *, code: str, perm: str = Perm.VIEW_REGISTRIES) -> Organisation:
    return get_visible_or_404(Organisation.objects.select_related("area"), user=user, perm=perm, code=code)


def get_association_for_user(user, *, pk, perm: str = Perm.VIEW_REGISTRIES) -> Association:
    return get_visible_or_404(Association.objects.select_related("area"), user=user, perm=perm, pk=pk)


def get_association_year_for_user(user, *, pk, perm: str = Perm.VIEW_REGISTRIES) -> AssociationYear:
    """In scope when its association is."""
    row = AssociationYear.objects.select_related("association__area").filter(pk=pk).first()
    if row is None:
        raise Http404
    get_association_for_user(user, pk=row.association_id, perm=perm)
    return row


def get_area_year_for_user(user, *, pk, perm: str = Perm.VIEW_REGISTRIES) -> AreaYear:
    return get_visible_or_404(AreaYear.objects.select_related("area"), user=user, perm=perm, pk=pk)


def get_citizen_for_user(user, *, code: str, perm: str = Perm.VIEW_CITIZENS):
    """A person's record: 404 outside the scope of their village, 403 without the right to see persons."""
    return get_visible_or_404(
        Citizen.objects.select_related("village", "household", "target_group"), user=user, perm=perm, code=code
    )
