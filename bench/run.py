"""Benchmarks (make bench; never in CI). Prints each figure beside a baseline measured in the same run.

Search: any unit or village by name, with or without diacritics, with 100,000 villages loaded.
Goal: under 50 ms. Baseline: folding every name in Python per query (what a search without a
stored diacritic-free column would have to do).

Uses its own database: bench/data/bench.sqlite3, or BENCH_DATABASE_URL (e.g. PostgreSQL).
"""

import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'bench.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyenhoc.settings")
warnings.filterwarnings("ignore", "No directory at")  # static files are not collected for benchmarks

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from areas.demo import FIRST_SYLLABLES, SECOND_SYLLABLES  # noqa: E402
from areas.models import AdministrativeUnit, Level, Tree, Village, VillagePlacement  # noqa: E402
from areas.search import search_areas  # noqa: E402
from khuyenhoc.text import fold  # noqa: E402

VILLAGES = int(os.environ.get("BENCH_VILLAGES", 100_000))
REPEATS = int(os.environ.get("BENCH_REPEATS", 30))
QUERIES = ["bac kan", "Bắc Kạn", "khuoi", "to dan pho 12", "na pai", "xyzxyz"]


def ensure_data():
    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.exists():
        call_command("load_admin_units")
    have = Village.objects.count()
    if have >= VILLAGES:
        return
    # Generated straight into the tables: this is test data, not a user's change, so no audit rows.
    rng = random.Random(2026)
    communes = list(
        AdministrativeUnit.objects.filter(tree=Tree.PRE_2025, level=Level.COMMUNE).only("pk", "code", "path")
    )
    villages, placements = [], []
    for number in range(have, VILLAGES):
        commune = communes[number % len(communes)]
        name = (
            f"Tổ dân phố {rng.randint(1, 40)}"
            if number % 4 == 0
            else f"Thôn {rng.choice(FIRST_SYLLABLES)} {rng.choice(SECOND_SYLLABLES)} {number}"
        )
        village = Village(code=f"B{number:07d}", name=name, kind="village")
        village.refresh_search_fields()
        villages.append((village, commune))
    with transaction.atomic():
        created = Village.objects.bulk_create([v for v, _ in villages], batch_size=5000)
        for village, (_, commune) in zip(created, villages, strict=True):
            placements.append(
                VillagePlacement(
                    village=village, commune=commune, commune_path=commune.path, from_year=2016, to_year=2024
                )
            )
        VillagePlacement.objects.bulk_create(placements, batch_size=5000)


def persona(username, role, tree=None, code=None):
    unit = AdministrativeUnit.objects.get(tree=tree, code=code) if code else None
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "unit": unit})
    user.set_password("bench-password")
    user.save()
    return User.objects.get(pk=user.pk)  # fresh: no cached scope


def timed(function, repeats=REPEATS):
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def baseline_search(query, names):
    wanted = fold(query)
    return [name for name in names if wanted in fold(name)][:20]


def main():
    ensure_data()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh bulk-loaded tables: give the planner real statistics
    vendor = connection.vendor
    users = {
        "whole country (administrator)": persona("bench.admin", Role.SYSTEM_ADMIN),
        "province officer, Thái Nguyên 2025 + history": persona(
            "bench.province", Role.PROVINCE_OFFICER, Tree.Y2025, "19"
        ),
        "commune officer, 2025 commune + history": persona("bench.commune", Role.COMMUNE_OFFICER, Tree.Y2025, "01843"),
    }
    print(f"database: {vendor}; villages: {Village.objects.count():,}; units: {AdministrativeUnit.objects.count():,}")
    print(f"{REPEATS} runs per figure; median / p95 in ms\n")
    names = list(Village.objects.values_list("name", flat=True)) + list(
        AdministrativeUnit.objects.values_list("name", flat=True)
    )
    print(f"{'query':<16} {'scope':<48} {'search_areas':>16} {'baseline: fold in Python':>26} {'ratio':>7}")
    worst = 0.0
    for query in QUERIES:
        base_median, _ = timed(lambda q=query: baseline_search(q, names), repeats=max(3, REPEATS // 10))
        for label, user in users.items():
            median, p95 = timed(lambda q=query, u=user: search_areas(u, q))
            worst = max(worst, p95)
            print(
                f"{query:<16} {label:<48} {median:7.1f} / {p95:6.1f} {base_median:18.1f} {base_median / median:8.0f}×"
            )
    client = Client()
    client.force_login(users["whole country (administrator)"])
    median, p95 = timed(lambda: client.get("/areas/search/", {"q": "bac kan"}, HTTP_HX_REQUEST="true"))
    print(f"\nthe whole request (/areas/search/?q=bac kan, htmx fragment, administrator): {median:.1f} / {p95:.1f} ms")
    print(f"worst p95 of search_areas: {worst:.1f} ms (goal: under 50 ms) — {'met' if worst < 50 else 'MISSED'}")


if __name__ == "__main__":
    main()
