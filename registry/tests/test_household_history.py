"""A household's page shows its newest changes and says when older ones were left out (audit.services.recent)."""

import pytest
from django.urls import reverse

from audit.services import RECENT_CHANGES, audit_record
from registry import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("changes", [RECENT_CHANGES - 1, RECENT_CHANGES + 1])
def test_a_households_page_shows_its_newest_changes_and_says_when_older_ones_are_not_shown(
    client_for, personas, villages, changes
):
    officer = personas["commune_officer"]
    household = services.household_create(
        actor=officer, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )  # its first change: the creation
    for members in range(5, 5 + changes):
        audit_record(
            actor=officer,
            action="household.update",
            obj=household,
            before={"members": members - 1},
            after={"members": members},
        )
    page = client_for(officer).get(reverse("registry:household", args=[household.code]))
    shown = page.context["history"]
    html = page.content.decode()
    total = changes + 1
    assert len(shown) == min(total, RECENT_CHANGES)
    assert shown[0].after == {"members": 4 + changes}  # the newest first
    told = f"Chỉ hiện {RECENT_CHANGES} thay đổi gần nhất"
    assert (told in html) == (total > RECENT_CHANGES)
