"""What the benchmarks share: their own database (bench/data/bench.sqlite3, or BENCH_DATABASE_URL),
the national units with 100,000 generated villages, personas and a timer."""

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

from accounts.models import User  # noqa: E402
from areas.demo import FIRST_SYLLABLES, SECOND_SYLLABLES  # noqa: E402
from areas.models import AdministrativeUnit, Level, Tree, Village, VillagePlacement  # noqa: E402

VILLAGES = int(os.environ.get("BENCH_VILLAGES", 100_000))
REPEATS = int(os.environ.get("BENCH_REPEATS", 30))


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


def analyse():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh bulk-loaded tables: give the planner real statistics
