"""Import jobs: each step is one function that checks the state it starts from."""

import gc
import logging
import time
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, audit_source
from core.access import require_perm
from core.importers import Outcome, StaleCheck
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
            ImportJob.objects.filter(pk=self.job_id).update(rows_done=rows)
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
    else:
        _store(job, outcome, JobStatus.INVALID if outcome.error_count else JobStatus.PREVIEWED)


@transaction.atomic
def import_commit_request(*, actor, job: ImportJob) -> None:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.PREVIEWED:
        raise ValidationError(_("Only a checked file without errors can be saved."), code="state")
    require_perm(actor, importer_for(job.kind, user=actor).perm)
    job.status = JobStatus.COMMITTING
    job.rows_done = 0
    job.save(update_fields=["status", "rows_done", "updated_at"])
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
