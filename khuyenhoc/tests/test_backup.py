"""Backup and restore (issue 17): a backup, a wipe, a restore — and every record, every figure and every
file is back. A damaged archive or one of another version is refused before anything is wiped."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from areas.loader import load_administrative_units
from conftest import unit
from criteria.defaults import load_default_sets
from criteria.models import CriteriaSet, Node, RatingBand
from evaluations.tests.conftest import household, household_set  # noqa: F401  (shared fixtures)
from khuyenhoc.backup import FORMAT, MANIFEST, record_counts
from stats.models import Fact
from stats.tests.conftest import approved, published

pytestmark = pytest.mark.django_db(transaction=True)  # a restore replaces the whole database


@pytest.fixture
def world(admin_user, villages, household, household_set):  # noqa: F811
    """Households with approved evaluations under a published decision (so figures exist), and a file."""
    evaluations = [approved(admin_user, household_set, household(f"Hộ {n}"), 2024) for n in range(3)]
    published(admin_user, evaluations, year=2024, area=("pre2025", "01837"))
    evidence = Path(settings.MEDIA_ROOT) / "evidence" / "minh-chung.txt"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_text("Biên bản họp thôn", encoding="utf-8")
    return evidence


@pytest.fixture(autouse=True)
def shipped_data():
    """A transactional test starts from an empty database: the trees and the shipped criteria sets
    (which migrations bring) are put back first."""
    load_administrative_units()
    if not CriteriaSet.objects.filter(is_default=True).exists():
        load_default_sets(CriteriaSet, Node, RatingBand)


def figures():
    fields = ("unit_id", "village_id", "year", "title", "measure", "value", "own", "entered")
    return sorted(Fact.objects.values_list(*fields), key=repr)


def wipe(evidence):
    call_command("flush", interactive=False, verbosity=0)
    evidence.unlink()


def make_backup(tmp_path):
    out = io.StringIO()
    call_command("backup", "--out", str(tmp_path), stdout=out)
    return Path(out.getvalue().strip())


def test_backup_wipe_restore_gives_back_every_record_figure_and_file(world, tmp_path):
    counts, before = record_counts(), figures()
    assert len(before) > 10 and counts["evaluations.Evaluation"] == 3
    archive = make_backup(tmp_path)
    wipe(world)
    assert record_counts()["evaluations.Evaluation"] == 0 and not world.exists()
    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert record_counts() == counts
    assert figures() == before
    assert world.read_text(encoding="utf-8") == "Biên bản họp thôn"
    assert "Restored" in out.getvalue()
    assert unit("pre2025", "01837").name  # the trees came back with the rest


def _rewrite(archive: Path, target: Path, change) -> Path:
    with tarfile.open(archive) as tar:
        members = {m.name: (m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()}
    with tarfile.open(target, "w") as tar:
        for name, (member, data) in members.items():
            data = change(name, data)
            if data is None and member.isfile():
                continue
            if member.isfile():
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
            else:
                tar.addfile(member)
    return target


def _another_version(name, data):
    if name != MANIFEST:
        return data
    manifest = json.loads(data)
    manifest["migrations"] = [*manifest["migrations"], "registry.9999_from_the_future"]
    return json.dumps(manifest).encode()


def _damaged_dump(name, data):
    return data[: len(data) // 3] if name.startswith("database.") else data


def _no_manifest(name, data):
    return None if name == MANIFEST else data


@pytest.mark.parametrize(
    "change, message",
    [
        (_another_version, "another version"),
        (_damaged_dump, "damaged"),
        (_no_manifest, "no readable manifest"),
    ],
)
def test_a_bad_archive_is_refused_before_anything_is_wiped(world, tmp_path, change, message):
    archive = make_backup(tmp_path)
    bad = _rewrite(archive, tmp_path / "bad.tar", change)
    counts = record_counts()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), "--yes")
    assert record_counts() == counts and world.exists()


def test_a_file_that_is_no_archive_is_refused(tmp_path, admin_user):
    junk = tmp_path / "khuyenhoc.tar"
    junk.write_bytes(b"not a tar at all" * 100)
    with pytest.raises(CommandError, match="not a readable khuyenhoc backup"):
        call_command("restore", str(junk), "--yes")
    assert record_counts()["accounts.User"] == 1


def test_the_manifest_says_what_the_archive_holds(world, tmp_path):
    archive = make_backup(tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    assert manifest["format"] == FORMAT
    assert manifest["counts"]["evaluations.Evaluation"] == 3
    assert "media/evidence/minh-chung.txt" in names
    assert any(name.startswith("database.") for name in names)
