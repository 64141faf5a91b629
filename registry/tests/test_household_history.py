"""A household's page shows its history a page at a time, newest first, with links to the older and
newer changes (audit.services.recent); a page number that is not one never breaks the page: as on
every list of the site (Django's paginator), what is not a number gives the first page and a number
out of range the last."""

import pytest
from django.urls import reverse

from audit.services import RECENT_CHANGES, audit_record
from registry import services

pytestmark = pytest.mark.django_db


def household_with_changes(officer, village, changes: int):
    """A household with its creation and `changes` updates of its members after it (4 → 4 + changes)."""
    household = services.household_create(actor=officer, village=village, head_name="Hoàng Văn An", members=4)
    for members in range(5, 5 + changes):
        audit_record(
            actor=officer,
            action="household.update",
            obj=household,
            before={"members": members - 1},
            after={"members": members},
        )
    return household


@pytest.mark.parametrize("changes", [RECENT_CHANGES - 1, RECENT_CHANGES + 1])
def test_a_households_page_shows_its_newest_changes_and_links_to_older_ones(client_for, personas, villages, changes):
    officer = personas["commune_officer"]
    household = household_with_changes(officer, villages["song_cau_1"], changes)
    page = client_for(officer).get(reverse("registry:household", args=[household.code]))
    shown = page.context["history"]
    html = page.content.decode()
    total = changes + 1
    assert len(shown) == min(total, RECENT_CHANGES)
    assert shown[0].after == {"members": 4 + changes}  # the newest first
    assert (f"Thay đổi 1–{RECENT_CHANGES}, mới nhất trước." in html) == (total > RECENT_CHANGES)
    assert ("?history=2#history" in html) == (total > RECENT_CHANGES)
    assert "Thay đổi mới hơn" not in html


def test_the_older_changes_are_on_the_next_pages(client_for, personas, villages):
    officer = personas["commune_officer"]
    household = household_with_changes(officer, villages["song_cau_1"], 2 * RECENT_CHANGES + 4)  # 65 in all
    client, url = client_for(officer), reverse("registry:household", args=[household.code])

    second = client.get(f"{url}?history=2")
    shown, html = second.context["history"], second.content.decode()
    assert [entry.after for entry in shown] == [
        {"members": members} for members in range(4 + RECENT_CHANGES + 4, 4 + 4, -1)
    ]  # the 31st to the 60th newest
    assert f"Thay đổi {RECENT_CHANGES + 1}–{2 * RECENT_CHANGES}, mới nhất trước." in html
    assert "?history=1#history" in html and "?history=3#history" in html

    last = client.get(f"{url}?history=3")
    shown, html = last.context["history"], last.content.decode()
    assert shown[-1].action == "household.create" and len(shown) == 5
    assert f"Thay đổi {2 * RECENT_CHANGES + 1}–{2 * RECENT_CHANGES + 5}, mới nhất trước." in html
    assert "Thay đổi cũ hơn" not in html and "?history=2#history" in html


@pytest.mark.parametrize(
    ("asked", "page_shown"),
    [("abc", 1), ("0", 3), ("-2", 3), ("²", 1), ("1.5", 1), ("3", 3), ("99", 3), ("9" * 40, 3)],
)
def test_a_history_page_that_is_not_one_shows_the_nearest(client_for, personas, villages, asked, page_shown):
    officer = personas["commune_officer"]
    household = household_with_changes(officer, villages["song_cau_1"], 2 * RECENT_CHANGES + 4)
    answer = client_for(officer).get(reverse("registry:household", args=[household.code]), {"history": asked})
    assert answer.status_code == 200
    assert answer.context["history"].number == page_shown and answer.context["history"]
