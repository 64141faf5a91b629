"""`get_<thing>_for_user` helpers for evaluations (404 outside the user's scope, 403 without the
permission), and what the pages may offer a user: the services decide again on every change."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from accounts.roles import Perm
from accounts.scope import scope_for
from core.access import get_visible_or_404, has_perm

from . import services
from .models import Evaluation, Evidence


def get_evaluation_for_user(user, *, pk: int, perm: str = Perm.VIEW_REGISTRIES) -> Evaluation:
    evaluations = Evaluation.objects.select_related(
        "criteria_set", "area", "household__village", "clan", "village", "organisation", "commune", "approved_by"
    )
    return get_visible_or_404(evaluations, user=user, perm=perm, pk=pk)


def get_evidence_for_user(user, *, evaluation_pk: int, pk: int) -> Evidence:
    """In scope when its evaluation is."""
    evaluation = get_evaluation_for_user(user, pk=evaluation_pk)
    evidence = evaluation.evidence.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return evidence


def may_approve(user, evaluation: Evaluation) -> bool:
    """`can_approve`, false (not an error) when no level is set to approve the title that year."""
    try:
        return services.can_approve(user, evaluation)
    except ValidationError:
        return False


def approvable(user, evaluations):
    """The evaluations (already scoped to the user) whose title, year and tree the user's unit
    approves: one look-up of the approving level per title, year and tree, not per evaluation."""
    if not has_perm(user, Perm.APPROVE):
        return evaluations.none()
    if scope_for(user).everything:
        return evaluations
    if user.unit is None:
        return evaluations.none()
    kept = Q(pk__in=[])
    for title, year, tree in evaluations.values_list("title", "year", "area__tree").distinct().order_by():
        try:
            level = services.approver_level(title, year, tree)
        except ValidationError:
            continue
        if level == user.unit.level:
            kept |= Q(title=title, year=year, area__tree=tree)
    return evaluations.filter(kept)
