"""The demo province without its evaluations (the slow part of the demo, which documents of 2016–2018
do not read): real Bắc Kạn units, generated villages, registries and network, the seed article's
2016–2018 totals entered at the communes and the province's 2020 targets. Built once per module and
rolled back after it."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.demo import ensure_demo_admin
from areas.demo import build_demo_villages
from registry.demo import build_demo_registries
from registry.demo_network import build_demo_network
from stats.demo import build_demo_history
from stats.demo_targets import build_demo_targets


@pytest.fixture(scope="module")
def seed_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            admin = ensure_demo_admin()
            build_demo_villages(actor=admin, seed=2018)
            build_demo_registries(actor=admin, seed=2018)
            build_demo_network(seed=2018)
            build_demo_history(actor=admin, seed=2018)
            build_demo_targets(admin)
            yield admin
            transaction.set_rollback(True)


@pytest.fixture
def make_file(tmp_path):
    """Run `manage.py make_document` and return the path of the file it wrote."""

    def make(kind, area, years, name="out"):
        out = tmp_path / name
        call_command("make_document", kind, "--area", area, "--years", years, "--out", str(out), stdout=io.StringIO())
        return out

    return make
