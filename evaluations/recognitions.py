"""A subject's record of evaluations and recognitions, year by year, as its own page shows it.

The registry and the areas sit below evaluations, so their pages cannot ask for this: they load it
by URL (`evaluations:subject_recognitions`), and this module answers for any title's subject."""

from django.db.models import Prefetch
from django.http import Http404

from areas.models import AdministrativeUnit, Level, Tree

from .models import SUBJECT_FIELD, DecisionStatus, Evaluation, RecognitionDecision


def subject_model(title: str):
    """The model a title evaluates (None for a title nobody evaluates)."""
    field = SUBJECT_FIELD.get(title)
    return Evaluation._meta.get_field(field).related_model if field else None


def get_subject_for_user(user, *, title: str, code: str):
    """The subject the title and code name among the records the user sees: 404 otherwise. A commune
    is `tree:code` (a code alone is read on the current tree)."""
    model = subject_model(title)
    if model is None:
        raise Http404
    if model is AdministrativeUnit:
        tree, _sep, code = code.rpartition(":")
        found = AdministrativeUnit.objects.visible_to(user).filter(
            level=Level.COMMUNE, tree=tree or Tree.Y2025, code=code
        )
    else:
        found = model.objects.visible_to(user).filter(code=code)
    subject = found.first()
    if subject is None:
        raise Http404
    return subject


def recognitions_of(user, *, title: str, subject) -> list[Evaluation]:
    """The subject's evaluations the user sees, newest year first, each with `shown_decisions`: the
    published or revoked decisions that list it (a draft is not a decision yet), and whether the user
    may open each (`decision.visible`)."""
    decisions = RecognitionDecision.objects.exclude(status=DecisionStatus.DRAFT).order_by("date", "pk")
    evaluations = list(
        Evaluation.objects.visible_to(user)
        .filter(title=title, **{SUBJECT_FIELD[title]: subject})
        .select_related("criteria_set", "area")
        .prefetch_related(Prefetch("decisions", queryset=decisions, to_attr="shown_decisions"))
        .order_by("-year", "-pk")
    )
    ids = {d.pk for e in evaluations for d in e.shown_decisions}
    visible = set(RecognitionDecision.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for evaluation in evaluations:
        for decision in evaluation.shown_decisions:
            decision.visible = decision.pk in visible
    return evaluations
