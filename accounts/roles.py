"""Roles and what each may do: the one declarative table every view and API route consults."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.permissions import AreaPerm


class Role(models.TextChoices):
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    VILLAGE_OFFICER = "village_officer", _("Village officer")
    VIEWER = "viewer", _("Viewer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Perm(models.TextChoices):
    VIEW_AREAS = AreaPerm.VIEW, _("See areas and villages")
    MANAGE_VILLAGES = AreaPerm.MANAGE_VILLAGES, _("Create, rename and move villages")
    MANAGE_AREA_CLASSES = AreaPerm.MANAGE_AREA_CLASSES, _("Enter area classes")
    MANAGE_SHARES = AreaPerm.MANAGE_SHARES, _("Enter the shares of divided old communes")
    MANAGE_ACCOUNTS = "accounts.manage", _("Manage the accounts of lower levels")
    VIEW_REGISTRIES = "registry.view", _("See households and the other registries")
    MANAGE_HOUSEHOLDS = "registry.manage_households", _("Add and edit households")
    # Persons' data (Nghị định 13/2023/NĐ-CP): the officers whose work needs it, not viewers.
    VIEW_CITIZENS = "registry.view_citizens", _("See and export learning citizens (personal data)")
    MANAGE_REGISTRIES = "registry.manage", _("Add and edit clans and units")
    MANAGE_CRITERIA = "criteria.manage", _("Copy and complete criteria sets")
    EVALUATE = "evaluations.evaluate", _("Register and self-assess evaluations")
    APPROVE = "evaluations.approve", _("Approve, adjust or return evaluations at the approving level")
    MANAGE_DECISIONS = "evaluations.decide", _("Draft, publish and revoke recognition decisions")
    NOMINATE_AWARDS = "awards.nominate", _("Propose collectives, clans, families and people for awards")
    DECIDE_AWARDS = "awards.decide", _("Review nominations and draft, publish and revoke award decisions")
    MANAGE_AWARD_KINDS = "awards.kinds", _("Change the kinds of award, who issues them and who nominates")
    VIEW_STATISTICS = "stats.view", _("See figures, targets and reports")
    ENTER_AGGREGATES = "stats.enter", _("Enter aggregate figures and submit the yearly report")
    MANAGE_TARGETS = "stats.targets", _("Set targets and accept lower levels' yearly reports")
    PUBLISH_PORTAL = "portal.publish", _("Publish an area's figures on the public portal and set its data licence")
    MANAGE_DOCUMENT_TEMPLATES = "documents.templates", _("Upload and choose the province's Word templates of documents")


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PROVINCE_OFFICER: frozenset(
        {
            Perm.VIEW_AREAS,
            Perm.MANAGE_VILLAGES,
            Perm.MANAGE_AREA_CLASSES,
            Perm.MANAGE_SHARES,
            Perm.MANAGE_ACCOUNTS,
            Perm.VIEW_REGISTRIES,
            Perm.VIEW_CITIZENS,
            Perm.MANAGE_HOUSEHOLDS,
            Perm.MANAGE_REGISTRIES,
            Perm.MANAGE_CRITERIA,
            Perm.EVALUATE,
            Perm.APPROVE,
            Perm.MANAGE_DECISIONS,
            Perm.NOMINATE_AWARDS,
            Perm.DECIDE_AWARDS,
            Perm.VIEW_STATISTICS,
            Perm.ENTER_AGGREGATES,
            Perm.MANAGE_TARGETS,
            Perm.PUBLISH_PORTAL,
            Perm.MANAGE_DOCUMENT_TEMPLATES,
        }
    ),
    Role.DISTRICT_OFFICER: frozenset(
        {
            Perm.VIEW_AREAS,
            Perm.MANAGE_VILLAGES,
            Perm.MANAGE_ACCOUNTS,
            Perm.VIEW_REGISTRIES,
            Perm.VIEW_CITIZENS,
            Perm.MANAGE_HOUSEHOLDS,
            Perm.MANAGE_REGISTRIES,
            Perm.EVALUATE,
            Perm.APPROVE,
            Perm.MANAGE_DECISIONS,
            Perm.NOMINATE_AWARDS,
            Perm.DECIDE_AWARDS,
            Perm.VIEW_STATISTICS,
            Perm.ENTER_AGGREGATES,
            Perm.MANAGE_TARGETS,
        }
    ),
    Role.COMMUNE_OFFICER: frozenset(
        {
            Perm.VIEW_AREAS,
            Perm.MANAGE_VILLAGES,
            Perm.MANAGE_ACCOUNTS,
            Perm.VIEW_REGISTRIES,
            Perm.VIEW_CITIZENS,
            Perm.MANAGE_HOUSEHOLDS,
            Perm.MANAGE_REGISTRIES,
            Perm.EVALUATE,
            Perm.APPROVE,
            Perm.MANAGE_DECISIONS,
            Perm.NOMINATE_AWARDS,
            Perm.DECIDE_AWARDS,
            Perm.VIEW_STATISTICS,
            Perm.ENTER_AGGREGATES,
        }
    ),
    # A village head keeps the list of their village's households (users.md).
    Role.VILLAGE_OFFICER: frozenset(
        {
            Perm.VIEW_AREAS,
            Perm.VIEW_REGISTRIES,
            Perm.VIEW_CITIZENS,
            Perm.MANAGE_HOUSEHOLDS,
            Perm.EVALUATE,
            Perm.VIEW_STATISTICS,
        }
    ),
    Role.VIEWER: frozenset({Perm.VIEW_AREAS, Perm.VIEW_REGISTRIES, Perm.VIEW_STATISTICS}),
    Role.SYSTEM_ADMIN: frozenset(Perm.values),
}

# The unit level an account of each role is attached to (None: any level; village officers
# are attached to a village, system administrators to nothing).
ROLE_UNIT_LEVEL: dict[str, int | None] = {
    Role.PROVINCE_OFFICER: 1,
    Role.DISTRICT_OFFICER: 2,
    Role.COMMUNE_OFFICER: 3,
    Role.VILLAGE_OFFICER: None,
    Role.VIEWER: None,
    Role.SYSTEM_ADMIN: None,
}

# Which roles an account manager may create and manage: the levels below, and viewers.
MANAGEABLE_ROLES: dict[str, frozenset[str]] = {
    Role.PROVINCE_OFFICER: frozenset({Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.VILLAGE_OFFICER, Role.VIEWER}),
    Role.DISTRICT_OFFICER: frozenset({Role.COMMUNE_OFFICER, Role.VILLAGE_OFFICER, Role.VIEWER}),
    Role.COMMUNE_OFFICER: frozenset({Role.VILLAGE_OFFICER, Role.VIEWER}),
    Role.VILLAGE_OFFICER: frozenset(),
    Role.VIEWER: frozenset(),
    Role.SYSTEM_ADMIN: frozenset(Role.values),
}


def role_has(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
