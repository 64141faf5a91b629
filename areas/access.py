"""`get_<thing>_for_user` helpers: 404 when the thing is outside the user's scope, 403 when
the user sees it but their role lacks the permission. Every view and API route uses these."""

from core.access import get_visible_or_404

from .models import AdministrativeUnit, AreaClassMembership, Village
from .permissions import AreaPerm


def get_unit_for_user(user, *, tree: str, code: str, perm: str = AreaPerm.VIEW) -> AdministrativeUnit:
    units = AdministrativeUnit.objects.select_related("parent")
    return get_visible_or_404(units, user=user, perm=perm, tree=tree, code=code)


def get_village_for_user(user, *, code: str, perm: str = AreaPerm.VIEW) -> Village:
    return get_visible_or_404(Village.objects.all(), user=user, perm=perm, code=code)


def get_area_class_membership_for_user(user, *, pk: int, perm: str = AreaPerm.MANAGE_AREA_CLASSES):
    memberships = AreaClassMembership.objects.select_related("unit")
    return get_visible_or_404(memberships, user=user, perm=perm, pk=pk)
