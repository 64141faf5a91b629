"""Nominations for awards: proposed by a unit, submitted to the awarding body (the proposing unit's
ancestor at the level that issues the kind of award), returned for completion, selected or not.

Draft → submitted → selected / not selected; submitted → returned → submitted again. Every change is
atomic, checks the state it starts from and who acts, and writes its audit row.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Level, VillagePlacement, subtree_q
from audit.services import audit_record
from core.access import get_visible_or_404, has_perm
from core.text import nfc
from core.versions import bump, lock_version
from registry.network import clean_year

from .models import RECIPIENT_FIELD, AwardKind, Nomination, NominationState, Recipient

TEXT_MAX = 4000
# The longest name a certificate prints on its line in the shipped template's size.
CERTIFICATE_NAME_MAX = 80
MAX_YEARS = 10
EDITABLE = (NominationState.DRAFT, NominationState.RETURNED)


# Who may do what -----------------------------------------------------------------------------------


def awarding_area_for(kind: AwardKind, area: AdministrativeUnit) -> AdministrativeUnit:
    """The unit at the kind's issuing level above (or at) the proposing unit."""
    unit = area
    while unit is not None and unit.level > kind.issuer_level:
        unit = unit.parent
    if unit is None or unit.level != kind.issuer_level:
        raise ValidationError(
            {
                "kind": [
                    _("%(kind)s is issued at the %(level)s, which %(area)s does not have on its tree.")
                    % {"kind": kind.name, "level": str(Level(kind.issuer_level).label).lower(), "area": area.name}
                ]
            }
        )
    return unit


def may_nominate(user, area: AdministrativeUnit, kind: AwardKind | None = None) -> bool:
    """Whether `user` may propose on behalf of `area` (for `kind`, when given)."""
    if not has_perm(user, Perm.NOMINATE_AWARDS) or not scope_for(user).contains_path(area.path):
        return False
    return kind is None or (kind.is_active and area.level in (kind.nominator_levels or []))


def may_review(user, awarding_area: AdministrativeUnit) -> bool:
    """The awarding body's officers (or a system administrator) review and decide."""
    if not has_perm(user, Perm.DECIDE_AWARDS):
        return False
    return scope_for(user).everything or (user.unit_id is not None and user.unit_id == awarding_area.pk)


def get_nomination_for_user(user, *, pk, perm: str = Perm.VIEW_REGISTRIES) -> Nomination:
    nominations = Nomination.objects.select_related(
        "kind",
        "area",
        "awarding_area",
        "association__area",
        "village",
        "organisation__area",
        "clan__commune",
        "household__village",
        "person_village",
    )
    return get_visible_or_404(nominations, user=user, perm=perm, pk=pk)


# Cleaning what was entered -------------------------------------------------------------------------


def _text(value, *, required: bool = True, max_length: int = TEXT_MAX) -> str:
    text = "\n".join(line for line in (nfc(part).strip() for part in str(value or "").splitlines()) if line)
    if required and not text:
        raise ValidationError(_("Enter this."))
    if len(text) > max_length:
        raise ValidationError(
            _("At most %(count)d characters (this has %(length)d).") % {"count": max_length, "length": len(text)}
        )
    return text


def _years(first, last) -> tuple[int, int]:
    errors = {}
    clean = {}
    for name, value in (("first_year", first), ("last_year", last)):
        try:
            clean[name] = clean_year(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    first, last = clean["first_year"], clean["last_year"]
    if first > last:
        raise ValidationError({"last_year": [_("The last year comes after the first, for example 2016 to 2018.")]})
    if last - first >= MAX_YEARS:
        raise ValidationError({"last_year": [_("A nomination covers at most %(count)d years.") % {"count": MAX_YEARS}]})
    return first, last


def _village_in(village, area: AdministrativeUnit, year: int) -> bool:
    placements = VillagePlacement.objects.filter(village=village).filter(subtree_q("commune_path", area.path))
    return placements.covering(year).exists() or placements.exists()


def _clean_recipient(actor, area, recipient: str, record, person_name: str, person_village) -> dict:
    """The recipient's fields: the record (or the person's name and village), seen by the actor and
    inside the proposing unit."""
    if recipient not in Recipient.values:
        raise ValidationError({"recipient": [_("Choose who is proposed.")]})
    values = {field: None for field in RECIPIENT_FIELD.values()}
    values["person_name"] = ""
    if recipient == Recipient.PERSON:
        try:
            values["person_name"] = _text(person_name, max_length=CERTIFICATE_NAME_MAX)
        except ValidationError as error:
            raise ValidationError({"person_name": error.messages}) from error
        record = person_village
    if record is None:
        field = "person_village" if recipient == Recipient.PERSON else "record"
        raise ValidationError({field: [_("Choose the recipient from the list.")]})
    model = Nomination._meta.get_field(RECIPIENT_FIELD[recipient]).related_model
    if not isinstance(record, model) or not model.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise ValidationError({"record": [_("Choose the recipient from the list.")]})
    if recipient in (Recipient.ASSOCIATION, Recipient.UNIT):
        inside = record.area.path.startswith(area.path)
    elif recipient == Recipient.CLAN:
        inside = record.commune.path.startswith(area.path)
    else:
        village = record.village if recipient == Recipient.HOUSEHOLD else record
        inside = _village_in(village, area, timezone.localdate().year)
    if not inside:
        raise ValidationError(
            {"record": [_("%(name)s is not in %(area)s, which proposes.") % {"name": record, "area": area.name}]}
        )
    values[RECIPIENT_FIELD[recipient]] = record
    return values


def clean_nomination(
    *, actor, kind, area, recipient, record, person_name, person_village, first_year, last_year, reason, achievements
) -> dict:
    """Every field of a nomination checked, the errors keyed by field (nothing is saved on any)."""
    errors = {}
    values = {"kind": kind, "area": area, "recipient": recipient}
    if not isinstance(kind, AwardKind) or not kind.is_active:
        errors["kind"] = [_("Choose a kind of award in use.")]
    elif not may_nominate(actor, area, kind):
        errors["kind"] = [
            _("%(area)s may not propose for %(kind)s: the kind of award lists the levels that may.")
            % {"area": area.name, "kind": kind.name}
        ]
    else:
        try:
            values["awarding_area"] = awarding_area_for(kind, area)
        except ValidationError as error:
            errors.update(error.message_dict)
    for name, value in (("reason", reason), ("achievements", achievements)):
        try:
            values[name] = _text(value)
        except ValidationError as error:
            errors[name] = error.messages
    try:
        values["first_year"], values["last_year"] = _years(first_year, last_year)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        values.update(_clean_recipient(actor, area, recipient, record, person_name, person_village))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return values


def snapshot(nomination: Nomination) -> dict:
    record = getattr(nomination, RECIPIENT_FIELD[nomination.recipient])
    return {
        "kind": nomination.kind_id,
        "area": f"{nomination.area.tree}:{nomination.area.code}",
        "awarding_area": f"{nomination.awarding_area.tree}:{nomination.awarding_area.code}",
        "recipient": nomination.recipient,
        RECIPIENT_FIELD[nomination.recipient]: getattr(record, "code", None) or record.pk,
        "person_name": nomination.person_name,
        "first_year": nomination.first_year,
        "last_year": nomination.last_year,
        "reason": nomination.reason,
        "achievements": nomination.achievements,
        "state": nomination.state,
    }


# Changes ------------------------------------------------------------------------------------------


@transaction.atomic
def nomination_create(*, actor, area, **fields) -> Nomination:
    """A draft nomination by `area` (a unit the actor proposes for)."""
    if not may_nominate(actor, area):
        raise PermissionDenied
    values = clean_nomination(actor=actor, area=area, **fields)
    nomination = Nomination.objects.create(created_by=actor, **values)
    audit_record(actor=actor, action="nomination.create", obj=nomination, after=snapshot(nomination))
    return nomination


def _locked(nomination: Nomination, version=None) -> Nomination:
    queryset = Nomination.objects.select_related("kind", "area", "awarding_area")
    if version is None:
        return queryset.select_for_update().get(pk=nomination.pk)
    return lock_version(queryset, nomination.pk, version)


def _refuse_state(nomination: Nomination, allowed) -> None:
    if nomination.state not in allowed:
        raise ValidationError(
            _("This cannot be done to a nomination that is “%(state)s”.") % {"state": nomination.get_state_display()},
            code="state",
        )


@transaction.atomic
def nomination_update(*, actor, nomination: Nomination, version, **fields) -> Nomination:
    """Change a draft or a returned nomination (its proposing unit stays)."""
    if not may_nominate(actor, nomination.area):
        raise PermissionDenied
    current = _locked(nomination, version)
    _refuse_state(current, EDITABLE)
    values = clean_nomination(actor=actor, area=current.area, **fields)
    before = snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    after = snapshot(current)
    if after == before:
        return current
    bump(current)
    current.save()
    audit_record(actor=actor, action="nomination.update", obj=current, before=before, after=after)
    return current


def _move(actor, nomination, *, allowed, state, action, note="", note_required=False, reviewer=True):
    current = _locked(nomination)
    if reviewer and not may_review(actor, current.awarding_area):
        raise PermissionDenied
    if not reviewer and not may_nominate(actor, current.area):
        raise PermissionDenied
    _refuse_state(current, allowed)
    try:
        note = _text(note, required=note_required)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from error
    before = current.state
    current.state = state
    now = timezone.now()
    if reviewer:
        current.review_note, current.reviewed_at = note, now
    else:
        current.submitted_at = now
    bump(current)
    current.save()
    audit_record(
        actor=actor, action=action, obj=current, before={"state": before}, after={"state": state}, reason=note or ""
    )
    return current


@transaction.atomic
def nomination_submit(*, nomination: Nomination, actor) -> Nomination:
    """Draft or returned → submitted to the awarding body."""
    return _move(
        actor,
        nomination,
        allowed=EDITABLE,
        state=NominationState.SUBMITTED,
        action="nomination.submit",
        reviewer=False,
    )


@transaction.atomic
def nomination_return(*, nomination: Nomination, actor, note: str) -> Nomination:
    """Submitted → returned for completion, saying what is missing."""
    return _move(
        actor,
        nomination,
        allowed=(NominationState.SUBMITTED,),
        state=NominationState.RETURNED,
        action="nomination.return",
        note=note,
        note_required=True,
    )


@transaction.atomic
def nomination_select(*, nomination: Nomination, actor, note: str = "") -> Nomination:
    """Submitted → selected: it may be listed in an award decision."""
    return _move(
        actor,
        nomination,
        allowed=(NominationState.SUBMITTED,),
        state=NominationState.SELECTED,
        action="nomination.select",
        note=note,
    )


@transaction.atomic
def nomination_reject(*, nomination: Nomination, actor, note: str) -> Nomination:
    """Submitted (or selected and in no decision) → not selected, with the reason."""
    from .models import AwardDecisionStatus

    current = Nomination.objects.select_related("awarding_area").get(pk=nomination.pk)
    if not may_review(actor, current.awarding_area):
        raise PermissionDenied
    if current.decisions.exclude(status=AwardDecisionStatus.REVOKED).exists():
        raise ValidationError(_("This nomination is listed in an award decision: take it off the draft first."))
    return _move(
        actor,
        nomination,
        allowed=(NominationState.SUBMITTED, NominationState.SELECTED),
        state=NominationState.NOT_SELECTED,
        action="nomination.reject",
        note=note,
        note_required=True,
    )
