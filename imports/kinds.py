"""The kinds of import the pipeline knows; each names the class that reads and writes its records."""

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

IMPORTERS = {
    "villages": ("areas.importing.VillageImporter", _("Villages")),
    "households": ("registry.importing.HouseholdImporter", _("Households")),
    "citizens": ("registry.importing_citizens.CitizenImporter", _("Learning citizens")),
    "clans": ("registry.importing_clans_units.ClanImporter", _("Clans")),
    "units": ("registry.importing_clans_units.OrganisationImporter", _("Units")),
    "area_years": ("registry.importing_network.AreaYearImporter", _("Yearly base and fund of areas")),
    "association_years": ("registry.importing_network.AssociationYearImporter", _("Yearly figures of associations")),
    "network_units": ("registry.importing_network_units.NetworkUnitImporter", _("Branches and boards of associations")),
    "criteria_set": ("criteria.importing.CriteriaSetImporter", _("Criteria set (a new set)")),
    "household_marks": ("evaluations.importing.HouseholdMarksImporter", _("Household marks from a village meeting")),
    "clan_marks": ("evaluations.importing_subjects.ClanMarksImporter", _("Clan marks")),
    "village_marks": ("evaluations.importing_subjects.VillageMarksImporter", _("Village marks")),
    "unit_marks": ("evaluations.importing_subjects.OrganisationMarksImporter", _("Unit marks")),
    "divided_shares": ("areas.importing_shares.DividedSharesImporter", _("Shares of divided old communes")),
    "aggregates": ("stats.importing.AggregateImporter", _("Entered totals (figures from before the system)")),
    "accounts": ("accounts.importing.AccountImporter", _("Accounts")),
}


def importer_for(kind: str, *, user):
    return import_string(IMPORTERS[kind][0])(user=user)


def kind_label(kind: str) -> str:
    return str(IMPORTERS[kind][1])
