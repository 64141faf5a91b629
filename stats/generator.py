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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
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
from criteria import services as criteria_services
from criteria.models import ACHIEVED, CriteriaSet, Title
from evaluations.models import Evaluation, EvaluationState
from imports.bulk import insert
from khuyenhoc.text import fold, sort_key
from registry import services as registry_services
from registry.demo import GIVEN, MIDDLE, SURNAMES
from registry.importing import HOUSEHOLD_WRITE_COLUMNS
from registry.models import (
    AreaYear,
    Association,
    AssociationLevel,
    AssociationYear,
    Clan,
    CodeCounter,
    Household,
    Organisation,
)

from .models import EnteredAggregate, Measure
from .rebuild import rebuild_year, years_with_data

NATIONAL_VILLAGES = 100_000
HOUSEHOLDS_PER_VILLAGE = (108, 432)  # uniform: 270 on average, 27 million at size 1.0
HISTORY_YEARS = 10  # years of entered totals beside the evaluated year
APPROVED_SHARE = 0.95
RECOGNISED_SHARE_OF_APPROVED = 0.70  # two thirds of all evaluations
PEOPLE_PER_HOUSEHOLD = (3.5, 4.3)
CHUNK = 20_000  # rows per insert where there is no COPY
GENERATOR_USERNAME = "national.generator"
NOTE = "Số liệu sinh để đo hiệu năng (minh hoạ)"
OTHER_STATES = [
    EvaluationState.REGISTERED,
    EvaluationState.IN_PROGRESS,
    EvaluationState.SUBMITTED,
    EvaluationState.RETURNED,
]


class AlreadyPopulated(Exception):
    """The database holds households: generating beside them is only for throw-away databases."""


@dataclass
class Villages:
    """The generated villages in generation order, with what later phases need of them."""

    ids: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    communes: list[int] = field(default_factory=list)  # the pre-reform commune
    successors: list[int] = field(default_factory=list)  # the commune from the reform year
    households: list[int] = field(default_factory=list)
    first_household: int = 0  # households are written in village order with consecutive ids


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
        report(
            _("%(villages)s villages placed (%(seconds).1f s).") % _figures(villages=len(villages.ids), since=started)
        )
        households = _households(villages, random.Random(f"{seed}-households"), report)
        evaluations = _evaluations(villages, criteria_set, year, random.Random(f"{seed}-evaluations"), report)
        aggregates = _entered_aggregates(villages, actor, year, years, reform_year, random.Random(f"{seed}-entered"))
        report(_("%(rows)s entered totals (%(seconds).1f s).") % _figures(rows=aggregates, since=started))
        registries = _clans_and_units(villages, random.Random(f"{seed}-registries"))
        network = _network(villages, [year, *years], year, reform_year, random.Random(f"{seed}-network"))
        report(_("Clans, units and the network written (%(seconds).1f s).") % _figures(since=started))
    _analyse(report)

    rebuilt = {}
    for rebuilt_year in years_with_data():
        year_started = time.perf_counter()
        rebuilt[rebuilt_year] = rebuild_year(rebuilt_year)
        report(
            _("Facts of %(year)s rebuilt: %(rows)s rows in %(seconds).1f s.")
            % _figures(year=str(rebuilt_year), rows=rebuilt[rebuilt_year], since=year_started)
        )
    report(_("Generated in %(seconds).1f s.") % _figures(since=started))
    return {
        "villages": len(villages.ids),
        "households": households,
        "evaluations": evaluations,
        "entered_aggregates": aggregates,
        **registries,
        **network,
        "facts": sum(rebuilt.values()),
    }


def _figures(*, since=None, **values) -> dict:
    figures = {name: f"{value:,}" if isinstance(value, int) else value for name, value in values.items()}
    if since is not None:
        figures["seconds"] = time.perf_counter() - since
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
    successor = {}
    for old_id, new_id in (
        UnitSuccession.objects.filter(is_default=True, predecessor__in=communes).order_by("pk")
    ).values_list("predecessor_id", "successor_id"):
        successor.setdefault(old_id, new_id)
    new_paths = dict(AdministrativeUnit.objects.filter(pk__in=set(successor.values())).values_list("pk", "path"))
    # As many villages in every commune, the remainder in communes drawn at random; written in code
    # order, so that ids, codes and communes all grow together and every index is appended to.
    wanted = max(1, round(NATIONAL_VILLAGES * size))
    per_commune = dict.fromkeys((c.pk for c in communes), wanted // len(communes))
    for commune in rng.sample(communes, wanted % len(communes)):
        per_commune[commune.pk] += 1
    last_number = _last_village_numbers()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    villages = Villages()
    village_rows, placement_rows = [], []
    next_id = _next_id(Village)
    for commune in (c for c in communes for _copy in range(per_commune[c.pk])):
        local = last_number[commune.code] = last_number[commune.code] + 1
        if commune.kind in {UnitKind.WARD, UnitKind.TOWN}:
            name, kind = f"Tổ dân phố {local}", VillageKind.RESIDENTIAL_GROUP
        else:
            kind = rng.choice([VillageKind.VILLAGE, VillageKind.HAMLET])
            word = "Thôn" if kind == VillageKind.VILLAGE else "Bản"
            name = f"{word} {rng.choice(FIRST_SYLLABLES)} {rng.choice(SECOND_SYLLABLES)} {local}"
        village_id, code = next_id + len(villages.ids), f"{commune.code}-{local:03d}"
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
    _write(Village, ["id", "code", "name", "kind", "search_name", "sort_key", "created_at"], village_rows)
    _write(VillagePlacement, ["village", "commune", "from_year", "to_year", "commune_path"], placement_rows)
    _reset_sequence(Village)
    return villages


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
    villages.first_household = _next_id(Household)

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
    written = _write(Household, ["id", *HOUSEHOLD_WRITE_COLUMNS], _progress(rows(), total, _("households"), report))
    _reset_sequence(Household)
    # The next household registered in a village continues its numbering.
    _write(CodeCounter, ["prefix", "last_number"], zip(villages.codes, villages.households, strict=True))
    return written


def _evaluations(villages: Villages, criteria_set, year: int, rng, report) -> int:
    """One evaluation of each household, in the order the households were written: their ids follow."""
    registered = connection.ops.adapt_datetimefield_value(datetime(year, 3, 1, tzinfo=UTC))
    submitted = connection.ops.adapt_datetimefield_value(datetime(year, 9, 15, tzinfo=UTC))
    approved = connection.ops.adapt_datetimefield_value(datetime(year, 10, 30, tzinfo=UTC))
    approved_below, recognised_below = int(APPROVED_SHARE * 1000), int(RECOGNISED_SHARE_OF_APPROVED * 1000)
    columns = [
        "title",
        "year",
        "criteria_set",
        "area",
        "household",
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

    def rows():
        household_id = villages.first_household
        for commune_id, count in zip(villages.communes, villages.households, strict=True):
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

    return _write(Evaluation, columns, _progress(rows(), sum(villages.households), _("evaluations"), report))


def _growth(year: int, evaluated_year: int) -> float:
    """Households grow about 1% a year."""
    return 1 + 0.01 * (year - evaluated_year)


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
                registered = round(count * _growth(year, evaluated_year) * share * rng.uniform(0.9, 1.0))
                recognised = round(registered * rng.uniform(0.55, 0.8))
                for measure, value in ((Measure.REGISTERED, registered), (Measure.RECOGNISED, recognised)):
                    yield (village_id, paths[commune], year, Title.HOUSEHOLD, measure, value, NOTE, actor.pk, now)

    columns = ["village", "path", "year", "title", "measure", "value", "note", "entered_by", "entered_at"]
    return _write(EnteredAggregate, columns, rows())


def _clans_and_units(villages: Villages, rng) -> dict:
    """Two clans, a school and an agency in every commune that holds generated villages."""
    communes = AdministrativeUnit.objects.filter(pk__in=set(villages.communes)).order_by("code")
    communes = list(communes.only("pk", "code", "name", "short_name"))
    in_commune = defaultdict(list)
    for village_id, commune_id in zip(villages.ids, villages.communes, strict=True):
        in_commune[commune_id].append(village_id)
    clan_codes = registry_services.issue_codes({f"{c.code}-DH": 2 for c in communes})
    unit_codes = registry_services.issue_codes({f"{c.code}-DV": 2 for c in communes})
    clans, organisations, clan_villages = [], [], []
    for commune in communes:
        for surname in rng.sample(SURNAMES, 2):
            name = f"Họ {surname}"
            clans.append(
                Clan(
                    code=next(clan_codes[f"{commune.code}-DH"]),
                    name=name,
                    commune_id=commune.pk,
                    head_name=f"{surname} Văn Tộc",
                    member_households=rng.randint(8, 90),
                    has_board=rng.random() < 0.6,
                    search_name=fold(name),
                    sort_key=sort_key(name),
                )
            )
            clan_villages.append(rng.choice(in_commune[commune.pk]))
        for name, kind in [
            (f"Trường Tiểu học {commune.short_name}", "school"),
            (f"Trạm Y tế {commune.name}", "agency"),
        ]:
            organisations.append(
                Organisation(
                    code=next(unit_codes[f"{commune.code}-DV"]),
                    name=name,
                    kind=kind,
                    managing_level="commune",
                    area_id=commune.pk,
                    search_name=fold(name),
                    sort_key=sort_key(name),
                )
            )
    Clan.objects.bulk_create(clans, batch_size=CHUNK)
    Clan.villages.through.objects.bulk_create(
        [
            Clan.villages.through(clan_id=clan.pk, village_id=village_id)
            for clan, village_id in zip(clans, clan_villages, strict=True)
        ],
        batch_size=CHUNK,
    )
    Organisation.objects.bulk_create(organisations, batch_size=CHUNK)
    return {"clans": len(clans), "units": len(organisations)}


def _network(villages: Villages, years, evaluated_year, reform_year, rng) -> dict:
    """An association per commune and district holding generated villages, on the tree of each
    year, with its yearly report; each commune's population and household base per year."""
    households = defaultdict(lambda: [0, 0])  # commune → (households, villages), on either tree
    for old, new, count in zip(villages.communes, villages.successors, villages.households, strict=True):
        for commune in {old, new} - {None}:
            households[commune][0] += count
            households[commune][1] += 1
    areas = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(pk__in=list(households)).only("pk", "name", "parent_id", "tree")
    }
    districts = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(
            pk__in={a.parent_id for a in areas.values() if a.tree == Tree.PRE_2025}
        ).only("pk", "name")
    }
    wanted = [(AssociationLevel.COMMUNE, area) for area in areas.values()]
    wanted += [(AssociationLevel.DISTRICT, district) for district in districts.values()]
    have = set(Association.objects.filter(area__in=[*areas, *districts]).values_list("area_id", "level"))
    Association.objects.bulk_create(
        [
            Association(level=level, area=area, name=f"Hội Khuyến học {area.name[:1].lower()}{area.name[1:]}")
            for level, area in wanted
            if (area.pk, level) not in have
        ],
        batch_size=CHUNK,
    )
    associations = Association.objects.filter(
        area__in=[*areas, *districts], level__in=[AssociationLevel.COMMUNE, AssociationLevel.DISTRICT]
    )
    associations = list(associations.values_list("pk", "area_id", "level"))
    reported = set(
        AssociationYear.objects.filter(association__in=[a[0] for a in associations]).values_list(
            "association_id", "year"
        )
    )
    based = set(AreaYear.objects.filter(area__in=list(areas)).values_list("area_id", "year"))
    population_per_household = {pk: rng.uniform(*PEOPLE_PER_HOUSEHOLD) for pk in sorted(areas)}
    association_years, area_years = [], []
    for year in sorted(years):
        tree = Tree.Y2025 if year >= reform_year else Tree.PRE_2025
        for association_id, area_id, level in associations:
            area = areas.get(area_id)
            if (association_id, year) in reported or (area or districts[area_id]).tree != tree:
                continue
            if level == AssociationLevel.COMMUNE:
                people = households[area_id][0] * population_per_household[area_id] * _growth(year, evaluated_year)
                figures = (
                    round(people * rng.uniform(0.18, 0.27)),
                    households[area_id][1],
                    rng.randint(1, 4),
                    rng.randint(1, 4),
                    rng.randint(1, 3),
                    rng.randint(0, 2),
                )
            else:
                figures = (rng.randint(40, 160), 0, rng.randint(5, 15), rng.randint(3, 9), 0, 0)
            association_years.append((association_id, year, *figures))
        for area_id, area in sorted(areas.items()):
            if area.tree != tree or (area_id, year) in based:
                continue
            base = round(households[area_id][0] * _growth(year, evaluated_year))
            area_years.append((area_id, year, round(base * population_per_household[area_id]), base))
    _write(
        AssociationYear,
        [
            "association",
            "year",
            "members",
            "village_branches",
            "agency_branches",
            "agency_boards",
            "school_boards",
            "clan_boards",
        ],
        association_years,
    )
    _write(AreaYear, ["area", "year", "population", "households"], area_years)
    return {
        "associations": len(associations),
        "association_years": len(association_years),
        "area_years": len(area_years),
    }


def _next_id(model) -> int:
    return (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1


def _reset_sequence(model) -> None:
    """Rows were written with their ids: the next row saved normally takes the id after them."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def _write(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """One COPY stream on PostgreSQL; inserts of CHUNK rows elsewhere, so memory stays bounded."""
    if connection.vendor == "postgresql":
        return insert(model, columns, rows)
    rows, written = iter(rows), 0
    while chunk := list(islice(rows, CHUNK)):
        written += insert(model, columns, chunk)
    return written


def _progress(rows: Iterable, total: int, what: str, report) -> Iterator:
    step = max(100_000, total // 10)
    started = time.perf_counter()
    for number, row in enumerate(rows, start=1):
        yield row
        if number % step == 0 or number == total:
            elapsed = time.perf_counter() - started
            report(
                _("%(what)s: %(done)s of %(total)s (%(rate)s rows/s)")
                % {"what": what, "done": f"{number:,}", "total": f"{total:,}", "rate": f"{number / elapsed:,.0f}"}
            )


def _analyse(report) -> None:
    """Fresh bulk-loaded tables: give the planner statistics, and on PostgreSQL set the visibility
    map and hint bits now rather than in the first query that reads them (the rebuild's)."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            for model in (Household, Evaluation, EnteredAggregate, Village, VillagePlacement):
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        cursor.execute("ANALYZE")
    report(_("Tables analysed (%(seconds).1f s).") % _figures(since=started))
