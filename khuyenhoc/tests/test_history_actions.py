"""Every action a service writes in the history has a name people read (audit.actions), in every app."""

import re
from pathlib import Path

from audit.actions import ACTION_LABELS

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_]+)"')
# `action=SUBMIT` with `SUBMIT = "year_report.submit"` in the same module.
CONSTANT = re.compile(r"action=([A-Z_]+)\b")


def test_every_action_the_services_write_has_a_name():
    written = set()
    for path in ROOT.glob("*/**/*.py"):
        if {".venv", "node_modules", "tests", "migrations"} & set(path.parts):
            continue
        source = path.read_text()
        written |= set(LITERAL.findall(source))
        for name in CONSTANT.findall(source):
            written |= set(re.findall(rf'^{name} = "([a-z_]+\.[a-z_]+)"$', source, re.M))
    assert written, "the scan found no action at all"
    assert sorted(written - set(ACTION_LABELS)) == []
