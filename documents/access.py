from django.db.models import Q
from django.http import Http404

from accounts.roles import Perm
from core.access import get_visible_or_404, has_perm
from criteria.models import Title

from .models import Document


def personal_data_hidden(user) -> Q:
    """The documents a user without the learning citizens' permission may not open: those made from a
    decision on learning citizens list persons by name (personal data, Nghị định 13/2023/NĐ-CP), as
    the citizens' own pages do. Households' heads stay with the registries' permission, as on their pages."""
    if has_perm(user, Perm.VIEW_CITIZENS):
        return Q(pk__in=[])
    return Q(decision__title=Title.CITIZEN)


def get_document_for_user(user, *, pk: int) -> Document:
    """404 outside the documents the user sees (their area's, and no persons' data without its
    permission); then 403 without the statistics."""
    document = get_visible_or_404(
        Document.objects.select_related("area", "decision"), user=user, perm=Perm.VIEW_STATISTICS, pk=pk
    )
    if document.decision_id and document.decision.title == Title.CITIZEN and not has_perm(user, Perm.VIEW_CITIZENS):
        raise Http404
    return document
