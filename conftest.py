"""Shared fixtures: the real national units loaded once, and one account per persona.

Personas (DEVELOPERS.md): province officer, district officer (and one of another district),
commune officer (and one of another commune), village officer, viewer, anonymous.
"""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings
from pytest_django.plugin import blocking_manager_key

from accounts.models import User
from accounts.roles import Role
from areas import services as area_services
from areas.models import AdministrativeUnit, Tree
from stats import services as stats_services
from stats.models import EnteredAggregate

hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci")

PASSWORD = "persona-password-1"


def pytest_configure():
    # The production hasher costs ~0.3 s per password by design; personas need nine per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No persistent connections: the live server's thread would otherwise keep the test database open.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Jobs run as soon as they are enqueued, and their files go to a temporary folder.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # ... in the test's own process: a child process could not see the test's uncommitted rows.
    settings.KHUYENHOC_JOB_ISOLATED = False
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="khuyenhoc-test-media-")


@pytest.fixture(autouse=True)
def nothing_kept_from_another_test():
    """Pages keep what they drew under the newest audit entry (audit.versions); after a rollback the next
    test may write an entry with the same id, so what one test's pages kept must not reach another's."""
    cache.clear()


@pytest.fixture(autouse=True)
def no_temporary_passwords_left():
    """An import's temporary passwords wait in a file named by the import's id (accounts/credentials.py):
    after a test, none may wait for another test's import that gets the same id after a rollback."""
    yield
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "accounts" / "temporary-passwords", ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Both trees from the package, loaded once for the whole run (each test rolls back its own changes)."""
    from areas.loader import load_administrative_units

    with django_db_blocker.unblock():
        load_administrative_units()


def _database_use(item) -> str:
    """How a test uses the database, as pytest-django tells them apart when it orders them."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    ):
        return "transactional"
    return "rolled back" if marker or "db" in fixtures else ""


_database_emptied = {"by an earlier test": False}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _database_use(item) == "transactional":  # it empties the database as it ends
        _database_emptied["by an earlier test"] = True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """In one process pytest-django runs every transactional test last, after all tests that roll back.
    `make test` runs the suite in worker processes (pytest-xdist) that take whole files, so a worker
    may come to a file's rolled-back tests after another file's transactional test emptied its
    database: put back what the session loaded, before the test's own transaction begins."""
    if _database_emptied["by an earlier test"] and _database_use(item) == "rolled back":
        from areas.loader import load_administrative_units

        with item.config.stash[blocking_manager_key].unblock():
            load_administrative_units()
            put_back_what_migrations_bring()
        _database_emptied["by an earlier test"] = False


def put_back_what_migrations_bring():
    """After an earlier transactional test emptied the database: run every data migration's forward step
    again, in migration order (the shipped criteria sets, approving levels, targets, light bands). Each
    step creates only what is missing."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    ours = {c.label for c in apps.get_app_configs() if "site-packages" not in c.path}
    done = set()
    for leaf in graph.leaf_nodes():
        for key in graph.forwards_plan(leaf):
            if key in done:
                continue
            done.add(key)
            if key[0] not in ours:  # Django's own data steps (permissions, content types) need no putting back
                continue
            for operation in graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, None)


def unit(tree, code):
    return AdministrativeUnit.objects.get(tree=tree, code=code)


def enter_households_recognised(actor, area, year: int, value: int) -> None:
    """Enter (or change, at the version it has now) the total of households recognised at `area` in
    `year`, as an officer does on the entered totals page: what the tests of kept figures change."""
    seen = EnteredAggregate.objects.filter(unit=area, year=year, title="household", measure="recognised").first()
    stats_services.aggregate_save(
        actor=actor,
        unit=area,
        year=year,
        title="household",
        measure="recognised",
        value=value,
        version=seen.version if seen else None,
    )


@pytest.fixture
def reform_year():
    return settings.KHUYENHOC_REFORM_YEAR


@pytest.fixture
def admin_user(db):
    return User.objects.create_user("sysadmin", password=PASSWORD, role=Role.SYSTEM_ADMIN)


@pytest.fixture
def villages(db, admin_user, reform_year):
    """Two villages of old Phường Sông Cầu (Bắc Kạn city) moved into new Phường Bắc Kạn in the reform year,
    one of old Xã Bản Thi (Chợ Đồn), and one of old Xã An Thắng (Pác Nặm)."""
    song_cau = unit(Tree.PRE_2025, "01837")
    ban_thi = unit(Tree.PRE_2025, "02035")
    an_thang = unit(Tree.PRE_2025, "01876")
    made = {
        "song_cau_1": area_services.village_create(
            actor=admin_user, commune=song_cau, name="Tổ dân phố 1", kind="residential_group", from_year=2016
        ),
        "song_cau_2": area_services.village_create(
            actor=admin_user, commune=song_cau, name="Tổ dân phố 2", kind="residential_group", from_year=2016
        ),
        "ban_thi": area_services.village_create(
            actor=admin_user, commune=ban_thi, name="Thôn Nà Pài", kind="village", from_year=2016
        ),
        "an_thang": area_services.village_create(
            actor=admin_user, commune=an_thang, name="Bản Khuổi Ỏ", kind="hamlet", from_year=2016
        ),
    }
    area_services.villages_move(
        actor=admin_user,
        villages=[made["song_cau_1"], made["song_cau_2"]],
        commune=unit(Tree.Y2025, "01843"),
        from_year=reform_year,
    )
    return made


def _account(username, role, *, tree=None, code=None, village=None):
    return User.objects.create_user(
        username,
        password=PASSWORD,
        role=role,
        unit=unit(tree, code) if code else None,
        village=village,
        full_name=username,
    )


@pytest.fixture
def personas(db, villages):
    """One account per persona; the keys are the names the permission matrix uses."""
    return {
        "province_officer": _account("p.thainguyen", Role.PROVINCE_OFFICER, tree=Tree.Y2025, code="19"),
        "old_province_officer": _account("p.backan", Role.PROVINCE_OFFICER, tree=Tree.PRE_2025, code="06"),
        "district_officer": _account("d.chodon", Role.DISTRICT_OFFICER, tree=Tree.PRE_2025, code="064"),
        "other_district_officer": _account("d.pacnam", Role.DISTRICT_OFFICER, tree=Tree.PRE_2025, code="060"),
        "commune_officer": _account("c.backan", Role.COMMUNE_OFFICER, tree=Tree.Y2025, code="01843"),
        "other_commune_officer": _account("c.ducxuan", Role.COMMUNE_OFFICER, tree=Tree.Y2025, code="01840"),
        "village_officer": _account("v.songcau1", Role.VILLAGE_OFFICER, village=villages["song_cau_1"]),
        "viewer": _account("viewer.thainguyen", Role.VIEWER, tree=Tree.Y2025, code="19"),
        "anonymous": None,
    }


@pytest.fixture
def client_for(client):
    """A logged-in test client for a persona (None: anonymous)."""

    def login(account):
        client.logout()
        if account is not None:
            client.force_login(account)
        return client

    return login


@pytest.fixture
def upload(client_for, personas, admin_user, django_capture_on_commit_callbacks):
    """Upload a file to an import kind as a persona ("admin": the system administrator);
    returns (client, job) once the check has run."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from imports.models import ImportJob

    def send(kind, content, name="tep.xlsx", persona="commune_officer"):
        client = client_for(admin_user if persona == "admin" else personas[persona])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("imports:new", args=[kind]), {"file": SimpleUploadedFile(name, content)})
        job = ImportJob.objects.latest("pk")
        assert response.url == reverse("imports:job", args=[job.pk])
        return client, job

    return send


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Ask to save a checked import and run the save; returns the job as it then is."""
    from django.urls import reverse

    def save(client, job):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:commit", args=[job.pk]))
        job.refresh_from_db()
        return job

    return save
