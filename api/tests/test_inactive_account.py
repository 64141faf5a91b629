"""An account set inactive sees nothing (issue 16): every scoped queryset of the project is empty for
it, a session it had open no longer opens a page, a download or an API route, its API token is
refused, and its password no longer logs in. Its manager deactivates it through the accounts service."""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from accounts.tokens import token_issue
from api.tests.test_village_officer_scope import NAMES_A, commune  # noqa: F401  (the shared fixture)
from conftest import PASSWORD, unit
from registry import services as registry_services

pytestmark = pytest.mark.django_db


def scoped_models():
    """Every model whose manager offers `visible_to`: found, not listed, so a new one is held to it."""
    return [model for model in apps.get_models() if hasattr(model._default_manager, "visible_to")]


def deactivate(personas, name) -> User:
    account = personas[name]
    # Its manager: the province officer for the levels below, the system administrator for them.
    manager = User.objects.get(username="sysadmin") if name == "province_officer" else personas["province_officer"]
    account_services.account_update(
        actor=manager,
        account=account,
        full_name=account.full_name,
        role=account.role,
        unit=account.unit,
        village=account.village,
        is_active=False,
    )
    return User.objects.get(pk=account.pk)


@pytest.fixture
def world(commune, admin_user, villages):  # noqa: F811
    """The commune's households, evaluations and published decision, and a clan and a unit."""
    registry_services.clan_save(
        actor=admin_user,
        clan=None,
        commune=unit("2025", "01843"),
        name="Họ Nông",
        head_name="Nông Văn Tộc",
        member_households=9,
        has_board=True,
        villages=[villages["song_cau_1"]],
    )
    return commune


def test_the_project_has_scoped_models_to_check():
    names = {model._meta.label for model in scoped_models()}
    assert {"registry.Household", "registry.Clan", "evaluations.Evaluation", "areas.Village"} <= names


@pytest.mark.parametrize("persona", ["province_officer", "commune_officer", "village_officer"])
def test_every_scoped_queryset_is_empty_for_an_inactive_account(personas, world, persona):
    active = User.objects.get(pk=personas[persona].pk)
    seen_before = {m._meta.label: m._default_manager.visible_to(active).count() for m in scoped_models()}
    assert seen_before["registry.Household"] > 0 and seen_before["evaluations.Evaluation"] > 0
    inactive = deactivate(personas, persona)
    seen = {m._meta.label: m._default_manager.visible_to(inactive).count() for m in scoped_models()}
    assert seen == dict.fromkeys(seen, 0)


def pages(data):
    decision = data["decision"]
    return [
        reverse("registry:households"),
        reverse("registry:household_export", args=["csv"]),
        reverse("registry:clans"),
        reverse("registry:clan_export", args=["xlsx"]),
        f"{reverse('evaluations:list')}?year={data['year']}",
        reverse("evaluations:decision", args=[decision.pk]),
        f"{reverse('stats:overview')}?area=2025:01843&year={data['year']}",
    ]


def api_routes(data):
    evaluation = data["evaluations"][NAMES_A[0]]
    return [
        "/api/v1/households/",
        f"/api/v1/households/{evaluation.household.code}/",
        "/api/v1/clans/",
        f"/api/v1/evaluations/{evaluation.pk}/",
        f"/api/v1/decisions/{data['decision'].pk}/",
        f"/api/v1/statistics/figures/?area=2025:01843&year={data['year']}",
    ]


@pytest.mark.parametrize("persona", ["commune_officer", "village_officer"])
def test_a_session_open_when_the_account_is_deactivated_sees_nothing(client, personas, world, persona):
    client.force_login(personas[persona])
    for url in pages(world) + api_routes(world):
        assert client.get(url).status_code == 200, url
    deactivate(personas, persona)
    login = reverse("accounts:login")
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(login), url
    for url in api_routes(world):
        response = client.get(url)
        assert response.status_code in (401, 403), url
        assert NAMES_A[0] not in response.content.decode(), url


def test_an_inactive_accounts_token_is_refused_in_vietnamese(client, personas, world):
    officer = personas["commune_officer"]
    _token, key = token_issue(actor=officer, account=officer)
    headers = {"HTTP_AUTHORIZATION": f"Token {key}", "HTTP_ACCEPT_LANGUAGE": "vi"}
    assert client.get("/api/v1/households/", **headers).status_code == 200
    deactivate(personas, "commune_officer")
    for url in api_routes(world):
        response = client.get(url, **headers)
        assert response.status_code in (401, 403), url
        assert NAMES_A[0] not in response.content.decode(), url
    assert "không còn hoạt động" in client.get("/api/v1/households/", **headers).json()["detail"]


def test_an_inactive_accounts_password_no_longer_logs_in(client, personas, world):
    deactivate(personas, "commune_officer")
    response = client.post(reverse("accounts:login"), {"username": "c.backan", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post("/api/v1/auth/token/", {"username": "c.backan", "password": PASSWORD})
    assert response.status_code in (400, 401, 403) and "key" not in response.content.decode()
