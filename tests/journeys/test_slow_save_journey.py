"""A save on a slow connection: while the server has not answered, the button clicked says “Đang gửi…”
and every button of the form waits, so a second click sends nothing; the answer then comes as usual.

A browser cannot be asked about a page whose navigation is under way, so the page records what its
buttons show a moment after the click (in its session storage, which outlives the navigation) and the
test reads it on the page that follows."""

import time

import pytest

from evaluations import views_grid
from evaluations.models import Evaluation

from .test_evaluation_journey import log_in, meeting  # noqa: F401  (the meeting fixture)
from .test_grid_journey import PHONE, watch_refusals

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

# A moment after the click (the server takes a second): what the two buttons show, and a second click.
RECORD = """() => document.addEventListener("submit", () => setTimeout(() => {
  const save = document.querySelector("button[value=save]");
  const other = document.querySelector("button[value=submit]");
  sessionStorage.setItem("seen", JSON.stringify([save.textContent, save.disabled, save.getAttribute("aria-busy"),
    other.textContent, other.disabled]));
  other.click();
}, 150))"""


def test_a_save_waiting_for_the_server_says_so_and_is_sent_once(
    browser,
    live_server,
    meeting,  # noqa: F811
    monkeypatch,
):
    village, year = meeting
    saving = views_grid.batch.evaluations_mark_many

    def slow(**kwargs):
        time.sleep(1)  # a slow connection's second
        return saving(**kwargs)

    monkeypatch.setattr(views_grid.batch, "evaluations_mark_many", slow)
    phone = browser.new_page(viewport=PHONE)
    refused = watch_refusals(phone)
    log_in(phone, live_server, "thon.1")
    phone.goto(f"{live_server.url}/evaluations/grid/{village.code}/{year}/")
    phone.locator("tbody tr").filter(has_text="Hoàng Văn An").locator("input[aria-label$=' 1.1']").fill("10")
    posted = []
    phone.on("request", lambda request: request.method == "POST" and posted.append(request.url))
    phone.evaluate(RECORD)

    with phone.expect_navigation():
        phone.click("button[value=save]")
    seen = phone.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    assert seen == ["Đang gửi…", True, "true", "Lưu, và gửi phê duyệt các dòng đã chấm đủ", True]
    assert len(posted) == 1
    assert Evaluation.objects.get(household__head_name="Hoàng Văn An").total == 10
    # The page that follows is a new one: its buttons wait for nothing.
    assert phone.locator("button[value=save]").is_enabled()
    assert phone.locator("button[value=save]").inner_text() == "Lưu tất cả các dòng"
    assert refused == []
    phone.close()
