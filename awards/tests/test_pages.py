"""The award pages in Vietnamese: the proposing form refuses bad input field by field and saves nothing,
the picker finds a family by its head's name without diacritics, and the history reads in words."""

import pytest
from django.urls import reverse

from areas.models import AdministrativeUnit
from awards import services
from awards.forms import recipients_named
from awards.models import Nomination
from registry import services as registry_services
from registry.models import Association
from registry.network import association_create

pytestmark = pytest.mark.django_db


def _form(district_kind, **values):
    return {
        "kind": district_kind.pk,
        "area": "pre2025:02035",
        "recipient": "household",
        "record": "",
        "person_name": "",
        "person_village": "",
        "first_year": "2016",
        "last_year": "2018",
        "reason": "Có thành tích",
        "achievements": "Gia đình học tập ba năm liền",
        **values,
    }


def test_bad_input_is_refused_in_vietnamese_and_nothing_saved(client, ban_thi_officer, district_kind, villages):
    client.force_login(ban_thi_officer)
    response = client.post(
        reverse("awards:nomination_create"),
        _form(
            district_kind,
            recipient="person",
            person_name="Nguyễn Văn " * 20,
            person_village=villages["ban_thi"].code,
            first_year="2019",
            last_year="2016",
            reason="",
        ),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Năm cuối phải sau năm đầu" in page
    assert "Tối đa 80 ký tự" in page
    assert not Nomination.objects.exists()


def test_a_family_is_picked_by_name_and_proposed(client, ban_thi_officer, district_kind, family):
    client.force_login(ban_thi_officer)
    found = client.get(reverse("awards:recipient_search"), {"recipient": "household", "q": "hoang van thang"})
    assert family.code in found.content.decode()
    response = client.post(reverse("awards:nomination_create"), _form(district_kind, record=family.code))
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("awards:nomination", args=[nomination.pk])
    assert nomination.household == family and nomination.awarding_area.code == "064"


def test_a_name_two_families_share_is_not_guessed_but_asked_to_be_picked(
    client, admin_user, ban_thi_officer, district_kind, family, villages
):
    """Two households of Bản Thi whose heads are both called Hoàng Văn Thắng: the name alone proposes
    neither (before, the association picker took whichever came first); the code picks one."""
    namesake = registry_services.household_create(
        actor=admin_user, village=villages["ban_thi"], head_name="Hoàng Văn Thắng", members=3
    )
    client.force_login(ban_thi_officer)
    url = reverse("awards:nomination_create")
    refused = client.post(url, _form(district_kind, record="hoang van thang"), HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 200 and not Nomination.objects.exists()
    assert refused.context["form"].errors["record"] == [
        "Có nhiều hơn một kết quả tên “hoang van thang”: hãy chọn một trong danh sách (mỗi kết quả có ghi thuộc đâu)."
    ]
    # The list tells the two apart by their codes.
    listed = client.get(reverse("awards:recipient_search"), {"recipient": "household", "q": "hoang van thang"})
    assert f"· {family.code}" in listed.content.decode() and f"· {namesake.code}" in listed.content.decode()
    assert client.post(url, _form(district_kind, record=namesake.code)).status_code == 302
    assert Nomination.objects.get().household == namesake


def test_an_association_name_two_communes_share_names_both_and_picks_neither(admin_user, personas, ban_thi):
    """A district officer sees every commune's association, and communes often name theirs alike."""
    neighbour = AdministrativeUnit.objects.filter(parent=ban_thi.parent).exclude(pk=ban_thi.pk).first()
    alike = [
        association_create(actor=admin_user, level="commune", area=area, name="Hội Khuyến học xã")
        for area in (ban_thi, neighbour)
    ]
    named = recipients_named(personas["district_officer"], "association", "hội khuyến học xã")
    assert sorted(a.pk for a in named) == sorted(a.pk for a in alike)
    assert recipients_named(personas["district_officer"], "association", str(alike[1].pk)) == [alike[1]]


def test_the_history_reads_in_words(client, nominate, family, personas):
    nomination = nominate(family)
    services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    services.nomination_return(nomination=nomination, actor=personas["district_officer"], note="Thiếu minh chứng")
    client.force_login(personas["district_officer"])
    page = client.get(reverse("awards:nomination", args=[nomination.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    for words in ("Soạn đề nghị khen thưởng", "Trả lại đề nghị khen thưởng để bổ sung", "Thiếu minh chứng"):
        assert words in page, words
    assert "nomination.return" not in page


def test_a_returned_nomination_is_completed_and_a_stale_edit_is_refused(client, nominate, family, personas):
    nomination = nominate(family)
    services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    services.nomination_return(nomination=nomination, actor=personas["district_officer"], note="Bổ sung thành tích")
    nomination.refresh_from_db()
    client.force_login(nomination.created_by)
    url = reverse("awards:nomination_edit", args=[nomination.pk])
    assert client.get(url).status_code == 200
    values = _form(nomination.kind, record=family.code, achievements="Thêm: con đạt giải học sinh giỏi tỉnh")
    stale = client.post(url, {**values, "version": nomination.version - 1}, HTTP_ACCEPT_LANGUAGE="vi")
    assert stale.status_code == 200 and "người khác" in stale.content.decode()
    saved = client.post(url, {**values, "version": nomination.version})
    assert saved.status_code == 302
    nomination.refresh_from_db()
    assert nomination.achievements.startswith("Thêm:") and nomination.state == "returned"


@pytest.mark.parametrize("asked", ["99999999999999999999", "x", "-1", "٣"])
def test_the_list_filtered_by_a_kind_it_does_not_offer_shows_every_nomination(client, nominate, family, asked):
    """A kind typed into the address that no list offers (past the database's integers too) filters
    nothing, as “every kind of award” does."""
    nomination = nominate(family)
    client.force_login(nomination.created_by)
    response = client.get(reverse("awards:list"), {"kind": asked})
    assert response.status_code == 200
    assert list(response.context["page"]) == [nomination]


def test_an_association_is_picked_by_its_number_in_ascii_digits_only(ban_thi_officer, association):
    """A number in another script's digits (Arabic-Indic ٣) is not read as the number it looks like."""
    number = str(association.pk)
    assert recipients_named(ban_thi_officer, "association", number) == [association]
    other_script = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert recipients_named(ban_thi_officer, "association", other_script) == []
    assert recipients_named(ban_thi_officer, "association", "9" * 30) == []


def test_the_picker_finds_an_association_late_in_the_alphabet_of_a_large_area(client, admin_user, personas, ban_thi):
    """More associations than any cap a search might read, and the one asked for last by name."""
    Association.objects.bulk_create(
        Association(level="commune", area=ban_thi, name=f"Hội Khuyến học chi hội {number:04d}")
        for number in range(2500)
    )
    last = association_create(actor=admin_user, level="commune", area=ban_thi, name="Hội Khuyến học Ỷ La")
    client.force_login(personas["province_officer"])
    found = client.get(reverse("awards:recipient_search"), {"recipient": "association", "q": "y la"})
    assert f'data-value="{last.pk}"' in found.content.decode()
    many = client.get(reverse("awards:recipient_search"), {"recipient": "association", "q": "chi hoi"})
    options = many.content.decode()
    assert options.count('class="picker-option"') == 15  # the first fifteen by name, no more
    assert "chi hội 0000" in options and "chi hội 0014" in options and "chi hội 0015" not in options
