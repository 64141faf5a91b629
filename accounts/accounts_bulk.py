"""Many accounts at once, for the import: looked up a batch at a time by user name, and written by
`accounts_save_many` in the caller's transaction with one audit entry per account, as `account_create`
and `account_update` write them one by one."""

from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from audit.services import audit_many
from core.bulk import insert
from core.importers import StaleCheck

from .models import User
from .services import account_snapshot

LOOKUP_BATCH = 5000  # user names asked about per query (SQLite allows 32,766 parameters)


class ExistingAccount(NamedTuple):
    """An account as the database holds it, with the codes its audit entries name."""

    pk: int
    username: str
    full_name: str
    role: str
    unit_id: int | None
    village_id: int | None
    unit_code: str | None
    unit_tree: str | None
    village_code: str | None
    is_active: bool

    def fields(self) -> list:
        """What a row of the file sets: [full name, role, unit id, village id]."""
        return [self.full_name, self.role, self.unit_id, self.village_id]

    def snapshot(self) -> dict:
        return account_snapshot(
            username=self.username,
            full_name=self.full_name,
            role=self.role,
            unit_code=self.unit_code,
            unit_tree=self.unit_tree,
            village_code=self.village_code,
            is_active=self.is_active,
        )


def username_key(username: str) -> str:
    """User names are unique whatever their case (`services._validate_username`)."""
    return username.casefold()


def existing_accounts(usernames) -> dict[str, ExistingAccount]:
    """The accounts holding these user names, whatever their case, by `username_key`. Asked both ways:
    SQLite's lower() folds only ASCII letters, so an exact match is asked for as well."""
    usernames = set(usernames)
    if not usernames:
        return {}
    found = (
        User.objects.annotate(folded=Lower("username"))
        .filter(Q(username__in=usernames) | Q(folded__in={name.lower() for name in usernames}))
        .values_list(
            "pk",
            "username",
            "full_name",
            "role",
            "unit_id",
            "village_id",
            "unit__code",
            "unit__tree",
            "village__code",
            "is_active",
        )
    )
    wanted = {username_key(name) for name in usernames}
    accounts = (ExistingAccount(*row) for row in found)
    return {username_key(a.username): a for a in accounts if username_key(a.username) in wanted}


def manageable(manager, pks) -> set[int]:
    """Which of these accounts `manager` manages (the accounts page's scope)."""
    return set(User.objects.visible_to(manager).filter(pk__in=pks).values_list("pk", flat=True))


@transaction.atomic
def accounts_save_many(*, creates, updates, actor, source: str, reason: str = "") -> int:
    """Write what an import's check found, in the caller's transaction: `creates` batches of
    [user name, full name, role, unit id, village id, password hash, audit snapshot], new accounts
    with a temporary password (to be changed at the first login); `updates` batches of [id, the
    fields as the check saw them, the new fields, before, after] (fields: `ExistingAccount.fields`).
    Both are iterables that can be read again. Every account gets one audit entry marked with
    `source`. Raises StaleCheck if someone took one of the new user names, or changed one of the
    updated accounts, since the check. Returns how many accounts were created."""
    for batch in creates:
        if existing_accounts(row[0] for row in batch):
            raise StaleCheck
    created = 0
    for batch in creates:
        created += _create(batch, actor=actor, source=source, reason=reason)
    for batch in updates:
        _update(batch, actor=actor, source=source, reason=reason)
    return created


# The columns a new account's row fills (the others are empty): written as plain rows, without a model
# object per account (`core.bulk.insert`), which took most of a 10,000-account save.
_CREATE_COLUMNS = [
    "username",
    "full_name",
    "role",
    "unit",
    "village",
    "password",
    "must_change_password",
    "created_by",
    "is_active",
    "is_staff",
    "is_superuser",
    "first_name",
    "last_name",
    "email",
    "date_joined",
]


def _create(batch, *, actor, source: str, reason: str) -> int:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # Each new account: active, not staff, no e-mail, its temporary password to be changed at first login.
    rest = (True, actor.pk, True, False, False, "", "", "", now)
    rows = (tuple(row[:6]) + rest for row in batch)
    created = insert(User, _CREATE_COLUMNS, rows)
    ids = {}
    usernames = [row[0] for row in batch]
    for start in range(0, len(usernames), LOOKUP_BATCH):
        chunk = usernames[start : start + LOOKUP_BATCH]
        found = User.objects.filter(username__in=chunk).values_list("username", "pk")
        ids.update(found)
    changes = ((ids[row[0]], None, row[6]) for row in batch)
    audit_many(actor=actor, action="account.create", model=User, changes=changes, reason=reason, source=source)
    return created


def _update(batch, *, actor, source: str, reason: str) -> None:
    """Each account changed only if it still holds what the check saw (a form saved meanwhile wins,
    and the import stops as stale). Few accounts change by import: one statement each."""
    for pk, (seen_name, seen_role, seen_unit, seen_village), (full_name, role, unit_id, village_id), *_ in batch:
        changed = User.objects.filter(
            pk=pk, full_name=seen_name, role=seen_role, unit_id=seen_unit, village_id=seen_village
        ).update(full_name=full_name, role=role, unit_id=unit_id, village_id=village_id)
        if not changed:
            raise StaleCheck
    changes = ((row[0], row[3], row[4]) for row in batch)
    audit_many(actor=actor, action="account.update", model=User, changes=changes, reason=reason, source=source)
