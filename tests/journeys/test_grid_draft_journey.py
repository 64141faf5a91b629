"""A village meeting's marks survive a save that never arrived: the village head types marks on a phone,
the connection drops as they save, and when the grid is opened again the marks this device kept are
offered back, typed in with one click and saved. A row someone else changed in between is not written
over, and says so. Logging out forgets what the device kept."""

import pytest

from accounts.models import User
from evaluations import services
from evaluations.models import Evaluation

from .test_evaluation_journey import MARKS, log_in, meeting  # noqa: F401  (the meeting fixture)
from .test_grid_journey import PHONE, watch_refusals

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

KEPT = """() => Object.keys(localStorage).filter((key) => key.startsWith("khuyenhoc.grid-draft:"))
    .map((key) => Object.keys(JSON.parse(localStorage.getItem(key)).fields).length)"""


def kept(page) -> list[int]:
    """How many marks each draft on the device holds."""
    return page.evaluate(KEPT)


def wait_until_kept(page, count: int) -> None:
    page.wait_for_function(f"() => JSON.stringify(({KEPT})()) === '[{count}]'")


def row_of(page, name):
    return page.locator("tbody tr").filter(has_text=name)


def village_head_on_a_phone(browser, live_server, village, year):
    """The village head signed in on a phone: its browser context, page, refused requests and grid."""
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    refused = watch_refusals(phone)
    log_in(phone, live_server, "thon.1")
    return context, phone, refused, f"{live_server.url}/evaluations/grid/{village.code}/{year}/"


def save_lost(context, phone) -> None:
    """The connection drops as the save is sent: nothing reaches the server."""
    context.set_offline(True)
    phone.click("button[value=save]")
    phone.wait_for_load_state()
    context.set_offline(False)


def test_marks_typed_before_a_lost_save_are_offered_back_typed_in_and_saved(
    browser,
    live_server,
    meeting,  # noqa: F811
):
    context, phone, refused, grid = village_head_on_a_phone(browser, live_server, *meeting)
    phone.goto(grid)
    assert phone.locator("[data-draft]").is_hidden()
    for code, points in MARKS.items():
        row_of(phone, "Hoàng Văn An").locator(f"input[aria-label$=' {code}']").fill(str(points))
    row_of(phone, "Đinh Thị Bình").locator("input[aria-label$=' 1.1']").fill("9")
    wait_until_kept(phone, len(MARKS) + 1)

    save_lost(context, phone)
    assert not Evaluation.objects.exists()

    phone.goto(grid)
    notice = phone.locator("[data-draft]")
    assert notice.is_visible()
    assert "Máy này còn giữ 8 điểm đã nhập ở đây lúc" in notice.inner_text()
    assert row_of(phone, "Hoàng Văn An").locator("[data-total]").inner_text() == "—"
    phone.click("[data-draft-restore]")
    assert "Các điểm đã được điền lại" in notice.inner_text()
    assert row_of(phone, "Hoàng Văn An").locator("[data-total]").inner_text() == "80"
    assert row_of(phone, "Đinh Thị Bình").locator("input[aria-label$=' 1.1']").input_value() == "9"
    with phone.expect_navigation():
        phone.click("button[value=save]")
    saved = {e.household.head_name: e.total for e in Evaluation.objects.select_related("household")}
    assert saved == {"Hoàng Văn An": 80, "Đinh Thị Bình": 9}
    # Every mark kept is on the page as saved: the device keeps nothing more, and offers nothing.
    assert phone.locator("[data-draft]").is_hidden() and kept(phone) == []

    # Typed again, lost again; meanwhile the commune officer changes An's marks on another screen.
    row_of(phone, "Hoàng Văn An").locator("input[aria-label$=' 1.1']").fill("7")
    row_of(phone, "Đinh Thị Bình").locator("input[aria-label$=' 1.2']").fill("6")
    wait_until_kept(phone, 2)
    an = Evaluation.objects.get(household__head_name="Hoàng Văn An")
    services.evaluation_marks_save(
        actor=User.objects.get(username="xa.backan"), evaluation=an, version=an.version, marks={"1.1": 5}
    )
    phone.goto(grid)
    assert "Máy này còn giữ 1 điểm" in notice.inner_text()
    assert "Còn 1 điểm khác không điền lại được" in notice.inner_text()
    phone.click("[data-draft-restore]")
    assert row_of(phone, "Hoàng Văn An").locator("input[aria-label$=' 1.1']").input_value() == "5"
    assert row_of(phone, "Đinh Thị Bình").locator("input[aria-label$=' 1.2']").input_value() == "6"
    wait_until_kept(phone, 1)

    # Logging out on a shared device forgets what it kept.
    phone.click(".menu-toggle")
    with phone.expect_navigation():
        phone.click("form[data-forget-drafts] button")
    assert kept(phone) == []
    assert refused == []
    context.close()


def test_marks_typed_while_the_offer_waits_for_an_answer_are_kept_with_the_offered_ones(
    browser,
    live_server,
    meeting,  # noqa: F811
):
    """The village head opens the grid again, does not answer the offer and goes on typing; the
    connection drops once more. Neither the marks offered nor the new ones are lost."""
    context, phone, refused, grid = village_head_on_a_phone(browser, live_server, *meeting)
    phone.goto(grid)
    for code, points in MARKS.items():
        row_of(phone, "Hoàng Văn An").locator(f"input[aria-label$=' {code}']").fill(str(points))
    wait_until_kept(phone, len(MARKS))
    save_lost(context, phone)

    phone.goto(grid)
    notice = phone.locator("[data-draft]")
    assert "Máy này còn giữ 7 điểm" in notice.inner_text()
    row_of(phone, "Đinh Thị Bình").locator("input[aria-label$=' 1.1']").fill("9")
    wait_until_kept(phone, len(MARKS) + 1)
    save_lost(context, phone)
    assert not Evaluation.objects.exists()

    phone.goto(grid)
    assert "Máy này còn giữ 8 điểm" in notice.inner_text()
    phone.click("[data-draft-restore]")
    with phone.expect_navigation():
        phone.click("button[value=save]")
    saved = {e.household.head_name: e.total for e in Evaluation.objects.select_related("household")}
    assert saved == {"Hoàng Văn An": 80, "Đinh Thị Bình": 9}
    assert kept(phone) == [] and refused == []
    context.close()
