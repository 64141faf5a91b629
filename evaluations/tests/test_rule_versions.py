"""No lost update of an approving level or a deadline: the edit form carries the version it showed and
the list's removal buttons name the version they show; a save, a province's copy of a default, or a
removal made after someone else's change is refused with “đã bị người khác sửa”, changes nothing,
writes no history, and the page shows the rule as it is stored now. The PostgreSQL race:
evaluations/tests/test_rule_race.py."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from core.versions import StaleVersion
from evaluations import rules
from evaluations.models import ApproverRule, Deadline

pytestmark = pytest.mark.django_db

STALE = "đã bị người khác sửa"
RULES_PAGE = reverse("evaluations:rules")


def national_rule():
    return ApproverRule.objects.get(title="household", tree="2025", from_year=2025, area=None)


RULE_BODY = {"title": "household", "tree": "2025", "from_year": 2025, "to_year": "", "level": 1}


@pytest.fixture
def deadline(admin_user, reform_year):
    return rules.deadline_save(
        actor=admin_user, title="household", year=reform_year, kind="registration", due=date(reform_year, 1, 31)
    )


def changed_meanwhile(admin_user, rule, level=1):
    return rules.approver_rule_save(
        actor=admin_user,
        rule=rule,
        version=rule.version,
        area=rule.area,
        title=rule.title,
        tree=rule.tree,
        from_year=rule.from_year,
        to_year=rule.to_year,
        level=level,
    )


def test_the_rule_form_carries_its_version_and_a_save_moves_it_on(client_for, admin_user):
    rule = national_rule()
    client = client_for(admin_user)
    url = reverse("evaluations:approver_rule", args=[rule.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    assert client.post(url, {**RULE_BODY, "version": "1"}).status_code == 302
    rule.refresh_from_db()
    assert (rule.level, rule.version) == (1, 2)
    entry = AuditEntry.objects.filter(action="approver_rule.save").latest("pk")
    assert (entry.before["level"], entry.after["level"]) == (3, 1)


@pytest.mark.parametrize("version", ["1", "", "abc", "٣"])
def test_a_stale_save_of_a_rule_is_refused_and_changes_nothing(client_for, admin_user, version):
    rule = changed_meanwhile(admin_user, national_rule())
    entries = AuditEntry.objects.count()
    url = reverse("evaluations:approver_rule", args=[rule.pk])
    response = client_for(admin_user).post(url, {**RULE_BODY, "level": 3, "version": version}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and STALE in page
    form = response.context["form"]  # the form again, with the rule as stored now
    assert (form.initial["level"], form.initial["version"]) == (1, 2) and 'name="version" value="2"' in page
    assert (national_rule().level, national_rule().version) == (1, 2)
    assert AuditEntry.objects.count() == entries


def test_a_province_copy_of_a_default_changed_meanwhile_is_refused(client_for, personas, admin_user):
    rule = changed_meanwhile(admin_user, national_rule())
    entries = AuditEntry.objects.count()
    url = reverse("evaluations:approver_rule", args=[rule.pk])
    response = client_for(personas["province_officer"]).post(url, {**RULE_BODY, "version": "1"}, follow=True)
    assert STALE in response.content.decode()
    assert not ApproverRule.objects.filter(area__isnull=False).exists() and AuditEntry.objects.count() == entries
    copied = client_for(personas["province_officer"]).post(url, {**RULE_BODY, "level": 3, "version": "2"})
    assert copied.status_code == 302 and ApproverRule.objects.get(area=personas["province_officer"].unit).level == 3


def test_a_stale_removal_of_a_rule_or_a_deadline_is_refused(client_for, personas, admin_user, deadline, reform_year):
    officer = personas["province_officer"]
    own = rules.approver_rule_save(
        actor=officer, area=officer.unit, title="household", tree="2025", from_year=2025, to_year=None, level=1
    )
    changed_meanwhile(admin_user, own, level=3)
    theirs = rules.deadline_save(
        actor=officer,
        area=officer.unit,
        title="household",
        year=reform_year,
        kind="registration",
        due=date(reform_year, 2, 1),
    )
    rules.deadline_save(
        actor=admin_user,
        deadline=theirs,
        version=1,
        area=officer.unit,
        title="household",
        year=reform_year,
        kind="registration",
        due=date(reform_year, 2, 15),
    )
    entries = AuditEntry.objects.count()
    client = client_for(officer)
    for name, record in (("approver_rule_delete", own), ("deadline_delete", theirs)):
        response = client.post(reverse(f"evaluations:{name}", args=[record.pk]), {"version": "1"}, follow=True)
        assert STALE in response.content.decode(), name
        assert type(record).objects.filter(pk=record.pk).exists()
    assert AuditEntry.objects.count() == entries
    page = client.get(RULES_PAGE).content.decode()
    assert page.count('name="version" value="2"') == 2  # the buttons name the versions now stored
    for name, record in (("approver_rule_delete", own), ("deadline_delete", theirs)):
        assert client.post(reverse(f"evaluations:{name}", args=[record.pk]), {"version": "2"}).status_code == 302
        assert not type(record).objects.filter(pk=record.pk).exists()


def test_a_stale_deadline_save_is_refused_by_the_service(admin_user, deadline, reform_year):
    values = {"title": "household", "year": reform_year, "kind": "registration", "due": date(reform_year, 3, 1)}
    moved = rules.deadline_save(actor=admin_user, deadline=deadline, version=1, **values)
    assert moved.version == 2
    with pytest.raises(StaleVersion):
        rules.deadline_save(
            actor=admin_user, deadline=deadline, version=1, **{**values, "due": date(reform_year, 4, 1)}
        )
    assert Deadline.objects.get(pk=deadline.pk).due == date(reform_year, 3, 1)
    with pytest.raises(StaleVersion):
        rules.deadline_delete(actor=admin_user, deadline=deadline, version=1)
    rules.deadline_delete(actor=admin_user, deadline=deadline, version=2)
    with pytest.raises(StaleVersion):  # removed meanwhile: told, not a 500
        rules.deadline_save(actor=admin_user, deadline=deadline, version=2, **values)
