from accounts.roles import Perm
from core.access import get_visible_or_404

from .models import Document


def get_document_for_user(user, *, pk: int) -> Document:
    """404 outside the documents the user sees (their area's); then 403 without the statistics."""
    return get_visible_or_404(Document.objects.select_related("area"), user=user, perm=Perm.VIEW_STATISTICS, pk=pk)
