"""Journey: a province officer opens the province's dashboard on an office screen, drills down to a
commune (the link under the ranking), downloads the titles chart's CSV and finds in it the numbers the
figures API gives for that commune; the same on a 360 px phone without sideways scrolling. The
browser reports no refusal by the content security policy (no inline script, charts from our own
static files). Screenshots of each step are kept in $JOURNEY_ARTEFACTS (a temporary folder when unset).

A live server empties the database when the test ends: the test loads the units it needs itself.
"""

import csv
import io
import os
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree
from registry import network
from stats import services

from .helpers import SCREENS, sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-tinh-1"


@pytest.fixture
def province_officer():
    """Phường Bắc Kạn (Thái Nguyên, 2025 tree): 400 households, 150 recognised in the reform year."""
    load_administrative_units()
    admin = User.objects.create_user("admin", password="x", role=Role.SYSTEM_ADMIN)
    commune = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    year = settings.KHUYENHOC_REFORM_YEAR
    network.area_year_save(actor=admin, area=commune, year=year, households=400)
    services.aggregate_save(actor=admin, unit=commune, year=year, title="household", measure="recognised", value=150)
    province = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="19")
    return User.objects.create_user("tinh.thainguyen", password=PASSWORD, role=Role.PROVINCE_OFFICER, unit=province)


@pytest.fixture
def artefacts(tmp_path):
    folder = Path(os.environ.get("JOURNEY_ARTEFACTS") or tmp_path) / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page, url):
    """Open the home page signed out, sign in on the login page it leads to, and wait to be brought back
    to the home page: waiting for the load state alone could return before the sign-in's navigation
    began, and the next goto would then interrupt it."""
    page.goto(f"{url}/")
    page.fill("input[name=username]", "tinh.thainguyen")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


@pytest.mark.parametrize("screen", SCREENS)
def test_an_officer_drills_to_a_commune_and_its_csv_holds_the_figures_api_numbers(
    browser,
    live_server,
    province_officer,
    artefacts,
    screen,
):
    year = settings.KHUYENHOC_REFORM_YEAR
    page = browser.new_page(viewport=SCREENS[screen] if screen == "office" else {"width": 360, "height": 740})
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}/dashboards/?area=2025:19&year={year}")
    assert "Tỉnh Thái Nguyên" in page.locator("h1").inner_text()
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length > 0 && window.Chart !== undefined")
    page.screenshot(path=str(artefacts / f"1-province-{screen}.png"), full_page=True)
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"

    with page.expect_navigation():
        page.click("ul.drill a:text('Phường Bắc Kạn')")
    assert "Phường Bắc Kạn" in page.locator("h1").inner_text()
    household = page.locator("table.lights tr", has_text="Gia đình học tập").inner_text()
    assert "37,5%" in household and "150 / 400" in household
    page.screenshot(path=str(artefacts / f"2-commune-{screen}.png"), full_page=True)

    page.click("details[data-table=titles] summary")
    with page.expect_download() as download:
        page.click("a[data-csv=titles]")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    through_api = page.request.get(f"{live_server.url}/api/v1/statistics/figures/?area=2025:01843&year={year}").json()
    values = {(r["title"], r["measure"]): r["value"] for r in through_api["results"]}
    assert rows["Gia đình học tập"][1:3] == [
        str(values[("household", "base")]),
        str(values[("household", "recognised")]),
    ]
    assert rows["Gia đình học tập"][1:3] == ["400", "150"]
    page.screenshot(path=str(artefacts / f"3-numbers-{screen}.png"), full_page=True)
    assert refused == []
    page.close()
