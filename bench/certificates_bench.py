"""Certificates: a published decision recognising 1,000 households printed as one PDF of 1,000 pages, as
the worker makes it (services.run_document: issuing the check codes, laying out, joining, storing).
Goal: under 30 s, peak memory under 300 MB. Never run by CI.

Its own SQLite database (bench/data/certificates.sqlite3, or BENCH_CERTIFICATES_DATABASE_URL): the real
units, one village of Phường Bắc Kạn with 1,000 households, their approved evaluations and the decision,
generated straight into the tables (test data, not users' changes). Each run prints a new decision, so
its codes are issued afresh, in a child process whose peak resident memory is reported (the parent's
data generation is not counted).

Beside wall-clock and CPU time, the time the process waited for a free CPU (the kernel's run-queue
figure) and the load average: on this shared two-core machine the gap between wall and CPU is that wait,
not the certificates waiting on anything of their own (no subprocess, no network; the fonts are read
from disk once per chunk).

Baseline in the same run: the same pages laid out whole, page by page, with no shared background (what
certificates.py would do without its stamping), on BENCH_BASELINE_PAGES pages (100 by default, to keep
the run short) and scaled to 1,000. Wall-clock and CPU time are both printed: on a shared machine the
wall clock waits for other processes."""

import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
(ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_CERTIFICATES_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'certificates.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyenhoc.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-certificates-")
os.environ["KHUYENHOC_JOB_ISOLATED"] = "0"  # measured in the child process below
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

PAGES = int(os.environ.get("BENCH_CERTIFICATE_PAGES", 1000))
BASELINE_PAGES = int(os.environ.get("BENCH_BASELINE_PAGES", 100))
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Nông", "Triệu", "Lý", "Đàm", "Lò", "Ma"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Thị Ngọc", "Hữu", "Quang"]
GIVEN = ["Ánh", "Bình", "Cường", "Dũng", "Hường", "Lự", "Thụ", "Ỏ", "Nhữ", "Tuyết", "Khuê", "Yến"]


def data():
    """(village, decision) of PAGES approved households, made once and reused; a new decision each run."""
    import datetime

    from django.core.management import call_command
    from django.db import transaction

    from areas.models import AdministrativeUnit, Tree, Village, VillagePlacement
    from criteria.models import CriteriaSet
    from evaluations.models import DecisionStatus, Evaluation, EvaluationState, RecognitionDecision
    from registry.models import Household

    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.exists():
        call_command("load_admin_units")
    year = 2025
    phuong = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    criteria_set = CriteriaSet.objects.get(is_default=True, title="household")
    with transaction.atomic():
        village = Village.objects.filter(code="BCERT001").first()
        if village is None:
            village = Village(code="BCERT001", name="Tổ dân phố Chứng Nhận", kind="residential_group")
            village.refresh_search_fields()
            village.save()
            VillagePlacement.objects.create(village=village, commune=phuong, from_year=year)
        have = Household.objects.filter(village=village).count()
        households = []
        for number in range(have, PAGES):
            name = f"{SURNAMES[number % 12]} {MIDDLE[number % 7]} {GIVEN[(number // 7) % 12]}"
            household = Household(code=f"BCERT-{number:05d}", village=village, head_name=name, members=4)
            household.search_name, household.sort_key = name.lower(), name
            households.append(household)
        Household.objects.bulk_create(households, batch_size=1000)
        recognised = list(Household.objects.filter(village=village).order_by("code")[:PAGES])
        evaluated = set(
            Evaluation.objects.filter(household__in=recognised, year=year).values_list("household_id", flat=True)
        )
        Evaluation.objects.bulk_create(
            [
                Evaluation(
                    title="household",
                    year=year,
                    criteria_set=criteria_set,
                    area=phuong,
                    household=household,
                    household_village=village,  # as registration sets it: the rebuild groups by it
                    state=EvaluationState.APPROVED,
                    result="achieved",
                    recognised=True,
                )
                for household in recognised
                if household.pk not in evaluated
            ],
            batch_size=1000,
        )
        # The same evaluations in each run's new decision: test data, not the one-live-decision rule's case.
        evaluations = Evaluation.objects.filter(household__in=recognised, year=year)
        decision = RecognitionDecision.objects.create(
            title="household",
            year=year,
            number=f"{RecognitionDecision.objects.count() + 1}/QĐ-UBND",
            date=datetime.date(year, 12, 5),
            issuing_area=phuong,
            issuing_body="Ủy ban nhân dân phường Bắc Kạn",
            signer="Nguyễn Văn Bình",
            status=DecisionStatus.PUBLISHED,
        )
        decision.evaluations.set(evaluations)
    return decision


def _queued() -> float:
    """Seconds this process's threads have waited for a free CPU (the run queue, /proc/…/schedstat's
    second figure): on a busy shared machine, most of the gap between wall-clock and CPU time."""
    total = 0
    for task in Path("/proc/self/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def _child(decision_id: int, queue):
    import resource

    from django.db import connections

    from documents import services
    from documents.models import Document
    from evaluations.models import RecognitionDecision

    connections.close_all()
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    decision = RecognitionDecision.objects.get(pk=decision_id)
    wall, cpu, queued = time.perf_counter(), time.process_time(), _queued()
    document = services.document_for_command(kind="certificates", decision=decision)
    services.run_document(document.pk)
    seconds, cpu, queued = time.perf_counter() - wall, time.process_time() - cpu, _queued() - queued
    document = Document.objects.get(pk=document.pk)
    assert document.status == "done", document.message
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from pypdf import PdfReader

    with document.file.open("rb") as made:
        pages = len(PdfReader(made).pages)
    queue.put((pages, seconds, cpu, queued, start // 1024, peak // 1024, document.file_size // 1024))


def _baseline_child(decision_id: int, queue):
    """The same pages, each laid out whole (background and all) in one WeasyPrint pass per chunk."""
    import resource

    from django.template.loader import render_to_string

    from documents import certificates
    from documents.pdf import html_to_pdf
    from evaluations.certificate_models import Certificate
    from evaluations.models import RecognitionDecision

    decision = RecognitionDecision.objects.select_related("issuing_area").get(pk=decision_id)
    shared = certificates.shared_text(decision)
    chosen = list(Certificate.objects.filter(decision=decision).select_related("evaluation__area")[:BASELINE_PAGES])
    provinces: dict = {}
    pages = [certificates.page_text(c, provinces) for c in chosen]
    # The background's elements and the page's in one document per page: the two templates' bodies joined.
    background = render_to_string(certificates.BACKGROUND_TEMPLATE, {"page": shared})
    head, _, rest = background.partition('<div class="page">')
    static_part = rest.rsplit("</div>", 1)[0]
    html = head + "".join(
        '<div class="page">'
        + static_part
        + render_to_string(certificates.PAGES_TEMPLATE, {"pages": [page]})
        .split('<div class="page">', 1)[1]
        .rsplit("</body>", 1)[0]
        for page in pages
    )
    html += "</body></html>"
    wall, cpu, queued = time.perf_counter(), time.process_time(), _queued()
    out = tempfile.mktemp(suffix=".pdf")
    html_to_pdf(html, out, css=certificates.CSS)
    seconds, cpu, queued = time.perf_counter() - wall, time.process_time() - cpu, _queued() - queued
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    os.unlink(out)
    queue.put((len(pages), seconds, cpu, queued, 0, peak // 1024, 0))


def main():
    import multiprocessing

    decision = data()
    context = multiprocessing.get_context("fork")
    print(f"certificates of one published decision recognising {PAGES:,} households (one page each)")
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    print(
        f"{'':<52} {'pages':>6} {'wall s':>7} {'CPU s':>7} {'queued s':>9} {'start MB':>9} {'peak MB':>8} "
        f"{'file KB':>8}"
    )
    results = {}
    for label, target in (
        ("certificates (shared background, chunks of 100)", _child),
        (f"baseline: each page laid out whole ({BASELINE_PAGES})", _baseline_child),
    ):
        queue = context.Queue()
        child = context.Process(target=target, args=(decision.pk, queue))
        child.start()
        pages, seconds, cpu, queued, start, peak, size = queue.get()
        child.join()
        results[target] = (pages, seconds, cpu, peak)
        print(f"{label:<52} {pages:>6,} {seconds:>7.1f} {cpu:>7.1f} {queued:>9.1f} {start:>9} {peak:>8} {size:>8,}")
    pages, seconds, cpu, _peak = results[_baseline_child]
    scaled = f"baseline scaled to {PAGES:,} pages"
    print(f"{scaled:<52} {PAGES:>6,} {seconds * PAGES / pages:>7.1f} {cpu * PAGES / pages:>7.1f}")
    pages, seconds, cpu, peak = results[_child]
    time_verdict = "met" if seconds < 30 else ("met in CPU time (the machine was busy)" if cpu < 30 else "MISSED")
    print(f"goals: under 30 s ({time_verdict}), peak under 300 MB ({'met' if peak < 300 else 'MISSED'})")


if __name__ == "__main__":
    main()
