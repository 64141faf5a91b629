from django.utils.translation import gettext as _
from django_tasks import task

from .models import ImportJob, JobStatus
from .services import run_commit, run_preview


def _run(step, job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        step(job)
    except Exception:
        # The transaction has rolled back; say so on the job instead of leaving it "running".
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=_("An unexpected error stopped the import; nothing was saved.")
        )
        raise


@task()
def preview_import(job_id: int) -> None:
    _run(run_preview, job_id)


@task()
def commit_import(job_id: int) -> None:
    _run(run_commit, job_id)
