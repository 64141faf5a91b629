"""No file stops the worker: each job's check and save runs in a child process with the memory and time
an import may use; a job that needs more ends failed with a message saying why, and the next job runs.
A job whose worker died (no heartbeat) is marked failed by the sweep, never left "checking" forever."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit
from imports.kinds import IMPORTERS
from imports.models import ImportJob, JobStatus
from registry.importing import HouseholdImporter

from .test_strict_input_import import GOOD, csv_file, far_cell_workbook


class HungryImporter(HouseholdImporter):
    """Households whose check wants 4 GB at once (as a reader of a hostile file might)."""

    def batches(self, path, filename, outcome=None):
        bytearray(4 * 1024**3)
        yield from super().batches(path, filename, outcome)


class EndlessImporter(HouseholdImporter):
    """Households whose check never ends."""

    def batches(self, path, filename, outcome=None):
        time.sleep(60)
        yield from super().batches(path, filename, outcome)


def _vm_mb() -> int:
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith("VmSize:")).split()[1]) // 1024


# Sweep: both databases, in the test's transaction.


@pytest.mark.django_db
def test_a_job_whose_worker_stopped_beating_is_marked_failed_when_the_imports_are_listed(client_for, personas):
    officer = personas["commune_officer"]
    old = timezone.now() - timedelta(minutes=5)

    def job(status, heartbeat):
        return ImportJob.objects.create(
            kind="households",
            file="x.csv",
            original_name="x.csv",
            created_by=officer,
            status=status,
            heartbeat_at=heartbeat,
        )

    checking, saving = job(JobStatus.PREVIEWING, old), job(JobStatus.COMMITTING, old)
    alive, waiting = job(JobStatus.PREVIEWING, timezone.now()), job(JobStatus.COMMITTING, None)
    client = client_for(officer)
    assert client.get(reverse("imports:list")).status_code == 200
    for row in (checking, saving, alive, waiting):
        row.refresh_from_db()
    assert checking.status == saving.status == JobStatus.FAILED
    assert "Trình xử lý đã dừng khi đang kiểm tra" in checking.message
    assert "không có gì được lưu" in saving.message
    assert alive.status == JobStatus.PREVIEWING  # its worker is beating
    assert waiting.status == JobStatus.COMMITTING  # waiting for a worker: nothing has started
    response = client.get(reverse("imports:job", args=[checking.pk]))
    assert "Tải tệp lên lại" in response.content.decode()


# Jobs in child processes: they see committed rows only, so these tests commit, on PostgreSQL (the test
# suite's SQLite database lives in the test process's memory, where no other process can reach it).

ISOLATED = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a child process needs a database it can open"),
]


def isolated(test):
    for mark in ISOLATED:
        test = mark(test)
    return test


@pytest.fixture
def units():
    if not AdministrativeUnit.objects.exists():  # an earlier committing test emptied the database
        load_administrative_units()


@pytest.fixture
def in_child(settings, units):
    settings.KHUYENHOC_JOB_ISOLATED = True
    settings.KHUYENHOC_JOB_MEMORY_MB = _vm_mb() + 512
    settings.KHUYENHOC_JOB_SECONDS = 20
    return settings


@isolated
def test_a_job_over_the_memory_limit_fails_with_its_message_and_the_next_job_is_checked(in_child, upload, monkeypatch):
    monkeypatch.setitem(IMPORTERS, "hungry", ("imports.tests.test_job_limits.HungryImporter", "Hungry"))
    _client, job = upload("hungry", csv_file([GOOD]), name="ho.csv")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "quá lớn" in job.message and f"{in_child.KHUYENHOC_JOB_MEMORY_MB} MB" in job.message
    _client, job = upload("households", csv_file([GOOD]), name="ho.csv")
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED, job.message


@isolated
def test_a_job_over_the_time_limit_is_stopped_with_its_message_and_the_next_job_is_checked(
    in_child, upload, monkeypatch
):
    in_child.KHUYENHOC_JOB_SECONDS = 2
    monkeypatch.setitem(IMPORTERS, "endless", ("imports.tests.test_job_limits.EndlessImporter", "Endless"))
    started = time.monotonic()
    _client, job = upload("endless", csv_file([GOOD]), name="ho.csv")
    assert time.monotonic() - started < 15
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "quá lâu" in job.message
    _client, job = upload("households", csv_file([GOOD]), name="ho.csv")
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED, job.message


@isolated
def test_the_far_cell_file_in_a_child_ends_with_the_readers_error_and_the_next_import_is_saved(
    in_child, upload, commit
):
    _client, job = upload("households", far_cell_workbook(), name="ho.xlsx")
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID
    assert "XFD1048576" in job.message
    client, job = upload("households", csv_file([GOOD]), name="ho.csv")
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED, job.message
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
