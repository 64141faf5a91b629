"""The counts an association's list of branches and boards gives are those statistics keep and documents
read (the list itself: registry/tests/test_network_units.py)."""

import pytest

from conftest import unit
from documents.readings import read_area
from registry.tests import test_network_units as lists
from stats.models import Fact
from stats.rebuild import rebuild_all
from stats.verify import FIELDS, _meaningful

pytestmark = pytest.mark.django_db

# The association and its list, as the registry's tests make them.
officer, association, listed = lists.officer, lists.association, lists.listed


def fact(area, year, measure):
    found = Fact.objects.filter(unit=area, year=year, title="", measure=measure).first()
    return found.value if found else None


def test_statistics_and_documents_read_the_counts_from_the_list(association, listed, reform_year):
    province, commune = unit("2025", "19"), unit("2025", "01843")
    for area in (commune, province):
        assert fact(area, reform_year, "village_branches") == 2
        assert fact(area, reform_year, "clan_boards") == 1
        assert fact(area, reform_year, "members") == 75
        assert fact(area, reform_year, "school_boards") == 4
    assert (fact(province, reform_year + 1, "clan_boards") or 0) == 0
    reading = read_area(province, "2025", [reform_year])
    assert reading.network_value("village_branches") == 2
    assert reading.network_value("members") == 75
    # The figures kept as the list changed are those a rebuild from the records computes.
    incremental = _meaningful(Fact.objects.values_list(*FIELDS))
    rebuild_all()
    assert _meaningful(Fact.objects.values_list(*FIELDS)) == incremental
