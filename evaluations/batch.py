"""Many evaluations at once: the approver's bulk approval or return, and the village meeting's grid.
Each row goes through the single-evaluation services (their rules, version checks and audit
rows); the whole batch is one transaction, all of it or none. The rules the services look up for
every row are looked up once a batch (`core.memo`), and the meeting's registrations reach the
figures together at its end (`core.changes.gathered`)."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from core.changes import gathered
from core.memo import batch_memo
from criteria.models import CriteriaSet, Scoring, Title
from criteria.scoring import clean_mark
from criteria.services import definition_of

from .models import SUBJECT_FIELD, Evaluation
from .selectors import SUBJECTS
from .services import (
    OWNER_EDITABLE,
    evaluation_approve,
    evaluation_marks_save,
    evaluation_register,
    evaluation_return,
    evaluation_submit,
)


@transaction.atomic
def evaluations_decide(*, actor, items: list[tuple[Evaluation, int]], approve: bool, reason: str = "") -> int:
    """Approve, or return with one reason, many evaluations: all of them or none."""
    errors = []
    with batch_memo():
        for evaluation, version in items:
            try:
                if approve:
                    evaluation_approve(actor=actor, evaluation=evaluation, version=version)
                else:
                    evaluation_return(actor=actor, evaluation=evaluation, version=version, reason=reason)
            except ValidationError as error:
                errors.extend(f"{evaluation.subject}: {message}" for message in error.messages)
    if errors:
        raise ValidationError(errors)
    return len(items)


@transaction.atomic
def evaluations_mark_many(
    *, actor, year: int, criteria_set: CriteriaSet, rows, submit_complete: bool = False, title: str = Title.HOUSEHOLD
) -> dict:
    """A village meeting's grid: `rows` of (household, version seen or None, marks by leaf code) — or
    of another subject of `title` (a clan, village or unit: the marks import of each).
    A subject not yet registered is registered when it has a mark; changed marks are saved; with
    `submit_complete`, every row whose marks are complete is submitted. All or nothing: the errors
    come back by the subject's code."""
    leaves = {leaf.key: leaf for leaf in definition_of(criteria_set).leaves}
    households = [household for household, _version, _marks in rows]
    field = SUBJECT_FIELD[title]
    existing = {
        getattr(e, f"{field}_id"): e
        for e in Evaluation.objects.filter(title=title, year=year, **{f"{field}__in": households})
    }
    counts = {"registered": 0, "saved": 0, "submitted": 0}
    errors = {}
    with batch_memo(), gathered():
        for household, version, marks in rows:
            evaluation = existing.get(household.pk)
            try:
                registered_now = evaluation is None
                if registered_now:
                    if all(value in (None, "") for value in marks.values()):
                        continue
                    evaluation = evaluation_register(
                        actor=actor, title=title, year=year, subject=household, criteria_set=criteria_set
                    )
                    version = evaluation.version
                    counts["registered"] += 1
                changed = _changed_marks(evaluation, marks, leaves, saved_any=not registered_now)
                if changed:
                    evaluation = evaluation_marks_save(
                        actor=actor, evaluation=evaluation, version=version, marks=changed
                    )
                    version = evaluation.version
                    counts["saved"] += 1
                if submit_complete and evaluation.state in OWNER_EDITABLE:
                    counts["submitted"] += _submit_if_complete(actor, evaluation, version)
            except ValidationError as error:
                errors[household.code] = error.messages
        if errors:
            raise ValidationError(errors)
    return counts


def _changed_marks(evaluation: Evaluation, marks: dict, leaves: dict, *, saved_any: bool) -> dict:
    """The marks that differ from the saved self-assessment (none saved yet on a row just
    registered); a value that does not clean counts as changed, so that saving it reports why."""
    saved = (
        {
            m.node.code: m.passed if m.node.scoring == Scoring.PASS_FAIL else m.points
            for m in evaluation.marks.select_related("node")
        }
        if saved_any
        else {}
    )
    changed = {}
    for code, value in marks.items():
        try:
            same = code in leaves and clean_mark(leaves[code], value) == saved.get(code)
        except ValidationError:
            same = False
        if not same:
            changed[code] = value
    return changed


def _submit_if_complete(actor, evaluation: Evaluation, version: int) -> int:
    try:
        evaluation_submit(actor=actor, evaluation=evaluation, version=version)
    except ValidationError as error:
        if getattr(error, "code", None) == "incomplete":
            return 0
        raise
    return 1


def fingerprint(pairs) -> str:
    """Which evaluations at which versions, in a few characters: what an approver was shown when
    asked to decide everything that matches a filter."""
    text = ",".join(f"{pk}:{version}" for pk, version in sorted(pairs))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@transaction.atomic
def evaluations_decide_matching(*, actor, evaluations, seen: str, approve: bool, reason: str = "") -> int:
    """Approve, or return with one reason, every evaluation of `evaluations` (the approver's filter,
    on every page) as they confirmed it: `seen` is the `fingerprint` of the set they were asked
    about. If one was added, decided or changed since, nothing is decided and they look again."""
    chosen = list(evaluations.select_related("area", *SUBJECTS))
    if not chosen or fingerprint((e.pk, e.version) for e in chosen) != seen:
        raise ValidationError(
            ngettext(
                "The list changed since you were asked: %(count)d evaluation matches now. Look at it again.",
                "The list changed since you were asked: %(count)d evaluations match now. Look at them again.",
                len(chosen),
            )
            % {"count": len(chosen)},
            code="stale",
        )
    return evaluations_decide(actor=actor, items=[(e, e.version) for e in chosen], approve=approve, reason=reason)
