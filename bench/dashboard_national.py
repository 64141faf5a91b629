"""The dashboards on the national dataset under concurrent clients (issue 13: the national dashboard and a
province's under 150 ms p95 at 20 clients; the whole country's map data under 200 ms), through gunicorn
as in production (bench/http_load.py), signed in as a system administrator who sees everything.
Baseline in the same run: the statistics page of the same area and year at the same number of clients,
which reads the same figures without targets, trend, ranking, map and warnings. The dashboards keep what
they drew while the data has not changed (stats/caching.py): the served figures are the kept ones (every
worker is warmed first), and each dashboard's first request after a change, with nothing kept, is timed
apart in this process (its slowest of 5 runs is shown in the p95 column).

The database: BENCH_DATABASE_URL, holding `manage.py generate_national`'s data (size 1.0 for the issue's
figures; any size runs). Never run by CI.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/khuyenhoc_national \
        .venv/bin/python bench/dashboard_national.py
"""

import os
import statistics
import sys
import time

import http_load

if not os.environ.get("BENCH_DATABASE_URL"):
    sys.exit("BENCH_DATABASE_URL: a database holding generate_national's data")

from demo_common import start_django  # noqa: E402

start_django(os.environ["BENCH_DATABASE_URL"])

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from areas.models import Village  # noqa: E402
from criteria.models import Title  # noqa: E402
from evaluations.models import Evaluation  # noqa: E402

YEAR = int(os.environ.get("BENCH_NATIONAL_YEAR", 2024))
PROVINCE = os.environ.get("BENCH_PROVINCE", "01")  # Hà Nội, the largest province on both trees
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 20))
REQUESTS_EACH = int(os.environ.get("BENCH_REQUESTS_EACH", 10))
DASHBOARD_GOAL_MS, MAP_GOAL_MS = 150, 200

DASHBOARDS = [
    ("whole country, pre-2025 tree", f"/dashboards/?tree=pre2025&year={YEAR}", f"/statistics/?year={YEAR}"),
    (
        f"province {PROVINCE}, pre-2025 tree",
        f"/dashboards/?area=pre2025:{PROVINCE}&year={YEAR}",
        f"/statistics/?area=pre2025:{PROVINCE}&year={YEAR}",
    ),
    (
        f"whole country, 2025 tree, {YEAR} mapped",
        f"/dashboards/?tree=2025&year={YEAR}",
        f"/statistics/?tree=2025&year={YEAR}",
    ),
    (
        f"province {PROVINCE}, 2025 tree, {YEAR} mapped",
        f"/dashboards/?area=2025:{PROVINCE}&year={YEAR}",
        f"/statistics/?area=2025:{PROVINCE}&year={YEAR}",
    ),
]
MAPS = [
    ("map data, whole country, pre-2025 tree", f"/dashboards/map/?tree=pre2025&year={YEAR}"),
    ("map data, whole country, 2025 tree", f"/dashboards/map/?tree=2025&year={YEAR}"),
]


def session_headers() -> dict:
    """A signed-in system administrator's session cookie (sessions are rows in the database the server reads)."""
    user, _created = User.objects.get_or_create(username="bench.dashboards", defaults={"role": Role.SYSTEM_ADMIN})
    client = Client()
    client.force_login(user)
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def cold(path: str, runs: int = 5) -> tuple[float, float, float]:
    """The first request after the data changed (nothing kept), in this process: what the first officer
    to open the dashboard waits for; (median ms, slowest ms, requests per second)."""
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="bench.dashboards"))
    samples = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples), 1000 / statistics.median(samples)


def line(label: str, clients: int, figures: tuple[float, float, float], goal: float | None) -> None:
    median, p95, rate = figures
    verdict = "" if goal is None else ("met" if p95 < goal else "MISSED")
    print(f"{label:<66} {clients:>3} {median:8.1f} {p95:8.1f} {rate:8.1f}  {verdict}", flush=True)


def main():
    households = Evaluation.objects.filter(year=YEAR, title=Title.HOUSEHOLD).count()
    villages = Village.objects.count()
    headers = session_headers()
    print(
        f"national dataset: {households:,} household evaluations of {YEAR}, {villages:,} villages; "
        f"gunicorn, {http_load.WORKERS} workers on {os.cpu_count()} cores; clients on the same cores; load average "
        f"{os.getloadavg()[0]:.1f} at the start"
    )
    print(f"{'request':<66} {'n':>3} {'median':>8} {'p95':>8} {'req/s':>8}")
    for label, dashboard, _baseline in DASHBOARDS:
        line(f"nothing kept: dashboard, {label}", 1, cold(dashboard), None)
    for label, path in MAPS:
        line(f"nothing kept: {label}", 1, cold(path), None)
    with http_load.served(os.environ["BENCH_DATABASE_URL"], MAPS[0][1], headers):
        for label, dashboard, baseline in DASHBOARDS:
            for path in (dashboard, baseline):
                http_load.warm(http_load.getter(path, headers))
            for clients in (1, CLIENTS):
                measured = http_load.concurrent_http(http_load.getter(dashboard, headers), clients, REQUESTS_EACH)
                line(f"dashboard: {label}", clients, measured, DASHBOARD_GOAL_MS if clients == CLIENTS else None)
                measured = http_load.concurrent_http(http_load.getter(baseline, headers), clients, REQUESTS_EACH)
                line("  baseline: the statistics page of the same", clients, measured, None)
        for label, path in MAPS:
            http_load.warm(http_load.getter(path, headers))
            line(label, 1, http_load.concurrent_http(http_load.getter(path, headers), 1, 30), MAP_GOAL_MS)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
