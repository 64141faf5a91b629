"""Many evaluations saved at once, on the demo province: a village meeting's grid of 600 new households
(registered and marked on the set's 7 criteria) and "approve everything that matches" for Phường Bắc
Kạn's households of 2025, each in a transaction rolled back after it is timed.

Baseline, in the same run: the same rows through the single-evaluation services one at a time, as a
page saving one evaluation does (no lookups remembered between rows, each registration announced on
its own). Both write the same rows; the batch only asks once what every row shares.

The database: BENCH_DEMO_DATABASE_URL, or the demo's own SQLite (bench/data/demo.sqlite3, built on
first run). Runs: BENCH_BATCH_RUNS (3). Run alone or from bench/run.py.
"""

import os
import statistics
import time

from demo_common import ensure_demo, start_django

start_django(os.environ.get("BENCH_DEMO_DATABASE_URL"))

from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from areas.models import VillagePlacement  # noqa: E402
from criteria.models import Scoring  # noqa: E402
from criteria.services import definition_of  # noqa: E402
from evaluations import batch, services  # noqa: E402
from evaluations.models import Evaluation, EvaluationState  # noqa: E402
from registry.models import Household  # noqa: E402
from registry.services import household_create  # noqa: E402

RUNS = int(os.environ.get("BENCH_BATCH_RUNS", 3))
YEAR = 2025
MEETING = 600


class RolledBack(Exception):
    pass


def rolled_back(function, argument):
    """`function(argument)` and the queries it made, in a transaction that is rolled back after it."""
    queries, result = [0], []

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    try:
        with transaction.atomic(), connection.execute_wrapper(count):
            result.append(function(argument))
            raise RolledBack
    except RolledBack:
        pass
    return result[0], queries[0]


def meeting_rows(officer):
    """A village of the officer's commune with MEETING households and no evaluation in YEAR (made in
    the caller's transaction), and the grid's rows: every criterion marked in full."""
    village = VillagePlacement.objects.covering(YEAR).filter(commune=officer.unit).first().village
    Evaluation.objects.filter(year=YEAR, household__village=village).delete()
    present = Household.objects.filter(village=village, is_active=True).count()
    for number in range(MEETING - present):
        household_create(actor=officer, village=village, head_name=f"Hộ đo số {number}", members=4)
    criteria_set = services.criteria_set_for("household", YEAR, officer.unit)
    marks = {
        leaf.key: True if leaf.scoring == Scoring.PASS_FAIL else leaf.max_points
        for leaf in definition_of(criteria_set).leaves
    }
    households = Household.objects.filter(village=village, is_active=True)
    return criteria_set, [(household, None, marks) for household in households]


def grid_batch(officer):
    criteria_set, rows = meeting_rows(officer)
    start = time.perf_counter()
    batch.evaluations_mark_many(actor=officer, year=YEAR, criteria_set=criteria_set, rows=rows)
    return time.perf_counter() - start


def grid_one_at_a_time(officer):
    criteria_set, rows = meeting_rows(officer)
    start = time.perf_counter()
    for household, _version, marks in rows:
        evaluation = services.evaluation_register(
            actor=officer, title="household", year=YEAR, subject=household, criteria_set=criteria_set
        )
        services.evaluation_marks_save(actor=officer, evaluation=evaluation, version=evaluation.version, marks=marks)
    return time.perf_counter() - start


def waiting(officer):
    """The commune's approved household evaluations of YEAR put back to submitted (in the caller's
    transaction), to be approved again."""
    chosen = Evaluation.objects.filter(area=officer.unit, year=YEAR, title="household")
    chosen.filter(state=EvaluationState.APPROVED).update(state=EvaluationState.SUBMITTED, approved_at=None)
    return [(e, e.version) for e in chosen.filter(state=EvaluationState.SUBMITTED).select_related("area", "household")]


def approve_batch(officer):
    items = waiting(officer)
    start = time.perf_counter()
    batch.evaluations_decide(actor=officer, items=items, approve=True)
    return time.perf_counter() - start, len(items)


def approve_one_at_a_time(officer):
    items = waiting(officer)
    start = time.perf_counter()
    for evaluation, version in items:
        services.evaluation_approve(actor=officer, evaluation=evaluation, version=version)
    return time.perf_counter() - start, len(items)


def measure(name, function, officer):
    """Median seconds of the timed part over RUNS, and the queries of the whole (setup included)."""
    seconds, queries, size = [], 0, None
    for _ in range(RUNS):
        value, queries = rolled_back(function, officer)
        if isinstance(value, tuple):
            value, size = value
        seconds.append(value)
    median = statistics.median(seconds)
    runs = ", ".join(f"{s:.2f}" for s in seconds)
    print(f"  {name}: {median:.2f} s (runs {runs}; {queries:,} queries with the setup)", flush=True)
    return median, size


def main():
    ensure_demo()
    officer = User.objects.get(username="xa.backan")
    print(f"== {MEETING} households of a village meeting, registered and marked ({connection.vendor})")
    for_batch, _ = measure("the grid's batch", grid_batch, officer)
    for_rows, _ = measure("one at a time (baseline)", grid_one_at_a_time, officer)
    print(f"  batch / one at a time: {for_batch / for_rows:.2f}")
    print(f"== approving every waiting household evaluation of {officer.unit} ({YEAR})")
    for_batch, size = measure("approve everything that matches", approve_batch, officer)
    for_rows, _ = measure("one at a time (baseline)", approve_one_at_a_time, officer)
    print(f"  {size:,} evaluations; batch / one at a time: {for_batch / for_rows:.2f}")


if __name__ == "__main__":
    main()
