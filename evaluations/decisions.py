"""Recognition decisions: the act that grants the titles of approved evaluations.

A draft lists approved evaluations of one title and year under the issuing unit whose result their
set counts as recognised. Published, its recognitions count in the statistics; revoked (with a
reason) it stops counting but keeps its list for the record. Nothing here is ever deleted.

An evaluation belongs to at most one decision that is not revoked: the list is checked here, with
the evaluations locked, rather than by a constraint, because revoked decisions keep theirs.
"""

from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import AdministrativeUnit, subtree_q
from audit.services import audit_record
from core.access import get_visible_or_404, has_perm
from core.changes import announce
from core.text import nfc
from registry.network import clean_year_for

from .changes import EvaluationsRecognised
from .models import SUBJECT_FIELD, DecisionStatus, Evaluation, EvaluationState, RecognitionDecision
from .selectors import SUBJECTS

LIVE = (DecisionStatus.DRAFT, DecisionStatus.PUBLISHED)
TEXT_FIELDS = ("number", "issuing_body", "signer", "legal_basis")
REQUIRED_TEXT = ("number", "issuing_body", "signer")


def _lines(value) -> str:
    """NFC text keeping its line breaks (a legal basis cites one document a line)."""
    return "\n".join(line for line in (nfc(part) for part in (value or "").splitlines()) if line)


def get_decision_for_user(user, *, pk, perm: str = Perm.VIEW_REGISTRIES) -> RecognitionDecision:
    return get_visible_or_404(RecognitionDecision.objects.select_related("issuing_area"), user=user, perm=perm, pk=pk)


def can_manage(user, decision: RecognitionDecision) -> bool:
    return has_perm(user, Perm.MANAGE_DECISIONS) and scope_for(user).contains_path(decision.issuing_area.path)


def _require_manage(actor, area: AdministrativeUnit) -> None:
    if not has_perm(actor, Perm.MANAGE_DECISIONS) or not scope_for(actor).contains_path(area.path):
        raise PermissionDenied


def recognisable(*, title: str, year: int, issuing_area: AdministrativeUnit, decision=None) -> list[Evaluation]:
    """Approved evaluations of the title and year under the unit whose result their set counts as
    recognised, and that no other live decision lists; subject first, in a stable order."""
    links = RecognitionDecision.evaluations.through.objects.filter(recognitiondecision__status__in=LIVE)
    if decision is not None:
        links = links.exclude(recognitiondecision_id=decision.pk)
    candidates = (
        Evaluation.objects.filter(title=title, year=year, state=EvaluationState.APPROVED)
        .filter(subtree_q("area__path", issuing_area.path))
        # NOT EXISTS, an anti-join: NOT IN over every live decision's links was a subplan run per row on
        # PostgreSQL once the links outgrew work_mem (publishing hung on the demo's 500,000 evaluations).
        .exclude(Exists(links.filter(evaluation_id=OuterRef("pk"))))
        .select_related("criteria_set", "area", *SUBJECTS)
        .order_by("area__path", "id")
    )
    return [e for e in candidates if e.result in (e.criteria_set.recognised_results or [])]


def clean_decision_fields(*, number, date, issuing_body, signer, legal_basis) -> dict:
    """The decision's own fields, trimmed; errors keyed by field."""
    values = {"number": number, "issuing_body": issuing_body, "signer": signer, "legal_basis": legal_basis}
    clean, errors = {}, {}
    for name in TEXT_FIELDS:
        text = _lines(values[name]) if name == "legal_basis" else nfc(values[name] or "")
        max_length = RecognitionDecision._meta.get_field(name).max_length
        if name in REQUIRED_TEXT and not text:
            errors[name] = [_("Enter this.")]
        elif max_length and len(text) > max_length:
            errors[name] = [_("At most %(count)d characters.") % {"count": max_length}]
        clean[name] = text
    if not isinstance(date, Date):
        errors["date"] = [_("Enter the date of the decision.")]
    clean["date"] = date
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_scope(title: str, year, issuing_area: AdministrativeUnit) -> int:
    if title not in SUBJECT_FIELD:
        raise ValidationError({"title": [_("This title cannot be recognised yet.")]})
    try:
        return clean_year_for(issuing_area, year)
    except ValidationError as error:
        raise ValidationError({"year": error.messages}) from error


def _clean_list(chosen, *, title, year, issuing_area, decision=None, allow_empty=False) -> list[Evaluation]:
    """The chosen evaluations, locked so two decisions cannot take the same one at once."""
    ids = sorted({e.pk for e in chosen})
    if not ids and not allow_empty:
        raise ValidationError({"evaluations": [_("Choose at least one evaluation to recognise.")]})
    locked = list(Evaluation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    allowed = {e.pk: e for e in recognisable(title=title, year=year, issuing_area=issuing_area, decision=decision)}
    refused = [e for e in locked if e.pk not in allowed]
    if refused:
        raise ValidationError({"evaluations": [_refusal(e, decision) for e in refused]})
    return [allowed[e.pk] for e in locked]


def _refusal(evaluation: Evaluation, decision) -> str:
    other = evaluation.decisions.filter(status__in=LIVE).exclude(pk=getattr(decision, "pk", None)).first()
    if other is not None:
        return _("%(subject)s is already in decision %(number)s.") % {
            "subject": evaluation.subject,
            "number": other.number,
        }
    return _(
        "%(subject)s cannot be recognised by this decision: only approved evaluations of its title and year, "
        "under the issuing unit, with a result the criteria set counts as recognised."
    ) % {"subject": evaluation.subject}


def _snapshot(decision: RecognitionDecision, evaluation_ids=None) -> dict:
    if evaluation_ids is None:
        evaluation_ids = sorted(decision.evaluations.values_list("pk", flat=True))
    return {
        "title": decision.title,
        "year": decision.year,
        "issuing_area": f"{decision.issuing_area.tree}:{decision.issuing_area.code}",
        "number": decision.number,
        "date": decision.date.isoformat(),
        "issuing_body": decision.issuing_body,
        "signer": decision.signer,
        "legal_basis": decision.legal_basis,
        "evaluations": list(evaluation_ids),
    }


@transaction.atomic
def decision_create(
    *,
    actor,
    title: str,
    year,
    issuing_area: AdministrativeUnit,
    number: str,
    date,
    issuing_body: str,
    signer: str,
    legal_basis: str,
    evaluations,
) -> RecognitionDecision:
    """A draft decision of `issuing_area` recognising `evaluations`."""
    _require_manage(actor, issuing_area)
    year = _clean_scope(title, year, issuing_area)
    fields = clean_decision_fields(
        number=number, date=date, issuing_body=issuing_body, signer=signer, legal_basis=legal_basis
    )
    chosen = _clean_list(evaluations, title=title, year=year, issuing_area=issuing_area)
    decision = RecognitionDecision.objects.create(title=title, year=year, issuing_area=issuing_area, **fields)
    decision.evaluations.set(chosen)
    audit_record(actor=actor, action="decision.create", obj=decision, after=_snapshot(decision, [e.pk for e in chosen]))
    return decision


def _locked(decision: RecognitionDecision, status: str) -> RecognitionDecision:
    """The decision as stored, locked against a concurrent change, refused unless in `status`."""
    current = RecognitionDecision.objects.select_for_update().select_related("issuing_area").get(pk=decision.pk)
    if current.status != status:
        raise ValidationError(
            _("This cannot be done to a decision that is “%(status)s”.") % {"status": current.get_status_display()},
            code="state",
        )
    return current


@transaction.atomic
def decision_update(
    *,
    actor,
    decision: RecognitionDecision,
    title: str,
    year,
    issuing_area: AdministrativeUnit,
    number: str,
    date,
    issuing_body: str,
    signer: str,
    legal_basis: str,
    evaluations,
) -> RecognitionDecision:
    """Change a draft: its fields and its list. A draft may be emptied, which frees its evaluations
    for another decision (drafts are never deleted)."""
    _require_manage(actor, decision.issuing_area)
    _require_manage(actor, issuing_area)
    decision = _locked(decision, DecisionStatus.DRAFT)
    year = _clean_scope(title, year, issuing_area)
    fields = clean_decision_fields(
        number=number, date=date, issuing_body=issuing_body, signer=signer, legal_basis=legal_basis
    )
    chosen = _clean_list(
        evaluations, title=title, year=year, issuing_area=issuing_area, decision=decision, allow_empty=True
    )
    before = _snapshot(decision)
    decision.title, decision.year, decision.issuing_area = title, year, issuing_area
    for name, value in fields.items():
        setattr(decision, name, value)
    after = _snapshot(decision, sorted(e.pk for e in chosen))
    if after == before:
        return decision  # saved as it was: nothing changed, nothing to record
    decision.save()
    decision.evaluations.set(chosen)
    audit_record(actor=actor, action="decision.update", obj=decision, before=before, after=after)
    return decision


@transaction.atomic
def decision_publish(*, actor, decision: RecognitionDecision) -> RecognitionDecision:
    """Draft → published: from now on its recognitions count. The list is checked again, since an
    evaluation may have been unlocked or re-approved since the draft was written."""
    _require_manage(actor, decision.issuing_area)
    decision = _locked(decision, DecisionStatus.DRAFT)
    chosen = list(decision.evaluations.all())
    _clean_list(chosen, title=decision.title, year=decision.year, issuing_area=decision.issuing_area, decision=decision)
    decision.status = DecisionStatus.PUBLISHED
    decision.published_at = timezone.now()
    decision.save()
    _recognise(decision, recognised=True)
    audit_record(
        actor=actor,
        action="decision.publish",
        obj=decision,
        before={"status": DecisionStatus.DRAFT.value},
        after={"status": decision.status, "evaluations": len(chosen)},
    )
    return decision


@transaction.atomic
def decision_revoke(*, actor, decision: RecognitionDecision, reason: str) -> RecognitionDecision:
    """Published → revoked, with the reason: its recognitions stop counting; the decision and its
    list stay as they were, for the record."""
    _require_manage(actor, decision.issuing_area)
    decision = _locked(decision, DecisionStatus.PUBLISHED)
    reason = _lines(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    decision.status = DecisionStatus.REVOKED
    decision.revoked_at = timezone.now()
    decision.revoke_reason = reason
    decision.save()
    _recognise(decision, recognised=False)
    audit_record(
        actor=actor,
        action="decision.revoke",
        obj=decision,
        before={"status": DecisionStatus.PUBLISHED.value},
        after={"status": decision.status},
        reason=reason,
    )
    return decision


def _recognise(decision, *, recognised: bool) -> None:
    """The decision's evaluations start (published) or stop (revoked) counting as recognised."""
    evaluations = list(decision.evaluations.select_related("household", "citizen"))
    Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).update(recognised=recognised)
    announce(EvaluationsRecognised(evaluations, recognised=recognised))
