"""Checked changes kept on disk between the check and the save.

Kinds with millions of rows (households) classify each row once, during the check, and keep the
result here, one JSON line per batch: saving is then only writing, with a guard that the records
it touches are still as the check saw them.
"""

import json
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


class Staging:
    def __init__(self, job):
        self.path = Path(settings.MEDIA_ROOT) / "imports" / "staged" / f"{job.pk}.jsonl"

    @contextmanager
    def writer(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("w", encoding="utf-8") as handle:
            yield _Writer(handle)

    def batches(self):
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class _Writer:
    def __init__(self, handle):
        self.handle = handle

    def write(self, changes: list) -> None:
        self.handle.write(json.dumps(changes, ensure_ascii=False, separators=(",", ":")))
        self.handle.write("\n")
