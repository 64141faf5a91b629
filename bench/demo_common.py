"""What the benchmarks on the demo province share: its own database (a SQLite file under bench/data, or
the URL a benchmark names), the demo loaded once, and a timer of median and p95 in milliseconds.

Import it first: it sets the database and starts Django, so the benchmark's own imports follow it."""

import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
REPEATS = int(os.environ.get("BENCH_REPEATS", 30))


def start_django(database_url: str | None = None, file_name: str = "demo.sqlite3") -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{ROOT / 'bench' / 'data' / file_name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyenhoc.settings")
    os.environ.setdefault("DEBUG", "1")
    warnings.filterwarnings("ignore", "No directory at")  # static files are not collected for benchmarks
    import django

    django.setup()


def ensure_demo() -> None:
    """The demo's units and records, built on the first run (several minutes) and kept."""
    from django.core.management import call_command

    from accounts.models import User

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="tinh.thainguyen").exists():
        print("building the demo (once)…", flush=True)
        with open(os.devnull, "w") as quiet:
            call_command("load_admin_units", verbosity=0, stdout=quiet)
            call_command("load_demo", verbosity=0, stdout=quiet)


def timed(function, repeats: int = REPEATS) -> tuple[float, float]:
    """Median and p95 of `repeats` runs after one warm-up, in milliseconds."""
    function()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return statistics.median(runs), runs[max(0, int(len(runs) * 0.95) - 1)]
