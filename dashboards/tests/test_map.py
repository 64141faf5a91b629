"""The map's data as the page's script reads it: every commune with coordinates that the user sees,
the same numbers as the map's table (its CSV), a link to each commune's dashboard; the whole country's
page loads it rather than carrying thousands of points, and a request it cannot answer gets its
Vietnamese message."""

import pytest
from django.urls import reverse

from areas import shares
from areas.models import AdministrativeUnit, Level, Tree
from conftest import unit
from dashboards import maps
from registry import network
from stats import mapping

from .test_dashboard import CHO_DON, history  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:dashboard")
MAP_DATA = reverse("dashboards:map_data")


def test_the_map_data_is_the_maps_table_with_a_link_to_each_commune(client_for, personas, history):  # noqa: F811
    client = client_for(personas["district_officer"])
    data = client.get(MAP_DATA, {"area": CHO_DON, "year": 2019}).json()
    board = client.get(PAGE, {"area": CHO_DON, "year": 2019}).context["board"]
    table = board.tables["map"].rows
    assert [area.split(":")[1] for area in data["area"]] == [row[0] for row in table]
    assert data["name"] == [row[1] for row in table]
    assert data["base"] == [row[4] for row in table]
    assert data["rate"] == [float(row[6]) if row[6] is not None else None for row in table]
    ban_thi = data["area"].index("pre2025:02035")
    assert (data["base"][ban_thi], data["rate"][ban_thi]) == (200, 51.0)  # 102 of 200 households
    assert data["colours"][data["c"][ban_thi]] == maps.colour_of(51)
    assert data["link"] + data["area"][ban_thi] == "/dashboards/?year=2019&title=household&area=pre2025:02035"
    assert data["label"] == "%(name)s: %(rate)s (tổng số %(base)s)"
    assert len(data["x"]) == len(data["y"]) == len(data["r"]) == len(table)


@pytest.mark.parametrize("tree", [Tree.PRE_2025, Tree.Y2025])
def test_the_whole_countrys_page_loads_every_commune_on_its_map(client_for, admin_user, history, tree):  # noqa: F811
    client = client_for(admin_user)
    response = client.get(PAGE, {"tree": tree, "year": 2019})
    html = response.content.decode()
    assert response.status_code == 200 and "data-map-url" in html
    assert "<circle" not in html  # thousands of points travel as data, not in the page
    data = client.get(MAP_DATA, {"tree": tree, "year": 2019}).json()
    drawn = AdministrativeUnit.objects.filter(tree=tree, level=Level.COMMUNE, latitude__isnull=False).count()
    assert len(data["area"]) == drawn > 1000
    assert len(data["size"]) == 2 and all(0 <= x <= data["size"][0] for x in data["x"])
    # The whole country's map table is the CSV, with the same communes.
    csv = client.get(reverse("dashboards:chart_csv"), {"chart": "map", "tree": tree, "year": 2019})
    assert len(b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()) == drawn + 1


def test_the_map_data_of_the_2025_tree_holds_the_old_years_mapped(client_for, personas, history):  # noqa: F811
    client = client_for(personas["province_officer"])
    data = client.get(MAP_DATA, {"area": "2025:19", "year": 2019}).json()
    assert sum(base for base in data["base"] if base) == 300  # Chợ Đồn's two communes, mapped onto new ones
    assert all(area.startswith("2025:") for area in data["area"])


@pytest.mark.parametrize(
    "persona, params, status, message",
    [
        ("other_district_officer", {"area": CHO_DON, "year": 2019}, 404, "ngoài phạm vi"),
        ("district_officer", {"area": CHO_DON, "year": "hai nghìn"}, 400, "nhập năm"),
        ("district_officer", {"area": CHO_DON, "year": 2025}, 404, "không thuộc cây đơn vị trước 2025"),
    ],
)
def test_a_map_request_it_cannot_answer_gets_a_vietnamese_message(
    client_for,
    personas,
    history,  # noqa: F811
    persona,
    params,
    status,
    message,
):
    response = client_for(personas[persona]).get(MAP_DATA, params)
    assert response.status_code == status
    assert message in response.json()["problem"]


def test_the_whole_countrys_mapped_year_reads_the_figures_an_areas_list_of_old_communes_does(
    client_for,
    admin_user,
    history,  # noqa: F811
    monkeypatch,
):
    """Its thousands of old communes are read through a join rather than sent as a list of ids: the
    same numbers."""
    client = client_for(admin_user)
    joined = client.get(MAP_DATA, {"tree": Tree.Y2025, "year": 2019}).json()
    assert AdministrativeUnit.objects.filter(tree=Tree.PRE_2025, level=Level.COMMUNE).count() > (
        mapping._LISTED_OLD_UNITS
    )
    monkeypatch.setattr(mapping, "_LISTED_OLD_UNITS", 100_000)
    listed = client.get(MAP_DATA, {"tree": Tree.Y2025, "year": 2019}).json()
    assert joined == listed
    assert sum(base for base in joined["base"] if base) == 300  # Chợ Đồn's two communes


def test_the_map_of_a_mapped_year_follows_a_divided_communes_shares_at_once(client_for, admin_user):
    """The splits of the old communes are kept between requests, and read again when a share changes."""
    old = unit(Tree.PRE_2025, "00007")  # Cống Vị: to Giảng Võ (00025) and to Ngọc Hà (00008, its default)
    network.area_year_save(actor=admin_user, area=old, year=2018, households=1001)
    client = client_for(admin_user)

    def bases():
        data = client.get(MAP_DATA, {"area": "2025:01", "year": 2018}).json()
        return tuple(data["base"][data["area"].index(f"2025:{code}")] for code in ("00025", "00008"))

    assert bases() == (None, 1001)
    shares.divided_shares_save(
        actor=admin_user, old_commune=old, basis="households", whole=3000, counts={"00025": 1000, "00008": 2000}
    )
    assert bases() == (334, 667)
    shares.divided_shares_clear(actor=admin_user, old_commune=old)
    assert bases() == (None, 1001)
