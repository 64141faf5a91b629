"""The village meeting on a 360 px phone: the village head lands on the home page, opens the grid from
it, types the marks of a household and sees its total and result change as they type, a mark out of
range is flagged and left out of the total, and what is saved is what was shown. Then, on an office
screen, the commune officer approves every evaluation that matches the filter after confirming how
many. Neither page scrolls sideways; the content security policy refuses nothing."""

import pytest

from evaluations.models import Evaluation

from .helpers import SCREENS, sideways_overflow
from .test_evaluation_journey import MARKS, log_in, meeting  # noqa: F401  (the meeting fixture)

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def watch_refusals(page) -> list:
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    return refused


def test_the_grid_adds_up_marks_as_they_are_typed_on_a_phone_and_the_commune_approves_by_filter(
    browser,
    live_server,
    meeting,  # noqa: F811
    tmp_path,
):
    village, year = meeting
    phone = browser.new_page(viewport=PHONE)
    refused = watch_refusals(phone)
    log_in(phone, live_server, "thon.1")
    assert phone.url == f"{live_server.url}/"  # the home page, not a history
    assert sideways_overflow(phone) <= 0
    phone.screenshot(path=str(tmp_path / "home-phone.png"), full_page=True)

    phone.goto(f"{live_server.url}/evaluations/grid/{village.code}/{year}/")
    row = phone.locator("tbody tr").filter(has_text="Hoàng Văn An")
    total, result = row.locator("[data-total]"), row.locator("[data-result]")
    # Each column names its criterion: on a phone every mark is a line of the household's card.
    first_cell = row.locator("td").first
    assert first_cell.get_attribute("data-label").startswith("1.1 · ")
    assert total.inner_text() == "—"

    typed = 0
    for code, points in MARKS.items():
        row.locator(f"input[aria-label$=' {code}']").fill(str(points))
        typed += points
        assert total.inner_text() == str(typed), f"after {code}"
    assert typed == 80
    assert result.inner_text().startswith("Đạt")  # 80 reaches the set's 70
    assert "chưa lưu" in result.inner_text()

    # A mark out of range is flagged and not counted; the server would refuse it.
    row.locator("input[aria-label$=' 1.1']").fill("15")
    assert total.inner_text() == "70"
    assert "bad-mark" in row.locator("td").first.get_attribute("class")
    row.locator("input[aria-label$=' 1.1']").fill("8.5")
    assert total.inner_text() == "78,5"
    row.locator("input[aria-label$=' 4']").fill("")
    assert total.inner_text() == "68,5" and "Không đạt" in result.inner_text()
    assert "chưa chấm đủ" in result.inner_text()
    row.locator("input[aria-label$=' 4']").fill("10")
    row.locator("input[aria-label$=' 1.1']").fill("10")
    assert total.inner_text() == "80"

    assert sideways_overflow(phone) <= 0, "the grid page scrolls sideways at 360 px"
    phone.screenshot(path=str(tmp_path / "grid-phone-typed.png"))  # the viewport: a full page shot moves the page
    with phone.expect_navigation():
        phone.click("button[value=submit]")
    phone.screenshot(path=str(tmp_path / "grid-phone-saved.png"), full_page=True)
    row = phone.locator("tbody tr").filter(has_text="Hoàng Văn An")
    assert row.locator("[data-total]").inner_text() == "80"  # the server's own total, as shown while typing
    assert Evaluation.objects.get(household__head_name="Hoàng Văn An", year=year).total == 80
    assert refused == []
    phone.close()

    office = browser.new_page(viewport=SCREENS["office"])
    refused = watch_refusals(office)
    log_in(office, live_server, "xa.backan")
    office.goto(f"{live_server.url}/evaluations/approve/?village={village.code}")
    office.check("[data-select-all]")
    assert office.locator("[data-picked-count]").inner_text() == "1"
    with office.expect_navigation():
        office.click("button[name=all][value=approve]")
    assert "Duyệt 1 hồ sơ?" in office.locator(".confirm").inner_text()
    with office.expect_navigation():
        office.click(".confirm button[type=submit]")
    assert Evaluation.objects.get(household__head_name="Hoàng Văn An", year=year).state == "approved"
    assert sideways_overflow(office) <= 0 and refused == []
    office.close()
