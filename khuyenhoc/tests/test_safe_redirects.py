"""A page sends the browser back only to the site itself: a `next` naming another site — as a link in a
phishing mail would — is ignored, on the login page, the language switch and every form that returns
to the page it came from (issue 16: safe output)."""

import pytest
from django.urls import reverse

from conftest import PASSWORD, unit
from stats import services

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "https://evil.example/dang-nhap",
    "//evil.example/",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "https:///evil.example",
    "/\\evil.example",
]
# Not another site, but no page's path either: `redirect` would take them for the names of routes.
NOT_A_PATH = ["x", "-1", "0", "stats:entered", "entered/?year=2025"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_logging_in_never_leads_to_another_site(client, personas, target):
    response = client.post(
        f"{reverse('accounts:login')}?next={target}", {"username": "c.backan", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_logging_in_returns_to_the_page_asked_for(client, personas):
    target = "/registry/households/?village=01837-001"
    response = client.post(reverse("accounts:login"), {"username": "c.backan", "password": PASSWORD, "next": target})
    assert response.url == target


@pytest.mark.parametrize("target", ELSEWHERE)
def test_switching_language_never_leads_to_another_site(client, target):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert response.url == "/"


@pytest.fixture
def entered(personas, reform_year):
    return services.aggregate_save(
        actor=personas["commune_officer"],
        unit=unit("2025", "01843"),
        year=reform_year,
        title="household",
        measure="registered",
        value=12,
    )


@pytest.mark.parametrize("target", ELSEWHERE + NOT_A_PATH)
def test_removing_an_entered_total_never_leads_to_another_site(client_for, personas, entered, target):
    client = client_for(personas["commune_officer"])
    response = client.post(
        reverse("stats:entered_delete", args=[entered.pk]), {"next": target, "version": entered.version}
    )
    assert response.status_code == 302
    assert response.url == reverse("stats:entered")


def test_removing_an_entered_total_returns_to_the_filtered_list(client_for, personas, entered):
    client = client_for(personas["commune_officer"])
    target = f"{reverse('stats:entered')}?area=2025:01843&year=2025"
    response = client.post(
        reverse("stats:entered_delete", args=[entered.pk]), {"next": target, "version": entered.version}
    )
    assert response.url == target
