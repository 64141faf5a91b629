"""Import jobs: each step is one function that checks the state it starts from."""

import gc
import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, audit_source
from core.access import require_perm
from core.importers import Outcome, StaleCheck
from core.limits import Ending
from core.staging import Staging

from .kinds import importer_for
from .models import ImportJob, JobStatus

logger = logging.getLogger(__name__)


def import_job_create(*, actor, kind: str, uploaded) -> ImportJob:
    importer = importer_for(kind, user=actor)
    require_perm(actor, importer.perm)
    job = ImportJob.objects.create(kind=kind, file=uploaded, original_name=uploaded.name[:255], created_by=actor)
    from .tasks import preview_import

    transaction.on_commit(lambda: preview_import.enqueue(job.pk))
    return job


def _store(job: ImportJob, outcome: Outcome, status: str, message: str = "") -> None:
    job.counts, job.errors, job.error_count, job.samples = (
        outcome.counts,
        outcome.errors,
        outcome.error_count,
        outcome.samples,
    )
    if outcome.warnings or status != JobStatus.COMMITTED:
        job.warnings = outcome.warnings
    job.status, job.message = status, message
    job.save()


PROGRESS_INTERVAL = 0.5  # seconds between updates of the progress bar's row


class _Progress:
    """The rows done so far, written to the job's row at most every PROGRESS_INTERVAL: each
    write is a commit, and one per batch cost more than a batch of a large file takes to check."""

    def __init__(self, job: ImportJob):
        self.job_id = job.pk
        self.written_at = time.monotonic()

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        if now - self.written_at >= PROGRESS_INTERVAL:
            ImportJob.objects.filter(pk=self.job_id).update(rows_done=rows, heartbeat_at=timezone.now())
            self.written_at = now


@contextmanager
def _collected_per_batch():
    """Python's cycle collector run by hand on the newest objects after each batch, instead of by
    itself: its automatic passes also walk every older object of the process (Django's own, the
    batch being checked) and took a sixth of the check of a large file (measured in bench/). A
    batch's cyclic garbage (a ValidationError refers to itself) is still freed batch by batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield lambda: gc.collect(0)
    finally:
        if enabled:
            gc.enable()


def run_preview(job: ImportJob) -> None:
    """Read and check every row; write nothing but the job's own row (and its staged changes)."""
    if job.status != JobStatus.UPLOADED:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.PREVIEWING)
    importer = importer_for(job.kind, user=job.created_by)
    outcome = Outcome()
    staging = Staging(job)
    progress = _Progress(job)
    rows = 0
    try:
        with staging.writer() as staged, _collected_per_batch() as collect:
            for batch in importer.batches(job.file.path, job.original_name, outcome):
                changes = importer.classify(batch, outcome)
                if importer.stages_changes and changes and not outcome.error_count:
                    staged.write(changes)
                rows += len(batch)
                progress(rows)
                collect()
    except ValidationError as error:
        staging.discard()
        _store(job, outcome, JobStatus.INVALID, " ".join(error.messages))
        return
    job.rows_done = job.rows_total = rows
    if rows == 0 or outcome.error_count:
        staging.discard()
    if rows == 0:
        _store(job, outcome, JobStatus.INVALID, _("The file has no rows."))
    elif outcome.error_count:
        _store(job, outcome, JobStatus.INVALID)
    else:
        _store(job, outcome, JobStatus.PREVIEWED, _nothing_new(outcome))


def _nothing_new(outcome: Outcome) -> str:
    """Said of a file whose every row is already saved as it is written (the same file uploaded again)."""
    if outcome.counts.get("create") or outcome.counts.get("update"):
        return ""
    return _("Everything in this file is already saved as it is written: saving it would change nothing.")


@transaction.atomic
def import_commit_request(*, actor, job: ImportJob, warnings_confirmed: bool = False) -> None:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.PREVIEWED:
        raise ValidationError(_("Only a checked file without errors can be saved."), code="state")
    if job.warnings and not warnings_confirmed:
        raise ValidationError(
            _("Look at the warnings below and tick that you have checked them before saving."), code="warnings"
        )
    require_perm(actor, importer_for(job.kind, user=actor).perm)
    job.status = JobStatus.COMMITTING
    job.rows_done = 0
    job.heartbeat_at = None  # waiting for a worker again
    job.save(update_fields=["status", "rows_done", "heartbeat_at", "updated_at"])
    from .tasks import commit_import

    transaction.on_commit(lambda: commit_import.enqueue(job.pk))


def run_commit(job: ImportJob) -> None:
    """Apply the checked file in one transaction: every row or none."""
    if job.status != JobStatus.COMMITTING:
        return
    importer = importer_for(job.kind, user=job.created_by)
    staging = Staging(job)
    try:
        with transaction.atomic():
            # The records' own entries are marked as this import's; the job's entry is the import itself.
            with audit_source(job.audit_source):
                if importer.stages_changes:
                    importer.save_staged(staging, actor=job.created_by, job=job)
                    outcome = Outcome(counts=job.counts, samples=job.samples)
                else:
                    outcome = _classify_and_apply(importer, job)
            audit_record(actor=job.created_by, action="import.commit", obj=job, after=outcome.counts)
    except StaleCheck as stale:
        staging.discard()
        message = _("The data changed since the check; nothing was saved. Upload the file again to check it.")
        _store(job, stale.outcome or Outcome(counts=job.counts), JobStatus.FAILED, message)
        return
    except ValidationError as error:
        staging.discard()
        _store(job, Outcome(counts=job.counts), JobStatus.FAILED, " ".join(error.messages))
        return
    staging.discard()
    job.rows_done = job.rows_total or 0
    _store(job, outcome, JobStatus.COMMITTED)


def _classify_and_apply(importer, job: ImportJob) -> Outcome:
    """Read the file again and classify it again: the rows are checked against the data as it is now."""
    outcome = Outcome()
    for batch in importer.batches(job.file.path, job.original_name, outcome):
        changes = importer.classify(batch, outcome)
        if not outcome.error_count:
            importer.apply(changes, actor=job.created_by, job=job)
    if outcome.error_count:
        raise StaleCheck(outcome)
    return outcome


# Heartbeats and jobs whose worker is gone. The worker writes a running job's heartbeat every
# HEARTBEAT_SECONDS (core.limits.run_limited's beat); a job "checking" or "saving" whose heartbeat is
# older than ABANDONED_AFTER lost its worker (killed, machine restarted) and would otherwise stay so forever.
HEARTBEAT_SECONDS = 5
ABANDONED_AFTER = timedelta(seconds=60)
WORKER_STEPS = (JobStatus.PREVIEWING, JobStatus.COMMITTING)


def import_job_heartbeat(job_id: int) -> None:
    """The job's heartbeat, skipped when the database is busy: on SQLite the job's own save holds the
    only write lock while the worker beats for it, and a missed beat must not stop the worker (the
    sweep waits for ABANDONED_AFTER, many beats)."""
    try:
        ImportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
    except OperationalError as error:
        logger.info("Import job %s: heartbeat skipped (%s).", job_id, error)


def _abandoned_message(status: str) -> str:
    if status == JobStatus.COMMITTING:
        return _(
            "The worker stopped while saving this file. A file is saved all at once or not at all: "
            "nothing was saved. Upload the file again."
        )
    return _("The worker stopped while checking this file; nothing was changed. Upload the file again.")


def import_jobs_sweep(*, older_than: timedelta = ABANDONED_AFTER) -> int:
    """Mark failed, with a message saying so, every job a worker started and stopped beating for; returns
    how many. Cheap when there are none (one query), so pages and workers call it as they go."""
    cutoff = timezone.now() - older_than
    abandoned = ImportJob.objects.filter(status__in=WORKER_STEPS, heartbeat_at__lt=cutoff)
    if not abandoned.exists():
        return 0
    swept = 0
    for status in WORKER_STEPS:
        swept += abandoned.filter(status=status).update(
            status=JobStatus.FAILED, message=_abandoned_message(status), heartbeat_at=None
        )
    if swept:
        logger.warning("%d import job(s) lost their worker and were marked failed.", swept)
    return swept


def import_job_stopped(job_id: int, ending: Ending) -> None:
    """A job whose child process (core.limits.run_limited) ended without finishing: marked failed with
    what stopped it, unless the job had already recorded its own end."""
    if ending is Ending.MEMORY:
        message = _(
            "The file is too large to import: checking or saving it needed more than %(megabytes)d MB of "
            "memory. Nothing was changed. Split the file into smaller files and upload them."
        ) % {"megabytes": settings.KHUYENHOC_JOB_MEMORY_MB}
    elif ending is Ending.TIME:
        message = _(
            "The file took too long to import (more than %(seconds)d seconds). Nothing was changed. "
            "Split the file into smaller files and upload them."
        ) % {"seconds": settings.KHUYENHOC_JOB_SECONDS}
    elif ending is Ending.STOPPED:
        job = ImportJob.objects.filter(pk=job_id).only("status").first()
        message = _abandoned_message(job.status if job else "")
    else:
        message = _("An unexpected error stopped the import; nothing was saved.")
    running = (JobStatus.UPLOADED, *WORKER_STEPS)
    ImportJob.objects.filter(pk=job_id, status__in=running).update(
        status=JobStatus.FAILED, message=message, heartbeat_at=None
    )
