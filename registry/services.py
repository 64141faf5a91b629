"""Registry changes: validated, atomic, audited with before → after."""

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import AdministrativeUnit, Village
from audit.services import audit_many, audit_record
from core.changes import announce
from core.text import fold, sort_key
from core.versions import bump, bump_expression, lock_version

from .changes import HouseholdsMoved
from .models import Clan, CodeCounter, Household, Organisation
from .validation import (
    clean_clan_commune,
    clean_head_name,
    clean_managing_level,
    clean_member_households,
    clean_members,
    clean_name,
    clean_optional_name,
    clean_unit_area,
    clean_unit_kind,
)


def snapshot(household: Household) -> dict:
    return {
        "village": household.village.code,
        "head_name": household.head_name,
        "members": household.members,
        "is_active": household.is_active,
    }


def issue_codes(counts: dict[str, int]) -> dict[str, Iterator[str]]:
    """{prefix: how many} → {prefix: new codes}, each "<prefix>-NNNN".

    Moves the counters on and keeps them locked for the rest of the transaction, so two imports never
    issue the same code.
    """
    last = _advanced_counters(counts)
    return {prefix: _numbered(prefix, last[prefix] - count + 1, count) for prefix, count in counts.items()}


def _advanced_counters(counts: dict[str, int]) -> dict[str, int]:
    """{prefix: its last number once moved on by its count}. On PostgreSQL one upsert, which locks each
    counter as it moves it, in the prefixes' order: two imports moving the same counters wait for each
    other instead of deadlocking, and two writers of a new prefix's first codes wait at its new row (the
    second adds its count to what the first wrote, where both had read 0 and the second failed on the
    code's uniqueness). The pairs go as one JSON text (an import's 5,000 villages were 10,000
    parameters), and three statements (make, lock and read, write back) were a tenth of a second for
    5,000 prefixes. SQLite runs one writing transaction at a time."""
    if connection.vendor != "postgresql":
        last = dict(CodeCounter.objects.filter(prefix__in=list(counts)).values_list("prefix", "last_number"))
        moved = {prefix: last.get(prefix, 0) + count for prefix, count in counts.items()}
        CodeCounter.objects.bulk_create(
            [CodeCounter(prefix=prefix, last_number=number) for prefix, number in moved.items()],
            update_conflicts=True,
            unique_fields=["prefix"],
            update_fields=["last_number"],
        )
        return moved
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CodeCounter._meta.db_table} AS c (prefix, last_number) SELECT e->>0, (e->>1)::integer "
            "FROM json_array_elements(%s::json) e ORDER BY 1 ON CONFLICT (prefix) DO UPDATE SET last_number = "
            "c.last_number + EXCLUDED.last_number RETURNING prefix, last_number",
            [json.dumps(sorted(counts.items()))],
        )
        return dict(cursor.fetchall())


def _numbered(prefix: str, start: int, count: int) -> Iterator[str]:
    # Made when asked for: an import issues millions of codes and writes them as it goes.
    for number in range(start, start + count):
        yield f"{prefix}-{number:04d}"


def issue_code(prefix: str) -> str:
    return next(issue_codes({prefix: 1})[prefix])


def _fill_search_fields(household: Household) -> None:
    household.search_name = fold(household.head_name)
    household.sort_key = sort_key(household.head_name)


@transaction.atomic
def household_create(*, actor, village, head_name, members) -> Household:
    household = Household(
        code=issue_code(village.code),
        village=village,
        head_name=clean_head_name(head_name),
        members=clean_members(members),
    )
    _fill_search_fields(household)
    household.save()
    audit_record(actor=actor, action="household.create", obj=household, after=snapshot(household))
    return household


@transaction.atomic
def household_update(*, actor, household: Household, version, village, head_name, members, is_active) -> Household:
    """Change a household seen at `version`: refused as stale if it has moved since; the history's
    "before" is the household as locked here, the one this change replaces."""
    household = lock_version(Household.objects.select_related("village"), household.pk, version)
    refuse_merged(household)
    before = snapshot(household)
    old_village_id = household.village_id
    household.village = village
    household.head_name = clean_head_name(head_name)
    household.members = clean_members(members)
    household.is_active = bool(is_active)
    _fill_search_fields(household)
    after = snapshot(household)
    if after != before:
        bump(household)
        household.save()
        announce(HouseholdsMoved([(household.pk, old_village_id, household.village_id)]))
        audit_record(actor=actor, action="household.update", obj=household, before=before, after=after)
    return household


def refuse_merged(record) -> None:
    """A duplicate merged into another record is kept as it was: changes go to the one it is merged into."""
    if record.merged_into_id is not None:
        raise ValidationError(
            _("%(record)s has been merged into %(survivor)s: change that one instead.")
            % {"record": record, "survivor": record.merged_into},
            code="merged",
        )


def require_in_scope(actor, unit) -> None:
    if not AdministrativeUnit.objects.visible_to(actor).filter(pk=unit.pk).exists():
        raise ValidationError(_("%(unit)s is outside your area.") % {"unit": unit}, code="scope")


def _clan_snapshot(clan: Clan, village_codes=None) -> dict:
    """What the history records of a clan; `village_codes` for villages not yet linked (an import's check)."""
    if village_codes is None:
        # .all(), not a query of its own, so that a prefetch serves a whole import batch.
        village_codes = [village.code for village in clan.villages.all()] if clan.pk else []
    return {
        "name": clan.name,
        "commune": clan.commune.code,
        "tree": clan.commune.tree,
        "head_name": clan.head_name,
        "member_households": clan.member_households,
        "has_board": clan.has_board,
        "villages": sorted(village_codes),
    }


def _clean_clan(actor, commune, villages):
    clean_clan_commune(commune)
    require_in_scope(actor, commune)
    villages = list(villages)
    visible = set(
        Village.objects.visible_to(actor).filter(pk__in=[v.pk for v in villages]).values_list("pk", flat=True)
    )
    outside = [v.code for v in villages if v.pk not in visible]
    if outside:
        raise ValidationError(_("Villages outside your area: %(codes)s.") % {"codes": ", ".join(outside)}, code="scope")
    return villages


@transaction.atomic
def clan_save(
    *, actor, clan: Clan | None, version=None, commune, name, head_name, member_households, has_board, villages
) -> Clan:
    """Create (clan=None) or change a clan seen at `version`; the same rules for the form, the API and
    imports. A change of a clan that has moved since is refused as stale."""
    villages = _clean_clan(actor, commune, villages)
    if clan is not None:
        clan = lock_version(Clan.objects.select_related("commune"), clan.pk, version)
        refuse_merged(clan)
    before = _clan_snapshot(clan) if clan else None
    if clan is None:
        clan = Clan(code=issue_code(f"{commune.code}-DH"))
    clan.commune = commune
    clan.name = clean_name(name)
    clan.head_name = clean_optional_name(head_name)
    clan.member_households = clean_member_households(member_households)
    clan.has_board = bool(has_board)
    clan.search_name, clan.sort_key = fold(clan.name), sort_key(clan.name)
    if before is not None and _clan_snapshot(clan, [village.code for village in villages]) == before:
        return clan
    if before is not None:
        bump(clan)
    clan.save()
    clan.villages.set(villages)
    after = _clan_snapshot(clan)
    if after != before:
        audit_record(
            actor=actor, action="clan.update" if before else "clan.create", obj=clan, before=before, after=after
        )
    return clan


def _organisation_snapshot(organisation: Organisation) -> dict:
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "managing_level": organisation.managing_level,
        "area": organisation.area.code,
        "tree": organisation.area.tree,
    }


@transaction.atomic
def organisation_save(
    *, actor, organisation: Organisation | None, version=None, name, kind, managing_level, area
) -> Organisation:
    """Create (organisation=None) or change a unit seen at `version`; refused as stale if it has moved since."""
    kind = clean_unit_kind(kind)
    managing_level = clean_managing_level(managing_level)
    clean_unit_area(area, managing_level)
    require_in_scope(actor, area)
    if organisation is not None:
        organisation = lock_version(Organisation.objects.select_related("area"), organisation.pk, version)
    before = _organisation_snapshot(organisation) if organisation else None
    if organisation is None:
        organisation = Organisation(code=issue_code(f"{area.code}-DV"))
    organisation.name = clean_name(name, max_length=200)
    organisation.kind, organisation.managing_level, organisation.area = kind, managing_level, area
    organisation.search_name, organisation.sort_key = fold(organisation.name), sort_key(organisation.name)
    after = _organisation_snapshot(organisation)
    if after == before:
        return organisation
    if before is not None:
        bump(organisation)
    organisation.save()
    if after != before:
        audit_record(
            actor=actor,
            action="organisation.update" if before else "organisation.create",
            obj=organisation,
            before=before,
            after=after,
        )
    return organisation


CLAN_FIELDS = ["name", "commune", "head_name", "member_households", "has_board"]
ORGANISATION_FIELDS = ["name", "kind", "managing_level", "area"]


@dataclass
class RecordChange:
    """A clan or unit to create (`record` None) or change among many: `values` are the fields to
    write, cleaned by the caller with the validators `clan_save` and `organisation_save` use, and
    `before` and `after` what its history records."""

    record: models.Model | None
    values: dict
    before: dict | None
    after: dict


@transaction.atomic
def clans_save_many(*, creates: list[RecordChange], updates: list[RecordChange], actor, source: str, reason: str = ""):
    """Many clans at once (an import's batch): codes issued per commune, one insert, one update,
    their villages, one audit entry each marked with `source`."""
    _save_many(
        Clan,
        CLAN_FIELDS,
        creates,
        updates,
        prefix=lambda values: f"{values['commune'].code}-DH",
        actor=actor,
        source=source,
        reason=reason,
    )
    links = Clan.villages.through
    moved = [change for change in updates if change.before["villages"] != change.after["villages"]]
    links.objects.filter(clan_id__in=[change.record.pk for change in moved]).delete()
    links.objects.bulk_create(
        [
            links(clan_id=change.record.pk, village_id=village.pk)
            for change in [*creates, *moved]
            for village in change.values["villages"]
        ],
        batch_size=2000,
    )


@transaction.atomic
def organisations_save_many(
    *, creates: list[RecordChange], updates: list[RecordChange], actor, source: str, reason: str = ""
):
    """Many units at once (an import's batch): codes issued per area, one insert, one update, one
    audit entry each marked with `source`."""
    _save_many(
        Organisation,
        ORGANISATION_FIELDS,
        creates,
        updates,
        prefix=lambda values: f"{values['area'].code}-DV",
        actor=actor,
        source=source,
        reason=reason,
    )


def _save_many(model, fields, creates, updates, *, prefix, actor, source, reason) -> None:
    now = timezone.now()
    prefixes = [prefix(change.values) for change in creates]
    codes = issue_codes(Counter(prefixes))
    for change, code_prefix in zip(creates, prefixes, strict=True):
        change.record = model(code=next(codes[code_prefix]))
    for change in [*creates, *updates]:
        record = change.record
        for key in fields:
            if key in change.values:
                setattr(record, key, change.values[key])
        record.search_name, record.sort_key = fold(record.name), sort_key(record.name)
        record.updated_at = now
    model.objects.bulk_create([change.record for change in creates], batch_size=1000)
    model.objects.bulk_update(
        [change.record for change in updates], [*fields, "search_name", "sort_key", "updated_at"], batch_size=1000
    )
    # Every changed record's version moves on: a form opened before the import is refused as stale.
    model.objects.filter(pk__in=[change.record.pk for change in updates]).update(version=bump_expression())
    name = model._meta.model_name
    for action, changes in (("create", creates), ("update", updates)):
        audit_many(
            actor=actor,
            action=f"{name}.{action}",
            model=model,
            changes=[(change.record.pk, change.before, change.after) for change in changes],
            reason=reason,
            source=source,
        )
