"""Duplicates merged (issue 15, item 9): households with the same head, or clans with the same name,
in one place, found with grouped queries and merged into the one the officer keeps.

A merge moves every record that points at a duplicate (evaluations, learning citizens, award
nominations… found from Django's own list of the models that refer to it, since the registry sits
below the apps that hold them) onto the survivor, and closes the duplicate as merged into it: kept,
so that its code still resolves and its history reads. Two records of one kind that may exist only
once per subject (an evaluation of a year) conflict: the merge is refused, naming them, and the
officer settles it first; no rule picks one."""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, UniqueConstraint
from django.utils.translation import gettext as _

from areas.models import Village
from audit.services import audit_record
from core.changes import announce
from core.text import nfc
from core.versions import bump, lock_version

from .changes import RecordsMerging
from .models import Clan, Household


def same_name(value: str) -> str:
    """The form two names are the same in, but for case: NFC, case folded."""
    return unicodedata.normalize("NFC", nfc(value).casefold())


# Finding candidates -----------------------------------------------------------------------------------


@dataclass
class Candidates:
    """Records sharing a name (without diacritics) in one place: "likely" duplicates if their names are
    the same with diacritics too, "possible" if only without."""

    place: object
    records: list

    @property
    def likely(self) -> bool:
        return len({same_name(self.name_of(record)) for record in self.records}) == 1

    def name_of(self, record) -> str:
        return record.head_name if isinstance(record, Household) else record.name


def _groups(records, place_field: str):
    """(place id, folded name) of the groups of two or more among `records`, in place then name order:
    one grouped query, paged by the caller."""
    return (
        records.filter(merged_into=None)
        .values(place_field, "search_name")
        .annotate(found=Count("pk"))
        .filter(found__gt=1)
        .order_by(place_field, "search_name")
    )


def household_groups(user, *, village: str = ""):
    """Groups of households the user sees with the same head in the same village."""
    households = Household.objects.visible_to(user)
    if village:
        households = households.filter(village__code=village)
    return _groups(households, "village_id")


def clan_groups(user):
    """Groups of clans the user sees with the same name registered at the same commune."""
    # By id: a village officer's clans come through the clans' villages, one row per village.
    return _groups(Clan.objects.filter(pk__in=Clan.objects.visible_to(user).values("pk")), "commune_id")


def household_candidates(user, groups) -> list[Candidates]:
    """A page of `household_groups` with their households, in one query."""
    wanted = Q()
    for group in groups:
        wanted |= Q(village_id=group["village_id"], search_name=group["search_name"])
    found = {}
    if groups:
        households = Household.objects.visible_to(user).filter(wanted, merged_into=None).select_related("village")
        for household in households.order_by("sort_key", "code"):
            found.setdefault((household.village_id, household.search_name), []).append(household)
    return [
        Candidates(found[key][0].village, found[key])
        for key in ((g["village_id"], g["search_name"]) for g in groups)
        if key in found
    ]


def clan_candidates(user, groups) -> list[Candidates]:
    """A page of `clan_groups` with their clans, in one query."""
    wanted = Q()
    for group in groups:
        wanted |= Q(commune_id=group["commune_id"], search_name=group["search_name"])
    found = {}
    if groups:
        clans = Clan.objects.filter(pk__in=Clan.objects.visible_to(user).values("pk"))
        for clan in clans.filter(wanted, merged_into=None).select_related("commune").order_by("sort_key", "code"):
            found.setdefault((clan.commune_id, clan.search_name), []).append(clan)
    return [
        Candidates(found[key][0].commune, found[key])
        for key in ((g["commune_id"], g["search_name"]) for g in groups)
        if key in found
    ]


# What a merge moves -----------------------------------------------------------------------------------


def _referring(model):
    """(model, field name) of every foreign key to `model`, those without a reverse name included."""
    return [
        (relation.related_model, relation.field.name)
        for relation in model._meta.get_fields(include_hidden=True)
        # A many-to-many's own table (a clan's villages) is the record's own data: merged by the service.
        if relation.one_to_many
        and relation.auto_created
        and not relation.concrete
        and not relation.related_model._meta.auto_created
    ]


@dataclass
class Moving:
    """The records of one kind that point at the duplicates, and the years (or other values) of those
    that may exist once per subject."""

    model: object
    count: int
    years: list

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


def moving(model, duplicates) -> list[Moving]:
    """What merging `duplicates` moves onto the survivor, kind by kind (for the preview)."""
    found = []
    ids = [duplicate.pk for duplicate in duplicates]
    for related, field in _referring(model):
        rows = related._base_manager.filter(**{f"{field}__in": ids})
        count = rows.count()
        if not count:
            continue
        years = []
        if "year" in {f.name for f in related._meta.concrete_fields}:
            years = sorted(set(rows.values_list("year", flat=True)))
        found.append(Moving(related, count, years))
    return found


def _conflicts(model, survivor, duplicates) -> None:
    """Refuse (nothing written) if a record that may exist once per subject would be twice on the survivor."""
    everyone = [survivor, *duplicates]
    by_id = {record.pk: record for record in everyone}
    for related, field in _referring(model):
        for constraint in related._meta.constraints:
            if not isinstance(constraint, UniqueConstraint) or field not in constraint.fields:
                continue
            others = [name for name in constraint.fields if name != field]
            rows = related._base_manager.filter(**{f"{field}__in": list(by_id)})
            if constraint.condition is not None:
                rows = rows.filter(constraint.condition)
            seen = {}
            for owner_id, *values in rows.values_list(field, *others).order_by(*others, field):
                values = tuple(values)
                if values in seen and seen[values] != owner_id:
                    raise ValidationError(
                        _(
                            "These cannot be merged: %(first)s and %(second)s both have a %(record)s of %(values)s. "
                            "Settle which one is right before merging; nothing was changed."
                        )
                        % {
                            "first": by_id[seen[values]],
                            "second": by_id[owner_id],
                            "record": related._meta.verbose_name,
                            "values": ", ".join(
                                f"{related._meta.get_field(name).verbose_name} {value}"
                                for name, value in zip(others, values, strict=True)
                            ),
                        },
                        code="conflict",
                    )
                seen.setdefault(values, owner_id)


# Merging ------------------------------------------------------------------------------------------------


def _locked(model, survivor, duplicates, versions):
    """The survivor and duplicates as stored now, their rows locked in one order (no deadlocks), each
    refused as stale unless at the version the officer saw."""
    ids = [survivor.pk, *(duplicate.pk for duplicate in duplicates)]
    if not duplicates or len(set(ids)) != len(ids):
        raise ValidationError(_("Choose the record to keep and at least one other to merge into it."), code="choice")
    locked = {pk: lock_version(model.objects.all(), pk, versions.get(pk)) for pk in sorted(ids)}
    merged = [record for record in locked.values() if record.merged_into_id is not None]
    if merged:
        raise ValidationError(
            _("%(record)s has already been merged into another record.") % {"record": merged[0]}, code="merged"
        )
    return locked[survivor.pk], [locked[duplicate.pk] for duplicate in duplicates]


def _clean_reason(reason: str) -> str:
    reason = nfc(reason or "")
    if not reason:
        raise ValidationError(_("Give the reason for the merge."), code="reason")
    return reason


def _merge(model, field, *, survivor, duplicates, actor, reason, versions, same_place, snapshot, close):
    reason = _clean_reason(reason)
    duplicates = list(duplicates)
    wanted = [survivor.pk, *(duplicate.pk for duplicate in duplicates)]
    if model.objects.visible_to(actor).filter(pk__in=wanted).values("pk").distinct().count() != len(set(wanted)):
        raise ValidationError(_("Some of these records are outside your area."), code="scope")
    survivor, duplicates = _locked(model, survivor, duplicates, versions)
    same_place(survivor, duplicates)
    _conflicts(model, survivor, duplicates)
    ids = [duplicate.pk for duplicate in duplicates]
    moved = {m.model._meta.label_lower: m.count for m in moving(model, duplicates)}
    before = {duplicate.pk: snapshot(duplicate) for duplicate in duplicates}
    survivor_before = snapshot(survivor)
    # Before any row moves: the figures' handlers read each record's evaluations as they are.
    announce(RecordsMerging(field=field, survivor_id=survivor.pk, duplicate_ids=ids))
    for related, name in _referring(model):
        related._base_manager.filter(**{f"{name}__in": ids}).update(**{name: survivor.pk})
    close(survivor, duplicates)
    for duplicate in duplicates:
        duplicate.merged_into = survivor
        bump(duplicate)
        duplicate.save()
        audit_record(
            actor=actor,
            action=f"{field}.merged_into",
            obj=duplicate,
            before=before[duplicate.pk],
            after={**snapshot(duplicate), "merged_into": survivor.code},
            reason=reason,
        )
    bump(survivor)
    survivor.save()
    audit_record(
        actor=actor,
        action=f"{field}.merge",
        obj=survivor,
        before=survivor_before,
        after={**snapshot(survivor), "merged": [duplicate.code for duplicate in duplicates], "moved": moved},
        reason=reason,
    )
    return survivor


def _household_snapshot(household: Household) -> dict:
    return {"village": household.village.code, "head_name": household.head_name, "is_active": household.is_active}


def _same_village(survivor: Household, duplicates) -> None:
    # Within one village, every figure held at the village stays where it is.
    elsewhere = [duplicate for duplicate in duplicates if duplicate.village_id != survivor.village_id]
    if elsewhere:
        raise ValidationError(
            _("%(record)s lives in another village: only households of one village are merged.")
            % {"record": elsewhere[0]},
            code="place",
        )


def _close_households(survivor, duplicates) -> None:
    for duplicate in duplicates:
        duplicate.is_active = False


@transaction.atomic
def household_merge(*, survivor: Household, duplicates, actor, reason: str, versions: dict) -> Household:
    """Merge `duplicates` (households of the survivor's village) into `survivor`, each seen at
    `versions[pk]`: their evaluations, citizens and other records move to it, and each duplicate is
    closed (no longer living here) as merged into it. Atomic; refused as stale, or with nothing
    changed if two evaluations of one year would meet."""
    return _merge(
        Household,
        "household",
        survivor=survivor,
        duplicates=duplicates,
        actor=actor,
        reason=reason,
        versions=versions,
        same_place=_same_village,
        snapshot=_household_snapshot,
        close=_close_households,
    )


def _clan_snapshot(clan: Clan) -> dict:
    return {
        "name": clan.name,
        "commune": clan.commune.code,
        "villages": sorted(clan.villages.values_list("code", flat=True)),
    }


def _same_commune(survivor: Clan, duplicates) -> None:
    # At one commune, every figure held at the unit that owns an evaluation stays where it is.
    elsewhere = [duplicate for duplicate in duplicates if duplicate.commune_id != survivor.commune_id]
    if elsewhere:
        raise ValidationError(
            _("%(record)s is registered at another commune: only clans of one commune are merged.")
            % {"record": elsewhere[0]},
            code="place",
        )


def _close_clans(survivor, duplicates) -> None:
    """The survivor spans the villages of all of them; a duplicate keeps its own, as its history says."""
    villages = Village.objects.filter(clans__in=[survivor, *duplicates]).distinct()
    survivor.villages.set(villages)


@transaction.atomic
def clan_merge(*, survivor: Clan, duplicates, actor, reason: str, versions: dict) -> Clan:
    """Merge `duplicates` (clans registered at the survivor's commune) into `survivor`, each seen at
    `versions[pk]`: their evaluations and other records move to it, it spans their villages, and each
    duplicate is marked merged into it. Atomic; refused as stale, or with nothing changed if two
    evaluations of one year would meet."""
    return _merge(
        Clan,
        "clan",
        survivor=survivor,
        duplicates=duplicates,
        actor=actor,
        reason=reason,
        versions=versions,
        same_place=_same_commune,
        snapshot=_clan_snapshot,
        close=_close_clans,
    )
