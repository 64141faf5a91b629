"""Statistics benchmark on a national-size dataset (stats/generator.py), each figure beside its baseline.

Goals: a full rebuild of the evaluated year's facts from 27 million evaluations under 60 s; one
evaluation changed → every ancestor updated under 50 ms; a province's and the national figures read
from facts in milliseconds, also at 20 concurrent connections. Baselines, in the same run: a plain
GROUP BY of the evaluations per village (what reading from raw rows costs), and DuckDB running the
same aggregation over the same rows exported with COPY.

BENCH_STATS_SIZE sets the share of the national size (default 1.0 on PostgreSQL, 0.002 on SQLite).
The dataset lives in its own database, because the other benchmarks empty the households table:
BENCH_STATS_DATABASE_URL, by default database khuyenhoc_stats_bench on the BENCH_DATABASE_URL server,
or bench/data/stats.sqlite3. It is generated once and kept; a dataset of another size is dropped
and generated again. The measurements run in a child process that opens that database.
"""

import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import http_load
from common import ROOT, analyse, timed
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from areas.models import AdministrativeUnit, Level, Tree, subtree_q
from criteria.models import Title
from evaluations.models import Evaluation
from registry.models import Household
from stats.facts import Key, record_changes
from stats.models import Fact, Measure
from stats.rebuild import entered_values, rebuild_year, records_own, rolled_up, write_facts

YEAR = 2024
NATIONAL_HOUSEHOLDS = 27_000_000
DATABASE_NAME = "khuyenhoc_stats_bench"
OTHER_SIZE = 3  # the child's exit code when the database holds a dataset of another size
CHANGES = 50
READS_PER_THREAD = 50
PROVINCE_CODE = "01"  # Hà Nội, the largest province before 2025
DATA = ROOT / "bench" / "data"


def main():
    print("\n== statistics", flush=True)
    url = stats_database_url()
    for attempt in range(2):
        create_database(url)
        environment = {**os.environ, "BENCH_DATABASE_URL": url, "BENCH_STATS_SIZE": str(size_for(url))}
        child = subprocess.run([sys.executable, __file__, "--measure"], cwd=ROOT, env=environment)
        if child.returncode != OTHER_SIZE or attempt:
            child.check_returncode()
            return
        print("the stats database holds another size: dropping it and generating again", flush=True)
        drop_database(url)


def stats_database_url() -> str:
    if os.environ.get("BENCH_STATS_DATABASE_URL"):
        return os.environ["BENCH_STATS_DATABASE_URL"]
    if os.environ.get("BENCH_DATABASE_URL"):
        return f"{os.environ['BENCH_DATABASE_URL'].rsplit('/', 1)[0]}/{DATABASE_NAME}"
    return f"sqlite:///{DATA / 'stats.sqlite3'}"


def size_for(url: str) -> float:
    return float(os.environ.get("BENCH_STATS_SIZE") or (0.002 if url.startswith("sqlite") else 1.0))


def _server(url: str):
    import psycopg

    server, name = url.rsplit("/", 1)
    return psycopg.connect(f"{server}/postgres", autocommit=True), name


def create_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    server, name = _server(url)
    with server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            server.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    server, name = _server(url)
    with server:
        server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


# In the child process, on the stats database --------------------------------------------------------


def measure():
    size = float(os.environ["BENCH_STATS_SIZE"])
    ensure_dataset(size)
    analyse()
    households = Household.objects.count()
    evaluations = Evaluation.objects.filter(year=YEAR, title=Title.HOUSEHOLD)
    villages = Fact.objects.filter(year=YEAR, title=Title.HOUSEHOLD, measure=Measure.REGISTERED, village__isnull=False)
    print(f"database: {connection.vendor}; {machine()}")
    print(
        f"size {size} (BENCH_STATS_SIZE): {villages.count():,} villages with evaluations, {households:,} households, "
        f"{evaluations.count():,} household evaluations of {YEAR}\n"
    )
    rebuild_figures(evaluations)
    change_figures(list(villages.values_list("village_id", flat=True)))
    read_figures()
    read_over_http()


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    described = f"{os.cpu_count()} cores, {memory:.0f} GiB"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            settings = []
            for name in ("server_version", "shared_buffers", "work_mem", "max_parallel_workers_per_gather"):
                cursor.execute(f"SHOW {name}")
                settings.append(f"{name} {cursor.fetchone()[0]}")
        described += "; PostgreSQL " + ", ".join(settings)
    return described


def ensure_dataset(size: float) -> None:
    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.exists():
        call_command("load_admin_units")
    households, expected = Household.objects.count(), NATIONAL_HOUSEHOLDS * size
    if households and abs(households - expected) > 0.1 * expected + 100:
        sys.exit(OTHER_SIZE)
    if households:
        return
    print(f"generating the dataset at size {size} (once; kept in the stats database)", flush=True)
    started = time.perf_counter()
    call_command("generate_national", size=size, seed=2026, year=YEAR, stdout=sys.stdout)
    print(f"generated in {time.perf_counter() - started:.0f} s\n", flush=True)


def once(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def rebuild_figures(evaluations):
    print(f"== full rebuild of {YEAR}'s facts from the evaluations (goal: < 60 s)")
    seconds, rows = once(lambda: rebuild_year(YEAR))
    print(f"rebuild_year({YEAR}):                  {seconds:8.3f} s  ({rows:,} fact rows written)")
    # Where the time goes: the same steps rebuild_year takes, one by one.
    grouped = (
        evaluations.values("household__village_id")
        .annotate(registered=Count("pk"), recognised=Count("pk", Q(recognised=True)))
        .order_by()
    )
    step, _rows = once(lambda: list(grouped))
    print(f"  of which the households' grouped query: {step:7.3f} s")
    step, own = once(lambda: records_own(YEAR))
    print(f"  records_own (all grouped queries):     {step:7.3f} s")
    step, entered = once(lambda: entered_values(YEAR))
    print(f"  entered_values:                        {step:7.3f} s")
    step, facts = once(lambda: rolled_up(YEAR, own, entered))
    print(f"  rolled_up (roll-up in Python):         {step:7.3f} s")

    def write():
        with transaction.atomic():
            Fact.objects.filter(year=YEAR).delete()
            write_facts(facts)

    step, _ = once(write)
    print(f"  delete + write (COPY) of the rows:     {step:7.3f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql, params = grouped.query.sql_with_params()
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        print("  its plan: " + "\n            ".join(line for line in plan if "->" in line or "Execution" in line))

    table, households = Evaluation._meta.db_table, Household._meta.db_table
    per_village = (
        f"SELECT h.village_id, COUNT(*), SUM(CASE WHEN e.recognised THEN 1 ELSE 0 END) FROM {table} e "
        f"JOIN {households} h ON h.id = e.household_id WHERE e.year = %s AND e.title = %s GROUP BY h.village_id"
    )
    per_commune = (
        f"SELECT e.area_id, COUNT(*), SUM(CASE WHEN e.recognised THEN 1 ELSE 0 END) FROM {table} e "
        f"WHERE e.year = %s AND e.title = %s GROUP BY e.area_id"
    )
    with connection.cursor() as cursor:
        seconds, _ = once(lambda: cursor.execute(per_village, [YEAR, Title.HOUSEHOLD]) or cursor.fetchall())
        print(f"baseline (a): plain GROUP BY per village: {seconds:7.3f} s  (joins the households for their village)")
        seconds, _ = once(lambda: cursor.execute(per_commune, [YEAR, Title.HOUSEHOLD]) or cursor.fetchall())
        print(f"              the same per commune (no join): {seconds:7.3f} s")
    duckdb_figures()
    print()


def duckdb_figures():
    import duckdb

    evaluations_csv, households_csv = DATA / "stats-evaluations.csv", DATA / "stats-households.csv"
    table, households = Evaluation._meta.db_table, Household._meta.db_table
    exported = (
        (
            f"SELECT household_id, CAST(recognised AS INTEGER) FROM {table} "
            f"WHERE year = {YEAR} AND title = '{Title.HOUSEHOLD}'",
            evaluations_csv,
        ),
        (f"SELECT id, village_id FROM {households}", households_csv),
    )
    seconds, _ = once(lambda: [export_csv(sql, path) for sql, path in exported])
    megabytes = sum(path.stat().st_size for _sql, path in exported) / 2**20
    print(f"baseline (b): export with COPY to CSV:   {seconds:7.3f} s  ({megabytes:,.0f} MB)")
    read = (
        f"read_csv('{evaluations_csv}', header = false, "
        "columns = {'household_id': 'BIGINT', 'recognised': 'INTEGER'})",
        f"read_csv('{households_csv}', header = false, columns = {{'id': 'BIGINT', 'village_id': 'BIGINT'}})",
    )
    query = (
        "SELECT h.village_id, count(*) AS registered, sum(e.recognised) AS recognised FROM {} e "
        "JOIN {} h ON h.id = e.household_id GROUP BY h.village_id"
    )
    try:
        database = duckdb.connect()
        seconds, rows = once(lambda: database.execute(query.format(*read)).fetchall())
        print(f"              DuckDB, query over the CSV files: {seconds:7.3f} s  ({len(rows):,} villages)")
        seconds, _ = once(
            lambda: [
                database.execute(f"CREATE TABLE {name} AS SELECT * FROM {source}")
                for name, source in zip(("e", "h"), read, strict=True)
            ]
        )
        print(f"              DuckDB, loading them into tables:  {seconds:7.3f} s")
        seconds, again = once(lambda: database.execute(query.format("e", "h")).fetchall())
        print(f"              DuckDB, query over the tables:     {seconds:7.3f} s")
        assert sorted(rows) == sorted(again)
        database.close()
    finally:
        evaluations_csv.unlink(missing_ok=True)
        households_csv.unlink(missing_ok=True)


def export_csv(sql: str, path: Path) -> None:
    """COPY … TO STDOUT on PostgreSQL; SQLite has no COPY, so its rows go through the csv module."""
    with connection.cursor() as cursor, path.open("wb") as handle:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT CSV)") as copy:
                for block in copy:
                    handle.write(block)
            return
        import csv
        import io

        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        cursor.execute(sql)
        csv.writer(text).writerows(_rows(cursor))
        text.flush()
        text.detach()


def _rows(cursor):
    while batch := cursor.fetchmany(10_000):
        yield from batch


def change_figures(village_ids):
    print(f"== one evaluation recognised → its village and every ancestor updated (goal: < 50 ms; {CHANGES} runs)")
    villages = random.Random(7).sample(village_ids, min(CHANGES, len(village_ids)))
    samples = []
    for village_id in villages:
        with transaction.atomic():
            started = time.perf_counter()
            record_changes({Key.at_village(village_id, YEAR, Title.HOUSEHOLD, Measure.RECOGNISED): 1})
            samples.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    samples.sort()
    median, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
    print(f"record_changes (inside a transaction, rolled back): {median:6.1f} / {p95:6.1f} ms  (median / p95)\n")


def read_figures():
    province = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code=PROVINCE_CODE)

    def province_facts():
        return list(Fact.objects.filter(unit=province, year=YEAR).values_list("title", "measure", "value"))

    def national_facts():
        provinces = Fact.objects.filter(unit__tree=Tree.PRE_2025, unit__level=Level.PROVINCE, year=YEAR)
        return list(provinces.values("title", "measure").annotate(total=Sum("value")).order_by())

    def province_from_rows():
        under = Evaluation.objects.filter(subtree_q("area__path", province.path), year=YEAR, title=Title.HOUSEHOLD)
        return under.aggregate(registered=Count("pk"), recognised=Count("pk", Q(recognised=True)))

    print(f"== reading figures from facts, {YEAR} ({province.name} and the whole country, pre-2025 tree)")
    print("median / p95 in ms; each thread has its own database connection")
    for label, function in (("a province's facts", province_facts), ("national: sum over provinces", national_facts)):
        for threads in (1, 20):
            median, p95, rate = concurrent(function, threads)
            print(f"{label:<30} {threads:>2} thread(s): {median:7.2f} / {p95:7.2f}  ({rate:,.0f} reads/s)")
    median, p95 = timed(province_from_rows, repeats=5)
    print(f"baseline: the province counted from its evaluations:  {median:7.1f} / {p95:7.1f}  (5 runs)")
    print("baseline for the national figures: (a) above")


HTTP_CLIENTS = 20
HTTP_REQUESTS_EACH = 25
PACED_CLIENTS, PACED_SECONDS = 50, int(os.environ.get("BENCH_PACED_SECONDS", 60))


def read_over_http():
    """The figures API as users call it: gunicorn on this database, 20 clients at once
    (bench/http_load.py)."""
    from accounts.models import User
    from accounts.roles import Role
    from accounts.tokens import token_issue

    user, _created = User.objects.get_or_create(username="bench.stats", defaults={"role": Role.SYSTEM_ADMIN})
    _token, key = token_issue(actor=user, account=user, name="bench")
    requests = {
        f"province {PROVINCE_CODE}, {YEAR}": f"/api/v1/statistics/figures/?area=pre2025:{PROVINCE_CODE}&year={YEAR}",
        f"whole country, {YEAR}": f"/api/v1/statistics/figures/?year={YEAR}&tree=pre2025",
        f"province {PROVINCE_CODE} with its districts": (
            f"/api/v1/statistics/figures/?area=pre2025:{PROVINCE_CODE}&year={YEAR}&children=true"
        ),
        "whole country, 2025 tree, 2024 mapped": f"/api/v1/statistics/figures/?year={YEAR}&tree=2025",
    }
    headers = {"Authorization": f"Token {key}"}
    with http_load.served(os.environ["BENCH_DATABASE_URL"], next(iter(requests.values())), headers):
        print(f"\n== the figures API over HTTP (goal: p95 < 100 ms at {HTTP_CLIENTS} clients)")
        print(
            f"server: gunicorn, {http_load.WORKERS} sync workers on {os.cpu_count()} cores, warmed up; load: "
            f"{HTTP_CLIENTS} Python threads on the same cores, each with its own connection, {HTTP_REQUESTS_EACH} "
            "requests each; median / p95 in ms"
        )
        for path in requests.values():
            http_load.warm(http_load.getter(path, headers))
        for label, path in requests.items():
            get = http_load.getter(path, headers)
            for clients in (1, HTTP_CLIENTS):
                median, p95, rate = http_load.concurrent_http(get, clients, HTTP_REQUESTS_EACH)
                print(f"{label:<42} {clients:>2} client(s): {median:8.1f} / {p95:8.1f}  ({rate:,.0f} requests/s)")
        gets = [http_load.getter(path, headers) for path in requests.values()]
        median, p95, rate, errors, sent = http_load.paced(gets, PACED_CLIENTS, PACED_SECONDS, wait=1.0)
        print(
            f"\n{PACED_CLIENTS} clients, each waiting 1 s after every answer, for {PACED_SECONDS} s, the four requests "
            f"in turn: {sent:,} requests, {errors} errors; median / p95 {median:.1f} / {p95:.1f} ms; "
            f"{rate:.1f} requests/s"
        )


def concurrent(function, threads: int):
    samples, lock, started = [], threading.Lock(), []
    barrier = threading.Barrier(threads, action=lambda: started.append(time.perf_counter()))

    def worker():
        try:
            function()  # opens this thread's connection
            barrier.wait()
            mine = []
            for _ in range(READS_PER_THREAD):
                started = time.perf_counter()
                function()
                mine.append((time.perf_counter() - started) * 1000)
            with lock:
                samples.extend(mine)
        finally:
            connection.close()

    return http_load.run_together(worker, threads, samples, started)


if __name__ == "__main__":
    if "--measure" in sys.argv:
        measure()
    else:
        main()
