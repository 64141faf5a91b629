"""Awards in a real browser, on a phone (360 px) and an office screen (1366 px): a commune officer proposes
a family picked by name for the commune's certificate of merit, submits it, selects it as the awarding
body, drafts and publishes the decision and prints its certificates; no page is wider than the screen."""

import os
import re
import tempfile
from pathlib import Path

import pytest

from awards.models import AwardDecision, AwardDecisionStatus, Nomination, NominationState
from conftest import put_back_what_migrations_bring
from documents.models import Document
from registry import services as registry_services

from .helpers import sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
SCREENS = {"phone": {"width": 360, "height": 740}, "office": {"width": 1366, "height": 768}}


@pytest.mark.parametrize("screen", SCREENS)
def test_a_commune_proposes_selects_decides_and_prints(
    browser,
    live_server,
    commune_officer,
    screen,
):
    put_back_what_migrations_bring()  # the shipped kinds of award, after an earlier test emptied the database
    from areas.models import Village

    registry_services.household_create(
        actor=commune_officer,
        village=Village.objects.get(name="Tổ dân phố Sông Cầu 1"),
        head_name="Hoàng Thị Thu",
        members=4,
    )
    folder = Path(os.environ.get("KHUYENHOC_WALK_SCREENSHOTS") or tempfile.mkdtemp(prefix="khuyenhoc-awards-"))
    page = browser.new_page(viewport=SCREENS[screen])
    errors, refused = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))

    def fits(name):
        overflow = sideways_overflow(page)
        page.screenshot(path=str(folder / f"awards-{name}-{screen}.png"), full_page=True)
        assert overflow <= 0, f"{name} is {overflow}px wider than the {screen}"
        assert "msgid" not in page.content()

    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "xa.backan")
    page.fill("input[name=password]", "mat-khau-xa-1")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/awards/")
    assert page.locator("h1").inner_text() == "Đề nghị khen thưởng"
    fits("list")

    page.click("main a.button >> text=Đề nghị khen thưởng")
    page.wait_for_url(f"{live_server.url}/awards/new/")  # the list has a select[name=kind] of its own
    page.select_option("select[name=kind]", label="Giấy khen của Hội Khuyến học cấp xã · minh hoạ")
    page.select_option("select[name=recipient]", value="household")
    field = page.locator("main .picker input:not([type=hidden])").nth(1)
    field.fill("hoang thi thu")  # no diacritics
    option = page.locator(".picker-option", has_text="Hoàng Thị Thu")
    option.wait_for()
    fits("form-picker")
    option.click()
    page.fill("input[name=first_year]", "2024")
    page.fill("input[name=last_year]", "2025")
    page.fill("textarea[name=reason]", "Gia đình gương mẫu trong phong trào khuyến học")
    page.fill("textarea[name=achievements]", "Ba năm liền là Gia đình học tập")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/awards/\d+/$"))  # the nomination: "**/awards/*/" matched /awards/new/
    nomination = Nomination.objects.get()
    assert nomination.household.head_name == "Hoàng Thị Thu"
    fits("nomination")

    page.click("main button:text-is('Gửi lên cấp khen')")
    page.click("main button:text-is('Chọn khen thưởng')")
    page.wait_for_selector("main a:text-is('Soạn quyết định khen thưởng')")  # the nomination, selected
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SELECTED

    page.click("main a:text-is('Soạn quyết định khen thưởng')")
    page.wait_for_url("**/awards/decisions/new/**")
    fits("decision-form")
    page.fill("input[name=number]", "07/QĐ-HKH")
    page.fill("input[name=signer]", "Lương Văn Bình")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/awards/decisions/*/")
    page.click("main button:text-is('Ban hành')")
    page.wait_for_selector("main button:text-is('In giấy khen (.pdf)')")  # the decision, published
    decision = AwardDecision.objects.get()
    assert decision.status == AwardDecisionStatus.PUBLISHED
    fits("decision")

    page.click("main button:text-is('In giấy khen (.pdf)')")
    page.wait_for_url("**/documents/*/")
    document = Document.objects.get(award_decision=decision)
    page.wait_for_timeout(200)
    fits("document")
    assert document.kind == "award_certificates"
    assert not errors and not refused
