"""What an import saved: every record it creates or changes has exactly one audit entry marked with
the job, in the record's own history, and the job page lists them with links to the records."""

from collections import Counter

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit.actions import ACTION_LABELS
from audit.models import AuditEntry
from registry import services
from registry.models import AreaYear, Association, AssociationYear, Clan, Household, Organisation

from . import test_clan_unit_import as clans_and_units
from . import test_household_import as households
from . import test_network_import as network

pytestmark = pytest.mark.django_db


def entries_per_record(job, model) -> Counter:
    """(action, record id) → how many entries of the job name it."""
    entries = AuditEntry.objects.filter(source=job.audit_source, object_type=model._meta.label_lower)
    return Counter(entries.values_list("action", "object_id"))


def test_every_imported_household_has_one_entry_of_the_job_in_its_history_and_on_the_job_page(
    upload, commit, admin_user, villages
):
    changed = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=2
    )
    client, job = upload("households", households.workbook(households.ROWS))
    assert job.counts == {"create": 2, "update": 1, "unchanged": 0}
    job = commit(client, job)
    created = Household.objects.exclude(pk=changed.pk)
    assert entries_per_record(job, Household) == Counter(
        {("household.update", str(changed.pk)): 1, **{("household.create", str(h.pk)): 1 for h in created}}
    )
    entry = AuditEntry.objects.get(source=job.audit_source, object_id=str(created[0].pk))
    assert entry.actor == job.created_by and entry.reason == job.audit_reason
    assert entry.after == {
        "village": created[0].village.code,
        "head_name": created[0].head_name,
        "members": created[0].members,
        "is_active": created[0].is_active,
    }
    history = client.get(reverse("registry:household", args=[created[0].code])).content.decode()
    with translation.override(settings.LANGUAGE_CODE):
        assert str(ACTION_LABELS["household.create"]) in history
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    for household in Household.objects.all():
        assert f'href="{reverse("registry:household", args=[household.code])}"' in page


def test_the_job_page_lists_the_records_a_page_at_a_time(upload, commit):
    rows = [["", "01837-001", "", f"Hoàng Văn {number}", 4, "Có"] for number in range(60)]
    client, job = upload("households", households.workbook(rows))
    job = commit(client, job)
    assert AuditEntry.objects.filter(source=job.audit_source, action="household.create").count() == 60
    first = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    second = client.get(reverse("imports:job", args=[job.pk]), {"page": 2}).content.decode()
    assert first.count("/households/01837-001-") == 50 and second.count("/households/01837-001-") == 10
    assert "1 / 2" in first and "2 / 2" in second


@pytest.mark.parametrize(
    ("kind", "rows", "model", "page"),
    [
        ("clans", clans_and_units.CLAN_ROWS, Clan, "registry:clan"),
        ("units", clans_and_units.UNIT_ROWS, Organisation, "registry:organisation"),
    ],
)
def test_every_imported_clan_or_unit_has_one_entry_of_the_job(upload, commit, kind, rows, model, page):
    client, job = upload(kind, clans_and_units.workbook(kind, rows))
    job = commit(client, job)
    name = model._meta.model_name
    assert entries_per_record(job, model) == Counter(
        {(f"{name}.create", str(pk)): 1 for pk in model.objects.values_list("pk", flat=True)}
    )
    page_html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    for code in model.objects.values_list("code", flat=True):
        assert reverse(page, args=[code]) in page_html
    changed = [
        [code, *row[1:]]
        for code, row in zip(model.objects.order_by("code").values_list("code", flat=True), rows, strict=False)
    ]
    changed[0][3] = changed[0][3] + " mới"
    client, again = upload(kind, clans_and_units.workbook(kind, changed))
    again = commit(client, again)
    assert again.counts["update"] == 1
    assert sum(entries_per_record(again, model).values()) == 1


def test_every_imported_area_year_association_and_association_year_has_one_entry_of_the_job(
    upload, commit, reform_year
):
    area_rows = [
        ["01843", "Phường Bắc Kạn", reform_year, 8421, 2310, "", 12, 36_000_000],
        ["01837", "Phường Sông Cầu", 2020, 5000, "", "", "", ""],
        ["01843", "Phường Phùng Chí Kiên", 2020, 3000, 800, 150_000_000, "", ""],
    ]
    client, job = upload("area_years", network.workbook(network.AREA_HEADER, area_rows))
    job = commit(client, job)
    assert entries_per_record(job, AreaYear) == Counter(
        {("area_year.save", str(pk)): 1 for pk in AreaYear.objects.values_list("pk", flat=True)}
    )
    assert AreaYear.objects.count() == 3
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert reverse("registry:network", args=["2025", "01843"]) in page

    rows = [
        ["01843", "", "Hội Khuyến học cấp xã", "Hội Khuyến học Phường Bắc Kạn", reform_year, *network.COUNTS.values()]
    ]
    client, job = upload("association_years", network.workbook(network.ASSOCIATION_HEADER, rows))
    job = commit(client, job)
    association, year = Association.objects.get(), AssociationYear.objects.get()
    assert entries_per_record(job, Association) == Counter({("association.create", str(association.pk)): 1})
    assert entries_per_record(job, AssociationYear) == Counter({("association_year.save", str(year.pk)): 1})
