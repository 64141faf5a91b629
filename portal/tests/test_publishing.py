"""Publishing an area's figures for a year: a province officer of that province or a system
administrator, audited, revocable with a reason; bad input changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from portal import services
from portal.models import OpenDataLicence, PublishedAreaYear

pytestmark = pytest.mark.django_db


def test_a_province_officer_publishes_and_revokes_an_area_year_of_their_province(personas, reform_year):
    officer = personas["province_officer"]
    commune = unit("2025", "01843")
    publication = services.area_year_publish(actor=officer, unit=commune, year=reform_year)
    entry = AuditEntry.objects.get(action=services.PUBLISH)
    assert (entry.actor, entry.before, entry.after) == (officer, None, {"unit": "01843", "tree": "2025", "year": 2025})

    services.area_year_revoke(actor=officer, publication=publication, reason="Số liệu cần kiểm tra lại")
    entry = AuditEntry.objects.get(action=services.REVOKE)
    assert entry.before == {"unit": "01843", "tree": "2025", "year": 2025}
    assert entry.reason == "Số liệu cần kiểm tra lại"
    assert not PublishedAreaYear.objects.exists()


def test_a_system_administrator_publishes_anywhere(admin_user):
    services.area_year_publish(actor=admin_user, unit=unit("pre2025", "06"), year=2017)
    assert PublishedAreaYear.objects.filter(unit__code="06", year=2017).exists()


@pytest.mark.parametrize("persona", ["district_officer", "commune_officer", "village_officer", "viewer"])
def test_no_one_below_the_province_publishes(personas, persona, reform_year):
    with pytest.raises(PermissionDenied):
        services.area_year_publish(actor=personas[persona], unit=unit("2025", "01843"), year=reform_year)
    assert not PublishedAreaYear.objects.exists() and not AuditEntry.objects.filter(action=services.PUBLISH).exists()


def test_a_province_officer_publishes_nothing_outside_their_province(personas, reform_year):
    with pytest.raises(ValidationError):
        services.area_year_publish(actor=personas["province_officer"], unit=unit("2025", "04"), year=reform_year)
    publication = services.area_year_publish(actor=personas["province_officer"], unit=unit("2025", "19"), year=2025)
    with pytest.raises(ValidationError):
        services.area_year_revoke(actor=personas["old_province_officer"], publication=publication, reason="x")
    assert PublishedAreaYear.objects.count() == 1


@pytest.mark.parametrize(
    "tree, code, year, message",
    [
        ("pre2025", "06", 2025, "không có số liệu năm 2025"),
        ("2025", "19", 2017, "không có số liệu năm 2017"),
        ("2025", "19", 2999, "nhập năm từ"),
        ("2025", "19", "hai nghìn", "nhập năm từ"),
    ],
)
def test_a_year_the_tree_does_not_record_is_refused_in_vietnamese(admin_user, tree, code, year, message):
    with pytest.raises(ValidationError) as refused:
        services.area_year_publish(actor=admin_user, unit=unit(tree, code), year=year)
    assert message in " ".join(refused.value.messages)
    assert not PublishedAreaYear.objects.exists()


def test_publishing_twice_and_revoking_without_a_reason_are_refused(personas, reform_year):
    officer = personas["province_officer"]
    publication = services.area_year_publish(actor=officer, unit=unit("2025", "19"), year=reform_year)
    with pytest.raises(ValidationError):
        services.area_year_publish(actor=officer, unit=unit("2025", "19"), year=reform_year)
    with pytest.raises(ValidationError):
        services.area_year_revoke(actor=officer, publication=publication, reason="  ")
    assert PublishedAreaYear.objects.count() == 1
    assert AuditEntry.objects.filter(action__startswith="portal.").count() == 1


def test_the_page_publishes_revokes_and_sets_the_licence(client_for, personas, reform_year):
    client = client_for(personas["province_officer"])
    page = client.get(reverse("portal:publications"))
    assert page.status_code == 200 and "CC BY 4.0" in page.content.decode()
    answer = client.post(reverse("portal:publications"), {"area": "2025:01843", "year": str(reform_year)})
    assert answer.status_code == 302
    refused = client.post(reverse("portal:publications"), {"area": "2025:99999", "year": str(reform_year)})
    assert refused.status_code == 400 and "2025:99999" in refused.content.decode()
    publication = PublishedAreaYear.objects.get()
    assert client.post(reverse("portal:revoke"), {"publication": publication.pk, "reason": ""}).status_code == 400
    assert client.post(reverse("portal:revoke"), {"publication": publication.pk, "reason": "Sai"}).status_code == 302
    assert not PublishedAreaYear.objects.exists()
    assert client.post(reverse("portal:licence"), {"province": "2025:19", "licence": "CC0 1.0"}).status_code == 302
    assert OpenDataLicence.objects.get().licence == "CC0 1.0"
    assert AuditEntry.objects.filter(action=services.LICENCE, after={"licence": "CC0 1.0"}).exists()


def test_the_new_provinces_officer_publishes_the_old_provinces_seed_years_and_lists_them(client_for, personas):
    """Thái Nguyên's officers hold old Bắc Kạn (merged into it): its 2016–2018 totals are theirs to publish."""
    client = client_for(personas["province_officer"])
    assert client.post(reverse("portal:publications"), {"area": "pre2025:06", "year": "2017"}).status_code == 302
    assert "Tỉnh Bắc Kạn" in client.get(reverse("portal:publications")).content.decode()
    assert AuditEntry.objects.get(action=services.PUBLISH).after == {"unit": "06", "tree": "pre2025", "year": 2017}


def test_the_page_is_refused_to_those_who_do_not_publish(client_for, personas):
    assert client_for(personas["commune_officer"]).get(reverse("portal:publications")).status_code == 403
    assert client_for(None).get(reverse("portal:publications")).status_code == 302
