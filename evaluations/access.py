"""`get_<thing>_for_user` helpers for evaluations (404 outside the user's scope, 403 without the
permission), and what the pages may offer a user: the services decide again on every change."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Substr
from django.http import Http404

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import subtree_q
from core.access import get_visible_or_404, has_perm

from . import services
from .models import Evaluation, Evidence
from .rule_scope import PROVINCE_PATH_LENGTH


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
    # A province may approve a title at its own level (rule_scope): one look-up per province too.
    keys = evaluations.annotate(province=Substr("area__path", 1, PROVINCE_PATH_LENGTH))
    groups = keys.values_list("title", "year", "area__tree", "province").distinct().order_by()
    for title, year, tree, province in groups:
        try:
            level = services.approver_level(title, year, tree, province)
        except ValidationError:
            continue
        if level == user.unit.level:
            kept |= Q(title=title, year=year, area__tree=tree) & subtree_q("area__path", province)
    return evaluations.filter(kept)
