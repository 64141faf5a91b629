"""Checked changes kept on disk between the check and the save.

Kinds with millions of rows (households) classify each row once, during the check, and keep the
result here, one record per batch: saving is then only writing, with a guard that the records
it touches are still as the check saw them. Records are in `marshal` format (lists, dicts, text
and numbers), which reads several times faster than JSON; the file is the server's own, written
and read by the same program, never anything a user uploaded.
"""

import marshal
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


class Staging:
    def __init__(self, job):
        self.path = Path(settings.MEDIA_ROOT) / "imports" / "staged" / f"{job.pk}.staged"

    @contextmanager
    def writer(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("wb") as handle:
            yield _Writer(handle)

    def batches(self):
        with self.path.open("rb") as handle:
            # Each record is its length and its bytes: marshal.load on a file would read it in
            # thousands of small calls.
            while header := handle.read(8):
                yield marshal.loads(handle.read(int.from_bytes(header, "little")))

    def changes(self, key: str) -> "StagedChanges":
        """One kind of change (for example "create" or "update") of every batch, as an iterable that
        reads the file again each time it is gone through."""
        return StagedChanges(self, key)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class StagedChanges:
    def __init__(self, staging: Staging, key: str):
        self.staging, self.key = staging, key

    def __iter__(self):
        for staged in self.staging.batches():
            yield staged[self.key]


class _Writer:
    def __init__(self, handle):
        self.handle = handle

    def write(self, changes) -> None:
        record = marshal.dumps(changes)
        self.handle.write(len(record).to_bytes(8, "little"))
        self.handle.write(record)
