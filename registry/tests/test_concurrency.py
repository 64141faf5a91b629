"""No lost update between real database connections: twenty officers read the same version of a
household (or of an area's yearly figures) and save different values at the same moment. PostgreSQL's
row lock makes each writer wait for the one before; the version check then refuses all but the first,
and the history's “before” is what the winner replaced — the values everyone saw.

The test commits for real (each thread has its own connection and sees only committed rows), so its
database is emptied when it ends: it builds everything it needs itself.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.models import User
from accounts.roles import Role
from accounts.services import account_create
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree, Village
from areas.services import village_create
from audit.models import AuditEntry
from registry import network, network_units, services
from registry.models import AreaYear, Clan, Household

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="writers in parallel need PostgreSQL's row locks"),
]

WRITERS = 20


@pytest.fixture
def officer(reform_year):
    if not AdministrativeUnit.objects.exists():
        load_administrative_units()
    commune = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    return User.objects.create_user("c.backan.race", password="x", role=Role.COMMUNE_OFFICER, unit=commune)


def _race(save) -> dict:
    """Run `save(n)` on WRITERS threads, each on its own connection, all released at once; n → outcome."""
    ready = threading.Barrier(WRITERS, timeout=60)
    outcome = {}

    def run(n):
        try:
            ready.wait()
            save(n)
            outcome[n] = "saved"
        except ValidationError as error:  # its code, or the fields a form would show it under
            outcome[n] = error.code if hasattr(error, "code") else "/".join(sorted(error.message_dict))
        except Exception as error:  # reported by the assertions rather than lost in the thread
            outcome[n] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcome


def test_twenty_parallel_edits_of_a_household_one_wins_the_others_are_told(officer, reform_year):
    village = village_create(
        actor=officer, commune=officer.unit, name="Thôn Đua", kind="village", from_year=reform_year
    )
    household = services.household_create(actor=officer, village=village, head_name="Hoàng Văn An", members=4)
    seen = {"members": household.members, "version": household.version}

    def save(n):
        services.household_update(
            actor=User.objects.get(pk=officer.pk),
            household=Household.objects.get(pk=household.pk),
            version=seen["version"],
            village=village,
            head_name="Hoàng Văn An",
            members=10 + n,
            is_active=True,
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["stale"] * (WRITERS - 1), outcome
    winner = next(n for n, result in outcome.items() if result == "saved")
    household.refresh_from_db()
    assert (household.members, household.version) == (10 + winner, 2)
    updates = AuditEntry.objects.filter(action="household.update", object_id=str(household.pk))
    assert [(entry.before["members"], entry.after["members"]) for entry in updates] == [(4, 10 + winner)]


def test_twenty_parallel_edits_of_an_areas_yearly_figures_one_wins_the_others_are_told(officer, reform_year):
    network.area_year_save(actor=officer, area=officer.unit, year=reform_year, population=1000)

    def save(n):
        network.area_year_save(
            actor=User.objects.get(pk=officer.pk), area=officer.unit, year=reform_year, version=1, population=2000 + n
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["stale"] * (WRITERS - 1), outcome
    winner = next(n for n, result in outcome.items() if result == "saved")
    row = AreaYear.objects.get(area=officer.unit, year=reform_year)
    assert (row.population, row.version) == (2000 + winner, 2)
    saves = AuditEntry.objects.filter(action="area_year.save", object_id=str(row.pk)).order_by("id")
    assert [(entry.before or {}).get("population") for entry in saves] == [None, 1000]


def test_twenty_villages_added_to_one_commune_at_once_each_get_a_code_of_their_own(officer, reform_year):
    """Each reads the commune's last number: the commune's row lock makes them take turns, where they
    would have taken the same number and all but one failed on the code's uniqueness."""

    def save(n):
        village_create(
            actor=User.objects.get(pk=officer.pk),
            commune=officer.unit,
            name=f"Thôn Mới {n}",
            kind="village",
            from_year=reform_year,
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] * WRITERS, outcome
    codes = sorted(Village.objects.filter(name__startswith="Thôn Mới").values_list("code", flat=True))
    assert codes == [f"01843-{number:03d}" for number in range(1, WRITERS + 1)]


def test_the_first_households_of_a_new_village_added_at_once_each_get_a_code_of_their_own(officer, reform_year):
    """A village's first code has no counter to lock yet: the counter is made first, so the writers
    wait for each other there instead of all reading 0 and all but one failing on the code."""
    village = village_create(
        actor=officer, commune=officer.unit, name="Thôn Khởi Đầu", kind="village", from_year=reform_year
    )

    def save(n):
        services.household_create(
            actor=User.objects.get(pk=officer.pk), village=village, head_name=f"Hoàng Văn {n}", members=3
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] * WRITERS, outcome
    codes = sorted(Household.objects.filter(village=village).values_list("code", flat=True))
    assert codes == [f"{village.code}-{number:04d}" for number in range(1, WRITERS + 1)]


def test_the_first_clans_of_a_commune_added_at_once_each_get_a_code_of_their_own(officer, reform_year):
    def save(n):
        services.clan_save(
            actor=User.objects.get(pk=officer.pk),
            clan=None,
            commune=officer.unit,
            name=f"Họ Nguyễn {n}",
            head_name="",
            member_households=3,
            has_board=False,
            villages=[],
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] * WRITERS, outcome
    assert len(set(Clan.objects.filter(name__startswith="Họ Nguyễn").values_list("code", flat=True))) == WRITERS


def test_one_village_added_twice_at_once_is_saved_once_and_the_second_is_told(officer, reform_year):
    """A double click on “Add village”: the commune's lock makes the second wait, then find the first."""

    def save(n):
        village_create(
            actor=User.objects.get(pk=officer.pk),
            commune=officer.unit,
            name="Thôn Bấm Hai Lần",
            kind="village",
            from_year=reform_year,
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["duplicate_name"] * (WRITERS - 1) + ["saved"], outcome
    assert Village.objects.filter(name="Thôn Bấm Hai Lần").count() == 1


def test_one_association_added_twice_at_once_is_saved_once_and_the_second_is_told(officer, reform_year):
    def save(n):
        network.association_create(
            actor=User.objects.get(pk=officer.pk), level="commune", area=officer.unit, name="Hội Khuyến học xã"
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["duplicate"] * (WRITERS - 1) + ["saved"], outcome


def test_one_branch_added_twice_at_once_is_saved_once_and_the_second_is_told(officer, reform_year):
    association = network.association_create(
        actor=officer, level="commune", area=officer.unit, name="Hội Khuyến học xã Đua"
    )

    def save(n):
        network_units.network_unit_save(
            actor=User.objects.get(pk=officer.pk),
            association=association,
            kind="agency_branch",
            name="Chi hội Trường Tiểu học",
            opened_year=reform_year,
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["name"] * (WRITERS - 1) + ["saved"], outcome


def test_one_account_created_twice_at_once_is_created_once_and_the_second_is_told(officer):
    """A double click on “Create” (accounts sit below the registry, so their race uses this file's)."""
    admin = User.objects.create_user("admin.race", password="x", role=Role.SYSTEM_ADMIN)

    def save(n):
        account_create(
            actor=User.objects.get(pk=admin.pk),
            username="can.bo.xa",
            full_name="Cán bộ xã",
            role=Role.COMMUNE_OFFICER,
            unit=officer.unit,
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["unique"] * (WRITERS - 1), outcome
    assert User.objects.filter(username="can.bo.xa").count() == 1
