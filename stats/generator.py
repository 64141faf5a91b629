"""A national-size dataset for benchmarks: villages on the real units, their households, one year of
household evaluations, ten years of totals entered per village, clans, units and the network.

Sizes follow the country: about 100,000 villages and 27 million households at size 1.0, with
about 270 households per village at every size. The same seed gives the same data. Rows are
streamed (COPY on PostgreSQL, chunked inserts elsewhere) so memory stays bounded whatever the
size. Generated data, not a user's change: nothing goes through the services or the audit log,
and the facts are rebuilt at the end.
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from areas.demo import FIRST_SYLLABLES, SECOND_SYLLABLES
from areas.models import (
    AdministrativeUnit,
    Level,
    Tree,
    UnitKind,
    UnitSuccession,
    Village,
    VillageKind,
    VillagePlacement,
)
from core.text import fold, sort_key
from criteria import services as criteria_services
from criteria.models import ACHIEVED, CriteriaSet, Title
from evaluations.models import Evaluation, EvaluationState
from registry.demo import GIVEN, MIDDLE, SURNAMES
from registry.importing import HOUSEHOLD_WRITE_COLUMNS
from registry.models import (
    CodeCounter,
    Household,
)

from .generator_network import clans_and_units, network
from .generator_rows import Villages, growth, next_id, progress, reset_sequence, write_rows
from .models import EnteredAggregate, Measure
from .patterns import rebuild_patterns
from .rebuild import rebuild_year, years_with_data

NATIONAL_VILLAGES = 100_000
HOUSEHOLDS_PER_VILLAGE = (108, 432)  # uniform: 270 on average, 27 million at size 1.0
HISTORY_YEARS = 10  # years of entered totals beside the evaluated year
APPROVED_SHARE = 0.95
RECOGNISED_SHARE_OF_APPROVED = 0.70  # two thirds of all evaluations
GENERATOR_USERNAME = "national.generator"
NOTE = "Số liệu sinh để đo hiệu năng (minh hoạ)"
OTHER_STATES = [
    EvaluationState.REGISTERED,
    EvaluationState.IN_PROGRESS,
    EvaluationState.SUBMITTED,
    EvaluationState.RETURNED,
]
EVALUATION_COLUMNS = [
    "title",
    "year",
    "criteria_set",
    "area",
    "household",
    "household_village",
    "state",
    "result",
    "version",
    "registered_at",
    "submitted_at",
    "approved_at",
    "changes_since_approval",
    "recognised",
    "note",
]


class AlreadyPopulated(Exception):
    """The database holds households: generating beside them is only for throw-away databases."""


def generate(*, size: float, seed: int, year: int, force: bool = False, report: Callable[[str], None] = print) -> dict:
    """Generate the dataset and rebuild every year's facts; returns what was written."""
    reform_year = settings.KHUYENHOC_REFORM_YEAR
    if year >= reform_year:
        raise ValueError(_("The evaluated year must be before the reform year (%(year)s).") % {"year": reform_year})
    if Household.objects.exists() and not force:
        raise AlreadyPopulated
    years = [y for y in range(year - HISTORY_YEARS + 1, year + 2) if y != year]
    first_year = min(years)
    started = time.perf_counter()
    # All or nothing: a run stopped half-way leaves no villages without households behind.
    with transaction.atomic():
        actor = _generator_user()
        criteria_set = _household_set(actor, year)
        villages = _villages(size, random.Random(f"{seed}-villages"), first_year, reform_year, report)
        report(_("%(villages)s villages placed (%(seconds)s s).") % _figures(villages=len(villages.ids), since=started))
        households = _households(villages, random.Random(f"{seed}-households"), report)
        evaluations = _evaluations(villages, criteria_set, year, random.Random(f"{seed}-evaluations"), report)
        # Some of them are approved, which freezes the set (written in bulk, past the services).
        criteria_services.criteria_set_frozen(criteria_set)
        aggregates = _entered_aggregates(villages, actor, year, years, reform_year, random.Random(f"{seed}-entered"))
        report(_("%(rows)s entered totals (%(seconds)s s).") % _figures(rows=aggregates, since=started))
        registries = clans_and_units(villages, random.Random(f"{seed}-registries"))
        network_counts = network(villages, [year, *years], year, reform_year, random.Random(f"{seed}-network"))
        report(_("Clans, units and the network written (%(seconds)s s).") % _figures(since=started))
    _analyse(report)

    rebuilt = {}
    for rebuilt_year in years_with_data():
        year_started = time.perf_counter()
        rebuilt[rebuilt_year] = rebuild_year(rebuilt_year)
        report(
            _("Facts of %(year)s rebuilt: %(rows)s rows in %(seconds)s s.")
            % _figures(year=str(rebuilt_year), rows=rebuilt[rebuilt_year], since=year_started)
        )
    patterns = rebuild_patterns()
    report(_("Generated in %(seconds)s s.") % _figures(since=started))
    return {
        "villages": len(villages.ids),
        "households": households,
        "evaluations": evaluations,
        "entered_aggregates": aggregates,
        **registries,
        **network_counts,
        "facts": sum(rebuilt.values()),
        "recognition_patterns": patterns,
    }


def _figures(*, since=None, **values) -> dict:
    """Counts and seconds written in the active language's way (Vietnamese: 100.000 thôn, 4,7 giây)."""
    figures = {
        name: number_format(value, force_grouping=True) if isinstance(value, int) else value
        for name, value in values.items()
    }
    if since is not None:
        figures["seconds"] = number_format(time.perf_counter() - since, decimal_pos=1)
    return figures


def _generator_user() -> User:
    user, created = User.objects.get_or_create(
        username=GENERATOR_USERNAME, defaults={"role": Role.SYSTEM_ADMIN, "full_name": "Dữ liệu sinh"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _household_set(actor, year: int) -> CriteriaSet:
    """A usable copy of the shipped household set, completed with illustration values."""
    shipped = CriteriaSet.objects.get(is_default=True, title=Title.HOUSEHOLD)
    copy = criteria_services.criteria_set_clone(actor=actor, criteria_set=shipped, name="GĐHT minh hoạ (dữ liệu sinh)")
    copy.valid_from, copy.valid_to = min(copy.valid_from, year), None
    copy.pass_total, copy.is_illustration = Decimal(70), True
    copy.save()
    for code, max_points in [("2.2", 20), ("3", 20), ("4", 20)]:
        copy.nodes.filter(code=code).update(max_points=max_points)
    missing = criteria_services.criteria_set_missing(copy)
    if missing:
        raise ValueError(_("The household criteria set cannot be completed: %(missing)s") % {"missing": missing})
    return copy


def _villages(size, rng, first_year, reform_year, report) -> Villages:
    communes = list(
        AdministrativeUnit.objects.filter(tree=Tree.PRE_2025, level=Level.COMMUNE)
        .order_by("code")
        .only("pk", "code", "path", "kind")
    )
    if not communes:
        raise ValueError(_("No administrative units: run load_admin_units first."))
    successor, new_paths = _default_successors(communes)
    per_commune = _villages_per_commune(communes, size, rng)
    last_number = _last_village_numbers()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    villages = Villages()
    village_rows, placement_rows = [], []
    first_id = next_id(Village)
    # Written in code order, so that ids, codes and communes all grow together and every index is appended to.
    for commune in (c for c in communes for _copy in range(per_commune[c.pk])):
        local = last_number[commune.code] = last_number[commune.code] + 1
        if commune.kind in {UnitKind.WARD, UnitKind.TOWN}:
            name, kind = f"Tổ dân phố {local}", VillageKind.RESIDENTIAL_GROUP
        else:
            kind = rng.choice([VillageKind.VILLAGE, VillageKind.HAMLET])
            word = "Thôn" if kind == VillageKind.VILLAGE else "Bản"
            name = f"{word} {rng.choice(FIRST_SYLLABLES)} {rng.choice(SECOND_SYLLABLES)} {local}"
        village_id, code = first_id + len(villages.ids), f"{commune.code}-{local:03d}"
        village_rows.append((village_id, code, name, kind, fold(name), sort_key(name), now))
        new_commune = successor.get(commune.pk)
        old_to_year = reform_year - 1 if new_commune else None
        placement_rows.append((village_id, commune.pk, first_year, old_to_year, commune.path))
        if new_commune:
            placement_rows.append((village_id, new_commune, reform_year, None, new_paths[new_commune]))
        villages.ids.append(village_id)
        villages.codes.append(code)
        villages.communes.append(commune.pk)
        villages.successors.append(new_commune)
        villages.households.append(rng.randint(*HOUSEHOLDS_PER_VILLAGE))
    write_rows(Village, ["id", "code", "name", "kind", "search_name", "sort_key", "created_at"], village_rows)
    write_rows(VillagePlacement, ["village", "commune", "from_year", "to_year", "commune_path"], placement_rows)
    reset_sequence(Village)
    return villages


def _default_successors(communes) -> tuple[dict, dict]:
    """Old commune → the new commune its villages move into (the first default one), and the new communes' paths."""
    successor = {}
    for old_id, new_id in (
        UnitSuccession.objects.filter(is_default=True, predecessor__in=communes).order_by("pk")
    ).values_list("predecessor_id", "successor_id"):
        successor.setdefault(old_id, new_id)
    new_paths = dict(AdministrativeUnit.objects.filter(pk__in=set(successor.values())).values_list("pk", "path"))
    return successor, new_paths


def _villages_per_commune(communes, size, rng) -> dict:
    """As many villages in every commune, the remainder in communes drawn at random."""
    wanted = max(1, round(NATIONAL_VILLAGES * size))
    per_commune = dict.fromkeys((c.pk for c in communes), wanted // len(communes))
    for commune in rng.sample(communes, wanted % len(communes)):
        per_commune[commune.pk] += 1
    return per_commune


def _last_village_numbers() -> defaultdict:
    """Commune code → the last local number of its villages' codes, so generated codes never clash."""
    last = defaultdict(int)
    for code in Village.objects.filter(code__regex=r"^[0-9]{5}-[0-9]+$").values_list("code", flat=True).iterator():
        commune_code, number = code.split("-")
        last[commune_code] = max(last[commune_code], int(number))
    return last


def _households(villages: Villages, rng, report) -> int:
    names = [
        (name, fold(name), sort_key(name)) for name in (f"{s} {m} {g}" for s in SURNAMES for m in MIDDLE for g in GIVEN)
    ]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    villages.first_household = next_id(Household)

    def rows():
        household_id = villages.first_household
        for village_id, code, count in zip(villages.ids, villages.codes, villages.households, strict=True):
            for number in range(1, count + 1):
                bits = rng.getrandbits(32)  # one draw per row: name, members and whether still living here
                name, search_name, key = names[bits % len(names)]
                members, active = 1 + (bits >> 12) % 8, (bits >> 16) % 32 != 0
                yield (
                    household_id,
                    f"{code}-{number:04d}",
                    village_id,
                    name,
                    members,
                    active,
                    search_name,
                    key,
                    now,
                    now,
                )
                household_id += 1

    total = sum(villages.households)
    written = write_rows(Household, ["id", *HOUSEHOLD_WRITE_COLUMNS], progress(rows(), total, _("households"), report))
    reset_sequence(Household)
    # The next household registered in a village continues its numbering.
    write_rows(CodeCounter, ["prefix", "last_number"], zip(villages.codes, villages.households, strict=True))
    return written


def _evaluations(villages: Villages, criteria_set, year: int, rng, report) -> int:
    """One evaluation of each household, in the order the households were written: their ids follow."""
    rows = _evaluation_rows(villages, criteria_set, year, rng)
    return write_rows(
        Evaluation, EVALUATION_COLUMNS, progress(rows, sum(villages.households), _("evaluations"), report)
    )


def _evaluation_rows(villages: Villages, criteria_set, year: int, rng) -> Iterator[tuple]:
    """APPROVED_SHARE approved as achieved, RECOGNISED_SHARE_OF_APPROVED of them recognised; the others
    registered, being marked, submitted or returned. One draw of random bits per household."""
    registered = connection.ops.adapt_datetimefield_value(datetime(year, 3, 1, tzinfo=UTC))
    submitted = connection.ops.adapt_datetimefield_value(datetime(year, 9, 15, tzinfo=UTC))
    approved = connection.ops.adapt_datetimefield_value(datetime(year, 10, 30, tzinfo=UTC))
    approved_below, recognised_below = int(APPROVED_SHARE * 1000), int(RECOGNISED_SHARE_OF_APPROVED * 1000)
    household_id = villages.first_household
    for village_id, commune_id, count in zip(villages.ids, villages.communes, villages.households, strict=True):
        for _number in range(count):
            bits = rng.getrandbits(24)
            if bits % 1000 < approved_below:
                recognised = (bits >> 10) % 1000 < recognised_below
                yield (
                    Title.HOUSEHOLD,
                    year,
                    criteria_set.pk,
                    commune_id,
                    household_id,
                    village_id,
                    EvaluationState.APPROVED,
                    ACHIEVED,
                    3,
                    registered,
                    submitted,
                    approved,
                    0,
                    recognised,
                    "",
                )
            else:
                state = OTHER_STATES[(bits >> 10) % len(OTHER_STATES)]
                yield (
                    Title.HOUSEHOLD,
                    year,
                    criteria_set.pk,
                    commune_id,
                    household_id,
                    village_id,
                    state,
                    "",
                    1,
                    registered,
                    None,
                    None,
                    0,
                    False,
                    "",
                )
            household_id += 1


def _entered_aggregates(villages: Villages, actor, evaluated_year, years, reform_year, rng) -> int:
    """Households registered and recognised per village for the years before the system (and after
    the evaluated year), as village officers type them in: a growing share of the households."""
    paths = dict(
        AdministrativeUnit.objects.filter(pk__in={*villages.communes, *villages.successors}).values_list("pk", "path")
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    first_year = min(years)

    def rows():
        for year in years:
            share = 0.6 + 0.35 * (year - first_year) / max(1, max(years) - first_year)
            for village_id, old, new, count in zip(
                villages.ids, villages.communes, villages.successors, villages.households, strict=True
            ):
                commune = new if year >= reform_year and new else old
                registered = round(count * growth(year, evaluated_year) * share * rng.uniform(0.9, 1.0))
                recognised = round(registered * rng.uniform(0.55, 0.8))
                for measure, value in ((Measure.REGISTERED, registered), (Measure.RECOGNISED, recognised)):
                    yield (village_id, paths[commune], year, Title.HOUSEHOLD, measure, value, NOTE, actor.pk, now)

    columns = ["village", "path", "year", "title", "measure", "value", "note", "entered_by", "entered_at"]
    return write_rows(EnteredAggregate, columns, rows())


def _analyse(report) -> None:
    """Fresh bulk-loaded tables: give the planner statistics, and on PostgreSQL set the visibility
    map and hint bits now rather than in the first query that reads them (the rebuild's)."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            for model in (Household, Evaluation, EnteredAggregate, Village, VillagePlacement):
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        cursor.execute("ANALYZE")
    report(_("Tables analysed (%(seconds)s s).") % _figures(since=started))
