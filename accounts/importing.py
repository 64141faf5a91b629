"""Accounts from a spreadsheet, through the import pipeline as every other kind: the file is checked by
the worker (nothing written, every error with its row and column), then saved all at once or not at all.

Each row goes through the account form's own field checks and the one rule of who may give which role
where (`services.check_assignment`, the scope and roles of the importer). The user name is the natural
key, whatever its case: a row naming an account the importer manages updates its name, role and area
(unchanged when they are already as written, so the same file again changes nothing), a new name
creates an account with a temporary password that must be changed at the first login, and a name held
by an account the importer does not manage is refused as taken. Temporary passwords are generated and
hashed during the check, so that the save only writes; the importer downloads them once the import is
saved (`credentials`).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from areas.selectors import find_villages, units_of_codes
from core.importers import Importer, Outcome
from core.parsing import cell_text
from core.text import fold, nfc

from .accounts_bulk import ExistingAccount, accounts_save_many, existing_accounts, manageable, username_key
from .credentials import credentials_keep
from .forms import AccountCreateForm
from .passwords import hash_temporary_password
from .roles import Perm, Role
from .services import account_snapshot, check_assignment, clean_username, generate_password
from .spreadsheet import COLUMNS, TREE_LABELS, accounts_template_xlsx, role_spellings

# The account form's fields, whose checks (required, length) every row goes through.
_FORM_FIELDS = AccountCreateForm.base_fields


class _Row:
    __slots__ = ("number", "username", "full_name", "role", "unit", "village")

    def __init__(self, number, username, full_name, role, unit, village):
        self.number, self.username, self.full_name = number, username, full_name
        self.role, self.unit, self.village = role, unit, village

    def fields(self) -> list:
        unit_id = self.unit.pk if self.unit else None
        return [self.full_name, self.role, unit_id, self.village.pk if self.village else None]

    def snapshot(self) -> dict:
        return account_snapshot(
            username=self.username,
            full_name=self.full_name,
            role=self.role,
            unit_code=self.unit.code if self.unit else None,
            unit_tree=self.unit.tree if self.unit else None,
            village_code=self.village.code if self.village else None,
            is_active=True,
        )

    def area_label(self) -> str:
        return str(self.village or self.unit or "")


class AccountImporter(Importer):
    kind = "accounts"
    perm = Perm.MANAGE_ACCOUNTS
    stages_changes = True
    columns = COLUMNS

    def __init__(self, *, user):
        super().__init__(user=user)
        self.first_row_of = {}  # username key → the first row naming it
        self.assignments = {}  # (role, unit pk, village pk) → the refusal of check_assignment, or None
        self.roles = role_spellings()
        self.units, self.villages = {}, {}  # (tree, code) → unit, code → village, of the rows so far

    def classify(self, batch, outcome: Outcome) -> dict:
        """The batch's new accounts (with their temporary passwords) and changed ones; errors and
        counts in `outcome`. A few queries per batch, none per row."""
        self._look_up_areas(batch)
        rows = [row for row in (self._clean(number, values, outcome) for number, values in batch) if row]
        existing = existing_accounts(row.username for row in rows)
        managed = manageable(self.user, [account.pk for account in existing.values()])
        creates, updates = [], []
        for row in rows:
            account = existing.get(username_key(row.username))
            if account is None:
                if self._assignment_ok(row, outcome):
                    creates.append(self._create(row, outcome))
            elif account.fields() == row.fields():
                outcome.counts["unchanged"] += 1
            elif account.pk == self.user.pk:
                self.error(outcome, row.number, "role", _("You cannot change your own role or area."))
            elif account.pk not in managed:
                message = _("The user name “%(username)s” is taken.") % {"username": row.username}
                self.error(outcome, row.number, "username", message)
            elif self._assignment_ok(row, outcome):
                updates.append(self._update(row, account, outcome))
        return {"create": creates, "update": updates}

    def _look_up_areas(self, batch) -> None:
        wanted_units, wanted_villages = {}, set()
        for _number, values in batch:
            tree = TREE_LABELS.get(fold(cell_text(values.get("tree"))))
            unit_code, village_code = cell_text(values.get("unit_code")), cell_text(values.get("village_code"))
            if tree and unit_code and (tree, unit_code) not in self.units:
                wanted_units.setdefault(tree, set()).add(unit_code)
            if village_code and village_code not in self.villages:
                wanted_villages.add(village_code)
        for tree, codes in wanted_units.items():
            self.units.update(((tree, code), unit) for code, unit in units_of_codes(tree, codes).items())
        self.villages.update((village.code, village) for village in find_villages(wanted_villages))

    def _clean(self, number, values, outcome) -> _Row | None:
        """The row through the account form's checks, or None (its errors in `outcome`)."""
        failed = False

        def check(key, clean):
            nonlocal failed
            try:
                return clean()
            except ValidationError as error:
                self.error(outcome, number, key, error)
                failed = True

        username = check(
            "username", lambda: clean_username(_FORM_FIELDS["username"].clean(cell_text(values["username"])))
        )
        full_name = check("full_name", lambda: nfc(_FORM_FIELDS["full_name"].clean(cell_text(values.get("full_name")))))
        role_cell = cell_text(values["role"])
        role = self.roles.get(fold(role_cell))
        if role is None:
            message = _("Unknown role “%(role)s”.") % {"role": role_cell} if role_cell else _("Enter a role.")
            self.error(outcome, number, "role", message)
            failed = True
        unit = village = None
        tree_cell = cell_text(values.get("tree"))
        tree = TREE_LABELS.get(fold(tree_cell))
        if tree is None:
            message = _("Unknown tree “%(tree)s” (write 2025 or Trước 2025).") % {"tree": tree_cell}
            self.error(outcome, number, "tree", message)
            failed = True
        if unit_code := cell_text(values.get("unit_code")):
            unit = self.units.get((tree, unit_code))
            if unit is None and tree is not None:
                message = _("No unit has the code “%(code)s” on this tree.") % {"code": unit_code}
                self.error(outcome, number, "unit_code", message)
                failed = True
        if village_code := cell_text(values.get("village_code")):
            village = self.villages.get(village_code)
            if village is None:
                message = _("No village has the code “%(code)s”.") % {"code": village_code}
                self.error(outcome, number, "village_code", message)
                failed = True
        if username is not None:
            first = self.first_row_of.setdefault(username_key(username), number)
            if first != number:
                message = _("The user name “%(username)s” is repeated (row %(first)d).")
                self.error(outcome, number, "username", message % {"username": username, "first": first})
                failed = True
        if failed:
            return None
        return _Row(number, username, full_name, role, unit, village)

    def _assignment_ok(self, row: _Row, outcome) -> bool:
        """Whether the importer may give this role in this area; the refusal on the column it concerns.
        Asked once per role and area: a file gives few roles in few areas to many accounts."""
        key = (row.role, row.unit.pk if row.unit else None, row.village.pk if row.village else None)
        if key not in self.assignments:
            try:
                check_assignment(manager=self.user, role=row.role, unit=row.unit, village=row.village)
                self.assignments[key] = None
            except ValidationError as error:
                self.assignments[key] = error
        refusal = self.assignments[key]
        if refusal is None:
            return True
        # A refusal of the role itself belongs to the role; any other one to the area it names.
        if refusal.code == "role":
            column = "role"
        else:
            column = "village_code" if row.role == Role.VILLAGE_OFFICER else "unit_code"
        self.error(outcome, row.number, column, refusal)
        return False

    def _create(self, row: _Row, outcome) -> list:
        password = generate_password()
        snapshot = row.snapshot()
        if outcome.wants_sample("create"):
            shown = {key: value for key, value in snapshot.items() if key not in ("username", "is_active")}
            outcome.count("create", {"row": row.number, "code": row.username, **shown})
        else:
            outcome.counts["create"] += 1
        full_name, role, unit_id, village_id = row.fields()
        return [
            row.username,
            full_name,
            role,
            unit_id,
            village_id,
            hash_temporary_password(password),
            snapshot,
            password,
            row.area_label(),
        ]

    def _update(self, row: _Row, account: ExistingAccount, outcome) -> list:
        before = account.snapshot()
        after = {**row.snapshot(), "username": account.username, "is_active": account.is_active}
        outcome.count("update", {"row": row.number, "code": account.username, "before": before, "after": after})
        return [account.pk, account.fields(), row.fields(), before, after]

    def save_staged(self, staging, *, actor, job) -> None:
        """Write the checked accounts through the accounts' bulk service (StaleCheck if a new user name
        was taken, or an updated account changed, since the check) and keep the new accounts'
        temporary passwords for the importer."""
        creates = staging.changes("create")
        accounts_save_many(
            creates=_Columns(creates, 7),
            updates=staging.changes("update"),
            actor=actor,
            source=job.audit_source,
            reason=job.audit_reason,
        )
        passwords = ((row[0], row[1], row[8], row[7]) for batch in creates for row in batch)
        credentials_keep(key=job.pk, owner=actor, rows=passwords)

    def template(self) -> bytes:
        return accounts_template_xlsx(self.user)


class _Columns:
    """Batches of staged rows cut to their first `width` values (the passwords stay out of the writes)."""

    def __init__(self, batches, width: int):
        self.batches, self.width = batches, width

    def __iter__(self):
        for batch in self.batches:
            yield [row[: self.width] for row in batch]
