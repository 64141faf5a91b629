"""Load: 50 simulated users for 5 minutes against gunicorn and PostgreSQL on the demo province, with
locust (bench/requirements.txt) — officers reading figures, lists and the figures API, commune
officers importing small household files through the job pipeline and approving submitted
evaluations on the page and through the API. Goal: zero errors; p50 and p95 reported per request.
Never in CI.

    python bench/load.py                       # 50 users, 5 minutes
    BENCH_LOAD_USERS=20 BENCH_LOAD_TIME=2m python bench/load.py

It uses its own database (BENCH_LOAD_DATABASE_URL, default postgres://…/khuyenhoc_load), builds the
demo there once (`load_demo`, several minutes), tops up a pool of submitted household evaluations of
Phường Bắc Kạn for the approvers, starts gunicorn (BENCH_LOAD_GUNICORN_WORKERS × 4 threads) and the
import worker with production settings (DEBUG off), runs locust headless on the same machine, and
prints the figures. The load generator shares the machine's cores with the server: say so beside
the figures.
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khuyenhoc_load")
USERS = int(os.environ.get("BENCH_LOAD_USERS", 50))
RUN_TIME = os.environ.get("BENCH_LOAD_TIME", "5m")
PORT = int(os.environ.get("BENCH_LOAD_PORT", 0))  # 0: a free port, so that no other server is measured
WORKERS = int(os.environ.get("BENCH_LOAD_GUNICORN_WORKERS", 3))
# Enough submitted evaluations for every approval a run can make (an approver approves one every few seconds).
POOL = int(os.environ.get("BENCH_LOAD_APPROVALS", 600))
COMMUNE = ("2025", "01843")  # Phường Bắc Kạn: its officer approves households
SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "khuyenhoc-benchmarks-only-key-3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e"),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "KHUYENHOC_HTTPS": "0",
    # Every page load of a simulated officer is a login of its own browser: the lockout counts
    # failures only, and there are none, but a run must not be slowed by it either way.
    "DJANGO_SETTINGS_MODULE": "khuyenhoc.settings",
}
os.environ.update({k: v for k, v in SERVER_ENV.items() if k != "DEBUG"})
os.environ["DEBUG"] = "1"  # the preparation runs management commands as development; the server does not

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from accounts.demo import DEMO_PASSWORD  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.tokens import token_issue  # noqa: E402
from areas.models import AdministrativeUnit, Village  # noqa: E402
from criteria.models import Scoring  # noqa: E402
from criteria.services import definition_of  # noqa: E402
from evaluations import services  # noqa: E402
from evaluations.models import Evaluation, EvaluationState  # noqa: E402
from imports.models import JobStatus  # noqa: E402
from registry.models import Household  # noqa: E402


def ensure_demo():
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="tinh.thainguyen").exists():
        print("building the demo on PostgreSQL (once, several minutes)…", flush=True)
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def full_marks(criteria_set) -> dict:
    return {
        leaf.key: True if leaf.scoring == Scoring.PASS_FAIL else leaf.max_points
        for leaf in definition_of(criteria_set).leaves
    }


def approval_pool(commune, year) -> list[int]:
    """Submitted household evaluations of the commune for `year`, topped up to POOL through the
    services (registered, marked in full and submitted by the system administrator)."""
    submitted = Evaluation.objects.filter(area=commune, title="household", year=year, state=EvaluationState.SUBMITTED)
    missing = POOL - submitted.count()
    if missing > 0:
        admin = User.objects.get(username="admin")
        villages = Village.objects.in_commune(commune, year)
        taken = Evaluation.objects.filter(year=year, household__isnull=False).values("household_id")
        households = Household.objects.filter(village__in=villages, is_active=True).exclude(pk__in=taken)
        print(f"submitting {missing} household evaluations of {year} for the approvers…", flush=True)
        for household in households.order_by("pk")[:missing]:
            with transaction.atomic():
                evaluation = services.evaluation_register(actor=admin, title="household", year=year, subject=household)
                marks = full_marks(evaluation.criteria_set)
                evaluation = services.evaluation_marks_save(
                    actor=admin, evaluation=evaluation, version=evaluation.version, marks=marks
                )
                services.evaluation_submit(actor=admin, evaluation=evaluation, version=evaluation.version)
    return list(submitted.order_by("pk").values_list("pk", flat=True))


def plan() -> dict:
    """What the simulated users need: accounts, a token, the evaluations to approve, villages to import into."""
    commune = AdministrativeUnit.objects.get(tree=COMMUNE[0], code=COMMUNE[1])
    year = timezone.localdate().year
    pool = approval_pool(commune, year)
    officer = User.objects.get(username="xa.backan")
    _token, key = token_issue(actor=officer, account=officer)
    with translation.override("vi"):
        labels = {status.value: str(status.label) for status in JobStatus}
    return {
        "password": DEMO_PASSWORD,
        "token": key,
        "approvals": pool,
        "villages": list(Village.objects.in_commune(commune, year).order_by("code").values_list("code", flat=True)),
        "job_labels": labels,
        "year": year,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", PORT))
        return probe.getsockname()[1]


def wait_for(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}): see its log")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310  (our own local server)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer in {seconds} s")


def start_server(log_dir: Path, port: int):
    env = {**os.environ, **SERVER_ENV}
    bin_dir = Path(sys.executable).parent
    worker_command = "run_worker" if (ROOT / "khuyenhoc/management/commands/run_worker.py").exists() else "db_worker"
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", worker_command],
        cwd=ROOT,
        env=env,
        stdout=open(log_dir / "worker.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(bin_dir / "gunicorn"),
            "khuyenhoc.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            "4",
            "--timeout",
            "120",
            # Longer than any simulated user's pause: with gunicorn's 2 s a client reusing a connection the
            # server is just closing gets "connection reset" (behind a proxy, the proxy holds the connection).
            "--keep-alive",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(log_dir / "gunicorn.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return worker, gunicorn


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def report(prefix: Path) -> int:
    """Print locust's figures per request and in all; the number of failures."""
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    print(f"\n{'request':<44} {'count':>7} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    failures = 0
    for row in rows:
        name = row["Name"] if row["Type"] else "all"
        label = f"{row['Type']} {name}".strip()
        failures += int(row["Failure Count"]) if row["Name"] == "Aggregated" else 0
        print(
            f"{label[:44]:<44} {row['Request Count']:>7} {row['Failure Count']:>5} {row['50%']:>7} "
            f"{row['95%']:>7} {float(row['Max Response Time']):>7.0f}"
        )
    with open(f"{prefix}_failures.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            print(f"FAILED {row['Method']} {row['Name']}: {row['Error']} ×{row['Occurrences']}")
    return failures


def main() -> int:
    ensure_demo()
    data = plan()
    log_dir = Path(tempfile.mkdtemp(prefix="khuyenhoc-load-"))
    plan_file = log_dir / "plan.json"
    plan_file.write_text(json.dumps(data))
    port = free_port()
    print(
        f"{USERS} users for {RUN_TIME} on http://127.0.0.1:{port} ({WORKERS} gunicorn workers × 4 threads, "
        f"one import worker, PostgreSQL); {len(data['approvals'])} evaluations to approve; logs in {log_dir}",
        flush=True,
    )
    worker, gunicorn = start_server(log_dir, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/accounts/login/", gunicorn)
        prefix = log_dir / "locust"
        subprocess.run(  # noqa: S603
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "load_users.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                "5",
                "--run-time",
                RUN_TIME,
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "30",
            ],
            env={**os.environ, "BENCH_LOAD_PLAN": str(plan_file)},
            check=False,
        )
    finally:
        stop(gunicorn)
        stop(worker)
    failures = report(prefix)
    left = Evaluation.objects.filter(pk__in=data["approvals"], state=EvaluationState.SUBMITTED).count()
    print(f"\napproved in the run: {len(data['approvals']) - left}; failures: {failures}")
    print(f"machine: {os.cpu_count()} cores shared by the server, PostgreSQL and the load generator")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
