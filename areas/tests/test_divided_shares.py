"""Divided communes' shares (issue 15, item 4): a province officer enters, for each new commune that
received a piece of a divided old commune, its households or population; the pieces must add up to
the whole, nothing is saved otherwise, and every change is audited on the old commune."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from areas import shares
from areas.models import UnitSuccession
from audit.models import AuditEntry
from conftest import PASSWORD, unit

pytestmark = pytest.mark.django_db

# Old Phường Cống Vị (Hà Nội) went partly to new Phường Giảng Võ, partly to new Phường Ngọc Hà (its default).
OLD, SMALL, LARGE = "00007", "00025", "00008"


@pytest.fixture
def hanoi_officer(db):
    return get_user_model().objects.create_user(
        "p.hanoi", password=PASSWORD, role="province_officer", unit=unit("2025", "01"), full_name="Hà Nội"
    )


@pytest.fixture
def cong_vi():
    return unit("pre2025", OLD)


def stored(old):
    return {
        s.successor.code: (s.share_basis, s.share_count, s.share)
        for s in UnitSuccession.objects.filter(predecessor=old).select_related("successor")
    }


def test_saved_shares_are_kept_with_their_fraction_and_history(hanoi_officer, cong_vi):
    shares.divided_shares_save(
        actor=hanoi_officer, old_commune=cong_vi, basis="households", whole=1001, counts={SMALL: 334, LARGE: 667}
    )
    kept = stored(cong_vi)
    assert kept[SMALL][:2] == ("households", 334) and kept[LARGE][:2] == ("households", 667)
    assert str(kept[SMALL][2]) == "0.3337" and str(kept[LARGE][2]) == "0.6663"
    entry = AuditEntry.objects.get(action="divided_shares.save", object_id=str(cong_vi.pk))
    assert entry.before is None
    assert entry.after == {"basis": "households", "whole": 1001, "pieces": {SMALL: 334, LARGE: 667}}
    shares.divided_shares_save(
        actor=hanoi_officer, old_commune=cong_vi, basis="population", whole=10, counts={SMALL: 4, LARGE: 6}
    )
    second = AuditEntry.objects.filter(action="divided_shares.save").latest("pk")
    assert second.before == entry.after
    shares.divided_shares_clear(actor=hanoi_officer, old_commune=cong_vi)
    assert stored(cong_vi) == {SMALL: ("", None, None), LARGE: ("", None, None)}
    assert AuditEntry.objects.get(action="divided_shares.clear").before["whole"] == 10


@pytest.mark.parametrize(
    "basis, whole, counts, key, words",
    [
        ("households", 1001, {SMALL: 334, LARGE: 666}, "__all__", "1.000"),  # do not add up
        ("households", 1001, {SMALL: 1001}, f"count_{LARGE}", "Ngọc Hà"),  # a piece missing
        ("households", 1001, {SMALL: -1, LARGE: 1002}, f"count_{SMALL}", "Giảng Võ"),  # negative
        ("hectares", 1001, {SMALL: 334, LARGE: 667}, "basis", "hộ"),  # unknown basis
        ("households", 0, {SMALL: 0, LARGE: 0}, "whole", "Cống Vị"),  # nothing to split
        ("households", 1001, {SMALL: 334, LARGE: 667, "00004": 0}, "__all__", "00004"),  # not a piece of it
    ],
)
def test_bad_shares_are_refused_naming_the_field_and_nothing_is_saved(
    hanoi_officer, cong_vi, basis, whole, counts, key, words
):
    with pytest.raises(ValidationError) as raised:
        shares.divided_shares_save(actor=hanoi_officer, old_commune=cong_vi, basis=basis, whole=whole, counts=counts)
    assert key in raised.value.message_dict
    assert words in " ".join(raised.value.message_dict[key])
    assert stored(cong_vi)[SMALL] == ("", None, None)
    assert not AuditEntry.objects.filter(action="divided_shares.save").exists()


def test_a_commune_not_divided_is_refused(hanoi_officer):
    whole_merge = UnitSuccession.objects.filter(kind="whole", predecessor__path__startswith="101").first().predecessor
    with pytest.raises(ValidationError):
        shares.divided_shares_save(
            actor=hanoi_officer, old_commune=whole_merge, basis="households", whole=1, counts={"x": 1}
        )


def test_only_a_province_officer_of_its_area_may_enter_them(personas, cong_vi):
    for persona in ("commune_officer", "viewer", "province_officer"):  # the last: Thái Nguyên, not Hà Nội
        with pytest.raises(PermissionDenied):
            shares.divided_shares_save(
                actor=personas[persona], old_commune=cong_vi, basis="households", whole=3, counts={SMALL: 1, LARGE: 2}
            )


def test_the_page_saves_grouped_numbers_and_shows_the_split(client, hanoi_officer, cong_vi):
    client.force_login(hanoi_officer)
    listing = client.get(reverse("areas:shares"), {"q": "cong vi"}).content.decode()
    assert reverse("areas:share", args=[OLD]) in listing and "Phường Cống Vị" in listing
    url = reverse("areas:share", args=[OLD])
    response = client.post(
        url, {"basis": "households", "whole": "1.001", f"count_{SMALL}": "334", f"count_{LARGE}": "667"}
    )
    assert response.status_code == 302
    assert stored(cong_vi)[LARGE][:2] == ("households", 667)
    page = client.get(url).content.decode()
    assert "1.001" in page and "667" in page
    assert "Đã nhập tỷ lệ của xã chia tách" in page  # the history's entry, in words


def test_the_page_shows_a_sum_that_does_not_add_up_and_saves_nothing(client, hanoi_officer, cong_vi):
    client.force_login(hanoi_officer)
    url = reverse("areas:share", args=[OLD])
    response = client.post(
        url, {"basis": "households", "whole": "1.001", f"count_{SMALL}": "334", f"count_{LARGE}": "1,5"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "errorlist" in html
    response = client.post(
        url, {"basis": "households", "whole": "1.001", f"count_{SMALL}": "300", f"count_{LARGE}": "600"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "900" in html and "1.001" in html and "Phường Cống Vị" in html
    assert stored(cong_vi)[SMALL] == ("", None, None)


def test_who_opens_and_who_writes(client_for, personas, hanoi_officer, cong_vi):
    url = reverse("areas:share", args=[OLD])
    data = {"basis": "households", "whole": "3", f"count_{SMALL}": "1", f"count_{LARGE}": "2"}
    assert client_for(personas["province_officer"]).get(url).status_code == 404  # Thái Nguyên: not its commune
    assert client_for(personas["commune_officer"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert client_for(hanoi_officer).get(url).status_code == 200
    viewer = get_user_model().objects.create_user(
        "viewer.hanoi", password=PASSWORD, role="viewer", unit=unit("2025", "01")
    )
    assert client_for(viewer).get(url).status_code == 200
    assert client_for(viewer).post(url, data).status_code == 403
    assert client_for(viewer).post(reverse("areas:share_clear", args=[OLD])).status_code == 403
    assert stored(cong_vi)[SMALL] == ("", None, None)
