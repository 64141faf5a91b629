"""A village picked by typing part of its name, in a real browser, on a phone (issue 14): the list
names each village with its commune, the field then shows the name and the form sends the code."""

import os
import tempfile
from pathlib import Path

import pytest

from registry.models import Household

from .helpers import sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]


def test_a_commune_officer_adds_a_household_picking_the_village_by_name_on_a_phone(
    browser,
    live_server,
    commune_officer,
):
    folder = Path(os.environ.get("KHUYENHOC_WALK_SCREENSHOTS") or tempfile.mkdtemp(prefix="khuyenhoc-picker-"))
    page = browser.new_page(viewport={"width": 360, "height": 740})
    refused = []
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "xa.backan")
    page.fill("input[name=password]", "mat-khau-xa-1")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/registry/households/new/")

    field = page.locator("main .picker input:not([type=hidden])").first
    field.fill("song cau")  # no diacritics
    option = page.locator(".picker-option", has_text="Tổ dân phố Sông Cầu 1")
    option.wait_for()
    assert "Phường Bắc Kạn" in option.inner_text()  # the commune beside the village
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"the list of matches makes the page {overflow}px wider than the phone"
    page.screenshot(path=str(folder / "picker-open-phone.png"), full_page=True)
    option.click()
    assert field.input_value() == "Tổ dân phố Sông Cầu 1 · Phường Bắc Kạn"

    page.fill("input[name=head_name]", "Hoàng Văn An")
    page.fill("input[name=members]", "4")
    page.click("main form button[type=submit]:not([name])")
    page.wait_for_url("**/registry/households/?village=01837-001")
    assert Household.objects.get().village.code == "01837-001"

    page.goto(f"{live_server.url}/registry/households/new/")
    field = page.locator("main .picker input:not([type=hidden])").first
    field.fill("khong co thon nay")
    page.locator(".picker-none").wait_for()
    assert "Không tìm thấy thôn" in page.locator(".picker-none").inner_text()

    # Several villages: each picked one is listed with a button that takes it off again.
    page.goto(f"{live_server.url}/registry/clans/new/")
    search = page.locator(".picker-many input:not([type=hidden])")
    search.fill("song cau")
    page.locator(".picker-many .picker-option").first.click()
    chosen = page.locator(".picker-chosen .picker-chip")
    assert chosen.count() == 1 and "Tổ dân phố Sông Cầu 1 · Phường Bắc Kạn" in chosen.first.inner_text()
    assert page.locator(".picker-many input[type=hidden]").input_value() == "01837-001"
    page.screenshot(path=str(folder / "picker-many-phone.png"), full_page=True)
    chosen.first.locator("button").click()
    assert chosen.count() == 0 and page.locator(".picker-many input[type=hidden]").input_value() == ""
    assert refused == [] and errors == []
    page.close()
