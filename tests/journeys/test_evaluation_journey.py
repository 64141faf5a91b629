"""The year's evaluation in a real browser: a village head marks households at the village meeting on
a phone, and the commune officer approves them on an office screen.

Like every journey, this test's database is emptied when it ends, so it builds what it needs itself,
including the shipped criteria sets and approving levels that migrations load for the other tests.
"""

from decimal import Decimal

import pytest
from django.conf import settings

from accounts.models import User
from accounts.roles import Role
from areas import services as area_services
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree
from criteria import defaults
from criteria import services as criteria_services
from criteria.models import CriteriaSet, Node, RatingBand
from evaluations import services as evaluation_services
from evaluations.models import ApproverRule, Evaluation
from registry import services as registry_services
from registry.models import Household

from .helpers import SCREENS, sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-1"


@pytest.fixture
def meeting():
    load_administrative_units()
    defaults.load_default_sets(CriteriaSet, Node, RatingBand)
    year = settings.KHUYENHOC_REFORM_YEAR
    ApproverRule.objects.get_or_create(title="household", tree=Tree.Y2025, from_year=year, defaults={"level": 3})
    admin = User.objects.create_user("admin", password=PASSWORD, role=Role.SYSTEM_ADMIN)
    shipped = CriteriaSet.objects.get(is_default=True, title="household")
    household_set = criteria_services.criteria_set_clone(actor=admin, criteria_set=shipped, name="GĐHT minh hoạ")
    household_set.valid_to, household_set.pass_total, household_set.is_illustration = None, Decimal(70), True
    household_set.save()
    for code in ("2.2", "3", "4"):
        household_set.nodes.filter(code=code).update(max_points=20)
    phuong = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    village = area_services.village_create(
        actor=admin,
        commune=AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="01837"),
        name="Tổ dân phố 1",
        kind="residential_group",
        from_year=2016,
    )
    area_services.villages_move(actor=admin, villages=[village], commune=phuong, from_year=year)
    for name in ("Hoàng Văn An", "Đinh Thị Bình"):
        registry_services.household_create(actor=admin, village=village, head_name=name, members=4)
    User.objects.create_user("thon.1", password=PASSWORD, role=Role.VILLAGE_OFFICER, village=village)
    User.objects.create_user("xa.backan", password=PASSWORD, role=Role.COMMUNE_OFFICER, unit=phuong)
    return village, year


def log_in(page, live_server, username):
    """Sign in on the login page and wait for the home page it leads to (LOGIN_REDIRECT_URL): waiting for
    the load state alone could return before the sign-in's navigation began, and the next goto would
    then interrupt it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


MARKS = {"1.1": 10, "1.2": 10, "1.3": 10, "2.1": 10, "2.2": 15, "3": 15, "4": 10}


def test_a_village_meeting_marks_households_on_a_phone_and_the_commune_approves_them(
    browser,
    live_server,
    meeting,
    tmp_path,
):
    village, year = meeting
    phone = browser.new_page(viewport=SCREENS["phone"])
    log_in(phone, live_server, "thon.1")
    phone.goto(f"{live_server.url}/evaluations/grid/{village.code}/{year}/")
    assert "minh hoạ" in phone.content()
    first = phone.locator("tbody tr").filter(has_text="Hoàng Văn An")
    for code, points in MARKS.items():
        first.locator(f"input[aria-label$=' {code}']").fill(str(points))
    with phone.expect_navigation():
        phone.click("button[value=submit]")
    first = phone.locator("tbody tr").filter(has_text="Hoàng Văn An")
    assert first.locator("[data-total]").inner_text() == "80"
    assert first.locator("[data-result]").get_attribute("data-result") == "achieved"
    second = phone.locator("tbody tr").filter(has_text="Đinh Thị Bình")
    assert "Chưa đăng ký" in second.inner_text()  # an empty row stays unregistered
    # The grid is wider than a phone: it scrolls inside its own box, the page does not scroll sideways.
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"the grid page scrolls sideways by {overflow}px on a phone"
    phone.screenshot(path=str(tmp_path / "grid-phone.png"), full_page=True)
    # A household's own evaluation, marked on the phone: each criterion a card with its marks' fields named,
    # nothing to scroll sideways, not even inside the criteria's box.
    binh = Household.objects.get(head_name="Đinh Thị Bình")
    admin = User.objects.get(username="admin")
    evaluation = evaluation_services.evaluation_register(actor=admin, title="household", year=year, subject=binh)
    phone.goto(f"{live_server.url}/evaluations/{evaluation.pk}/")
    criteria = phone.locator("table").filter(has_text="1.1.")
    assert criteria.evaluate("table => table.parentElement.scrollWidth - table.parentElement.clientWidth") <= 0
    for label in ("Tự đánh giá", "Ghi chú"):
        cell = criteria.locator("tbody tr").filter(has_text="2.2.").locator(f'td[data-label="{label}"]')
        box = cell.locator("input").bounding_box()
        assert box["x"] + box["width"] <= SCREENS["phone"]["width"], label
    assert sideways_overflow(phone) <= 0
    phone.screenshot(path=str(tmp_path / "evaluation-phone.png"), full_page=True)
    phone.close()

    office = browser.new_page(viewport=SCREENS["office"])
    log_in(office, live_server, "xa.backan")
    office.goto(f"{live_server.url}/evaluations/approve/")
    office.check("input[name=pick]")
    with office.expect_navigation():
        office.click("button[value=approve]")
    evaluation = Evaluation.objects.get(household__head_name="Hoàng Văn An", year=year)
    assert evaluation.state == "approved" and evaluation.approved_by.username == "xa.backan"
    office.close()
