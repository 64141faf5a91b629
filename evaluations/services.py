"""Every change of an evaluation: one function per transition, atomic, allowed only from the right
state for the right role and area, each writing its audit row.

registered → in progress (marks saved) → submitted → approved (locked)
                 ↑                          ↓ returned for revision ↺; adjusted by the approver
approved → submitted again only when the approving level unlocks it, with a reason.

Every change names the version it saw: if another user's change landed first, it is refused
(no lost update), and the user reloads.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Level, VillagePlacement
from areas.services import check_in_force
from audit.services import audit_record
from core.access import has_perm
from core.changes import announce
from core.memo import remembered
from core.uniqueness import refused_as_checked
from criteria.models import CriteriaSet, Title
from criteria.selectors import sets_applying
from criteria.services import (
    criteria_marked,
    criteria_set_frozen,
    criteria_set_missing,
    criteria_set_used,
    require_usable,
)

from .changes import EvaluationsRegistered
from .marking import recompute, sides, write_marks
from .models import SUBJECT_FIELD, ClosedYear, Evaluation, EvaluationState, Evidence
from .rule_scope import approver_rule_for, province_path

OWNER_EDITABLE = {EvaluationState.REGISTERED, EvaluationState.IN_PROGRESS, EvaluationState.RETURNED}


# Who may do what -------------------------------------------------------------------------------


def approver_level(title: str, year: int, tree: str, province: str | None = None) -> int:
    """The level approving `title` in `year` on `tree` in the province whose path is `province`
    (its own rule, else the national default: `rule_scope.approver_rule_for`)."""
    rule = approver_rule_for(title, year, tree, province)
    if rule is None:
        raise ValidationError(
            _("No level is set to approve this title in %(year)d: a province officer sets it.") % {"year": year},
            code="no_approver",
        )
    return rule.level


def _in_scope(user, evaluation: Evaluation) -> bool:
    return Evaluation.objects.visible_to(user).filter(pk=evaluation.pk).exists()


def can_edit(user, evaluation: Evaluation) -> bool:
    return has_perm(user, Perm.EVALUATE) and _in_scope(user, evaluation)


def can_approve(user, evaluation: Evaluation) -> bool:
    """The approving level of this title, year and tree, with the evaluation in its area."""
    if not has_perm(user, Perm.APPROVE):
        return False
    if scope_for(user).everything:
        return True
    unit = user.unit
    if unit is None or unit.level != approver_level(
        evaluation.title, evaluation.year, evaluation.area.tree, province_path(evaluation.area)
    ):
        return False
    return scope_for(user).contains_path(evaluation.area.path)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_state(evaluation: Evaluation, states) -> None:
    if evaluation.state not in states:
        raise ValidationError(
            _("This cannot be done to an evaluation that is “%(state)s”.") % {"state": evaluation.get_state_display()},
            code="state",
        )


def _require_open(evaluation: Evaluation) -> None:
    title, year = evaluation.title, evaluation.year
    closed = remembered(
        ("closed", title, year, evaluation.area_id),
        lambda: ClosedYear.objects.filter(
            title=title, year=year, area__in=_ancestors_and_self(evaluation.area)
        ).first(),
    )
    if closed is not None:
        raise ValidationError(
            _("%(year)d is closed for this title by %(unit)s: ask them to reopen it.")
            % {"year": evaluation.year, "unit": closed.area},
            code="closed",
        )


def _ancestors_and_self(unit: AdministrativeUnit):
    units, current = [unit], unit
    while current.parent_id:
        current = current.parent
        units.append(current)
    return units


def _claim(evaluation: Evaluation, version: int) -> dict:
    """Take the next version, or refuse if someone else's change took it first. On PostgreSQL the
    row stays locked until the transaction ends, so a second writer waits, then fails here. The
    evaluation is read again as stored; its state and result then are returned, as the history's
    "before" of the change being made."""
    claimed = Evaluation.objects.filter(pk=evaluation.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise ValidationError(
            _("Someone else changed this evaluation while you were working on it: reload it and try again."),
            code="stale",
        )
    related = [field for field in Evaluation._meta.concrete_fields if field.is_relation and field.is_cached(evaluation)]
    kept = {field: field.get_cached_value(evaluation) for field in related}
    evaluation.refresh_from_db()
    # The refresh forgets the rows the evaluation points at (its set, area, subject): those it still
    # points at are the same rows, so a batch does not read them again for every evaluation.
    for field, row in kept.items():
        if row is not None and getattr(evaluation, field.attname) == row.pk:
            field.set_cached_value(evaluation, row)
    return {"state": evaluation.state, "result": evaluation.result}


# Registration ----------------------------------------------------------------------------------


def subject_area(title: str, subject, year: int) -> AdministrativeUnit:
    """The unit whose officers own the evaluation of `subject` in `year`."""
    if title in (Title.HOUSEHOLD, Title.VILLAGE, Title.CITIZEN):
        # A person, like a household, is evaluated by the commune that holds their village that year.
        village_id = subject.pk if title == Title.VILLAGE else subject.village_id
        commune = remembered(("commune of village", village_id, year), lambda: _commune_of(village_id, year))
        if commune is None:
            raise ValidationError(_("The village has no commune in %(year)d.") % {"year": year}, code="no_commune")
        return commune
    if title == Title.CLAN:
        return subject.commune
    if title == Title.UNIT:
        return subject.area
    if title == Title.COMMUNE:
        if subject.level != Level.COMMUNE:
            raise ValidationError(_("%(unit)s is not a commune.") % {"unit": subject}, code="not_commune")
        return subject
    raise ValidationError(_("This title cannot be evaluated yet."), code="title")


def _commune_of(village_id: int, year: int) -> AdministrativeUnit | None:
    placement = VillagePlacement.objects.covering(year).filter(village_id=village_id).select_related("commune")
    placement = placement.first()
    return placement.commune if placement is not None else None


def criteria_set_for(title: str, year: int, area=None) -> CriteriaSet:
    """The set an evaluation of a title for a year in `area` takes when the caller does not choose
    one: the newest complete own set of the area's province, else the newest national set."""
    own, national = sets_applying(title=title, year=year, area=area)
    for candidate in own:
        if not criteria_set_missing(candidate):
            return candidate
    for candidate in national:
        require_usable(candidate, year)
        return candidate
    raise ValidationError(
        _("No completed criteria set for this title covers %(year)d: a province officer completes one.")
        % {"year": year},
        code="no_set",
    )


@transaction.atomic
def evaluation_register(
    *, actor, title: str, year: int, subject, criteria_set: CriteriaSet | None = None
) -> Evaluation:
    if getattr(subject, "merged_into_id", None) is not None:
        raise ValidationError(
            _("%(subject)s has been merged into %(survivor)s: register that one instead.")
            % {"subject": subject, "survivor": subject.merged_into},
            code="merged",
        )
    area = subject_area(title, subject, year)
    check_in_force(area, year)
    criteria_set = criteria_set or criteria_set_for(title, year, area)
    if criteria_set.title != title:
        raise ValidationError(_("%(set)s is for another title.") % {"set": criteria_set}, code="title")
    require_usable(criteria_set, year)
    _require_set_applies(criteria_set, title, year, area)
    evaluation = Evaluation(
        title=title, year=year, criteria_set=criteria_set, area=area, **{SUBJECT_FIELD[title]: subject}
    )
    if title == Title.HOUSEHOLD:
        evaluation.household_village_id = subject.village_id
    _require(_may_register(actor, evaluation))
    _require_open(evaluation)
    duplicate = ValidationError(
        _("%(subject)s is already registered for %(year)d.") % {"subject": subject, "year": year}, code="duplicate"
    )

    def check():
        if Evaluation.objects.filter(**{SUBJECT_FIELD[title]: subject, "year": year}).exists():
            raise duplicate

    check()
    # Registered by someone else since the test (a double click, two officers saving one meeting's grid):
    # told as by the test; a grid's other rows go on.
    with refused_as_checked(check):
        evaluation.save()
    criteria_set_used(criteria_set)
    announce(EvaluationsRegistered([evaluation]))
    after = {"title": title, "year": year, "subject": str(subject), "criteria_set": criteria_set.pk}
    audit_record(actor=actor, action="evaluation.register", obj=evaluation, after=after)
    return evaluation


def _require_set_applies(criteria_set: CriteriaSet, title: str, year: int, area) -> None:
    """A set chosen for an evaluation is its province's own or, where the province has no complete
    own set of the title for the year, a national one."""
    if criteria_set.area_id is not None:
        if criteria_set.area.path != province_path(area):
            raise ValidationError(
                _("%(set)s is another province's own set: choose a set of your province or a national one.")
                % {"set": criteria_set},
                code="other_province",
            )
        return
    own = next((s for s in sets_applying(title=title, year=year, area=area)[0] if not criteria_set_missing(s)), None)
    if own is not None:
        raise ValidationError(
            _("Your province has its own set for this title in %(year)d, used instead of the national one: %(set)s.")
            % {"year": year, "set": own},
            code="province_set",
        )


def _may_register(user, evaluation: Evaluation) -> bool:
    if not has_perm(user, Perm.EVALUATE):
        return False
    scope = scope_for(user)
    if scope.village_id is not None:
        if evaluation.household_id:
            village_id = evaluation.household.village_id
        elif evaluation.citizen_id:
            village_id = evaluation.citizen.village_id
        else:
            village_id = evaluation.village_id
        return village_id == scope.village_id
    return scope.contains_path(evaluation.area.path)


# Marks and results -----------------------------------------------------------------------------


@transaction.atomic
def evaluation_marks_save(*, actor, evaluation: Evaluation, version: int, marks: dict, notes: dict | None = None):
    """The self-assessment: marks by leaf code (points, True/False, or None to clear)."""
    _require(can_edit(actor, evaluation))
    _require_state(evaluation, OWNER_EDITABLE)
    _require_open(evaluation)
    _claim(evaluation, version)
    changed = write_marks(evaluation, marks, notes or {}, adjusted=False)
    _after_marks(evaluation, changed)
    before, after = sides(changed)
    if evaluation.state == EvaluationState.REGISTERED:
        before["state"], after["state"] = evaluation.state, EvaluationState.IN_PROGRESS.value
        evaluation.state = EvaluationState.IN_PROGRESS
    evaluation.save()
    if before or after:  # saved unchanged: nothing happened worth a line of history
        audit_record(actor=actor, action="evaluation.marks", obj=evaluation, before=before, after=after)
    return evaluation


def _after_marks(evaluation: Evaluation, changed: dict) -> None:
    recompute(evaluation)
    if changed and evaluation.approved_at is not None:
        evaluation.changes_since_approval += len(changed)


@transaction.atomic
def evaluation_submit(*, actor, evaluation: Evaluation, version: int) -> Evaluation:
    _require(can_edit(actor, evaluation))
    _require_state(evaluation, OWNER_EDITABLE)
    _require_open(evaluation)
    stored = _claim(evaluation, version)
    outcome = recompute(evaluation)
    if not outcome.complete:
        raise ValidationError(_("Mark every criterion before submitting."), code="incomplete")
    return _move(actor, evaluation, EvaluationState.SUBMITTED, "evaluation.submit", stored, submitted_at=timezone.now())


def _move(
    actor, evaluation: Evaluation, state: str, action: str, before: dict, reason: str = "", **fields
) -> Evaluation:
    """`before`: the row as stored when claimed (`_claim`); the result in memory may be recomputed since."""
    evaluation.state = state
    for name, value in fields.items():
        setattr(evaluation, name, value)
    evaluation.save()
    audit_record(
        actor=actor,
        action=action,
        obj=evaluation,
        before=before,
        after={"state": state, "result": evaluation.result},
        reason=reason,
    )
    return evaluation


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason."), code="reason")
    return reason


@transaction.atomic
def evaluation_return(*, actor, evaluation: Evaluation, version: int, reason: str) -> Evaluation:
    _require(can_approve(actor, evaluation))
    _require_state(evaluation, {EvaluationState.SUBMITTED})
    _require_open(evaluation)
    reason = _require_reason(reason)
    stored = _claim(evaluation, version)
    return _move(actor, evaluation, EvaluationState.RETURNED, "evaluation.return", stored, reason=reason)


@transaction.atomic
def evaluation_adjust(*, actor, evaluation: Evaluation, version: int, marks: dict, reason: str) -> Evaluation:
    """The approver's own marks where they differ from the self-assessment, with the reason."""
    _require(can_approve(actor, evaluation))
    _require_state(evaluation, {EvaluationState.SUBMITTED})
    _require_open(evaluation)
    reason = _require_reason(reason)
    _claim(evaluation, version)
    changed = write_marks(evaluation, marks, {}, adjusted=True, reason=reason)
    _after_marks(evaluation, changed)
    evaluation.save()
    before, after = sides(changed)
    audit_record(actor=actor, action="evaluation.adjust", obj=evaluation, before=before, after=after, reason=reason)
    return evaluation


@transaction.atomic
def evaluation_approve(*, actor, evaluation: Evaluation, version: int) -> Evaluation:
    _require(can_approve(actor, evaluation))
    _require_state(evaluation, {EvaluationState.SUBMITTED})
    _require_open(evaluation)
    stored = _claim(evaluation, version)
    # The evaluations a batch approves under one set hold the same row of it: read, and frozen, once.
    evaluation.criteria_set = remembered(("set row", evaluation.criteria_set_id), lambda: evaluation.criteria_set)
    criteria_set_frozen(evaluation.criteria_set)
    recompute(evaluation)
    return _move(
        actor,
        evaluation,
        EvaluationState.APPROVED,
        "evaluation.approve",
        stored,
        approved_at=timezone.now(),
        approved_by=actor,
        changes_since_approval=0,
    )


@transaction.atomic
def evaluation_unlock(*, actor, evaluation: Evaluation, version: int, reason: str) -> Evaluation:
    """Only the approving level reopens an approved evaluation, with a reason; changes made after
    are counted until it is approved again."""
    _require(can_approve(actor, evaluation))
    _require_state(evaluation, {EvaluationState.APPROVED})
    _require_open(evaluation)
    reason = _require_reason(reason)
    # Claimed (and on PostgreSQL locked) before looking at decisions: a decision being published
    # at this moment either finishes first and is seen here, or waits and sees it is no longer approved.
    stored = _claim(evaluation, version)
    if evaluation.decisions.filter(status="published").exists():
        raise ValidationError(
            _("A published decision recognises this evaluation: revoke the decision first."), code="decided"
        )
    return _move(actor, evaluation, EvaluationState.SUBMITTED, "evaluation.unlock", stored, reason=reason)


# Closing a year --------------------------------------------------------------------------------


def _require_approving_unit(actor, title: str, year: int, area: AdministrativeUnit) -> None:
    if not has_perm(actor, Perm.APPROVE) or not scope_for(actor).contains_path(area.path):
        raise PermissionDenied
    if not scope_for(actor).everything and (
        actor.unit_id != area.pk or area.level != approver_level(title, year, area.tree, province_path(area))
    ):
        raise PermissionDenied


@transaction.atomic
def year_close(*, actor, title: str, year: int, area: AdministrativeUnit) -> ClosedYear:
    _require_approving_unit(actor, title, year, area)
    closed, created = ClosedYear.objects.get_or_create(title=title, year=year, area=area, defaults={"closed_by": actor})
    if not created:
        # Closing twice is no second change: refused, so the history holds one closing.
        raise ValidationError(_("%(year)d is already closed for this title.") % {"year": year}, code="already_closed")
    audit_record(actor=actor, action="evaluation_year.close", obj=area, after={"title": title, "year": year})
    return closed


@transaction.atomic
def year_reopen(*, actor, title: str, year: int, area: AdministrativeUnit, reason: str) -> None:
    _require_approving_unit(actor, title, year, area)
    reason = _require_reason(reason)
    removed, _by_model = ClosedYear.objects.filter(title=title, year=year, area=area).delete()
    if not removed:
        raise ValidationError(_("%(year)d is not closed for this title here.") % {"year": year}, code="not_closed")
    # The closing is what goes: it is the "before", and nothing of it is left after.
    audit_record(
        actor=actor, action="evaluation_year.reopen", obj=area, before={"title": title, "year": year}, reason=reason
    )


# Evidence ---------------------------------------------------------------


def closed_message(evaluation: Evaluation) -> str:
    """Why changes to the evaluation wait for a reopening, or "" when its year is open: pages say
    so before the user types anything."""
    try:
        _require_open(evaluation)
    except ValidationError as error:
        return error.messages[0]
    return ""


@transaction.atomic
def evidence_add(*, actor, evaluation: Evaluation, version: int, node, file) -> Evidence:
    """A file proving a criterion, added while its owner may still change the self-assessment."""
    _require(can_edit(actor, evaluation))
    _require_state(evaluation, OWNER_EDITABLE)
    _require_open(evaluation)
    if node.criteria_set_id != evaluation.criteria_set_id:
        raise ValidationError(_("%(code)s is not a criterion of this set.") % {"code": node.code}, code="node")
    _claim(evaluation, version)
    evidence = Evidence.objects.create(
        evaluation=evaluation, node=node, file=file, original_name=file.name[-255:], uploaded_by=actor
    )
    criteria_marked([node])
    audit_record(
        actor=actor,
        action="evaluation.evidence",
        obj=evaluation,
        after={"criterion": node.code, "file": evidence.original_name},
    )
    return evidence
