"""The history as a village head reads it (issue 14): labels and human values, not raw keys.
Villages' and accounts' wording is tested here too, beside the households and clans that name them."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from audit.services import history_of
from audit.wording import changes
from registry import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_a_household_edit_reads_as_its_labels_and_values(villages, admin_user):
    household = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=8
    )
    services.household_update(
        actor=admin_user,
        household=household,
        version=household.version,
        village=villages["song_cau_2"],
        head_name="Hoàng Văn An",
        members=6,
        is_active=False,
    )
    assert changes(history_of(household).first()) == [
        ("Thôn", "Tổ dân phố 1 · Phường Bắc Kạn", "Tổ dân phố 2 · Phường Bắc Kạn"),
        ("Số nhân khẩu", "8", "6"),
        ("Còn sinh sống tại địa phương", "Có", "Không"),
    ]


def test_a_village_moved_in_the_reform_reads_as_sentences_with_each_tree(villages):
    entry = history_of(villages["song_cau_1"]).filter(action="village.move").get()
    assert changes(entry) == [
        (
            "Thuộc xã",
            "Phường Sông Cầu (trước 2025) từ năm 2016 đến năm 2024",
            "Phường Sông Cầu (trước 2025) từ năm 2016 đến năm 2024; Phường Bắc Kạn (từ 2025) từ năm 2025",
        )
    ]


def test_a_new_village_names_its_kind(villages):
    entry = history_of(villages["song_cau_1"]).filter(action="village.create").get()
    rows = {label: after for label, _before, after in changes(entry)}
    assert rows["Loại"] == "Tổ dân phố"
    assert "residential_group" not in str(changes(entry))


def test_a_clan_names_its_commune_and_villages(villages, admin_user):
    from areas.models import AdministrativeUnit

    commune = AdministrativeUnit.objects.get(tree="2025", code="01843")
    clan = services.clan_save(
        actor=admin_user,
        clan=None,
        commune=commune,
        name="Họ Hoàng",
        head_name="",
        member_households=1200,
        has_board=True,
        villages=[villages["song_cau_1"]],
    )
    rows = {label: after for label, _before, after in changes(history_of(clan).get())}
    assert rows["Đăng ký tại"] == "Phường Bắc Kạn (từ 2025)"
    assert rows["Số hộ thành viên"] == "1.200"
    assert rows["Có ban khuyến học"] == "Có"
    assert rows["Thôn"] == "Tổ dân phố 1 · Phường Bắc Kạn"


def test_an_account_names_its_role_and_unit(personas):
    from accounts import services as account_services

    officer = personas["commune_officer"]
    account, _password = account_services.account_create(
        actor=officer,
        username="thon.moi",
        full_name="Người mới",
        role=Role.VILLAGE_OFFICER,
        village=personas["village_officer"].village,
    )
    rows = {label: after for label, _before, after in changes(history_of(account).get())}
    assert rows["Vai trò"] == "Cán bộ thôn"
    assert rows["Thôn"] == "Tổ dân phố 1 · Phường Bắc Kạn"
    assert not {"tree", "unit", "is_active"} & set(rows)


def test_the_household_page_shows_no_raw_key(client_for, personas, villages, admin_user):
    household = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=8
    )
    page = client_for(personas["commune_officer"]).get(reverse("registry:household", args=[household.code]))
    # What a person sees: the text between the tags, not the form's field names.
    text = re.sub(r"<[^>]*>", " ", page.content.decode())
    assert "Số nhân khẩu" in text and "Hoàng Văn An" in text
    for key in ["head_name", "is_active", "members:", "residential_group"]:
        assert key not in text
