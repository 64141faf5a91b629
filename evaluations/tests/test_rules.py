"""The rules of the evaluation year as data: a system administrator sets the national defaults of which
level approves each title (per tree and years) and the deadlines, a province officer their province's
own (see test_rules_by_province); the approving level follows at once; overlapping years, a
level the tree does not have, and a deletion leaving evaluated years without an approver are
refused; everyone else reads the page without buttons and is refused on every change."""

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from audit.models import AuditEntry
from evaluations import rules, services
from evaluations.models import ApproverRule, Deadline
from registry import services as registry_services

pytestmark = pytest.mark.django_db

RULES_PAGE = reverse("evaluations:rules")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def rule_of(title, tree, from_year):
    return ApproverRule.objects.get(title=title, tree=tree, from_year=from_year)


@pytest.fixture
def officer(admin_user):
    """The national defaults are kept by system administrators."""
    return admin_user


@pytest.fixture
def evaluated(personas, admin_user, villages, household_set, reform_year):
    """A household of the 2025 tree registered in the reform year."""
    household = registry_services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )
    return services.evaluation_register(
        actor=personas["village_officer"],
        title="household",
        year=reform_year,
        subject=household,
        criteria_set=household_set,
    )


def test_a_rule_added_by_a_province_officer_decides_the_next_approving_level(officer):
    with pytest.raises(ValidationError) as error:
        services.approver_level("household", 2012, "pre2025")
    assert error.value.code == "no_approver"
    rules.approver_rule_save(actor=officer, title="household", tree="pre2025", from_year=2010, to_year=2014, level=2)
    assert services.approver_level("household", 2012, "pre2025") == 2


def test_the_province_hands_the_commune_title_to_the_commune_level_from_a_year_on(officer, reform_year):
    current = rule_of("commune", "2025", reform_year)
    rules.approver_rule_save(
        actor=officer,
        rule=current,
        version=current.version,
        title="commune",
        tree="2025",
        from_year=reform_year,
        to_year=reform_year + 1,
        level=1,
    )
    rules.approver_rule_save(
        actor=officer, title="commune", tree="2025", from_year=reform_year + 2, to_year=None, level=3
    )
    assert services.approver_level("commune", reform_year + 1, "2025") == 1
    assert services.approver_level("commune", reform_year + 2, "2025") == 3


def test_overlapping_years_of_one_title_and_tree_are_refused(officer):
    count = ApproverRule.objects.count()
    with pytest.raises(ValidationError) as error:
        rules.approver_rule_save(
            actor=officer, title="household", tree="pre2025", from_year=2020, to_year=2022, level=2
        )
    assert error.value.error_dict["from_year"][0].code == "overlap"
    assert ApproverRule.objects.count() == count


def test_a_level_the_tree_does_not_have_is_refused(officer, reform_year):
    with pytest.raises(ValidationError) as error:
        rules.approver_rule_save(
            actor=officer, title="clan", tree="2025", from_year=reform_year + 5, to_year=None, level=2
        )
    assert error.value.error_dict["level"][0].code == "level_not_on_tree"


def test_years_outside_the_tree_or_in_the_wrong_order_are_refused(officer, reform_year):
    with pytest.raises(ValidationError) as error:
        rules.approver_rule_save(
            actor=officer, title="household", tree="pre2025", from_year=2010, to_year=reform_year, level=3
        )
    assert error.value.error_dict["to_year"][0].code == "tree_span"
    with pytest.raises(ValidationError) as error:
        rules.approver_rule_save(
            actor=officer, title="household", tree="pre2025", from_year=2014, to_year=2010, level=3
        )
    assert error.value.error_dict["to_year"][0].code == "years_order"


def test_deleting_the_only_rule_covering_evaluated_years_is_refused(officer, evaluated, reform_year):
    covering = rule_of("household", "2025", 2025)
    with pytest.raises(ValidationError) as error:
        rules.approver_rule_delete(actor=officer, rule=covering, version=covering.version)
    assert error.value.error_dict["__all__"][0].code == "uncovered"
    assert ApproverRule.objects.filter(pk=covering.pk).exists()
    with pytest.raises(ValidationError) as error:
        rules.approver_rule_save(
            actor=officer,
            rule=covering,
            version=covering.version,
            title="household",
            tree="2025",
            from_year=reform_year + 1,
            to_year=None,
            level=3,
        )
    assert error.value.error_dict["__all__"][0].code == "uncovered"
    assert rule_of("household", "2025", 2025).level == 3
    rules.approver_rule_delete(actor=officer, rule=rule_of("household", "pre2025", 2015), version=1)
    assert not ApproverRule.objects.filter(title="household", tree="pre2025").exists()


def test_deadlines_are_saved_once_per_title_year_and_kind(officer, client_for, personas, reform_year):
    due = date(reform_year + 1, 2, 28)
    deadline = rules.deadline_save(actor=officer, title="commune", year=reform_year, kind="dossier", due=due)
    with pytest.raises(ValidationError) as error:
        rules.deadline_save(
            actor=officer, title="commune", year=reform_year, kind="dossier", due=date(reform_year + 1, 3, 1)
        )
    assert error.value.error_dict["kind"][0].code == "duplicate"
    with pytest.raises(ValidationError) as error:
        rules.deadline_save(
            actor=officer, title="commune", year=reform_year, kind="decision", due=date(reform_year - 1, 12, 31)
        )
    assert error.value.error_dict["due"][0].code == "before_year"
    moved = rules.deadline_save(
        actor=officer,
        deadline=deadline,
        version=deadline.version,
        title="commune",
        year=reform_year,
        kind="dossier",
        due=date(reform_year + 1, 3, 15),
    )
    assert Deadline.objects.get().due == moved.due == date(reform_year + 1, 3, 15)
    response = english(client_for(personas["viewer"])).get(RULES_PAGE)
    with translation.override("en"):
        assert date_format(moved.due, "SHORT_DATE_FORMAT") in response.content.decode()


def test_the_province_officer_changes_the_rules_through_the_page(personas, client_for, reform_year):
    client = english(client_for(personas["province_officer"]))
    page = client.get(RULES_PAGE).content.decode()
    assert f'href="{RULES_PAGE}"' in page
    assert reverse("evaluations:approver_rule_create") in page and reverse("evaluations:deadline_create") in page
    with translation.override("en"):
        assert "After the 2025 reform" in page
    new_rule = {"title": "household", "tree": "2025", "from_year": reform_year + 1, "to_year": "", "level": 1}
    added = client.post(reverse("evaluations:approver_rule_create"), new_rule)
    assert added.status_code == 302 and rule_of("household", "2025", reform_year + 1).level == 1
    refused = client.post(
        reverse("evaluations:approver_rule_create"),
        {"title": "clan", "tree": "2025", "from_year": reform_year + 5, "level": 2},
    )
    assert refused.status_code == 200 and "level" in refused.context["form"].errors
    saved = client.post(
        reverse("evaluations:deadline_create"),
        {"title": "household", "year": reform_year, "kind": "registration", "due": f"{reform_year}-01-31"},
    )
    assert saved.status_code == 302
    deadline = Deadline.objects.get()
    delete = reverse("evaluations:deadline_delete", args=[deadline.pk])
    assert client.post(delete, {"version": deadline.version}).status_code == 302
    assert not Deadline.objects.exists()


@pytest.mark.parametrize("persona", ["commune_officer", "viewer"])
def test_others_read_the_rules_without_buttons_and_are_refused_any_change(
    persona, personas, officer, client_for, reform_year
):
    deadline = rules.deadline_save(
        actor=officer, title="household", year=reform_year, kind="registration", due=date(reform_year, 1, 31)
    )
    rule = rule_of("household", "pre2025", 2015)
    client = client_for(personas[persona])
    response = client.get(RULES_PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{RULES_PAGE}"' not in page  # the menu offers the page to those who change it
    assert reverse("evaluations:approver_rule_create") not in page
    assert reverse("evaluations:deadline_create") not in page
    assert reverse("evaluations:approver_rule_delete", args=[rule.pk]) not in page
    assert reverse("evaluations:deadline_delete", args=[deadline.pk]) not in page
    posts = [
        (
            reverse("evaluations:approver_rule_create"),
            {"title": "household", "tree": "pre2025", "from_year": 2010, "to_year": 2014, "level": 2},
        ),
        (
            reverse("evaluations:approver_rule", args=[rule.pk]),
            {"title": "household", "tree": "pre2025", "from_year": 2015, "level": 1},
        ),
        (reverse("evaluations:approver_rule_delete", args=[rule.pk]), {}),
        (
            reverse("evaluations:deadline_create"),
            {"title": "clan", "year": reform_year, "kind": "registration", "due": f"{reform_year}-01-31"},
        ),
        (reverse("evaluations:deadline_delete", args=[deadline.pk]), {}),
    ]
    assert [client.post(url, data).status_code for url, data in posts] == [403] * len(posts)
    assert rule_of("household", "pre2025", 2015).level == 3 and Deadline.objects.count() == 1
    with pytest.raises(PermissionDenied):
        rules.approver_rule_delete(actor=personas[persona], rule=rule, version=rule.version)


def test_the_rules_page_asks_to_sign_in(client_for):
    assert client_for(None).get(RULES_PAGE).status_code == 302


def test_every_change_of_the_rules_writes_an_audit_row(officer, reform_year):
    rule = rules.approver_rule_save(
        actor=officer, title="household", tree="pre2025", from_year=2010, to_year=2014, level=2
    )
    rules.approver_rule_delete(actor=officer, rule=rule, version=rule.version)
    deadline = rules.deadline_save(
        actor=officer, title="household", year=reform_year, kind="registration", due=date(reform_year, 1, 31)
    )
    rules.deadline_delete(actor=officer, deadline=deadline, version=deadline.version)
    entries = AuditEntry.objects.filter(actor=officer).order_by("id")
    assert list(entries.values_list("action", flat=True)) == [
        "approver_rule.save",
        "approver_rule.delete",
        "deadline.save",
        "deadline.delete",
    ]
    assert entries[0].after["level"] == 2 and entries[1].before["from_year"] == 2010
