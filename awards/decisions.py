"""Award decisions: the act of the awarding body granting one kind of award to selected nominations.

A draft lists nominations its unit selected for the kind; published, the awards stand (the review
report lists them, certificates of merit are printed); revoked with a reason, they no longer stand,
and the list stays for the record. A nomination belongs to at most one decision not revoked: checked
here with the nominations locked. Nothing is deleted.
"""

from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from audit.services import audit_record
from core.access import get_visible_or_404
from core.text import nfc

from .models import AwardDecision, AwardDecisionStatus, AwardKind, Nomination, NominationState
from .services import may_review

LIVE = (AwardDecisionStatus.DRAFT, AwardDecisionStatus.PUBLISHED)
RECIPIENT_RELATED = (
    "association__area",
    "village",
    "organisation__area",
    "clan__commune",
    "household__village",
    "person_village",
)
TEXT_FIELDS = ("number", "issuing_body", "signer", "signer_title")


def get_award_decision_for_user(user, *, pk, perm: str = Perm.VIEW_REGISTRIES) -> AwardDecision:
    return get_visible_or_404(AwardDecision.objects.select_related("kind", "issuing_area"), user=user, perm=perm, pk=pk)


def can_manage(user, decision: AwardDecision) -> bool:
    return may_review(user, decision.issuing_area)


def _require(actor, area) -> None:
    if not may_review(actor, area):
        raise PermissionDenied


def selectable(*, kind: AwardKind, issuing_area, decision=None) -> list[Nomination]:
    """Nominations the unit selected for the kind that no other live decision lists."""
    taken = AwardDecision.nominations.through.objects.filter(awarddecision__status__in=LIVE)
    if decision is not None:
        taken = taken.exclude(awarddecision_id=decision.pk)
    return list(
        Nomination.objects.filter(kind=kind, awarding_area=issuing_area, state=NominationState.SELECTED)
        .exclude(pk__in=taken.values("nomination_id"))
        .select_related("area", *RECIPIENT_RELATED)
        .order_by("area__path", "recipient", "id")
    )


def clean_decision_fields(*, number, date, issuing_body, signer, signer_title) -> dict:
    values = {"number": number, "issuing_body": issuing_body, "signer": signer, "signer_title": signer_title}
    clean, errors = {}, {}
    for name in TEXT_FIELDS:
        text = nfc(values[name] or "").strip()
        max_length = AwardDecision._meta.get_field(name).max_length
        if not text:
            errors[name] = [_("Enter this.")]
        elif len(text) > max_length:
            errors[name] = [_("At most %(count)d characters.") % {"count": max_length}]
        clean[name] = text
    if not isinstance(date, Date):
        errors["date"] = [_("Enter the date of the decision.")]
    clean["date"] = date
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_list(chosen, *, kind, issuing_area, decision=None, allow_empty=False) -> list[Nomination]:
    """The chosen nominations, locked so that two decisions cannot take the same one at once."""
    ids = sorted({n.pk for n in chosen})
    if not ids and not allow_empty:
        raise ValidationError({"nominations": [_("Choose at least one selected nomination.")]})
    locked = list(Nomination.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    allowed = {n.pk: n for n in selectable(kind=kind, issuing_area=issuing_area, decision=decision)}
    refused = [pk for pk in locked if pk not in allowed]
    if refused:
        named = Nomination.objects.filter(pk__in=refused).select_related(*RECIPIENT_RELATED)
        message = _(
            "%(name)s cannot be awarded by this decision: only nominations the issuing unit selected for this kind "
            "of award, and in no other decision."
        )
        raise ValidationError({"nominations": [message % {"name": n.recipient_name} for n in named]})
    return [allowed[pk] for pk in locked]


def _snapshot(decision: AwardDecision, ids=None) -> dict:
    if ids is None:
        ids = sorted(decision.nominations.values_list("pk", flat=True))
    return {
        "kind": decision.kind_id,
        "issuing_area": f"{decision.issuing_area.tree}:{decision.issuing_area.code}",
        "number": decision.number,
        "date": decision.date.isoformat(),
        "issuing_body": decision.issuing_body,
        "signer": decision.signer,
        "signer_title": decision.signer_title,
        "recipients": len(ids),
    }


@transaction.atomic
def award_decision_create(*, actor, kind: AwardKind, issuing_area, nominations, **fields) -> AwardDecision:
    _require(actor, issuing_area)
    if issuing_area.level != kind.issuer_level:
        raise ValidationError(
            {"kind": [_("%(area)s does not issue %(kind)s.") % {"area": issuing_area.name, "kind": kind.name}]}
        )
    values = clean_decision_fields(**fields)
    chosen = _clean_list(nominations, kind=kind, issuing_area=issuing_area)
    decision = AwardDecision.objects.create(kind=kind, issuing_area=issuing_area, created_by=actor, **values)
    decision.nominations.set(chosen)
    audit_record(
        actor=actor, action="award_decision.create", obj=decision, after=_snapshot(decision, [n.pk for n in chosen])
    )
    return decision


def _locked(decision: AwardDecision, status: str) -> AwardDecision:
    current = AwardDecision.objects.select_for_update().select_related("kind", "issuing_area").get(pk=decision.pk)
    if current.status != status:
        raise ValidationError(
            _("This cannot be done to a decision that is “%(status)s”.") % {"status": current.get_status_display()},
            code="state",
        )
    return current


@transaction.atomic
def award_decision_update(*, actor, decision: AwardDecision, nominations, **fields) -> AwardDecision:
    """Change a draft's fields and its recipients (a draft may be emptied; it is never deleted)."""
    _require(actor, decision.issuing_area)
    current = _locked(decision, AwardDecisionStatus.DRAFT)
    values = clean_decision_fields(**fields)
    chosen = _clean_list(
        nominations, kind=current.kind, issuing_area=current.issuing_area, decision=current, allow_empty=True
    )
    before_ids = sorted(current.nominations.values_list("pk", flat=True))
    after_ids = sorted(n.pk for n in chosen)
    before = _snapshot(current, before_ids)
    for name, value in values.items():
        setattr(current, name, value)
    after = _snapshot(current, after_ids)
    if after == before and after_ids == before_ids:
        return current  # saved as it was: nothing to record
    current.save()
    current.nominations.set(chosen)
    audit_record(actor=actor, action="award_decision.update", obj=current, before=before, after=after)
    return current


@transaction.atomic
def award_decision_publish(*, actor, decision: AwardDecision) -> AwardDecision:
    """Draft → published; its list is checked again (a nomination may have been set aside since)."""
    _require(actor, decision.issuing_area)
    current = _locked(decision, AwardDecisionStatus.DRAFT)
    chosen = list(current.nominations.all())
    _clean_list(chosen, kind=current.kind, issuing_area=current.issuing_area, decision=current)
    current.status, current.published_at = AwardDecisionStatus.PUBLISHED, timezone.now()
    current.save()
    audit_record(
        actor=actor,
        action="award_decision.publish",
        obj=current,
        before={"status": AwardDecisionStatus.DRAFT.value},
        after={"status": current.status, "recipients": len(chosen)},
    )
    return current


@transaction.atomic
def award_decision_revoke(*, actor, decision: AwardDecision, reason: str) -> AwardDecision:
    """Published → revoked with the reason: the awards no longer stand; the list stays."""
    _require(actor, decision.issuing_area)
    current = _locked(decision, AwardDecisionStatus.PUBLISHED)
    reason = "\n".join(line for line in (nfc(p).strip() for p in (reason or "").splitlines()) if line)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    current.status, current.revoked_at, current.revoke_reason = AwardDecisionStatus.REVOKED, timezone.now(), reason
    current.save()
    audit_record(
        actor=actor,
        action="award_decision.revoke",
        obj=current,
        before={"status": AwardDecisionStatus.PUBLISHED.value},
        after={"status": current.status},
        reason=reason,
    )
    return current


def awarded_in(area, first_year: int, last_year: int, tree: str | None = None):
    """Published decisions dated in the years, issued by the area or a unit under it (the whole
    country when `area` is None, on `tree`)."""
    from areas.models import subtree_q

    found = AwardDecision.objects.filter(
        status=AwardDecisionStatus.PUBLISHED, date__year__gte=first_year, date__year__lte=last_year
    )
    if area is not None:
        found = found.filter(subtree_q("issuing_area__path", area.path))
    elif tree:
        found = found.filter(issuing_area__tree=tree)
    return found.select_related("kind", "issuing_area").order_by("date", "id")
