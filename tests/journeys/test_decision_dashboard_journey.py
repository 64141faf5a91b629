"""Journey: publishing a recognition decision changes the dashboard at once. The commune officer sees on
the commune's dashboard that none of its 10 households is recognised yet, publishes the decision that
recognises two of them on its page, and the dashboard then reads 2 of 10 (20%) — no rebuild, no wait.
Revoking the decision takes them off again. Screenshots in $JOURNEY_ARTEFACTS (a temporary folder when
unset)."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from areas.models import AdministrativeUnit, Tree, Village
from conftest import put_back_what_migrations_bring
from evaluations.models import DecisionStatus, RecognitionDecision
from evaluations.tests.certificate_helpers import approved_households, decision_of
from registry import network

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
OFFICE = {"width": 1366, "height": 768}


def households_row(page) -> str:
    return page.locator("table.lights tr", has_text="Gia đình học tập").inner_text()


def test_publishing_a_decision_changes_the_dashboard_at_once(
    browser,
    live_server,
    commune_officer,
    tmp_path,
):
    put_back_what_migrations_bring()  # the shipped criteria sets and approving levels
    folder = Path(os.environ.get("JOURNEY_ARTEFACTS") or tmp_path) / "decision-dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    year = settings.KHUYENHOC_REFORM_YEAR
    phuong = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    network.area_year_save(actor=commune_officer, area=phuong, year=year, households=10)
    village = Village.objects.get(name="Tổ dân phố Sông Cầu 1")
    recognised = approved_households(commune_officer, commune_officer, village, ["Lò Văn Hạnh", "Vi Thị Hoa"], year)
    draft = decision_of(commune_officer, recognised, year, issuing_area=phuong, publish=False)

    page = browser.new_page(viewport=OFFICE)
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "xa.backan")
    page.fill("input[name=password]", "mat-khau-xa-1")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    dashboard = f"{live_server.url}/dashboards/?area=2025:01843&year={year}"
    page.goto(dashboard)
    assert "— / 10" in households_row(page)  # nothing recognised yet: unknown, not a made-up 0
    page.screenshot(path=str(folder / "1-before.png"), full_page=True)

    page.goto(f"{live_server.url}/evaluations/decisions/{draft.pk}/")
    with page.expect_navigation():
        page.click("main button:text-is('Ban hành')")
    assert RecognitionDecision.objects.get().status == DecisionStatus.PUBLISHED

    page.goto(dashboard)
    row = households_row(page)
    assert "2 / 10" in row and "20,0%" in row
    page.screenshot(path=str(folder / "2-published.png"), full_page=True)

    page.goto(f"{live_server.url}/evaluations/decisions/{draft.pk}/")
    page.fill("textarea[name=reason]", "Lập sai danh sách")
    with page.expect_navigation():
        page.click("main button:text-is('Thu hồi quyết định')")
    page.goto(dashboard)
    row = households_row(page)
    assert "2 / 10" not in row and "20,0%" not in row
    page.screenshot(path=str(folder / "3-revoked.png"), full_page=True)
    page.close()
