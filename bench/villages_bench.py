"""Villages import benchmark (issue 15): upload → check → save through the import pipeline, against a
per-row loop of the one-village service (`areas.services.village_create`, what the village page does) in the
same run and on the same database.

Goals: the import at least 20× the per-row loop, and at least half the households' import rate, both
measured in the same run (the households go into the villages just imported, through the same pipeline
as bench/imports_bench.py's). BENCH_VILLAGE_ROWS (default 20,000) sets the file, new villages spread
over the communes of the 2025 tree; BENCH_VILLAGE_BASELINE (default 1,000) the rows of the per-row loop;
BENCH_IMPORT_RUNS (default 3) the runs whose median is reported (each run: the villages, then the
households and the learning citizens into them, and their ratios); BENCH_VILLAGE_HOUSEHOLDS (default: as
many as the villages) the households' file; BENCH_VILLAGE_CITIZENS (default: as many
as the households) the learning citizens' file, whose import's rate is printed beside the households'
too: files of the same length, so that neither rate carries more of the job's fixed costs;
BENCH_CITIZENS_PER_VILLAGE (default 20) how many persons each village of that file holds.
BENCH_CITIZEN_BOUNDS=1 measures the learning citizens as in a province that has set age bounds (they are not
confirmed, so none ship) and opened its figures from 2016 on: each person then moves the base of every
opened year their village is placed in; the bounds and the years opened for it are removed at the end.
BENCH_SERVER_FLOOR=1 (PostgreSQL, connected as a superuser) adds what the server alone takes to store the
households' and the citizens' files (`server_floor`). BENCH_VILLAGE_SCALE=national is the issue's size:
100,000 villages. The per-row loop is then still timed on BENCH_VILLAGE_BASELINE rows only and its rate
extrapolated to the file (one service call per village does not get faster with more rows: it would take
over two minutes at the rates measured), which the output says. The reform year's figures are opened first,
so that both paths keep the village counts of the statistics as they go. Its own SQLite file
(bench/data/villages.sqlite3) unless BENCH_DATABASE_URL names another database.
"""

import csv
import os
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'villages.sqlite3'}")

from common import analyse, persona  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.roles import Role  # noqa: E402
from areas import services  # noqa: E402
from areas.importing import VILLAGE_COLUMNS  # noqa: E402
from areas.models import AdministrativeUnit, Level, Tree, Village, VillagePlacement  # noqa: E402
from audit.models import AuditEntry  # noqa: E402
from imports.models import ImportJob, JobStatus  # noqa: E402
from imports.services import run_commit, run_preview  # noqa: E402
from registry.exports_citizens import CITIZEN_COLUMNS  # noqa: E402
from registry.importing import HouseholdImporter  # noqa: E402
from registry.importing_citizens import CitizenImporter  # noqa: E402
from registry.models import Citizen, Household  # noqa: E402
from stats.facts import open_year  # noqa: E402
from stats.models import CitizenAgeBounds, Fact, OpenedYear  # noqa: E402
from stats.rebuild import rebuild_year  # noqa: E402

NATIONAL = os.environ.get("BENCH_VILLAGE_SCALE") == "national"
ROWS = int(os.environ.get("BENCH_VILLAGE_ROWS", 100_000 if NATIONAL else 20_000))
BASELINE_ROWS = int(os.environ.get("BENCH_VILLAGE_BASELINE", 1_000))
RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", 3))
HOUSEHOLD_ROWS = int(os.environ.get("BENCH_VILLAGE_HOUSEHOLDS", ROWS))
CITIZEN_ROWS = int(os.environ.get("BENCH_VILLAGE_CITIZENS", HOUSEHOLD_ROWS))
PREFIX = "Thôn Đo Tốc Độ"
DATA = ROOT / "bench" / "data"
# Persons per village in the learning citizens' file (BENCH_CITIZENS_PER_VILLAGE): 20 by default, as
# the benchmark has always run; 100 gives the households' file's shape (imports_bench: 100 a village),
# so that the two files touch as many villages and code counters.
CITIZENS_PER_VILLAGE = int(os.environ.get("BENCH_CITIZENS_PER_VILLAGE", 20))
CITIZEN_BOUNDS = os.environ.get("BENCH_CITIZEN_BOUNDS") == "1"
SERVER_FLOOR = os.environ.get("BENCH_SERVER_FLOOR") == "1"
ENTRY_COLUMNS = "actor_id, action, object_type, object_id, before, after, reason, source, created_at"


def communes():
    return list(AdministrativeUnit.objects.filter(tree=Tree.Y2025, level=Level.COMMUNE).order_by("code"))


def write_csv(path: Path, count: int, units) -> Path:
    """New villages, grouped by commune as a province's lists are."""
    per_commune = max(1, -(-count // len(units)))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(VILLAGE_COLUMNS)
        for number in range(count):
            commune = units[(number // per_commune) % len(units)]
            writer.writerow(["", commune.code, "", f"{PREFIX} {number}", "Thôn", ""])
    return path


def clear():
    """Remove the benchmark's villages and the learning citizens put in them (not through the services:
    test data) and count the year again."""
    with transaction.atomic():
        made = Village.objects.filter(name__startswith=PREFIX)
        ids = [str(pk) for pk in made.values_list("pk", flat=True)]
        citizens = Citizen.objects.filter(village__in=made)
        AuditEntry.objects.filter(
            object_type="registry.citizen", object_id__in=[str(pk) for pk in citizens.values_list("pk", flat=True)]
        ).delete()
        citizens.delete()
        VillagePlacement.objects.filter(village__in=made).delete()
        made.delete()
        AuditEntry.objects.filter(object_type="areas.village", object_id__in=ids).delete()
    rebuild_year(settings.KHUYENHOC_REFORM_YEAR)
    if connection.vendor == "postgresql":
        # The deleted rows vacuumed away, or every later run would read 100,000 ghosts (the households'
        # benchmark truncates its tables for the same reason; these hold other villages).
        tables = [Village, VillagePlacement, Citizen, AuditEntry]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {', '.join(model._meta.db_table for model in tables)}")
    analyse()


def per_row_baseline(units, user) -> float:
    """Rows per second of one `village_create` per village, all in one transaction."""
    year = settings.KHUYENHOC_REFORM_YEAR
    started = time.perf_counter()
    with transaction.atomic():
        for number in range(BASELINE_ROWS):
            commune = units[number % len(units)]
            services.village_create(
                actor=user, commune=commune, name=f"{PREFIX} {number}", kind="village", from_year=year
            )
    return BASELINE_ROWS / (time.perf_counter() - started)


def job_for(path: Path, kind: str, user) -> ImportJob:
    target = Path(settings.MEDIA_ROOT) / "imports" / "bench" / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, target)
    return ImportJob.objects.create(
        kind=kind, file=f"imports/bench/{path.name}", original_name=path.name, created_by=user
    )


def import_once(path: Path, user) -> tuple[float, float]:
    job = job_for(path, "villages", user)
    started = time.perf_counter()
    run_preview(job)
    checked = time.perf_counter()
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED, (job.status, job.message, job.errors[:3])
    assert job.counts["create"] == ROWS, job.counts
    job.status = JobStatus.COMMITTING
    job.save()
    run_commit(job)
    saved = time.perf_counter()
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTED, job.message
    assert Village.objects.filter(name__startswith=PREFIX).count() == ROWS
    assert AuditEntry.objects.filter(source=job.audit_source, action="village.create").count() == ROWS
    return checked - started, saved - checked


def households_rate(user, keep: bool = False) -> float:
    """Rows per second of the households' import (upload → check → save) into the villages the last
    run imported, in this run and on this database: the rate the villages' import is held to. With
    `keep`, the households and their entries stay (for `server_floor`)."""
    import imports_bench

    codes = list(Village.objects.filter(name__startswith=PREFIX).order_by("code").values_list("code", flat=True))
    path = DATA / f"village-households-{HOUSEHOLD_ROWS}.csv"
    path.unlink(missing_ok=True)  # the codes of the villages change from run to run
    imports_bench.write_csv(path, HOUSEHOLD_ROWS, codes)
    imports_bench.ROWS = HOUSEHOLD_ROWS
    imports_bench.clear()
    check, save, _audit = imports_bench.import_once(path, user, imports_bench.AuditTimer())
    if not keep:
        imports_bench.clear()
    return HOUSEHOLD_ROWS / (check + save)


def citizens_rate(user) -> float:
    """Rows per second of the learning citizens' import (upload → check → save) into the villages the
    last run imported, in this run and on this database, to hold against the households' rate."""
    codes = list(Village.objects.filter(name__startswith=PREFIX).order_by("code").values_list("code", flat=True))
    path = DATA / f"village-citizens-{CITIZEN_ROWS}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CITIZEN_COLUMNS)
        for number in range(CITIZEN_ROWS):  # grouped by village, as lists are
            village = codes[(number // CITIZENS_PER_VILLAGE) % len(codes)]
            sex = "Nam" if number % 2 else "Nữ"
            writer.writerow(["", village, "", f"Nguyễn Thị Học {number}", 1950 + number % 60, sex, "", "", "Có"])
    job = job_for(path, "citizens", user)
    started = time.perf_counter()
    run_preview(job)
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED, (job.status, job.message, job.errors[:3])
    job.status = JobStatus.COMMITTING
    job.save()
    run_commit(job)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTED, job.message
    assert Citizen.objects.filter(village__name__startswith=PREFIX).count() == CITIZEN_ROWS
    return CITIZEN_ROWS / seconds


def server_floor(user) -> None:
    """With BENCH_SERVER_FLOOR=1: what PostgreSQL alone takes to store each file — its rows, their history
    entries, and at the end the checks of their deferred foreign keys — reading them from files of its own
    (COPY … FROM a path on the server), so that no client is in the way. The rows and entries are those
    the last run's citizens' import and one households' import wrote, copied out; each store is rolled
    back. Against these, an import's save shows how much of it is the database's and how much Python's."""
    import imports_bench

    folder = Path(tempfile.mkdtemp(prefix="khuyenhoc-floor-"))
    folder.chmod(0o777)  # the server writes and reads the files as its own user
    ours = f"SELECT id FROM {Village._meta.db_table} WHERE name LIKE %s"
    with connection.cursor() as cursor:
        # The citizens of the last run, then their removal (their villages stay, for their foreign key).
        cursor.execute(
            f"COPY (SELECT * FROM {Citizen._meta.db_table} WHERE village_id IN ({ours})) "
            f"TO '{folder / 'citizens'}' (FORMAT binary)",
            [f"{PREFIX}%"],
        )
        cursor.execute(
            f"COPY (SELECT {ENTRY_COLUMNS} FROM {AuditEntry._meta.db_table} WHERE object_type = "
            f"'registry.citizen') TO '{folder / 'citizen-entries'}' (FORMAT binary)"
        )
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE object_type = 'registry.citizen'")
        cursor.execute(f"DELETE FROM {Citizen._meta.db_table} WHERE village_id IN ({ours})", [f"{PREFIX}%"])
    households_rate(user, keep=True)
    with connection.cursor() as cursor:
        cursor.execute(f"COPY {Household._meta.db_table} TO '{folder / 'households'}' (FORMAT binary)")
        cursor.execute(
            f"COPY (SELECT {ENTRY_COLUMNS} FROM {AuditEntry._meta.db_table} WHERE object_type = "
            f"'registry.household') TO '{folder / 'household-entries'}' (FORMAT binary)"
        )
    imports_bench.clear()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {Citizen._meta.db_table}, {AuditEntry._meta.db_table}")
    seconds = {"households": [], "citizens": []}
    for _ in range(RUNS):
        for kind, model, entries in (
            ("households", Household, "household-entries"),
            ("citizens", Citizen, "citizen-entries"),
        ):
            with connection.cursor() as cursor:
                cursor.execute("CHECKPOINT")
            with transaction.atomic():
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute(f"COPY {model._meta.db_table} FROM '{folder / kind}' (FORMAT binary)")
                    rows = time.perf_counter()
                    cursor.execute(
                        f"COPY {AuditEntry._meta.db_table} ({ENTRY_COLUMNS}) FROM '{folder / entries}' (FORMAT binary)"
                    )
                    stored = time.perf_counter()
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks a COMMIT would make
                    checked = time.perf_counter()
                transaction.set_rollback(True)
            seconds[kind].append((rows - started, stored - rows, checked - stored))
    for kind, runs in seconds.items():
        parts = [statistics.median(part) for part in zip(*runs, strict=True)]
        print(
            f"server alone, {kind + ':':<11}  {sum(parts):.2f} s  (rows {parts[0]:.2f}, history entries "
            f"{parts[1]:.2f}, foreign keys {parts[2]:.2f}; medians of {RUNS})"
        )
    for file in folder.iterdir():
        file.unlink(missing_ok=True)
    folder.rmdir()


@contextmanager
def citizen_bounds():
    """With BENCH_CITIZEN_BOUNDS=1: national bounds (15 and over, from 2016) and the years from 2016 to
    this one opened while the runs last."""
    if not CITIZEN_BOUNDS:
        yield
        return
    opened = set(OpenedYear.objects.values_list("year", flat=True))
    bounds = CitizenAgeBounds.objects.create(area=None, from_year=2016, min_age=15, source="bench only")
    for year in range(2016, timezone.localdate().year + 1):
        open_year(year)
    try:
        yield
    finally:
        bounds.delete()
        added = set(OpenedYear.objects.values_list("year", flat=True)) - opened
        Fact.objects.filter(year__in=added).delete()
        OpenedYear.objects.filter(year__in=added).delete()


def main():
    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.exists():
        call_command("load_admin_units")
    with citizen_bounds():
        measure()


def measure():
    user = persona("bench.admin", Role.SYSTEM_ADMIN)
    units = communes()
    DATA.mkdir(parents=True, exist_ok=True)
    path = write_csv(DATA / f"villages-{ROWS}.csv", ROWS, units)
    print(f"database: {connection.vendor}; file: {ROWS:,} new villages in {min(ROWS, len(units)):,} communes (CSV)")
    if CITIZEN_BOUNDS:
        print("learning citizens' age bounds set and the years from 2016 opened (BENCH_CITIZEN_BOUNDS=1)")
    baselines = []
    for _ in range(RUNS):
        clear()
        baselines.append(per_row_baseline(units, user))
    baseline = statistics.median(baselines)
    # Each run imports the villages, then the households into them, so that each ratio sets two rates
    # measured a few seconds apart: a households' run lasts seconds and its rate moves with the load of
    # the moment (18–51k rows/s between runs on the same machine), so one pair alone says little.
    checks, saves, totals, households, ratios, citizens, citizen_ratios = [], [], [], [], [], [], []
    for _ in range(RUNS):
        clear()
        check, save = import_once(path, user)
        checks.append(check)
        saves.append(save)
        totals.append(check + save)
        households.append(households_rate(user))
        ratios.append(ROWS / totals[-1] / households[-1])
        citizens.append(citizens_rate(user))
        citizen_ratios.append(citizens[-1] / households[-1])
    total = ROWS / statistics.median(totals)
    print(f"(medians of {RUNS} runs)")
    print(f"check (nothing written):   {ROWS / statistics.median(checks):>10,.0f} rows/s")
    print(f"save (one transaction):    {ROWS / statistics.median(saves):>10,.0f} rows/s")
    print(f"upload → check → save:     {total:>10,.0f} rows/s")
    sampled = " sampled, its rate taken for the whole file" if BASELINE_ROWS < ROWS else ""
    print(f"baseline, per-row service: {baseline:>10,.0f} rows/s  ({BASELINE_ROWS:,} rows{sampled})")
    print(f"ratio:                     {total / baseline:>10.1f}×  (goal: ≥ 20×)")
    household_rate = statistics.median(households)
    print(f"households' import:        {household_rate:>10,.0f} rows/s  ({HOUSEHOLD_ROWS:,} rows, same pipeline)")
    each = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    print(f"villages / households:     {statistics.median(ratios):>10.2f}   (goal: ≥ 0.5; each run: {each})")
    citizen_rate = statistics.median(citizens)
    print(f"learning citizens' import: {citizen_rate:>10,.0f} rows/s  ({CITIZEN_ROWS:,} rows, same pipeline)")
    each = ", ".join(f"{ratio:.2f}" for ratio in citizen_ratios)
    print(
        f"citizens / households:     {statistics.median(citizen_ratios):>10.2f}   (each run: {each}; "
        f"{CITIZENS_PER_VILLAGE} persons a village)"
    )
    # A person's row has eight cells to read, check and store, a household's five: per cell the two
    # imports compare the work each does rather than the width of their rows.
    cells = len(CitizenImporter.columns) / len(HouseholdImporter.columns)
    each = ", ".join(f"{ratio * cells:.2f}" for ratio in citizen_ratios)
    print(
        f"per cell read:             {statistics.median(citizen_ratios) * cells:>10.2f}   (citizens' cells/s over "
        f"households'; {len(CitizenImporter.columns)} and {len(HouseholdImporter.columns)} a row; each run: {each})"
    )
    if SERVER_FLOOR:
        server_floor(user)
    clear()


if __name__ == "__main__":
    main()
