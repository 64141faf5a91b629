"""No lost update in the figures: many transactions change records under the same commune at the same
moment on their own PostgreSQL connections; every ancestor ends with the sum of all their changes,
and nobody deadlocks (rows are locked level by level in one order).

Commits for real, like the evaluations' concurrency test: its database is emptied when it ends.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree, Village, VillagePlacement
from stats.facts import Key, record_changes
from stats.models import Fact

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]

WRITERS = 6
CHANGES_EACH = 5


def test_concurrent_changes_under_one_commune_all_reach_the_province(reform_year):
    if not AdministrativeUnit.objects.exists():
        load_administrative_units()
    commune = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    villages = []
    for number in range(3):
        village = Village.objects.create(code=f"01843-9{number}", name=f"Thôn {number}", search_name="", sort_key="")
        VillagePlacement.objects.create(
            village=village, commune=commune, commune_path=commune.path, from_year=reform_year
        )
        villages.append(village)
    start = threading.Barrier(WRITERS, timeout=30)
    failures = []

    def write(writer):
        try:
            start.wait()
            for change in range(CHANGES_EACH):
                # Each transaction touches two villages in different orders, and the shared ancestors.
                first, second = villages[(writer + change) % 3], villages[(writer + change + 1) % 3]
                with transaction.atomic():
                    record_changes(
                        {
                            Key.at_village(second.pk, reform_year, "household", "registered"): 1,
                            Key.at_village(first.pk, reform_year, "household", "registered"): 2,
                        }
                    )
        except Exception as error:  # reported by the assertion below rather than lost in the thread
            failures.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    expected = WRITERS * CHANGES_EACH * 3
    for unit in (commune, commune.parent):
        fact = Fact.objects.get(unit=unit, year=reform_year, title="household", measure="registered")
        assert fact.value == expected
    villages_total = Fact.objects.filter(
        village__in=villages, year=reform_year, title="household", measure="registered"
    )
    assert sum(f.value for f in villages_total) == expected
