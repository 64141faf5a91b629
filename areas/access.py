"""`get_<thing>_for_user` helpers: 404 when the thing is outside the user's scope, 403 when
the user sees it but their role lacks the permission. Every view and API route uses these."""

from django.http import Http404

from accounts.roles import Perm
from accounts.scope import require_perm

from .models import AdministrativeUnit, AreaClassMembership, Village


def get_unit_for_user(user, *, tree: str, code: str, perm: str = Perm.VIEW_AREAS) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.visible_to(user).filter(tree=tree, code=code).select_related("parent").first()
    if unit is None:
        raise Http404
    require_perm(user, perm)
    return unit


def get_village_for_user(user, *, code: str, perm: str = Perm.VIEW_AREAS) -> Village:
    village = Village.objects.visible_to(user).filter(code=code).first()
    if village is None:
        raise Http404
    require_perm(user, perm)
    return village


def get_area_class_membership_for_user(user, *, pk: int, perm: str = Perm.MANAGE_AREA_CLASSES):
    membership = AreaClassMembership.objects.visible_to(user).filter(pk=pk).select_related("unit").first()
    if membership is None:
        raise Http404
    require_perm(user, perm)
    return membership
