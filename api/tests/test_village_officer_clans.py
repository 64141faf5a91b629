"""A clan's head is a person (issue 16, item 3): a village officer sees the clans their village
belongs to — registered at their commune or, as a clan may span communes, at another one — and no
other clan of the commune, on the pages, the downloads and the API alike. The commune officer still
sees every clan registered at the commune. Units are agencies and schools, not persons: a village
officer reads their commune's as before."""

import pytest
from django.urls import reverse

from api.tests.test_village_officer_scope import text_of
from conftest import unit
from registry import services as registry_services

pytestmark = pytest.mark.django_db

# (clan, its head, the villages it spans, registered at): the village officer's village is song_cau_1.
CLANS = {
    "ours": ("Họ Nông làng trên", "Nông Văn Tộc", ["song_cau_1", "song_cau_2"], "01843"),
    "neighbours": ("Họ Hà xóm dưới", "Hà Văn Trưởng", ["song_cau_2"], "01843"),
    "unplaced": ("Họ Lục chưa ghi thôn", "Lục Văn Niên", [], "01843"),
    # Registered at Xã Đức Xuân, with members in the officer's village too.
    "across": ("Họ Triệu liên xã", "Triệu Văn Liên", ["song_cau_1"], "01840"),
}
SEEN_BY_VILLAGE = {"ours", "across"}
SEEN_BY_COMMUNE = {"ours", "neighbours", "unplaced"}


@pytest.fixture
def clans(admin_user, villages):
    return {
        key: registry_services.clan_save(
            actor=admin_user,
            clan=None,
            commune=unit("2025", commune),
            name=name,
            head_name=head,
            member_households=12,
            has_board=False,
            villages=[villages[v] for v in spanned],
        )
        for key, (name, head, spanned, commune) in CLANS.items()
    }


LIST_ROUTES = {
    "clans page": lambda: reverse("registry:clans"),
    "clans xlsx": lambda: reverse("registry:clan_export", args=["xlsx"]),
    "clans csv": lambda: reverse("registry:clan_export", args=["csv"]),
    "API clans": lambda: "/api/v1/clans/",
}
# The list page names clans; the downloads and the API name their heads too.
SHOWS_HEADS = {"clans xlsx", "clans csv", "API clans"}


def shown_clans(response, route) -> set[str]:
    assert response.status_code == 200, response.status_code
    text = text_of(response)
    found = set()
    for key, (name, head, _villages, _commune) in CLANS.items():
        if name in text:
            found.add(key)
            assert route not in SHOWS_HEADS or head in text, (route, key)
        else:
            assert head not in text, (route, key)
    return found


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_a_village_officer_lists_only_the_clans_of_their_village(client_for, personas, clans, route):
    response = client_for(personas["village_officer"]).get(LIST_ROUTES[route]())
    assert shown_clans(response, route) == SEEN_BY_VILLAGE


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_the_commune_officer_lists_every_clan_registered_at_the_commune(client_for, personas, clans, route):
    response = client_for(personas["commune_officer"]).get(LIST_ROUTES[route]())
    assert shown_clans(response, route) == SEEN_BY_COMMUNE


def test_filters_do_not_widen_a_village_officers_clans(client_for, personas, clans):
    """Asking by the commune or by a name finds nothing the list would not show."""
    client = client_for(personas["village_officer"])
    by_commune = client.get("/api/v1/clans/", {"commune": "2025:01843"}).json()["results"]
    assert {c["code"] for c in by_commune} == {clans["ours"].code}
    by_name = client.get(reverse("registry:clan_export", args=["csv"]), {"q": "Hà xóm"})
    assert shown_clans(by_name, "clans csv") == set()


def clan_routes(code):
    return [
        reverse("registry:clan", args=[code]),
        f"/api/v1/clans/{code}/",
        f"/api/v1/clans/{code}/history/",
    ]


def test_a_clan_of_the_village_opens_with_its_head_and_history(client_for, personas, clans):
    client = client_for(personas["village_officer"])
    for key in SEEN_BY_VILLAGE:
        clan = clans[key]
        for url in clan_routes(clan.code):
            response = client.get(url)
            assert response.status_code == 200, url
            assert clan.head_name in text_of(response), url


def test_another_clan_of_the_commune_is_not_found(client_for, personas, clans):
    client = client_for(personas["village_officer"])
    for key in ("neighbours", "unplaced"):
        for url in clan_routes(clans[key].code):
            response = client.get(url)
            assert response.status_code == 404, url
            assert clans[key].head_name not in text_of(response), url


def test_a_clan_that_leaves_the_village_leaves_the_village_officers_sight(client_for, personas, clans, villages):
    """The commune officer takes the village off a clan: from then on the village officer is told
    nothing of it."""
    officer = personas["commune_officer"]
    clan = clans["ours"]
    registry_services.clan_save(
        actor=officer,
        clan=clan,
        version=clan.version,
        commune=clan.commune,
        name=clan.name,
        head_name=clan.head_name,
        member_households=clan.member_households,
        has_board=clan.has_board,
        villages=[villages["song_cau_2"]],
    )
    client = client_for(personas["village_officer"])
    assert client.get(f"/api/v1/clans/{clan.code}/").status_code == 404
    assert shown_clans(client.get("/api/v1/clans/"), "API clans") == {"across"}


def test_a_village_officer_reads_their_communes_units(client_for, personas, admin_user):
    """Units are not persons: a village officer sees the units managed at their commune (and no
    other commune's), on the page, the download and the API."""
    made = {
        place: registry_services.organisation_save(
            actor=admin_user,
            organisation=None,
            name=name,
            kind="school",
            managing_level="commune",
            area=unit("2025", code),
        )
        for place, name, code in (
            ("own", "Trường Tiểu học Sông Cầu", "01843"),
            ("other", "Trường Tiểu học Đức Xuân", "01840"),
        )
    }
    client = client_for(personas["village_officer"])
    for url in (
        reverse("registry:organisations"),
        reverse("registry:organisation_export", args=["csv"]),
        "/api/v1/organisations/",
    ):
        text = text_of(client.get(url))
        assert made["own"].name in text and made["other"].name not in text, url
    assert client.get(f"/api/v1/organisations/{made['other'].code}/").status_code == 404
