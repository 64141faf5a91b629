"""The temporary passwords of the accounts an import created, kept for the officer who imported them
until they download them, once.

The form shows a new account's temporary password on the page that answers it; an import is saved by
the worker, away from any page, so its passwords wait in a file on the server (never under a served
folder, readable by the server's user alone) until the importer asks for them. Taking them deletes the
file: whoever comes later (the importer again, or anyone else) finds nothing, as after the form's page
is closed, and resets the password of an account that lost its sheet. Only passwords of accounts that
exist are kept: the file appears when the import's transaction commits. A file nobody takes is deleted
after KHUYENHOC_TEMPORARY_PASSWORDS_DAYS by the worker (`credentials_sweep`), as is the file of an
import whose transaction never committed: passwords do not lie on a disk for ever.
"""

import io
import json
import os
import time
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _


class NotTheirs(Exception):
    """Someone other than the importer asked for an import's passwords."""


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "accounts" / "temporary-passwords"


def _path(key: int) -> Path:
    return _folder() / f"{int(key)}.json"


def credentials_keep(*, key: int, owner, rows) -> None:
    """Keep (user name, full name, area, password) `rows` for `owner` under `key` (the import's id), once
    the current transaction commits. Written now to a file of its own, readable by this user alone."""
    final = _path(key)
    final.parent.mkdir(parents=True, exist_ok=True)
    pending = final.with_suffix(".pending")
    descriptor = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"owner": owner.pk}) + "\n")
        for row in rows:
            handle.write(json.dumps(list(row), ensure_ascii=False) + "\n")
    transaction.on_commit(lambda: pending.replace(final))


def credentials_take(*, key: int, user) -> list[list[str]] | None:
    """The rows kept under `key`, deleted as they are read; None if there are none (never kept, or
    taken already). NotTheirs, and nothing deleted, if `user` is not the one they were kept for."""
    path = _path(key)
    try:
        with path.open(encoding="utf-8") as handle:
            owner = json.loads(handle.readline())["owner"]
            if owner != user.pk:
                raise NotTheirs
            rows = [json.loads(line) for line in handle]
    except FileNotFoundError:
        return None
    try:
        path.unlink()
    except FileNotFoundError:
        return None  # two requests at once: the other one took them
    return rows


def credentials_sweep(*, now: float | None = None) -> int:
    """Delete the kept passwords (and files of imports that never committed) older than the days they
    are kept for; the number of files deleted."""
    cutoff = (now if now is not None else time.time()) - settings.KHUYENHOC_TEMPORARY_PASSWORDS_DAYS * 86400
    deleted = 0
    for path in _folder().glob("*.*"):
        if path.suffix not in (".json", ".pending"):
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            continue  # taken meanwhile
    return deleted


def credentials_workbook(rows) -> bytes:
    """The rows as a sheet to print and hand out: user name, full name, area, temporary password."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Temporary passwords")[:31])
    bold = workbook.add_format({"bold": True})
    headers = [_("User name"), _("Full name"), _("Area"), _("Temporary password")]
    sheet.write_row(0, 0, headers, bold)
    for number, row in enumerate(rows, start=1):
        for position, value in enumerate(row):
            sheet.write_string(number, position, str(value))
    sheet.set_column(0, 3, 24)
    sheet.write_string(len(rows) + 2, 0, _("Each user must change this password at their first login."))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
