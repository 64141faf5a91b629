from django.http import Http404

from .models import ImportJob


def get_import_job_for_user(user, *, pk: int) -> ImportJob:
    job = ImportJob.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
