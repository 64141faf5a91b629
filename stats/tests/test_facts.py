"""Facts are current when the change commits: every ancestor moves with its records, an entered
total replaces its children's sum, and a rebuild from the records gives exactly the same rows."""

import pytest

from areas import services as area_services
from conftest import unit
from evaluations import decisions
from registry import network
from registry import services as registry_services
from registry.models import Association, AssociationLevel
from stats import services
from stats.models import EnteredAggregate, Fact
from stats.patterns import computed_patterns, stored_patterns
from stats.rebuild import rebuild_all

from .conftest import approved, published

pytestmark = pytest.mark.django_db


def value(holder, year, title, measure, *, field="value"):
    holder_field = "village" if holder.__class__.__name__ == "Village" else "unit"
    fact = Fact.objects.filter(**{holder_field: holder}, year=year, title=title, measure=measure).first()
    return getattr(fact, field) if fact else 0


def snapshot():
    """Every fact that says something, as plain tuples."""
    from stats.verify import FIELDS, _meaningful

    return _meaningful(Fact.objects.values_list(*FIELDS))


def test_registration_and_recognition_reach_every_ancestor(personas, household_set, household, villages, reform_year):
    officer = personas["commune_officer"]
    first, second, third = household("Lý Văn An"), household("Hà Thị Bé"), household("Nông Văn Cường", "song_cau_2")
    evaluations = [approved(officer, household_set, h, reform_year) for h in (first, second, third)]
    commune, province = unit("2025", "01843"), unit("2025", "19")

    assert value(villages["song_cau_1"], reform_year, "household", "registered") == 2
    assert value(commune, reform_year, "household", "registered") == 3
    assert value(province, reform_year, "household", "registered") == 3
    assert value(province, reform_year, "household", "recognised") == 0

    decision = published(officer, evaluations[:2], year=reform_year, area=("2025", "01843"))
    assert value(villages["song_cau_1"], reform_year, "household", "recognised") == 2
    assert value(commune, reform_year, "household", "recognised") == 2
    assert value(province, reform_year, "household", "recognised") == 2

    decisions.decision_revoke(actor=officer, decision=decision, reason="Sai danh sách")
    assert value(province, reform_year, "household", "recognised") == 0
    assert value(province, reform_year, "household", "registered") == 3


def test_an_entered_total_replaces_the_sum_of_the_children(personas, household_set, household, reform_year):
    officer = personas["commune_officer"]
    commune, province = unit("2025", "01843"), unit("2025", "19")
    approved(officer, household_set, household("Lý Văn An"), reform_year)
    first = services.aggregate_save(
        actor=officer,
        unit=commune,
        year=reform_year,
        title="household",
        measure="registered",
        value=40,
        note="Báo cáo giấy",
    )
    assert value(commune, reform_year, "household", "registered") == 40
    assert value(commune, reform_year, "household", "registered", field="computed") == 1
    assert value(province, reform_year, "household", "registered") == 40

    # A record below an entered total changes the computed figure, not what is read.
    approved(officer, household_set, household("Hà Thị Bé"), reform_year)
    assert value(commune, reform_year, "household", "registered") == 40
    assert value(province, reform_year, "household", "registered") == 40

    commune_aggregate = services.aggregate_save(
        actor=officer,
        unit=commune,
        year=reform_year,
        title="household",
        measure="registered",
        value=41,
        version=first.version,
    )
    assert value(province, reform_year, "household", "registered") == 41
    services.aggregate_delete(actor=officer, aggregate=commune_aggregate, version=commune_aggregate.version)
    assert not EnteredAggregate.objects.filter(pk=commune_aggregate.pk).exists()
    assert value(province, reform_year, "household", "registered") == 2


def test_villages_and_communes_are_counted_from_the_trees(personas, household_set, household, villages, reform_year):
    approved(personas["commune_officer"], household_set, household("Lý Văn An"), reform_year)
    assert value(unit("2025", "01843"), reform_year, "village", "base") == 2
    assert value(unit("2025", "19"), reform_year, "commune", "base") == unit("2025", "19").children.count()
    area_services.village_create(
        actor=personas["commune_officer"],
        commune=unit("2025", "01843"),
        name="Tổ 9",
        kind="residential_group",
        from_year=reform_year,
    )
    assert value(unit("2025", "01843"), reform_year, "village", "base") == 3
    assert value(unit("2025", "19"), reform_year, "village", "base") == 3


def test_a_village_moved_takes_its_figures_to_the_new_commune(
    personas, admin_user, household_set, household, villages, reform_year
):
    officer = personas["commune_officer"]
    approved(officer, household_set, household("Lý Văn An"), reform_year)
    new_home = unit("2025", "01840")
    area_services.villages_move(
        actor=admin_user, villages=[villages["song_cau_1"]], commune=new_home, from_year=reform_year
    )
    assert value(new_home, reform_year, "household", "registered") == 1
    assert value(unit("2025", "01843"), reform_year, "household", "registered") == 0
    assert value(new_home, reform_year, "village", "base") == 1
    assert value(unit("2025", "19"), reform_year, "household", "registered") == 1


def test_a_household_moved_to_another_village_takes_its_evaluations_with_it(
    personas, admin_user, household_set, household, reform_year
):
    officer = personas["commune_officer"]
    moving = household("Lý Văn An")
    evaluation = approved(officer, household_set, moving, reform_year)
    published(officer, [evaluation], year=reform_year, area=("2025", "01843"))
    elsewhere = area_services.village_create(
        actor=admin_user, commune=unit("2025", "01840"), name="Tổ 7", kind="residential_group", from_year=reform_year
    )
    registry_services.household_update(
        actor=admin_user,
        household=moving,
        version=moving.version,
        village=elsewhere,
        head_name=moving.head_name,
        members=moving.members,
        is_active=True,
    )
    assert value(elsewhere, reform_year, "household", "recognised") == 1
    assert value(unit("2025", "01840"), reform_year, "household", "registered") == 1
    assert value(unit("2025", "01843"), reform_year, "household", "registered") == 0
    assert value(unit("2025", "19"), reform_year, "household", "recognised") == 1
    incremental = snapshot()
    assert stored_patterns() == computed_patterns()
    rebuild_all()
    assert snapshot() == incremental


def test_a_household_moved_by_an_import_takes_its_evaluations_with_it(
    personas, admin_user, household_set, household, reform_year, upload, commit
):
    moving = household("Lý Văn An")
    approved(personas["commune_officer"], household_set, moving, reform_year)
    elsewhere = area_services.village_create(
        actor=admin_user, commune=unit("2025", "01840"), name="Tổ 7", kind="residential_group", from_year=reform_year
    )
    content = (
        "Mã hộ,Mã thôn,Tên thôn,Chủ hộ,Số nhân khẩu,Còn sinh sống\n"
        f"{moving.code},{elsewhere.code},,{moving.head_name},{moving.members},Có\n"
    ).encode()
    client, job = upload("households", content, "ho.csv", "province_officer")
    assert job.counts["update"] == 1, job.errors
    commit(client, job)
    assert value(unit("2025", "01840"), reform_year, "household", "registered") == 1
    assert value(unit("2025", "01843"), reform_year, "household", "registered") == 0
    incremental = snapshot()
    assert stored_patterns() == computed_patterns()
    rebuild_all()
    assert snapshot() == incremental


def test_the_network_counts_associations_and_sums_their_figures(admin_user, reform_year):
    commune, province = unit("2025", "01843"), unit("2025", "19")
    association = Association.objects.create(level=AssociationLevel.COMMUNE, area=commune, name="Hội Khuyến học")
    network.association_year_save(
        actor=admin_user,
        association=association,
        year=reform_year,
        members=300,
        village_branches=5,
        agency_branches=1,
        agency_boards=2,
        school_boards=1,
        clan_boards=3,
    )
    network.area_year_save(actor=admin_user, area=commune, year=reform_year, population=1500, households=400)
    assert value(province, reform_year, "", "associations_commune") == 1
    assert value(province, reform_year, "", "members") == 300
    assert value(province, reform_year, "", "population") == 1500
    assert value(province, reform_year, "household", "base") == 400
    network.association_year_save(
        actor=admin_user,
        association=association,
        year=reform_year,
        version=1,
        members=320,
        village_branches=5,
        agency_branches=1,
        agency_boards=2,
        school_boards=1,
        clan_boards=3,
    )
    assert value(province, reform_year, "", "members") == 320
    assert value(province, reform_year, "", "associations_commune") == 1


def test_a_rebuild_from_the_records_gives_the_incremental_rows(
    personas, admin_user, household_set, household, villages, reform_year
):
    officer = personas["commune_officer"]
    made = [approved(officer, household_set, household(name), reform_year) for name in ("An", "Bình", "Cúc")]
    published(officer, made[:2], year=reform_year, area=("2025", "01843"))
    commune = unit("2025", "01843")
    services.aggregate_save(
        actor=officer,
        village=villages["song_cau_2"],
        year=reform_year,
        title="household",
        measure="recognised",
        value=7,
    )
    services.aggregate_save(
        actor=admin_user, unit=unit("pre2025", "01837"), year=2018, title="household", measure="recognised", value=90
    )
    association = Association.objects.create(level=AssociationLevel.COMMUNE, area=commune, name="Hội Khuyến học")
    network.association_year_save(
        actor=admin_user,
        association=association,
        year=reform_year,
        members=300,
        village_branches=5,
        agency_branches=1,
        agency_boards=2,
        school_boards=1,
        clan_boards=3,
    )
    network.area_year_save(actor=admin_user, area=commune, year=reform_year, population=1500, households=400)
    area_services.villages_move(
        actor=admin_user, villages=[villages["song_cau_2"]], commune=unit("2025", "01840"), from_year=reform_year
    )

    incremental = snapshot()
    assert incremental
    rebuild_all()
    assert snapshot() == incremental


def test_a_parent_is_the_sum_of_its_children_and_its_own_records(personas, household_set, household, reform_year):
    officer = personas["commune_officer"]
    for name in ("An", "Bình"):
        approved(officer, household_set, household(name), reform_year)
    for fact in Fact.objects.filter(year=reform_year, unit__isnull=False, entered__isnull=True):
        children = Fact.objects.filter(year=reform_year, title=fact.title, measure=fact.measure)
        if fact.unit.level == 3:
            from areas.models import VillagePlacement

            villages = VillagePlacement.objects.covering(reform_year).filter(commune=fact.unit).values("village")
            children = children.filter(village__in=villages)
        else:
            children = children.filter(unit__parent=fact.unit)
        assert fact.value == fact.own + sum(children.values_list("value", flat=True)), fact
