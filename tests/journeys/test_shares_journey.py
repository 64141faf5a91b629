"""A province officer enters a divided commune's shares in a real browser, on a phone and on an office
screen, and a household's page loads its years of recognition (issue 15, items 4 and 7). No page
scrolls sideways on the phone."""

import os
import re

import pytest

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree, UnitSuccession

from .helpers import sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": {"width": 360, "height": 780}, "office": {"width": 1366, "height": 768}}
SHOTS = os.environ.get("KHUYENHOC_JOURNEY_SCREENSHOTS", "")


def shot(page, tmp_path, name):
    page.screenshot(path=os.path.join(SHOTS or str(tmp_path), f"{name}.png"), full_page=True)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_province_officer_enters_the_shares_of_a_divided_commune(browser, live_server, screen, tmp_path):
    load_administrative_units()
    User.objects.create_user(
        "tinh.hanoi",
        password="mat-khau-tinh-1",
        role=Role.PROVINCE_OFFICER,
        unit=AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01"),
    )
    page = browser.new_page(viewport=SCREENS[screen])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "tinh.hanoi")
    page.fill("input[name=password]", "mat-khau-tinh-1")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/areas/")
    shot(page, tmp_path, f"areas-{screen}")
    page.click("text=Tỷ lệ xã chia tách")
    page.wait_for_url("**/areas/shares/")
    page.fill("main input[name=q]", "cong vi")
    page.click("main form.toolbar button[type=submit]")
    page.wait_for_url(re.compile(r"/areas/shares/\?q=cong\+vi$"))  # the search's answer, not the list before it
    page.click("text=Phường Cống Vị")
    # The link leads to the commune's shares: measure that page once it shows, not the list it replaces.
    page.wait_for_url("**/areas/shares/00007/")
    page.wait_for_selector("select[name=basis]")
    assert sideways_overflow(page) <= 0
    page.select_option("select[name=basis]", "households")
    page.fill("input[name=whole]", "1.001")
    page.fill("input[name=count_00025]", "334")
    page.fill("input[name=count_00008]", "600")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_selector("text=Các phần cộng lại được 934")
    assert sideways_overflow(page) <= 0
    shot(page, tmp_path, f"shares-error-{screen}")
    page.fill("input[name=count_00008]", "667")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_selector("text=Đã lưu tỷ lệ của Phường Cống Vị")
    assert sideways_overflow(page) <= 0
    shot(page, tmp_path, f"shares-saved-{screen}")
    counts = dict(
        UnitSuccession.objects.filter(predecessor__code="00007", predecessor__tree=Tree.PRE_2025).values_list(
            "successor__code", "share_count"
        )
    )
    assert counts == {"00025": 334, "00008": 667}


@pytest.mark.parametrize("screen", SCREENS)
def test_a_households_page_loads_its_years(browser, live_server, commune_officer, screen, tmp_path):
    from areas.models import Village
    from registry import services as registry_services

    village = Village.objects.get(name="Tổ dân phố Sông Cầu 1")
    household = registry_services.household_create(
        actor=commune_officer, village=village, head_name="Hoàng Văn Thụ", members=4
    )
    page = browser.new_page(viewport=SCREENS[screen])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "xa.backan")
    page.fill("input[name=password]", "mat-khau-xa-1")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")  # signed in: going on at once would cut the answer off
    page.goto(f"{live_server.url}/registry/households/{household.code}/")
    page.wait_for_selector("#recognitions")  # swapped in by htmx
    assert page.is_visible("text=Chưa được đánh giá năm nào.")
    assert sideways_overflow(page) <= 0
    shot(page, tmp_path, f"household-{screen}")
