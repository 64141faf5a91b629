"""The demo's lists of branches and boards: a few communes keep them from 2019 (the officer's ward and
the old communes it was formed from among them), their counts are the figures their associations
report, and the seed article's years and the other communes keep the figures entered."""

import pytest
from django.core.management import call_command

from accounts.demo import ensure_demo_admin
from areas.demo import build_demo_villages
from areas.models import Tree
from conftest import unit
from registry.demo import build_demo_registries
from registry.demo_network import build_demo_network
from registry.models import AssociationYear, NetworkUnit, NetworkUnitKind, NetworkUnitYear
from registry.network_counts import counts_from_lists
from registry.network_units import network_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_network(reform_year):
    call_command("load_admin_units", verbosity=0)
    admin = ensure_demo_admin()
    build_demo_villages(actor=admin, seed=2018)
    build_demo_registries(actor=admin, seed=2018)
    build_demo_network(seed=2018)


def test_a_few_communes_keep_their_lists_and_their_counts_are_those_reported(demo_network, reform_year):
    units = NetworkUnit.objects.select_related("association__area")
    kinds = set(units.values_list("kind", flat=True))
    assert kinds == {"village_branch", "school_board", "agency_board", "clan_board"}
    listing = {unit.association for unit in units}
    on_new_tree = {a for a in listing if a.area.tree == Tree.Y2025}
    assert unit("2025", "01843") in {a.area for a in on_new_tree} and len(on_new_tree) == 2
    assert 2 < len(listing) < 20  # a few communes, not all 108
    assert not units.filter(opened_year__lt=2019).exists()
    # A branch in each village of the ward, still working; the old communes' closed with them.
    ward = unit("2025", "01843")
    branches = units.filter(association__area=ward, kind=NetworkUnitKind.VILLAGE_BRANCH)
    assert branches.count() == ward.village_placements.filter(from_year=reform_year).count()
    assert not branches.exclude(last_year=None).exists()
    old_lists = units.filter(association__area__tree=Tree.PRE_2025)
    assert not old_lists.exclude(last_year=reform_year - 1).exists()
    # Their clans and units go over to the new communes in the reform: the old boards only name them.
    assert old_lists.exclude(kind=NetworkUnitKind.VILLAGE_BRANCH).exists()
    assert (
        not old_lists.filter(clan__isnull=False).exists() and not old_lists.filter(organisation__isnull=False).exists()
    )
    assert not units.filter(association__area=ward, kind=NetworkUnitKind.CLAN_BOARD, clan=None).exists()
    assert not branches.filter(village=None).exists()
    # Every figure the lists give is the one stored and shown as counted from the list.
    years = range(2016, reform_year + 1)
    counted = counts_from_lists([a.pk for a in listing], years)
    reports = AssociationYear.objects.filter(association__in=listing)
    for report in reports:
        for field, value in counted[(report.association_id, report.year)].items():
            assert getattr(report, field) == value, (report, field)
        assert not counted[(report.association_id, report.year)] or report.year >= 2019
    ward_2025 = {f["field"]: f for f in network_counts(branches[0].association, reform_year)}
    assert ward_2025["village_branches"]["from_list"] and ward_2025["members"]["from_list"]
    assert ward_2025["village_branches"]["value"] == branches.count()
    assert ward_2025["members"]["value"] == sum(
        NetworkUnitYear.objects.filter(unit__in=branches, year=reform_year).values_list("members", flat=True)
    )
    # The others only enter their counts.
    other = AssociationYear.objects.filter(year=2020, association__level="commune").exclude(association__in=listing)
    assert other.exists() and not NetworkUnit.objects.filter(association__in=other.values("association")).exists()
    # A second run adds nothing.
    counts = (NetworkUnit.objects.count(), NetworkUnitYear.objects.count())
    build_demo_network(seed=2018)
    assert (NetworkUnit.objects.count(), NetworkUnitYear.objects.count()) == counts
