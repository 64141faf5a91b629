"""The map data of the whole country (issue 13: under 200 ms): the dashboard's JSON of every commune's
point, through the whole Django stack, for the pre-2025 tree (about 10,000 old communes) and the 2025
tree (3,321 new communes, the year mapped from the old ones), 30 runs after a warm-up, median and p95,
and the median CPU time of this process per request (on a shared machine the wall time also holds the
wait for a core; the CPU time is the server's own Python work). Baseline in the same run: the plain
query of the communes' two figures alone (their facts, no drawing, no JSON).

The database: BENCH_MAP_DATABASE_URL, a national dataset on PostgreSQL (`generate_national`, any size:
the communes and their coordinates come with the units, so the map is national at every size).
"""

import os
import statistics
import sys
import time

from demo_common import timed

if not os.environ.get("BENCH_MAP_DATABASE_URL"):
    sys.exit("BENCH_MAP_DATABASE_URL: a database holding generate_national's data")

from demo_common import start_django  # noqa: E402

start_django(os.environ["BENCH_MAP_DATABASE_URL"])

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from areas.models import Level, Tree  # noqa: E402
from stats.models import Fact  # noqa: E402

GOAL_MS = 200
YEAR = int(os.environ.get("BENCH_MAP_YEAR", 2024))


def facts_alone() -> None:
    """The baseline: the old communes' base and recognised households of the year (where both trees'
    maps read them from: the 2025 tree's through the successions)."""
    facts = Fact.objects.filter(
        unit__tree=Tree.PRE_2025,
        unit__level=Level.COMMUNE,
        year=YEAR,
        title="household",
        measure__in=["base", "recognised"],
    )
    list(facts.values_list("unit_id", "measure", "value"))


def cpu_median(function, repeats: int = 10) -> float:
    runs = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        runs.append((time.process_time() - start) * 1000)
    return statistics.median(runs)


def main():
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench-map", None, "x")
    client = Client(SERVER_NAME="localhost")
    client.force_login(admin)
    print(f"national map data, {YEAR}; median / p95 ms; goal < {GOAL_MS} ms")
    for tree in (Tree.PRE_2025, Tree.Y2025):
        response = client.get("/dashboards/map/", {"tree": tree, "year": YEAR})
        assert response.status_code == 200, response.content[:300]
        points = len(response.json()["x"])

        def fetch(t=tree):
            return client.get("/dashboards/map/", {"tree": t, "year": YEAR})

        median, p95 = timed(fetch)
        verdict = "met" if p95 < GOAL_MS else "MISSED"
        print(
            f"map data, {tree} tree: {points} communes, {len(response.content) // 1024} KB: "
            f"{median:.1f} / {p95:.1f}  {verdict}; CPU {cpu_median(fetch):.1f}"
        )
        median, p95 = timed(facts_alone)
        print(f"  baseline: the communes' facts alone: {median:.1f} / {p95:.1f}", flush=True)


if __name__ == "__main__":
    main()
