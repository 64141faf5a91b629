"""Household import benchmark: upload → check → save, against a per-row save() loop in the same run.

Goals (issue 3): at least 50,000 rows/s on PostgreSQL and at least 20× the per-row loop; peak
memory under 300 MB for a 1,000,000-row CSV, and the figure for a 1,000,000-row xlsx. Every new
household gets its audit entry in the save: the time spent writing them is reported beside it.
BENCH_IMPORT_ROWS (default 200,000) sets the timed file; BENCH_MEMORY_ROWS (default 1,000,000)
the memory files, each checked in a fresh process whose peak resident memory is reported.
On PostgreSQL it also measures the database alone: the same households prepared beforehand,
stored by one COPY into the household table and into a bare copy of it (no indexes, no foreign
key). The first bounds what any import can reach on the machine.
"""

import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, analyse, ensure_data, persona
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from accounts.roles import Role
from areas.models import Village
from audit.models import AuditEntry
from core.bulk import copy_rows
from core.text import fold, sort_key
from imports.models import ImportJob, JobStatus
from imports.services import run_commit, run_preview
from registry import households_bulk
from registry.exports import HOUSEHOLD_COLUMNS
from registry.models import CodeCounter, Household

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 200_000))
MEMORY_ROWS = int(os.environ.get("BENCH_MEMORY_ROWS", 1_000_000))
BASELINE_ROWS = 20_000
IMPORT_RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", 3))  # this machine's timings vary by ±20% run to run
SURNAMES = ["Nguyễn", "Trần", "Hoàng", "Nông", "Triệu", "Đinh", "Lý", "Ma", "Hà", "Lục", "Bế", "Đặng"]
DATA = ROOT / "bench" / "data"


HOUSEHOLDS_PER_VILLAGE = 100


def village_codes():
    return list(Village.objects.order_by("code").values_list("code", flat=True))


def household_rows(count, codes, seed=7):
    """Grouped by village, as officers' lists and exported files are."""
    rng = random.Random(seed)
    for number in range(count):
        village = codes[(number // HOUSEHOLDS_PER_VILLAGE) % len(codes)]
        yield ["", village, "", f"{rng.choice(SURNAMES)} Văn Hộ {number}", rng.randint(1, 9), "Có"]


def write_csv(path: Path, count, codes):
    if path.exists():
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HOUSEHOLD_COLUMNS)
        writer.writerows(household_rows(count, codes))
    return path


def write_xlsx(path: Path, count, codes):
    import xlsxwriter

    if path.exists():
        return path
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Hộ gia đình")
    sheet.write_row(0, 0, HOUSEHOLD_COLUMNS)
    for index, row in enumerate(household_rows(count, codes), start=1):
        sheet.write_row(index, 0, row)
    workbook.close()
    return path


def clear():
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Not DELETE: its dead rows would make every later run read 200,000 ghosts. (CASCADE: the
            # bench database holds no evaluations, which reference households; its only audit
            # entries are the imports'.)
            tables = [Household._meta.db_table, CodeCounter._meta.db_table, AuditEntry._meta.db_table]
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            AuditEntry.objects.filter(object_type="registry.household").delete()
            Household.objects.all().delete()
            CodeCounter.objects.all().delete()
    analyse()


class AuditTimer:
    """The seconds the households' bulk service spends writing audit entries (preparing and
    streaming them, and the database storing them), by wrapping its writer."""

    def __init__(self):
        self.seconds = 0.0
        self.write = households_bulk.audit_many
        households_bulk.audit_many = self

    def __call__(self, **arguments):
        started = time.perf_counter()
        try:
            return self.write(**arguments)
        finally:
            self.seconds += time.perf_counter() - started


def job_for(path: Path, user):
    target = Path(settings.MEDIA_ROOT) / "imports" / "bench" / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, target)  # always: a stale copy from an earlier run would measure another file
    return ImportJob.objects.create(
        kind="households", file=f"imports/bench/{path.name}", original_name=path.name, created_by=user
    )


def per_row_baseline(path: Path, count):
    """What a view-per-row import does: one save() per household (codes given, no checks)."""
    villages = {v.code: v for v in Village.objects.filter(code__in=village_codes())}
    started = time.perf_counter()
    with transaction.atomic(), path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for number, row in enumerate(reader):
            if number >= count:
                break
            Household(
                code=f"B-{number:07d}",
                village=villages[row[1]],
                head_name=row[3],
                members=int(row[4]),
                search_name=fold(row[3]),
                sort_key=sort_key(row[3]),
            ).save()
    return count / (time.perf_counter() - started)


def import_once(path: Path, user, audit: AuditTimer) -> tuple[float, float, float]:
    """Seconds to check the file, to save it through the import services, and of that save to write
    the households' audit entries."""
    job = job_for(path, user)
    started = time.perf_counter()
    run_preview(job)
    checked = time.perf_counter()
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED, (job.status, job.message, job.errors[:3])
    job.status = JobStatus.COMMITTING
    job.save()
    audit.seconds = 0.0
    run_commit(job)
    saved = time.perf_counter()
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTED and Household.objects.count() == ROWS
    assert AuditEntry.objects.filter(source=job.audit_source, action="household.create").count() == ROWS
    return checked - started, saved - checked, audit.seconds


def database_alone(path: Path) -> None:
    """What PostgreSQL itself takes to store the file's households, with no Python in the way:
    the rows fully prepared beforehand (codes, search and sort keys), then one binary COPY and
    the commit, which checks each row's village (the foreign key is deferred). Into the real
    table, and into a bare copy without indexes or foreign key (what design.md's COPY figure
    measures). The import cannot be faster than the first."""
    villages = dict(Village.objects.values_list("code", "pk"))
    now = timezone.now()
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = [
            (
                f"{row[1]}-{number:05d}",
                villages[row[1]],
                row[3],
                int(row[4]),
                True,
                fold(row[3]),
                sort_key(row[3]),
                now,
                now,
            )
            for number, row in enumerate(reader)
        ]
    columns = ", ".join(
        [
            "code",
            "village_id",
            "head_name",
            "members",
            "is_active",
            "search_name",
            "sort_key",
            "created_at",
            "updated_at",
        ]
    )
    types = ["varchar", "int8", "varchar", "int2", "bool", "varchar", "varchar", "timestamptz", "timestamptz"]
    table = Household._meta.db_table
    for label, target in (("household table", table), ("bare table", "bench_bare_household")):
        copies, commits = [], []
        for _ in range(IMPORT_RUNS):
            clear()
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS bench_bare_household")
                cursor.execute(
                    f"CREATE TABLE bench_bare_household (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)"
                )
            started = time.perf_counter()
            with transaction.atomic():
                with connection.cursor() as cursor:
                    copy_rows(cursor, f"{target} ({columns})", types, rows)
                copied = time.perf_counter()
            committed = time.perf_counter()
            copies.append(copied - started)
            commits.append(committed - copied)
        copy, commit = statistics.median(copies), statistics.median(commits)
        print(
            f"database alone, {label}: {ROWS / (copy + commit):>10,.0f} rows/s  "
            f"(COPY {copy:.2f} s, commit {commit:.2f} s)"
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare_household")
    audit_alone(rows)
    clear()


def audit_alone(households) -> None:
    """What PostgreSQL itself takes to store one audit entry per new household, as the import writes
    them (the same columns and snapshot), prepared beforehand: what the entries cost at the least."""
    actor = persona("bench.admin", Role.SYSTEM_ADMIN).pk
    now = timezone.now()
    rows = [
        (
            actor,
            "household.create",
            "registry.household",
            str(number),
            None,
            Jsonb({"village": code[:9], "head_name": head, "members": members, "is_active": active}),
            "Nhập tệp #1",
            "import:1",
            now,
        )
        for number, (code, _village, head, members, active, *_rest) in enumerate(households, start=1)
    ]
    columns = "actor_id, action, object_type, object_id, before, after, reason, source, created_at"
    types = ["int8", "varchar", "varchar", "varchar", "jsonb", "jsonb", "text", "varchar", "timestamptz"]
    seconds = []
    for _ in range(IMPORT_RUNS):
        clear()
        started = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:
                copy_rows(cursor, f"{AuditEntry._meta.db_table} ({columns})", types, rows)
        seconds.append(time.perf_counter() - started)
    print(f"database alone, audit entries: {statistics.median(seconds):.2f} s for {len(rows):,} (COPY and commit)")


def peak_memory_of_check(path: Path, user):
    """Check a file in a fresh process and return its peak resident memory in MB."""
    job = job_for(path, user)
    # National-size files are larger than the default upload limit for the web form.
    environment = {**os.environ, "KHUYENHOC_MAX_UPLOAD_BYTES": str(512 * 1024 * 1024)}
    code = (
        "import sys; sys.path.insert(0, 'bench'); import common, resource;"
        "from imports.models import ImportJob; from imports.services import run_preview;"
        f"job = ImportJob.objects.get(pk={job.pk}); run_preview(job); job.refresh_from_db();"
        "print(job.status, job.rows_total, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=environment
    ).stdout.split()
    return output[0], int(output[1]), int(output[2])


def main():
    ensure_data()
    analyse()
    user = persona("bench.admin", Role.SYSTEM_ADMIN)
    codes = village_codes()
    DATA.mkdir(parents=True, exist_ok=True)
    timed_csv = write_csv(DATA / f"households-{ROWS}.csv", ROWS, codes)
    villages = min(len(codes), -(-ROWS // HOUSEHOLDS_PER_VILLAGE))
    print(f"database: {connection.vendor}; file: {ROWS:,} new households in {villages:,} villages (CSV)")

    baselines = []
    for _ in range(IMPORT_RUNS):
        clear()
        baselines.append(per_row_baseline(timed_csv, BASELINE_ROWS))
    baseline = statistics.median(baselines)

    checks, saves, totals, audits = [], [], [], []
    audit = AuditTimer()
    for _ in range(IMPORT_RUNS):
        clear()
        check, save, audit_seconds = import_once(timed_csv, user, audit)
        checks.append(check)
        saves.append(save)
        totals.append(check + save)
        audits.append(audit_seconds)
    total = ROWS / statistics.median(totals)
    print(f"(medians of {IMPORT_RUNS} runs)")
    print(f"check (nothing written):   {ROWS / statistics.median(checks):>10,.0f} rows/s")
    print(f"save (one transaction):    {ROWS / statistics.median(saves):>10,.0f} rows/s")
    audit_seconds, save_seconds = statistics.median(audits), statistics.median(saves)
    print(
        f"of the save, audit entries: {audit_seconds:>8.2f} s of {save_seconds:.2f} s "
        f"({audit_seconds / save_seconds:.0%}; one per new household)"
    )
    print(f"upload → check → save:     {total:>10,.0f} rows/s  (goal: ≥ 50,000 on PostgreSQL)")
    print(f"baseline, per-row save():  {baseline:>10,.0f} rows/s  ({BASELINE_ROWS:,} rows)")
    print(f"ratio:                     {total / baseline:>10.1f}×  (goal: ≥ 20×)")
    again = job_for(timed_csv, user)
    started = time.perf_counter()
    run_preview(again)
    again.refresh_from_db()
    print(
        f"re-upload check, all unchanged: {ROWS / (time.perf_counter() - started):,.0f} rows/s; counts {again.counts}"
    )
    if connection.vendor == "postgresql":
        database_alone(timed_csv)
    clear()

    if os.environ.get("BENCH_SKIP_MEMORY"):
        return
    big_csv = write_csv(DATA / f"households-{MEMORY_ROWS}.csv", MEMORY_ROWS, codes)
    status, rows, megabytes = peak_memory_of_check(big_csv, user)
    print(f"peak memory, checking a {rows:,}-row CSV:  {megabytes:,} MB ({status}; goal: < 300 MB)")
    big_xlsx = write_xlsx(DATA / f"households-{MEMORY_ROWS}.xlsx", MEMORY_ROWS, codes)
    status, rows, megabytes = peak_memory_of_check(big_xlsx, user)
    print(f"peak memory, checking a {rows:,}-row xlsx: {megabytes:,} MB ({status}; goal: < 1 GB)")
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:,} MB)")


if __name__ == "__main__":
    main()
