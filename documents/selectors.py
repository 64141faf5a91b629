"""The documents a user sees, and the areas they may ask a document for: the page and the API read
the same."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Level, Tree
from areas.selectors import area_key

from .access import personal_data_hidden
from .models import Document


def documents_for(user, *, kind: str = "", area=None):
    found = Document.objects.visible_to(user).exclude(personal_data_hidden(user)).select_related("area", "requested_by")
    if kind:
        found = found.filter(kind=kind)
    if area is not None:
        found = found.filter(area=area)
    return found


def area_choices(user) -> list[tuple[str, str]]:
    """The areas offered when asking for a document: the user's own unit and the provinces and
    districts they see (their communes are reached by code), the whole country for those who see
    everything. Until the area picker lands, a plain list."""
    units = AdministrativeUnit.objects.visible_to(user)
    wanted = Q(level__lte=Level.DISTRICT)
    if user.unit_id:
        wanted |= Q(pk=user.unit_id)
    if getattr(user, "village_id", None):
        wanted |= Q(level=Level.COMMUNE)  # the commune of their village, on either tree
    choices = [(area_key(unit), unit_label(unit)) for unit in units.filter(wanted).order_by("-tree", "path")]
    if scope_for(user).everything:
        choices.insert(0, ("", _("Whole country")))
    return choices


def unit_label(unit) -> str:
    if unit.tree == Tree.PRE_2025:
        return _("%(name)s (before 2025)") % {"name": unit.name}
    return _("%(name)s (from 2025)") % {"name": unit.name}
