"""No lost update of a unit's own target: the page's form changes a target at the version it shows (its
Change link fills the form in), a new target names none; a save or removal made after someone else set
or changed the target is refused with “đã bị người khác sửa”, changes nothing, writes no history and
shows the target as it is stored. The PostgreSQL race: stats/tests/test_target_race.py. And the page
says what a rate beyond its target is, and shows no English note to a Vietnamese user."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from registry import network
from stats import services
from stats.models import Target
from stats.targets import target_save

pytestmark = pytest.mark.django_db

STALE = "đã bị người khác sửa"
PAGE = reverse("stats:targets")
DISTRICT = ("pre2025", "064")
URL = f"{PAGE}?area=pre2025/064&year=2020"


@pytest.fixture
def own(personas):
    return target_save(
        actor=personas["district_officer"], title="clan", year=2020, percent=70, area=unit(*DISTRICT), source="KH 1"
    )


def changed_meanwhile(admin_user, target, percent=75):
    return target_save(
        actor=admin_user,
        title=target.title,
        year=target.year,
        percent=percent,
        area=target.area,
        source="KH 2",
        version=target.version,
    )


def test_the_change_link_fills_the_form_with_the_target_and_its_version_and_a_save_moves_it_on(
    client_for, personas, own
):
    client = client_for(personas["district_officer"])
    page = client.get(URL).content.decode()
    change = f"?area=pre2025/064&amp;year=2020&amp;edit={own.pk}#target-form"
    assert change in page
    form = client.get(f"{URL}&edit={own.pk}").context["form"]
    assert (form.initial["percent"], form.initial["source"], form.initial["version"]) == (70, "KH 1", 1)
    body = {"title": "clan", "year": 2020, "percent": "72", "source": "KH 1", "version": "1"}
    assert client.post(URL, body).status_code == 302
    own.refresh_from_db()
    assert (own.percent, own.version) == (Decimal(72), 2)
    entry = AuditEntry.objects.filter(action="target.save").latest("pk")
    assert (entry.before["percent"], entry.after["percent"]) == ("70.00", "72")


@pytest.mark.parametrize("version", ["1", "", "abc", "٣"])
def test_a_stale_save_of_a_target_is_refused_and_changes_nothing(client_for, personas, admin_user, own, version):
    changed_meanwhile(admin_user, own)
    entries = AuditEntry.objects.count()
    body = {"title": "clan", "year": 2020, "percent": "80", "source": "KH 9", "version": version}
    response = client_for(personas["district_officer"]).post(URL, body, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and STALE in page
    form = response.context["form"]  # the form again, with the target as stored now
    assert (form.initial["percent"], form.initial["source"], form.initial["version"]) == (Decimal(75), "KH 2", 2)
    own.refresh_from_db()
    assert (own.percent, own.source, own.version) == (Decimal(75), "KH 2", 2)
    assert AuditEntry.objects.count() == entries


def test_a_new_target_where_someone_else_just_set_one_is_refused(client_for, personas, own):
    entries = AuditEntry.objects.count()
    body = {"title": "clan", "year": 2020, "percent": "90", "source": ""}  # the form for a new target: no version
    response = client_for(personas["district_officer"]).post(URL, body, follow=True)
    assert STALE in response.content.decode() and response.context["form"].initial["version"] == own.version
    assert Target.objects.get(pk=own.pk).percent == Decimal(70) and AuditEntry.objects.count() == entries


def test_a_stale_removal_of_a_target_is_refused(client_for, personas, admin_user, own):
    changed_meanwhile(admin_user, own)
    client = client_for(personas["district_officer"])
    delete = reverse("stats:target_delete", args=[own.pk])
    response = client.post(delete, {"version": "1"}, follow=True)
    assert STALE in response.content.decode() and Target.objects.filter(pk=own.pk).exists()
    assert not AuditEntry.objects.filter(action="target.delete").exists()
    assert 'name="version" value="2"' in response.content.decode()  # the removal form names the version now
    assert client.post(delete, {"version": "2"}).status_code == 302
    assert not Target.objects.filter(pk=own.pk).exists()


def test_a_target_saved_unchanged_at_its_version_writes_nothing(personas, own):
    again = target_save(
        actor=personas["district_officer"],
        title="clan",
        year=2020,
        percent="70.00",
        area=own.area,
        source="KH 1",
        version=own.version,
    )
    assert again.version == 1 and AuditEntry.objects.filter(action="target.save").count() == 1


# What the page says --------------------------------------------------------------------------------


def test_a_rate_beyond_its_target_reads_as_beyond_not_as_a_negative_shortfall(client_for, personas, admin_user):
    commune = unit("pre2025", "02035")
    network.area_year_save(actor=admin_user, area=commune, year=2020, households=1000)
    services.aggregate_save(
        actor=admin_user, unit=commune, year=2020, title="household", measure="recognised", value=887
    )
    client = client_for(personas["district_officer"])
    page = client.get(PAGE, {"area": "pre2025/02035", "year": 2020}).content.decode()
    row = page.split('data-title="household"')[1].split("</tr>")[0]
    assert "Vượt 18,7" in row and "-18,7" not in row  # 88,7% against the national 70%
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row = client.get(PAGE, {"area": "pre2025/02035", "year": 2020}).content.decode()
    assert "Beyond by 18.7" in row.split('data-title="household"')[1].split("</tr>")[0]


def test_the_national_unit_target_has_no_english_note(client_for, personas):
    target = Target.objects.get(year=2025, title="unit", area=None, area_class=None)
    assert target.note == "trên địa bàn xã"
    page = client_for(personas["province_officer"]).get(PAGE, {"year": 2025}).content.decode()
    assert "in the commune" not in page and "trên địa bàn xã" in page
