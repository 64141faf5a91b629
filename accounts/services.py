"""Account changes: who may create which account where, in one set of rules for the form and the import
(whose bulk writes are in `accounts_bulk`)."""

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import AdministrativeUnit, Village
from audit.services import audit_record
from core.text import nfc
from core.uniqueness import refused_as_checked

from .lockout import forget_failures
from .models import User
from .passwords import hash_temporary_password
from .roles import ROLE_UNIT_LEVEL, Role
from .scope import scope_for
from .tokens import tokens_revoke_all

PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679"


def generate_password(length: int = 12) -> str:
    """A temporary password without look-alike characters (0/O, 1/l), to read over the phone."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


@dataclass
class Assignment:
    role: str
    unit: AdministrativeUnit | None
    village: Village | None


def check_assignment(*, manager, role: str, unit, village) -> Assignment:
    """The one rule for where an account may be attached and by whom."""
    scope = scope_for(manager)
    if role not in scope.manageable_roles:
        raise ValidationError(
            _("You cannot create or manage accounts with the role “%(role)s”.") % {"role": Role(role).label}
            if role in Role.values
            else _("Unknown role “%(role)s”.") % {"role": role},
            code="role",
        )
    if role == Role.SYSTEM_ADMIN:
        return Assignment(role, None, None)
    if role == Role.VILLAGE_OFFICER:
        if village is None:
            raise ValidationError(_("A village officer's account needs a village."), code="no_area")
        if not Village.objects.filter(pk=village.pk).within(scope).exists():
            raise ValidationError(
                _("The village %(code)s is outside your area.") % {"code": village.code}, code="scope"
            )
        return Assignment(role, None, village)
    if unit is None:
        raise ValidationError(_("An account needs an area: choose an administrative unit."), code="no_area")
    wanted_level = ROLE_UNIT_LEVEL[role]
    if wanted_level is not None and unit.level != wanted_level:
        raise ValidationError(
            _("A %(role)s belongs to a unit of the %(level)s, and %(unit)s is not one.")
            % {"role": Role(role).label.lower(), "level": unit.get_level_display().lower(), "unit": unit},
            code="level",
        )
    if not AdministrativeUnit.objects.filter(pk=unit.pk).within(scope).exists():
        raise ValidationError(_("%(unit)s is outside your area.") % {"unit": unit}, code="scope")
    return Assignment(role, unit, None)


def clean_username(username: str) -> str:
    """A user name in NFC, checked against the account's own rules (letters, digits and @.+-_, length):
    the form's and the import's one check, before the look-up for a clash."""
    username = nfc(username or "")
    if not username:
        raise ValidationError(_("Enter a user name."), code="required")
    field = User._meta.get_field("username")
    for validator in field.validators:
        validator(username)
    return username


def _validate_username(username: str, exclude_pk=None) -> str:
    username = clean_username(username)
    clash = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(_("The user name “%(username)s” is taken.") % {"username": username}, code="unique")
    return username


def account_snapshot(*, username, full_name, role, unit_code, unit_tree, village_code, is_active) -> dict:
    """An account as its audit entries record it (the form's and the import's entries alike)."""
    return {
        "username": username,
        "full_name": full_name,
        "role": role,
        "unit": unit_code,
        "tree": unit_tree,
        "village": village_code,
        "is_active": is_active,
    }


def _snapshot(account: User) -> dict:
    return account_snapshot(
        username=account.username,
        full_name=account.full_name,
        role=account.role,
        unit_code=account.unit.code if account.unit_id else None,
        unit_tree=account.unit.tree if account.unit_id else None,
        village_code=account.village.code if account.village_id else None,
        is_active=account.is_active,
    )


@transaction.atomic
def account_create(*, actor, username: str, full_name: str, role: str, unit=None, village=None) -> tuple[User, str]:
    username = _validate_username(username)
    assignment = check_assignment(manager=actor, role=role, unit=unit, village=village)
    password = generate_password()
    account = User(
        username=username,
        full_name=nfc(full_name or ""),
        role=assignment.role,
        unit=assignment.unit,
        village=assignment.village,
        must_change_password=True,
        created_by=actor if actor.is_authenticated else None,
    )
    account.password = hash_temporary_password(password)
    with refused_as_checked(lambda: _validate_username(username)):  # taken since (a double click)
        account.save()
    audit_record(actor=actor, action="account.create", obj=account, after=_snapshot(account))
    return account, password


@transaction.atomic
def account_update(*, actor, account: User, full_name: str, role: str, unit=None, village=None, is_active=True) -> User:
    if account.pk == actor.pk:
        raise ValidationError(_("You cannot change your own role or area."), code="self")
    assignment = check_assignment(manager=actor, role=role, unit=unit, village=village)
    before = _snapshot(account)
    account.full_name = nfc(full_name or "")
    account.role, account.unit, account.village = assignment.role, assignment.unit, assignment.village
    account.is_active = is_active
    account.save()
    audit_record(actor=actor, action="account.update", obj=account, before=before, after=_snapshot(account))
    return account


@transaction.atomic
def account_reset_password(*, actor, account: User) -> str:
    """A new temporary password, shown once to the officer; no e-mail needed in a commune office.
    Every API token of the account is revoked, and every session of it ends (a session is bound to the
    password it logged in with); a lock after wrong passwords is lifted."""
    password = generate_password()
    account.password = hash_temporary_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor, action="account.reset_password", obj=account)
    tokens_revoke_all(actor=actor, account=account, reason=_("The password was reset."))
    forget_failures(account.get_username())
    return password


@transaction.atomic
def password_change(*, account: User, new_password: str) -> None:
    """The user's own new password. Every API token of the account is revoked and every session of it
    ends; the page keeps the session it was changed in (`update_session_auth_hash`)."""
    validate_password(new_password, user=account)
    account.set_password(new_password)
    account.must_change_password = False
    account.save(update_fields=["password", "must_change_password"])
    audit_record(actor=account, action="account.change_password", obj=account)
    tokens_revoke_all(actor=account, account=account, reason=_("The password was changed."))
