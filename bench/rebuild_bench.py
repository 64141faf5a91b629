"""A national year's facts rebuilt, beside what PostgreSQL alone needs to read and write as much.

Goal (issue 17, item 5): the rebuild of one year within 1.5 times the database-alone bound, measured
in the same run; one evaluation's change reaching every ancestor in under 50 ms.

- rebuild: `rebuild_year(YEAR)` as `manage.py check_figures` and the generator run it, (a) with the
  year's facts in place (what a check finds: nothing or little to write) and (b) after the year's
  facts were deleted (every row written), each inside a transaction rolled back afterwards;
- the bound: a plain GROUP BY of the same evaluations (the year's households) by the column that holds
  their village, plus a COPY of as many rows as the year has facts into a copy of the fact table with
  its indexes; both with the work_mem the rebuild sets;
- a change: one household recognised in a random village, walked up to the country
  (`stats.facts.record_changes`), rolled back.

It reads an existing dataset (`manage.py generate_national --size 1.0`, about 30 minutes), named by
BENCH_DATABASE_URL (default: PostgreSQL database khuyenhoc_national). The machine is shared: the load
average is printed with every figure, and the ratio is what compares.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/khuyenhoc_national .venv/bin/python bench/rebuild_bench.py
"""

import os
import random
import statistics
import time

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khuyenhoc_national")

from common import analyse  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from core.bulk import copy_rows  # noqa: E402
from criteria.models import Title  # noqa: E402
from evaluations.models import Evaluation  # noqa: E402
from stats.facts import Key, record_changes  # noqa: E402
from stats.models import Fact, Measure  # noqa: E402
from stats.rebuild import rebuild_year  # noqa: E402
from stats.rebuild_sql import WORK_MEM  # noqa: E402
from stats.verify import rebuild_problems  # noqa: E402

YEAR = int(os.environ.get("BENCH_YEAR", 2024))
RUNS = int(os.environ.get("BENCH_RUNS", 3))
CHANGES = 30
FACT_COLUMNS = ["unit_id", "village_id", "year", "title", "measure", "own", "computed", "entered", "value"]
FACT_COLUMNS += ["entered_count"]


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def settings() -> str:
    with connection.cursor() as cursor:
        shown = []
        names = ("server_version", "shared_buffers", "work_mem", "max_parallel_workers_per_gather", "jit", "wal_level")
        for name in names:
            cursor.execute(f"SHOW {name}")
            shown.append(f"{name} {cursor.fetchone()[0]}")
    return ", ".join(shown)


def seconds(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def report(label: str, samples: list[float], unit="s") -> float:
    median = statistics.median(samples)
    shown = ", ".join(f"{s:.2f}" for s in samples)
    print(f"{label:<58} median {median:7.2f} {unit}  (runs: {shown}; load {load()})", flush=True)
    return median


def rebuild_and_check() -> None:
    """The rebuild, with the foreign keys' deferred checks of its rows (they run at commit; the
    transaction is rolled back instead)."""
    rebuild_year(YEAR)
    connection.check_constraints()


def rebuild_in_place() -> float:
    with transaction.atomic():
        taken = seconds(rebuild_and_check)
        transaction.set_rollback(True)
    return taken


def rebuild_from_nothing() -> float:
    with transaction.atomic():
        Fact.objects.filter(year=YEAR).delete()
        taken = seconds(rebuild_and_check)
        transaction.set_rollback(True)
    return taken


def vacuum_facts() -> None:
    """Every timed rebuild is rolled back, and the rows it wrote stay in the fact table, dead, until a
    vacuum: after a few runs 4 million of them doubled every time measured. Cleared before each round."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Fact._meta.db_table}")


def checkpointed(measure):
    """`measure` run right after a checkpoint: the log that the steps before it wrote (a logged copy,
    a rebuild from nothing: hundreds of megabytes) would otherwise be flushed by a checkpoint falling
    in whichever step came next, which made one side pay for the other."""

    def run(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
        return measure(*args, **kwargs)

    return run


def grouped_read() -> float:
    sql = (
        "SELECT household_village_id, COUNT(*), SUM(CASE WHEN recognised THEN 1 ELSE 0 END) "
        f"FROM {Evaluation._meta.db_table} WHERE year = %s AND title = %s GROUP BY household_village_id"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        return seconds(lambda: cursor.execute(sql, [YEAR, Title.HOUSEHOLD]) or cursor.fetchall())


def copy_into_a_copy(rows: list[tuple], *, kind: str) -> float:
    """`kind` "TEMPORARY": a copy PostgreSQL writes without its log and in the backend's own buffers,
    as the earlier sessions measured it; "": a table like the fact table itself, logged and shared."""
    table = Fact._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE {kind} TABLE bench_fact_copy (LIKE {table} INCLUDING ALL)")
        types = ["int8", "int8", "int2", "varchar", "varchar", "int8", "int8", "int8", "int8", "int4"]
        taken = seconds(lambda: copy_rows(cursor, f"bench_fact_copy ({', '.join(FACT_COLUMNS)})", types, rows))
        transaction.set_rollback(True)
    return taken


def change_walk(village_ids: list[int]) -> list[float]:
    samples = []
    for village_id in random.Random(7).sample(village_ids, min(CHANGES, len(village_ids))):
        with transaction.atomic():
            started = time.perf_counter()
            record_changes({Key.at_village(village_id, YEAR, Title.HOUSEHOLD, Measure.RECOGNISED): 1})
            samples.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return samples


def main():
    analyse()
    vacuum_facts()
    # Warm: the tables in the cache as for the bound's reads; builds the year if it has no facts yet.
    started = time.perf_counter()
    rebuild_year(YEAR)
    print(f"first rebuild (warming, committed): {time.perf_counter() - started:.1f} s; load {load()}", flush=True)
    evaluations = Evaluation.objects.filter(year=YEAR, title=Title.HOUSEHOLD).count()
    rows = list(Fact.objects.filter(year=YEAR).values_list(*FACT_COLUMNS))
    print(f"== national rebuild of {YEAR}: {evaluations:,} household evaluations, {len(rows):,} fact rows")
    print(f"{os.cpu_count()} cores; PostgreSQL {settings()}; the rebuild sets work_mem {WORK_MEM}", flush=True)
    in_place, from_nothing, bound_read, bound_copy, bound_logged = [], [], [], [], []
    for _run in range(RUNS):  # interleaved, so that a burst of load meets both sides
        vacuum_facts()
        bound_read.append(checkpointed(grouped_read)())
        bound_copy.append(checkpointed(copy_into_a_copy)(rows, kind="TEMPORARY"))
        bound_logged.append(checkpointed(copy_into_a_copy)(rows, kind=""))
        in_place.append(checkpointed(rebuild_in_place)())
        from_nothing.append(checkpointed(rebuild_from_nothing)())
    read = report("bound: GROUP BY of the evaluations by their village column", bound_read)
    written = report(f"bound: COPY of {len(rows):,} rows into a temporary copy", bound_copy)
    logged = report(f"bound: COPY of {len(rows):,} rows into a logged copy", bound_logged)
    bounds = {"temporary copy": read + written, "logged copy": read + logged}
    for name, bound in bounds.items():
        print(f"{'bound: both, ' + name:<58} {bound:14.2f} s")
    for label, samples in (
        ("rebuild_year, the year's facts in place", in_place),
        ("rebuild_year, the year's facts deleted first", from_nothing),
    ):
        median = report(label, samples)
        for name, bound in bounds.items():
            print(f"{'  ratio to the bound, ' + name + ' (goal: at most 1.5)':<58} {median / bound:14.2f}")
    villages = list(
        Fact.objects.filter(year=YEAR, title=Title.HOUSEHOLD, measure=Measure.REGISTERED, village__isnull=False)
        .values_list("village_id", flat=True)
        .distinct()
    )
    samples = change_walk(villages)
    samples.sort()
    print(
        f"{'one evaluation recognised → every ancestor (goal < 50 ms)':<58} median {statistics.median(samples):7.1f} ms"
        f"  (p95 {samples[int(len(samples) * 0.95) - 1]:.1f} ms, {len(samples)} runs; load {load()})"
    )
    if os.environ.get("BENCH_VERIFY", "1") == "1":
        started = time.perf_counter()
        problems = rebuild_problems(YEAR)
        print(
            f"the stored facts against the Python reference (verify): {len(problems)} differences "
            f"({time.perf_counter() - started:.0f} s)"
        )
        for problem in problems[:5]:
            print("  ", problem)


if __name__ == "__main__":
    main()
