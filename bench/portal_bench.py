"""The public portal served from its cache, as a visitor's browser or a proxy asks for it: through the
whole Django stack with the test client, anonymous, on the demo's own SQLite database (built on first
run: bench/data/portal.sqlite3, a few minutes; PORTAL_BENCH_DATABASE names another demo database).

Goal: a portal page served from cache under 20 ms. Three ways per page, in the same run:
- cold: the kept pages emptied, the page read and drawn from the figures (the baseline);
- kept: a new visitor (no ETag) served the body kept under the current data version;
- 304: a browser that sends the ETag it holds, answered "not modified".
Run alone (`python bench/portal_bench.py`).
"""

import os
import sys

from demo_common import REPEATS, ROOT, start_django, timed
from demo_common import ensure_demo as ensure_demo_records

DATABASE = os.environ.get("PORTAL_BENCH_DATABASE") or str(ROOT / "bench" / "data" / "portal.sqlite3")
start_django(f"sqlite:///{DATABASE}")

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from areas.models import AdministrativeUnit  # noqa: E402
from portal import services  # noqa: E402
from portal.models import PublishedAreaYear  # noqa: E402

GOAL_MS = 20

PAGES = [
    ("first page (provinces)", "/cong-khai/"),
    ("old province 06, trends and decisions", "/cong-khai/khu-vuc/?area=pre2025:06"),
    ("old province 06, 2017 with its districts", "/cong-khai/khu-vuc/?area=pre2025:06&year=2017"),
    ("new province 19, 2025 with its communes", "/cong-khai/khu-vuc/?area=2025:19&year=2025"),
    ("open data CSV, old province 06, 2017", "/cong-khai/du-lieu.csv?area=pre2025:06&year=2017"),
    ("sitemap", "/cong-khai/sitemap.xml"),
]
PUBLISHED = [("pre2025", "06", 2016), ("pre2025", "06", 2017), ("pre2025", "06", 2018), ("2025", "19", 2025)]


def ensure_demo():
    ensure_demo_records()
    admin = User.objects.filter(role=Role.SYSTEM_ADMIN).first()
    for tree, code, year in PUBLISHED:
        unit = AdministrativeUnit.objects.get(tree=tree, code=code)
        if not PublishedAreaYear.objects.filter(unit=unit, year=year).exists():
            services.area_year_publish(actor=admin, unit=unit, year=year)


def main():
    ensure_demo()
    client = Client(HTTP_HOST="localhost")
    print(f"{REPEATS} runs each, ms (median / p95); goal: served from cache under {GOAL_MS} ms")
    print(f"{'page':45} {'cold':>15} {'kept':>15} {'304':>15}")
    worst = 0.0
    for label, url in PAGES:
        first = client.get(url)
        assert first.status_code == 200, (url, first.status_code)
        etag = first["ETag"]

        def cold(url=url):
            cache.clear()
            assert client.get(url).status_code == 200

        def kept(url=url):
            assert client.get(url).status_code == 200

        def not_modified(url=url, etag=etag):
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

        results = [timed(cold), timed(kept), timed(not_modified)]
        worst = max(worst, results[1][1], results[2][1])
        cells = [f"{median:6.1f} / {p95:6.1f}" for median, p95 in results]
        print(f"{label:45} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15}")
    verdict = "met" if worst < GOAL_MS else "NOT met"
    print(f"served from cache: worst p95 {worst:.1f} ms — goal {verdict}")
    return 0 if worst < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
