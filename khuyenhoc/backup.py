"""Backing up and restoring a whole installation: the database and the files beside it (uploaded evidence,
import files, generated documents under MEDIA_ROOT), in one archive with a manifest.

- SQLite is copied with SQLite's online backup (readers and the worker may go on while it runs);
  PostgreSQL with `pg_dump --format=custom`, restored by `pg_restore` in a single transaction.
- The manifest names the migrations the data is at, the database engine and every table's record count.
  A restore checks all of it, and the dump itself, before anything is wiped: an archive of another
  version, another engine, or a damaged one is refused with a message saying which.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for the operator."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def migrations_on_disk() -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.disk_migrations)


def migrations_applied() -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def record_counts() -> dict[str, int]:
    """Every table's rows, by model label (Django's own tables too: sessions, tasks)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    }


# ------------------------------------------------------------------------------------------------ backup


def _postgres_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict, what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")


def _dump_database(engine: str, target: Path) -> Path:
    if engine == "sqlite":
        path = target / SQLITE_FILE
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return path
    path = target / POSTGRES_FILE
    args, env = _postgres_env()
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path), *args], env, "pg_dump")
    return path


def backup(out_dir: Path) -> Path:
    """Writes `khuyenhoc-<engine>-<time>.tar` into out_dir and returns its path."""
    engine = _engine()
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    archive = out_dir / f"khuyenhoc-{engine}-{stamp}.tar"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        dump = _dump_database(engine, work)
        manifest = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(),
            "engine": engine,
            "migrations": migrations_applied(),
            "counts": record_counts(),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname=MEDIA_DIR)
        partial.rename(archive)  # never a half-written archive under the final name
    return archive


# ----------------------------------------------------------------------------------------------- restore


@dataclass
class Checked:
    manifest: dict
    dump: Path
    media: Path | None


def _read_archive(archive: Path, work: Path) -> Checked:
    try:
        with tarfile.open(archive, "r") as tar:
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive} is not a readable khuyenhoc backup ({error}). Nothing was changed.") from error
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            f"{archive} has no readable manifest: not a khuyenhoc backup. Nothing was changed."
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is a backup of format {manifest.get('format')!r}; this version reads {FORMAT}.")
    dump = work / (SQLITE_FILE if manifest.get("engine") == "sqlite" else POSTGRES_FILE)
    if not dump.is_file():
        raise BackupError(f"{archive} holds no database dump. Nothing was changed.")
    media = work / MEDIA_DIR
    return Checked(manifest, dump, media if media.is_dir() else None)


def _check_version(manifest: dict, engine: str) -> None:
    if manifest["engine"] != engine:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database and this installation runs {engine}. Nothing was "
            "changed."
        )
    theirs, ours = set(manifest.get("migrations", [])), set(migrations_on_disk())
    if theirs != ours:
        newer, older = sorted(theirs - ours), sorted(ours - theirs)
        raise BackupError(
            "This backup was made by another version of khuyenhoc: restore it with that version, then upgrade "
            f"with `manage.py migrate`. Only in the backup: {', '.join(newer) or 'nothing'}; only in this "
            f"version: {', '.join(older) or 'nothing'}. Nothing was changed."
        )


def _check_dump(engine: str, dump: Path) -> None:
    if engine == "sqlite":
        try:
            copy = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
            try:
                (result,) = copy.execute("PRAGMA integrity_check").fetchone()
            finally:
                copy.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The database in this backup is damaged ({error}). Nothing was changed.") from error
        if result != "ok":
            raise BackupError(f"The database in this backup is damaged ({result}). Nothing was changed.")
        return
    # Reading the whole dump as a script (not only its table of contents, which a cut file keeps) finds
    # a truncated or damaged archive before the database is touched.
    done = subprocess.run(["pg_restore", "--file", os.devnull, str(dump)], capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"The database dump in this backup is damaged ({done.stderr.strip()}). Nothing was changed.")


def _restore_database(engine: str, dump: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops the tables: our own open connection must not hold them
    args, env = _postgres_env()
    command = ["pg_restore", "--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-privileges"]
    _run([*command, *args, str(dump)], env, "pg_restore")


def _restore_media(media: Path | None) -> None:
    target = Path(settings.MEDIA_ROOT)
    if target.exists():
        shutil.rmtree(target)
    if media is not None:
        shutil.copytree(media, target)


def restore(archive: Path) -> dict:
    """Checks the archive whole, then replaces the database and the files. Returns the manifest."""
    engine = _engine()
    with tempfile.TemporaryDirectory() as work:
        checked = _read_archive(archive, Path(work))
        _check_version(checked.manifest, engine)
        _check_dump(engine, checked.dump)
        _restore_database(engine, checked.dump)
        _restore_media(checked.media)
    counts = record_counts()
    differing = {
        label: (n, counts.get(label)) for label, n in checked.manifest["counts"].items() if counts.get(label) != n
    }
    if differing:
        raise BackupError(f"The restored records differ from the backup's manifest: {differing}")
    return checked.manifest
