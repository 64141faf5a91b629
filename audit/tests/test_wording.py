"""A change reads in the words of its record's own fields: labels, choices, yes/no, numbers and dates
the Vietnamese way. These use the account model, which every app's history can name; what the apps
say about their own records is tested in their layers (registry/tests/test_history_wording.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from audit.models import AuditEntry
from audit.wording import Key, changes, describe_records

pytestmark = pytest.mark.django_db

ACCOUNT = get_user_model()._meta.label_lower


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def entry(before=None, after=None, object_type=ACCOUNT, action="account.update"):
    return AuditEntry(object_type=object_type, object_id="1", action=action, before=before, after=after)


def test_a_field_reads_by_its_label_and_a_choice_by_its_name():
    (row,) = changes(entry({"role": "viewer"}, {"role": "commune_officer"}))
    assert row == ("Vai trò", "Người xem", "Cán bộ cấp xã")


def test_yes_and_no_are_words():
    (row,) = changes(entry({"is_active": True}, {"is_active": False}))
    assert row[1:] == ("Có", "Không")


def test_an_unchanged_key_is_not_listed_and_an_added_one_starts_from_nothing():
    rows = changes(
        entry({"full_name": "An", "is_active": True}, {"full_name": "An", "is_active": True, "email": "a@b.vn"})
    )
    assert [row[1:] for row in rows] == [("—", "a@b.vn")]


def test_dates_and_times_read_day_first():
    (row,) = changes(entry({"date_joined": "2025-07-01T08:30:00+07:00"}, {"date_joined": None}))
    assert row[1:] == ("08:30 01/07/2025", "—")


def test_the_tree_beside_a_unit_code_is_no_change_of_its_own():
    rows = changes(entry({"unit": None, "tree": None}, {"unit": "99999", "tree": "2025"}))
    assert [label for label, _before, _after in rows] == ["Đơn vị hành chính"]


def test_a_key_the_app_describes_reads_as_it_says(settings):
    describe_records(ACCOUNT, action="test.wording", keys={"seats": Key(label="Số ghế")})
    (row,) = changes(entry({"seats": 1200}, {"seats": 155235}, action="test.wording"))
    assert row == ("Số ghế", "1.200", "155.235")


def test_years_keep_their_four_digits():
    describe_records(ACCOUNT, action="test.years", keys={"from_year": Key(label="Từ năm")})
    (row,) = changes(entry({"from_year": 2016}, {"from_year": 2025}, action="test.years"))
    assert row[1:] == ("2016", "2025")


def test_an_entry_of_a_model_no_longer_installed_still_reads():
    rows = changes(entry({"a": 1}, {"a": 2}, object_type="gone.model"))
    assert rows == [("a", "1", "2")]
