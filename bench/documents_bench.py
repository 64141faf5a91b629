"""Documents: Bắc Kạn's review report (docx) and its workbook for 2016–2018 on the demo, and the national
workbook's peak memory on 100,000 villages. Never run by CI.

- `python bench/documents_bench.py demo`: the demo's own SQLite database (bench/data/demo.sqlite3, built
  on first run by load_demo, several minutes). Each document is made as the worker makes it
  (services.run_document: reading, file, storage). Goal: the review and the workbook together under 3 s.
  Baseline in the same run: the statistics page's own xlsx download of the same area and period.
  Wall-clock and CPU time are both printed: on a shared machine the wall clock waits for other processes.
- `python bench/documents_bench.py national`: the benchmarks' database (bench/common.py: the real units
  and 100,000 generated villages), the whole country's workbook on the pre-2025 tree for one year, in a
  child process whose peak resident memory is reported; baseline in the same run: the same rows written
  by openpyxl in its normal mode (the whole workbook held in memory). The villages carry no figures
  there (`manage.py generate_national`, which writes them, takes about half an hour): the rows, cells and
  reads are the national workbook's, the numbers in them empty.
- without an argument: both, each in its own process (they use different databases).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
REPEATS = int(os.environ.get("BENCH_REPEATS", 3))
YEAR = int(os.environ.get("BENCH_NATIONAL_YEAR", 2024))


def _django(database_url: str | None = None):
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyenhoc.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-documents-")
    os.environ["KHUYENHOC_JOB_ISOLATED"] = "0"  # measured in this process
    warnings.filterwarnings("ignore", "No directory at")
    import django

    django.setup()


def _timed(function) -> tuple[float, float]:
    """(median wall-clock seconds, median CPU seconds) of REPEATS runs after one warm-up."""
    function()
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def demo():
    _django(os.environ.get("BENCH_DEMO_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'demo.sqlite3'}"))
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from areas.models import AdministrativeUnit
    from documents import services

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="tinh.backan").exists():
        print("building the demo (once)…", flush=True)
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    area = AdministrativeUnit.objects.get(tree="pre2025", code="06")
    period = services.parse_period("2016-2018")

    def make(kind):
        document = services.document_for_command(kind=kind, area=area, period=period)
        services.run_document(document.pk)
        document.refresh_from_db()
        assert document.status == "done", document.message

    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="tinh.backan"))
    params = {"area": "pre2025:06", "year": 2018, "from": 2016, "to": 2018, "format": "xlsx"}
    print(f"Bắc Kạn (pre2025:06), 2016–2018, on the demo; median of {REPEATS} runs after a warm-up")
    print(f"{'':<58} {'wall s':>7} {'CPU s':>7}")
    total_wall = total_cpu = 0.0
    for label, kind in (("review report (.docx)", "review"), ("statistical workbook (.xlsx)", "workbook")):
        wall, cpu = _timed(lambda kind=kind: make(kind))
        total_wall, total_cpu = total_wall + wall, total_cpu + cpu
        print(f"{label:<58} {wall:>7.2f} {cpu:>7.2f}")
    verdict = "met" if total_wall < 3 else ("met in CPU time (the machine was busy)" if total_cpu < 3 else "MISSED")
    print(f"{'both (goal < 3 s)':<58} {total_wall:>7.2f} {total_cpu:>7.2f}  {verdict}")
    assert client.get("/statistics/", params).status_code == 200
    wall, cpu = _timed(lambda: client.get("/statistics/", params))
    print(f"{'baseline: the statistics page’s xlsx of the same period':<58} {wall:>7.2f} {cpu:>7.2f}")


def _national_child(kind: str, queue):
    import resource

    from django.db import connections
    from django.utils import timezone

    from documents.models import Document

    connections.close_all()
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    document = Document(kind="workbook", area=None, tree="pre2025", first_year=YEAR, last_year=YEAR)
    document.data_as_of = timezone.now()
    path = tempfile.mktemp(suffix=".xlsx")
    wall = time.perf_counter()
    rows = _write_national(document, path) if kind == "xlsxwriter" else _openpyxl_rows(document, path)
    seconds, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((rows, seconds, cpu, start // 1024, peak // 1024, os.path.getsize(path) // 1024))
    os.unlink(path)


def _write_national(document, path) -> int:
    from areas.models import Village
    from documents import workbook

    workbook.make(document, path, lambda share: None)
    return Village.objects.count()


def _openpyxl_rows(document, path) -> int:
    """The same rows as the workbook's sheets, held in memory by openpyxl; returns the villages written."""
    import openpyxl
    from django.utils import translation

    from documents import readings, workbook
    from stats import overview

    rows = 0
    with translation.override("vi"):
        reading = readings.read_area(None, document.tree, [YEAR])
        book = openpyxl.Workbook()
        titles = {title: book.create_sheet(name) for title, name in workbook.SHEET_NAMES.items()}
        network = book.create_sheet("Mạng lưới, quỹ")
        user = readings.reader_of(document)
        for sub_area in readings.sub_areas(None, document.tree, [YEAR], user, reading.target_year):
            cells = workbook._place(sub_area.place)
            title_rows = overview.title_rows(sub_area.last)
            for index, (title, sheet) in enumerate(titles.items()):
                if sub_area.kind == "villages" and title not in workbook.VILLAGE_TITLES:
                    continue
                row = workbook._title_cells(rows, cells, title_rows[index], None, sub_area.recognitions(title))
                sheet.append([value for value, _kind in row])
            if sub_area.kind != "villages":
                network.append([value for value, _kind in workbook._network_cells(rows, cells, sub_area.last)])
            else:
                rows += 1
        book.save(path)
    return rows


def national():
    _django(os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / 'bench.sqlite3'}"))
    import multiprocessing

    import common  # noqa: F401  (bench/common.py: sets up the database and its villages)

    common.ensure_data()
    context = multiprocessing.get_context("fork")
    print(f"the whole country on the pre-2025 tree, {YEAR}: every province, district, commune and village")
    print(f"{'':<44} {'villages':>9} {'wall s':>7} {'CPU s':>7} {'start MB':>9} {'peak MB':>8} {'file KB':>8}")
    for label, kind in (
        ("xlsxwriter, constant memory (the workbook)", "xlsxwriter"),
        ("baseline: openpyxl, normal mode", "openpyxl"),
    ):
        queue = context.Queue()
        child = context.Process(target=_national_child, args=(kind, queue))
        child.start()
        rows, seconds, cpu, start, peak, size = queue.get()
        child.join()
        print(f"{label:<44} {rows:>9,} {seconds:>7.1f} {cpu:>7.1f} {start:>9} {peak:>8} {size:>8,}")
    print("goals: under 60 s, peak under 300 MB")


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    if which == "demo":
        demo()
    elif which == "national":
        national()
    else:
        for part in ("demo", "national"):
            subprocess.run([sys.executable, __file__, part], check=True)
