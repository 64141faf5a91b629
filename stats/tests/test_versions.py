"""No lost update on entered totals: the form carries the version of the total it changes (none for a
new one), and removing one names the version shown; a save or a removal made after someone else's
change is refused with “đã bị người khác sửa”, changes nothing (its history included) and the form
shows the total as now stored."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from stats import services
from stats.models import EnteredAggregate

pytestmark = pytest.mark.django_db

STALE = "đã bị người khác sửa"


@pytest.fixture
def entered(personas, reform_year):
    return services.aggregate_save(
        actor=personas["commune_officer"],
        unit=unit("2025", "01843"),
        year=reform_year,
        title="household",
        measure="registered",
        value=12,
        note="Sổ theo dõi",
    )


def _body(reform_year, value, version):
    return {
        "area": "01843",
        "year": reform_year,
        "title": "household",
        "measure": "registered",
        "value": value,
        "note": "",
        "version": version,
    }


def test_a_total_changed_on_the_version_shown_moves_the_version_on(client_for, personas, entered, reform_year):
    client = client_for(personas["commune_officer"])
    page = client.get(reverse("stats:entered"), {"area": "2025:01843", "edit": entered.pk}).content.decode()
    assert 'name="version" value="1"' in page and 'name="value" value="12"' in page
    assert client.post(reverse("stats:entered"), _body(reform_year, 13, "1")).status_code == 302
    entered.refresh_from_db()
    assert (entered.value, entered.version) == (13, 2)


@pytest.mark.parametrize("version", ["1", "", "abc"])
def test_a_stale_total_is_refused_and_changes_nothing(client_for, personas, entered, reform_year, version):
    services.aggregate_save(
        actor=personas["province_officer"],
        unit=entered.unit,
        year=reform_year,
        title="household",
        measure="registered",
        value=15,
        version=1,
    )
    entries = AuditEntry.objects.count()
    response = client_for(personas["commune_officer"]).post(
        reverse("stats:entered"), _body(reform_year, 99, version), follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and STALE in page
    assert 'name="value" value="15"' in page and 'name="version" value="2"' in page  # the total now stored
    entered.refresh_from_db()
    assert (entered.value, entered.version) == (15, 2)
    assert AuditEntry.objects.count() == entries


def test_a_stale_removal_is_refused_and_removes_nothing(client_for, personas, entered, reform_year):
    services.aggregate_save(
        actor=personas["province_officer"],
        unit=entered.unit,
        year=reform_year,
        title="household",
        measure="registered",
        value=15,
        version=1,
    )
    entries = AuditEntry.objects.count()
    response = client_for(personas["commune_officer"]).post(
        reverse("stats:entered_delete", args=[entered.pk]), {"version": "1"}, follow=True
    )
    assert STALE in response.content.decode()
    assert EnteredAggregate.objects.get(pk=entered.pk).value == 15
    assert AuditEntry.objects.count() == entries


def test_a_total_saved_unchanged_neither_moves_the_version_nor_writes_history(personas, entered, reform_year):
    entries = AuditEntry.objects.count()
    services.aggregate_save(
        actor=personas["commune_officer"],
        unit=entered.unit,
        year=reform_year,
        title="household",
        measure="registered",
        value=12,
        note="Sổ theo dõi",
        version=1,
    )
    entered.refresh_from_db()
    assert entered.version == 1 and AuditEntry.objects.count() == entries
