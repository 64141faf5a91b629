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


@pytest.fixture
def personas(seed_world):
    """The suite's personas (conftest.py) on the demo's own villages: the village officer's village is a
    demo village of old Phường Sông Cầu, now in Phường Bắc Kạn."""
    from accounts.models import User
    from accounts.roles import Role
    from areas.models import Village, VillagePlacement
    from conftest import PASSWORD, unit

    song_cau = unit("pre2025", "01837")
    village = Village.objects.get(
        pk=VillagePlacement.objects.filter(commune=song_cau).order_by("village__code")[0].village_id
    )

    def account(username, role, tree=None, code=None, village=None):
        return User.objects.create_user(
            username, password=PASSWORD, role=role, unit=unit(tree, code) if code else None, village=village
        )

    return {
        "province_officer": account("p.thainguyen", Role.PROVINCE_OFFICER, "2025", "19"),
        "old_province_officer": account("p.backan", Role.PROVINCE_OFFICER, "pre2025", "06"),
        "district_officer": account("d.chodon", Role.DISTRICT_OFFICER, "pre2025", "064"),
        "commune_officer": account("c.backan", Role.COMMUNE_OFFICER, "2025", "01843"),
        "village_officer": account("v.songcau", Role.VILLAGE_OFFICER, village=village),
        "viewer": account("viewer.thainguyen", Role.VIEWER, "2025", "19"),
        "anonymous": None,
    }
