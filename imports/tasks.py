"""The import jobs as the worker runs them. Each step (check, save) runs in a child process with the
memory and time an import may use (KHUYENHOC_JOB_MEMORY_MB, KHUYENHOC_JOB_SECONDS): a file that needs
more is stopped there, its job marked failed with why, and the worker goes on to the next job. While the
child works, the worker writes the job's heartbeat; a job whose heartbeat stopped lost its worker and is
marked failed by the sweep (services.import_jobs_sweep), run here before each job and by the pages."""

import logging

from django.conf import settings
from django.utils.translation import gettext as _
from django_tasks import task

from core.limits import Ending, run_limited

from . import services
from .models import ImportJob, JobStatus
from .services import run_commit, run_preview

logger = logging.getLogger(__name__)


def _run_here(step, job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        step(job)
    except MemoryError:
        raise  # the job's runner says what stopped it (services.import_job_stopped)
    except Exception:
        # The transaction has rolled back; say so on the job instead of leaving it "running".
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=_("An unexpected error stopped the import; nothing was saved.")
        )
        raise


def _run(step, job_id: int) -> None:
    services.import_jobs_sweep()
    services.import_job_heartbeat(job_id)
    if not settings.KHUYENHOC_JOB_ISOLATED:
        try:
            _run_here(step, job_id)
        except MemoryError:
            services.import_job_stopped(job_id, Ending.MEMORY)
        return
    ending = run_limited(
        _run_here,
        (step, job_id),
        memory_mb=settings.KHUYENHOC_JOB_MEMORY_MB,
        seconds=settings.KHUYENHOC_JOB_SECONDS,
        beat=lambda: services.import_job_heartbeat(job_id),
        beat_every=services.HEARTBEAT_SECONDS,
    )
    if ending is not Ending.DONE:
        logger.warning("Import job %s ended early: %s.", job_id, ending.value)
        services.import_job_stopped(job_id, ending)


@task()
def preview_import(job_id: int) -> None:
    _run(run_preview, job_id)


@task()
def commit_import(job_id: int) -> None:
    _run(run_commit, job_id)
