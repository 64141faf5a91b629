from core.access import get_visible_or_404

from .models import ImportJob


def get_import_job_for_user(user, *, pk: int) -> ImportJob:
    # A job is its uploader's own (system administrators see all): no role permission on top.
    return get_visible_or_404(ImportJob.objects.all(), user=user, perm=None, pk=pk)
