"""Learning citizens (Công dân học tập, QĐ 677/QĐ-TTg): the rules of a person's record, shared by the
form, the API and the import; the services that change them (validated, atomic, audited); and the
access log that Nghị định 13/2023/NĐ-CP asks of personal data (who listed or exported whom, when).

Purpose, as the pages state it: persons are recorded to evaluate and count learning citizens of the
movement; they are seen only inside the scope of their village, never published, and every list,
export and record opened is logged.
"""

from json.encoder import encode_basestring_ascii as json_string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEntry
from audit.services import audit_record
from core.bulk import JsonText
from core.changes import announce
from core.parsing import choice_names, clean_whole_number
from core.text import fold, nfc, sort_key
from core.versions import bump, lock_version

from .changes import CitizensChanged
from .models import Citizen, Sex, TargetGroup
from .services import issue_code
from .validation import clean_name

PURPOSE = gettext_lazy(
    "Personal data kept to evaluate and count learning citizens (QĐ 677/QĐ-TTg): seen only by the officers "
    "of the person's village and the levels above it, never published; every list, export and record "
    "opened is logged (Nghị định 13/2023/NĐ-CP)."
)
FULL_NAME_REQUIRED = gettext_lazy("Enter the person's full name.")
VILLAGE_REQUIRED = gettext_lazy("Enter the village where the person lives: every person belongs to a village.")
FIRST_BIRTH_YEAR = 1900


def code_prefix(village_code: str) -> str:
    return f"{village_code}-CD"


# Validators -----------------------------------------------------------------------------------------


def clean_full_name(value) -> str:
    return clean_name(value, required_message=FULL_NAME_REQUIRED)


def clean_birth_year(value) -> int:
    """A year of birth between 1900 and this year."""
    if value in (None, ""):
        raise ValidationError(_("Enter the year of birth."), code="required")
    year = clean_whole_number(value)
    this_year = timezone.localdate().year
    if not FIRST_BIRTH_YEAR <= year <= this_year:
        raise ValidationError(
            _("A year of birth lies between %(first)d and %(last)d.") % {"first": FIRST_BIRTH_YEAR, "last": this_year},
            code="range",
        )
    return year


# The words a file writes, folded (without diacritics, lower case), beside the choices' own names.
SEX_WORDS = {"nam": Sex.MALE, "nu": Sex.FEMALE}


def clean_sex(value) -> str:
    """The sex as a file or a form writes it: Nam or Nữ (or the choices' names in either language)."""
    folded = fold(nfc(str(value or ""))).strip()
    sex = SEX_WORDS.get(folded) or choice_names(Sex).get(folded)
    if sex is None:
        raise ValidationError(_("Write the sex as “Nam” or “Nữ”, not “%(value)s”.") % {"value": value}, code="sex")
    return sex


def target_group_picker():
    """The validator of a target group cell or field: empty, or a group's code or name (data, shipped
    empty: until a province enters them, the cell stays empty)."""
    groups = {}
    for group in TargetGroup.objects.all():
        groups[fold(group.code)] = group
        groups[fold(group.name)] = group

    def pick(value):
        text = nfc(str(value or ""))
        if not text:
            return None
        group = groups.get(fold(text))
        if group is None:
            raise ValidationError(_("Unknown target group “%(group)s”.") % {"group": text}, code="target_group")
        return group

    return pick


def clean_village(village):
    if village is None:
        raise ValidationError(VILLAGE_REQUIRED, code="required")
    return village


def clean_household(household, village):
    """A household, when given, is one of the person's village."""
    if household is not None and household.village_id != village.pk:
        raise ValidationError(
            _("Household %(code)s is not in %(village)s.") % {"code": household.code, "village": village.name},
            code="household_village",
        )
    return household


# Services ----------------------------------------------------------------------------------------


def counted(citizen: Citizen) -> tuple[int, int, bool]:
    """What the figures count of a person (`changes.CitizensChanged`)."""
    return citizen.village_id, citizen.birth_year, citizen.is_active


def snapshot(citizen: Citizen) -> dict:
    return snapshot_of(
        village=citizen.village,
        household=citizen.household if citizen.household_id else None,
        full_name=citizen.full_name,
        birth_year=citizen.birth_year,
        sex=citizen.sex,
        target_group=citizen.target_group if citizen.target_group_id else None,
        is_active=citizen.is_active,
    )


def snapshot_of(*, village, household, full_name, birth_year, sex, target_group, is_active) -> dict:
    """A person's history entry from their values (the import's rows make no model object)."""
    return {
        "village": village.code,
        "household": household.code if household is not None else "",
        "full_name": full_name,
        "birth_year": birth_year,
        "sex": sex,
        "target_group": target_group.code if target_group is not None else "",
        "is_active": is_active,
    }


def snapshot_json(*, village, household, full_name, birth_year, sex, target_group, is_active) -> JsonText:
    """`snapshot_of`'s entry written as JSON from codes and values, for the thousands of entries of an
    import (json.dumps of each whole entry cost as much as the rest of their writing)."""
    return JsonText(
        f'{{"village": {json_string(village)}, "household": {json_string(household)}, '
        f'"full_name": {json_string(full_name)}, "birth_year": {int(birth_year)}, "sex": {json_string(sex)}, '
        f'"target_group": {json_string(target_group)}, "is_active": {"true" if is_active else "false"}}}'
    )


def _fill(citizen: Citizen, *, village, household, full_name, birth_year, sex, target_group, is_active) -> None:
    citizen.village = clean_village(village)
    citizen.household = clean_household(household, village)
    citizen.full_name = clean_full_name(full_name)
    citizen.birth_year = clean_birth_year(birth_year)
    citizen.sex = clean_sex(sex)
    citizen.target_group = target_group
    citizen.is_active = bool(is_active)
    citizen.search_name, citizen.sort_key = fold(citizen.full_name), sort_key(citizen.full_name)


def _require_village_in_scope(actor, village) -> None:
    from areas.models import Village

    if village is not None and not Village.objects.visible_to(actor).filter(pk=village.pk).exists():
        raise ValidationError(_("%(village)s is outside your area.") % {"village": village}, code="scope")


@transaction.atomic
def citizen_create(
    *, actor, village, full_name, birth_year, sex, household=None, target_group=None, is_active=True
) -> Citizen:
    clean_village(village)
    _require_village_in_scope(actor, village)
    citizen = Citizen()
    _fill(
        citizen,
        village=village,
        household=household,
        full_name=full_name,
        birth_year=birth_year,
        sex=sex,
        target_group=target_group,
        is_active=is_active,
    )
    citizen.code = issue_code(code_prefix(village.code))
    citizen.save()
    announce(CitizensChanged([(citizen.pk, None, counted(citizen))]))
    audit_record(actor=actor, action="citizen.create", obj=citizen, after=snapshot(citizen))
    return citizen


@transaction.atomic
def citizen_update(
    *, actor, citizen: Citizen, version, village, full_name, birth_year, sex, household, target_group, is_active
) -> Citizen:
    """Change a person seen at `version`: refused as stale if the record has moved since."""
    clean_village(village)
    _require_village_in_scope(actor, village)
    # Only the village joined: PostgreSQL locks no row on the nullable side of an outer join.
    citizen = lock_version(Citizen.objects.select_related("village"), citizen.pk, version)
    before, counted_before = snapshot(citizen), counted(citizen)
    _fill(
        citizen,
        village=village,
        household=household,
        full_name=full_name,
        birth_year=birth_year,
        sex=sex,
        target_group=target_group,
        is_active=is_active,
    )
    after = snapshot(citizen)
    if after != before:
        bump(citizen)
        citizen.save()
        announce(CitizensChanged([(citizen.pk, counted_before, counted(citizen))]))
        audit_record(actor=actor, action="citizen.update", obj=citizen, before=before, after=after)
    return citizen


# The access log --------------------------------------------------------------------------------

# The actions that record a read, not a change: left out of a person's history.
READS = ["citizen.list", "citizen.export", "citizen.view", "citizen.api_list", "citizen.api_view"]


def log_access(*, actor, action: str, citizen: Citizen | None = None, detail: dict | None = None) -> None:
    """Record that `actor` read personal data: a list ("citizen.list"), an export ("citizen.export"),
    one record ("citizen.view") or a list through the API ("citizen.api_list"). Written as an audit
    entry (no change: `after` holds what was asked and how many persons it showed)."""
    AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=Citizen._meta.label_lower,
        object_id=str(citizen.pk) if citizen is not None else "",
        after=detail or {},
    )
