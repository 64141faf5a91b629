"""Journeys in a real browser (Debian's Chromium, headless), on a phone and on an office screen.

These tests serve the app with a live server, which empties the database when each test ends;
they live last in the run and load the units they need themselves.
"""

import pytest

from .helpers import SCREENS, sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", SCREENS)
def test_a_commune_officer_logs_in_finds_a_village_and_switches_to_english(
    browser, live_server, commune_officer, screen, tmp_path
):
    page = browser.new_page(viewport=SCREENS[screen])
    # The content security policy must block nothing the pages need: the browser reports each refusal.
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.fill("input[name=username]", "xa.backan")
    page.fill("input[name=password]", "mat-khau-xa-1")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")  # the home page: what waits for them in their commune
    assert "Phường Bắc Kạn" in page.locator("h1").inner_text()

    page.fill("input[name=q]", "song cau 1")  # no diacritics; htmx fetches the results as one types
    result = page.locator("#search-results a", has_text="Tổ dân phố Sông Cầu 1")
    result.wait_for()
    result.click()
    page.wait_for_url("**/areas/villages/01837-001/")
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == 2  # old commune until the reform, the new one after
    assert "Phường Sông Cầu" in rows.nth(0).inner_text() and "Phường Bắc Kạn" in rows.nth(1).inner_text()

    overflow = sideways_overflow(page)
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on the {screen} screen"
    page.screenshot(path=str(tmp_path / f"village-{screen}.png"), full_page=True)

    menu = page.locator(".menu-toggle")
    if menu.is_visible():  # on a phone the language switch sits in the folded menu, as the other links
        menu.click()
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("h2").first.inner_text() == "Parent commune by period"
    assert "frame-ancestors 'none'" in page.request.get(page.url).headers["content-security-policy"]
    assert refused == []
    page.close()
