"""Learning citizens counted at their village, as households are (on both trees, moving with the
person), and their base: the persons whose age lies within the age bounds in force, unknown while no
bounds apply; every figure equal to a rebuild from the records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import unit
from evaluations.demo_sets import build_illustration_sets
from registry.citizens import citizen_create, citizen_update
from stats.citizen_bounds import bounds_delete, bounds_save
from stats.figures import distinct_recognised, for_unit
from stats.patterns import computed_patterns, stored_patterns
from stats.rebuild import rebuild_all

from .test_citizen_figures import approved, published
from .test_facts import snapshot, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_set(admin_user):
    return build_illustration_sets(actor=admin_user)[0]["citizen"]


def equal_to_a_rebuild():
    incremental, patterns = snapshot(), stored_patterns()
    assert patterns == computed_patterns()
    rebuild_all()
    assert snapshot() == incremental and stored_patterns() == patterns


def person(actor, village, name="Hoàng Thị Mai", born=1980):
    return citizen_create(actor=actor, village=village, full_name=name, birth_year=born, sex="Nữ")


def test_persons_are_counted_at_their_village_on_both_trees_and_move_with_it(
    admin_user, citizen_set, villages, reform_year
):
    before = reform_year - 1
    mai = person(admin_user, villages["song_cau_1"])
    lan = person(admin_user, villages["song_cau_2"], "Đinh Thị Lan")
    published(admin_user, [approved(admin_user, citizen_set, mai, before)], year=before, area=("pre2025", "01837"))
    published(
        admin_user, [approved(admin_user, citizen_set, mai, reform_year)], year=reform_year, area=("2025", "01843")
    )
    approved(admin_user, citizen_set, lan, reform_year)

    village_1, village_2 = villages["song_cau_1"], villages["song_cau_2"]
    # The village holds its people's figures, and its commune of each year adds them up: the old
    # commune before the reform, the new one from it.
    assert value(village_1, before, "citizen", "recognised") == 1
    assert value(village_1, reform_year, "citizen", "recognised") == 1
    assert value(village_2, reform_year, "citizen", "registered") == 1
    assert value(unit("pre2025", "01837"), before, "citizen", "recognised") == 1
    assert value(unit("2025", "01843"), reform_year, "citizen", "registered") == 2
    assert distinct_recognised(unit("2025", "01843"), "citizen", [before, reform_year], "2025") == 1
    equal_to_a_rebuild()

    # Mai moves to Bản Thi (another commune, another district): her evaluations go with her.
    ban_thi = villages["ban_thi"]
    mai.refresh_from_db()
    citizen_update(
        actor=admin_user,
        citizen=mai,
        version=mai.version,
        village=ban_thi,
        full_name=mai.full_name,
        birth_year=mai.birth_year,
        sex="Nữ",
        household=None,
        target_group=None,
        is_active=True,
    )
    assert value(village_1, before, "citizen", "recognised") == 0
    assert value(ban_thi, before, "citizen", "recognised") == 1
    assert value(unit("pre2025", "01837"), before, "citizen", "recognised") == 0
    assert value(unit("pre2025", "02035"), before, "citizen", "recognised") == 1
    assert value(unit("2025", "01843"), reform_year, "citizen", "recognised") == 0
    assert distinct_recognised(unit("pre2025", "02035"), "citizen", [before], "pre2025") == 1
    equal_to_a_rebuild()


def test_without_age_bounds_the_base_is_unknown_not_zero(admin_user, villages, reform_year):
    person(admin_user, villages["song_cau_1"])
    figures = for_unit(unit("2025", "01843"), reform_year)
    assert figures.value("citizen", "base") is None  # read as “—” on the pages
    assert value(villages["song_cau_1"], reform_year, "citizen", "base", field="own") == 0


def test_the_base_counts_persons_within_the_bounds_of_their_province_or_the_nation(
    admin_user, personas, villages, reform_year
):
    village = villages["song_cau_1"]
    adult, child, old = (
        person(admin_user, village, "Lý Văn An", born=reform_year - 30),
        person(admin_user, village, "Lý Văn Bé", born=reform_year - 10),
        person(admin_user, village, "Lý Văn Cả", born=reform_year - 70),
    )
    national = bounds_save(actor=admin_user, area=None, from_year=reform_year, to_year=None, min_age=15, max_age=None)
    assert value(village, reform_year, "citizen", "base") == 3 - 1
    assert value(unit("2025", "19"), reform_year, "citizen", "base") == 2
    equal_to_a_rebuild()

    # Thái Nguyên's own bounds apply there instead of the national ones.
    thai_nguyen = unit("2025", "19")
    own = bounds_save(
        actor=personas["province_officer"],
        area=thai_nguyen,
        from_year=reform_year,
        to_year=None,
        min_age=15,
        max_age=60,
    )
    assert value(thai_nguyen, reform_year, "citizen", "base") == 1
    # A person leaving, a year of birth corrected: the base follows.
    child.refresh_from_db()
    citizen_update(
        actor=admin_user,
        citizen=child,
        version=child.version,
        village=village,
        full_name=child.full_name,
        birth_year=reform_year - 20,
        sex="Nữ",
        household=None,
        target_group=None,
        is_active=True,
    )
    adult.refresh_from_db()
    citizen_update(
        actor=admin_user,
        citizen=adult,
        version=adult.version,
        village=village,
        full_name=adult.full_name,
        birth_year=adult.birth_year,
        sex="Nữ",
        household=None,
        target_group=None,
        is_active=False,
    )
    assert value(thai_nguyen, reform_year, "citizen", "base") == 1
    equal_to_a_rebuild()

    bounds_delete(actor=personas["province_officer"], bounds=own)
    assert value(thai_nguyen, reform_year, "citizen", "base") == 2  # the national bounds again: 20 and 70
    bounds_delete(actor=admin_user, bounds=national)
    assert for_unit(thai_nguyen, reform_year).value("citizen", "base") is None
    assert old.pk
    equal_to_a_rebuild()


def test_bounds_are_refused_when_wrong_or_not_ones_to_change(admin_user, personas, reform_year):
    thai_nguyen, bac_kan = unit("2025", "19"), unit("pre2025", "06")
    with pytest.raises(ValidationError):
        bounds_save(actor=admin_user, area=None, from_year=2025, to_year=2024, min_age=15, max_age=None)
    with pytest.raises(ValidationError):
        bounds_save(actor=admin_user, area=None, from_year=2025, to_year=None, min_age=60, max_age=15)
    bounds_save(actor=admin_user, area=thai_nguyen, from_year=2025, to_year=None, min_age=15, max_age=None)
    with pytest.raises(ValidationError):  # overlapping years of the same province
        bounds_save(actor=admin_user, area=thai_nguyen, from_year=2026, to_year=2030, min_age=18, max_age=None)
    with pytest.raises(PermissionDenied):  # a province officer sets no national default
        bounds_save(
            actor=personas["province_officer"], area=None, from_year=2025, to_year=None, min_age=1, max_age=None
        )
    with pytest.raises(PermissionDenied):  # nor another province's
        bounds_save(
            actor=personas["province_officer"], area=bac_kan, from_year=2020, to_year=None, min_age=1, max_age=None
        )
    with pytest.raises(PermissionDenied):
        bounds_save(
            actor=personas["commune_officer"], area=thai_nguyen, from_year=2020, to_year=2021, min_age=1, max_age=None
        )


def test_statistics_hears_of_persons_added_or_changed():
    from core import changes
    from registry.changes import CitizensChanged
    from stats import changes as handlers

    assert changes._handlers[CitizensChanged] == [handlers.citizens_changed]
