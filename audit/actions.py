"""Names people read for the actions the services record."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "village.create": _("Village created"),
    "village.update": _("Village edited"),
    "village.move": _("Village moved to another commune"),
    "account.create": _("Account created"),
    "account.update": _("Account changed"),
    "account.reset_password": _("Password reset by an officer"),
    "account.change_password": _("Password changed by its user"),
    "household.create": _("Household added"),
    "household.update": _("Household edited"),
    "clan.create": _("Clan added"),
    "clan.update": _("Clan edited"),
    "organisation.create": _("Unit added"),
    "organisation.update": _("Unit edited"),
    "import.commit": _("Import saved"),
    "association.create": _("Association added"),
    "association_year.save": _("Association's yearly figures saved"),
    "area_year.save": _("Yearly base and fund saved"),
    "area_class.add": _("Added to an area class"),
    "area_class.remove": _("Removed from an area class"),
}
