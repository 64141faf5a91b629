"""Documents as the worker makes them: in a child process with the memory and time a job may use
(core.limits, the same limits as imports); while the child works, the worker writes the heartbeat."""

import logging

from django.conf import settings
from django_tasks import task

from core.limits import Ending, run_limited
from imports.services import HEARTBEAT_SECONDS

from . import services

logger = logging.getLogger(__name__)


def run(document_id: int) -> None:
    services.document_jobs_sweep()
    services.document_heartbeat(document_id)
    if not settings.KHUYENHOC_JOB_ISOLATED:
        try:
            services.run_document(document_id)
        except MemoryError:
            services.document_stopped(document_id, Ending.MEMORY)
        return
    ending = run_limited(
        services.run_document,
        (document_id,),
        memory_mb=settings.KHUYENHOC_JOB_MEMORY_MB,
        seconds=settings.KHUYENHOC_JOB_SECONDS,
        beat=lambda: services.document_heartbeat(document_id),
        beat_every=HEARTBEAT_SECONDS,
    )
    if ending is not Ending.DONE:
        logger.warning("Document %s ended early: %s.", document_id, ending.value)
        services.document_stopped(document_id, ending)


@task()
def make_document(document_id: int) -> None:
    run(document_id)
