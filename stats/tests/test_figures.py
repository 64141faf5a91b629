"""Figures on either tree: a year before the reform shown on the 2025 tree follows the official
mapping (whole merges summed, divided communes to the default new commune unless shares are
entered, abolished districts to the new province), so national totals agree on both trees; and over a
period, recognitions add up (lượt) while the distinct count comes from the evaluations."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from areas.models import AdministrativeUnit, UnitSuccession
from conftest import unit
from core.numbers import apportion
from evaluations import decisions
from stats import figures, mapping, services
from stats.patterns import computed_patterns, stored_patterns

from .conftest import approved, published

pytestmark = pytest.mark.django_db

OLD_YEAR = 2018


def enter(actor, area, value, *, title="household", measure="recognised", year=OLD_YEAR):
    return services.aggregate_save(actor=actor, unit=area, year=year, title=title, measure=measure, value=value)


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=1, max_value=10**4), min_size=1, max_size=8),
)
def test_apportioned_parts_add_up_to_the_whole(value, weights):
    parts = apportion(value, {i: Decimal(w) for i, w in enumerate(weights)})
    assert sum(parts.values()) == value
    assert all(part >= 0 for part in parts.values())


def test_whole_merges_are_summed_into_the_new_commune(admin_user):
    new_commune = unit("2025", "01843")
    olds = [s.predecessor for s in UnitSuccession.objects.filter(successor=new_commune, kind="whole")]
    assert len(olds) >= 2
    for number, old in enumerate(olds, start=1):
        enter(admin_user, old, 100 * number)
    mapped = figures.for_unit(new_commune, OLD_YEAR).get("household", "recognised")
    assert mapped.value == sum(100 * n for n in range(1, len(olds) + 1))
    assert mapped.source == figures.Source.MAPPED


def test_a_divided_commune_goes_to_its_default_unless_shares_are_entered(admin_user):
    divided = UnitSuccession.objects.filter(kind="divided", is_default=True).select_related("predecessor").first()
    old = divided.predecessor
    pieces = list(UnitSuccession.objects.filter(predecessor=old).select_related("successor"))
    enter(admin_user, old, 1001)
    by_piece = figures.for_units([p.successor for p in pieces], OLD_YEAR, "2025")

    def from_old(piece):
        """The piece's mapped figure less what its other old communes bring (nothing was entered there)."""
        return by_piece[piece.successor_id].value("household", "recognised") or 0

    assert {p.successor_id: from_old(p) for p in pieces} == {
        p.successor_id: 1001 if p.is_default else 0 for p in pieces
    }
    for index, piece in enumerate(pieces):
        piece.share = Decimal(index + 1)
        piece.save()
    by_piece = figures.for_units([p.successor for p in pieces], OLD_YEAR, "2025")
    assert sum(from_old(p) for p in pieces) == 1001
    assert all(from_old(p) > 0 for p in pieces)
    rule = next(p for p in mapping.mapping_rules(pieces[0].successor) if p.old_unit == old)
    assert rule.share == Decimal(1)


def test_what_an_abolished_district_held_goes_to_the_new_province(admin_user):
    district = unit("pre2025", "064")
    enter(admin_user, district, 77, title="unit", measure="registered")
    new_province = UnitSuccession.objects.get(predecessor=district).successor
    assert figures.for_unit(new_province, OLD_YEAR).value("unit", "registered") == 77


def test_each_new_province_is_the_sum_of_what_is_mapped_into_it_and_the_country_agrees(admin_user):
    enter(admin_user, unit("pre2025", "01837"), 40)
    enter(admin_user, unit("pre2025", "02035"), 25)
    enter(admin_user, unit("pre2025", "064"), 5, title="unit", measure="registered")
    divided = UnitSuccession.objects.filter(kind="divided", is_default=True).first().predecessor
    enter(admin_user, divided, 9)
    old_country = figures.national(OLD_YEAR, "pre2025")
    new_country = figures.national(OLD_YEAR, "2025")
    for key in {*old_country.figures, *new_country.figures}:
        assert old_country.figures[key].value == new_country.figures[key].value, key
    assert new_country.value("household", "recognised") == 74
    provinces = list(AdministrativeUnit.objects.filter(tree="2025", level=1))
    by_province = figures.for_units(provinces, OLD_YEAR, "2025")
    assert len(provinces) == 34
    for province in provinces:
        communes = list(province.children.all())
        by_commune = figures.for_units(communes, OLD_YEAR, "2025")
        for title, measure in [("household", "recognised"), ("commune", "base")]:
            total = sum(by_commune[c.pk].value(title, measure) or 0 for c in communes)
            assert (by_province[province.pk].value(title, measure) or 0) == total, (province.code, title)
        held_by_old_upper_units = 5 if province.code == "19" else 0
        assert (by_province[province.pk].value("unit", "registered") or 0) == held_by_old_upper_units


def test_years_after_the_reform_cannot_be_shown_on_the_old_tree(personas, household_set, household, reform_year):
    approved(personas["commune_officer"], household_set, household("An"), reform_year)
    old_province = figures.for_unit(unit("pre2025", "06"), reform_year)
    assert old_province.unavailable
    assert old_province.value("household", "registered") is None
    assert figures.national(reform_year, "2025").value("household", "registered") == 1


def test_a_period_adds_recognitions_and_counts_each_household_once(personas, household_set, household, reform_year):
    officer = personas["commune_officer"]
    first, second = household("An"), household("Bình")
    this_year = [approved(officer, household_set, h, reform_year) for h in (first, second)]
    first_decision = published(officer, this_year, year=reform_year, area=("2025", "01843"))
    next_year = [approved(officer, household_set, first, reform_year + 1)]
    second_decision = published(officer, next_year, year=reform_year + 1, area=("2025", "01843"))
    years = [reform_year, reform_year + 1]
    commune = unit("2025", "01843")
    assert figures.recognitions_over(commune, "household", years, "2025") == 3
    assert figures.distinct_recognised(commune, "household", years, "2025") == 2
    assert figures.distinct_recognised(commune, "household", years[1:], "2025") == 1
    assert figures.distinct_recognised(unit("2025", "19"), "household", years, "2025") == 2
    assert figures.distinct_recognised(None, "household", years, "2025") == 2
    assert figures.distinct_recognised(unit("2025", "01840"), "household", years, "2025") == 0
    decisions.decision_revoke(actor=officer, decision=first_decision, reason="Nhầm danh sách")
    assert figures.distinct_recognised(commune, "household", years, "2025") == 1
    decisions.decision_revoke(actor=officer, decision=second_decision, reason="Nhầm danh sách")
    assert figures.distinct_recognised(commune, "household", years, "2025") == 0
    assert stored_patterns() == computed_patterns() == {}

    services.aggregate_save(
        actor=officer, unit=commune, year=reform_year + 1, title="household", measure="recognised", value=30
    )
    assert figures.recognitions_over(commune, "household", years, "2025") == 30
    assert figures.distinct_recognised(commune, "household", years, "2025") is None


def test_sources_say_where_a_figure_comes_from(personas, household_set, household, villages, reform_year):
    officer = personas["commune_officer"]
    approved(officer, household_set, household("An"), reform_year)
    services.aggregate_save(
        actor=officer,
        village=villages["song_cau_2"],
        year=reform_year,
        title="household",
        measure="registered",
        value=12,
    )
    commune, province = unit("2025", "01843"), unit("2025", "19")
    assert figures.for_unit(commune, reform_year).get("household", "registered").source == "entered_below"
    assert figures.for_unit(province, reform_year).get("household", "registered").source == "entered_below"
    assert figures.for_unit(province, reform_year).get("household", "registered").value == 13
    services.aggregate_save(
        actor=officer, unit=commune, year=reform_year, title="household", measure="registered", value=50
    )
    assert figures.for_unit(commune, reform_year).get("household", "registered").source == "entered"
    assert figures.for_unit(unit("2025", "01840"), reform_year).get("village", "base").source == "records"
