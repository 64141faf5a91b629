"""The public check of a printed certificate: anyone holding its code (the QR code's address) sees the
title, the name as printed, the year, the decision and the issuing body, and that it was revoked once
it is; nothing else about the household; an unknown code is a 404; the page is never indexed, never
listed in the sitemap, and does not pass its address on."""

import pytest
from django.urls import reverse

from conftest import unit
from evaluations import decisions
from evaluations.certificates import certificates_issue
from evaluations.tests.certificate_helpers import ISSUING_BODY, NUMBER, approved_households, decision_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(personas, admin_user, villages, reform_year):
    officer = personas["commune_officer"]
    recognised = approved_households(
        officer, admin_user, villages["song_cau_1"], ["Đặng Thị Hường", "Lò Văn Ỏ"], reform_year
    )
    decision = decision_of(officer, recognised, reform_year, issuing_area=unit("2025", "01843"))
    return certificates_issue(decision=decision, actor=officer)


def check(client, token):
    return client.get(reverse("portal:certificate", args=[token]))


def assert_hidden(response):
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_anyone_sees_what_the_certificate_says(client, batch, reform_year):
    certificate = batch[0]
    response = check(client, certificate.token)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Giấy chứng nhận này có giá trị." in page
    assert "Gia đình học tập" in page
    assert "Đặng Thị Hường" in page
    assert f"<dd>{reform_year}</dd>" in page
    assert f"Số {NUMBER} ngày 05/12/{reform_year}" in page
    assert ISSUING_BODY in page
    assert "thu hồi" not in page
    assert_hidden(response)


def test_nothing_else_about_the_household_is_shown(client, batch):
    certificate = batch[0]
    household = certificate.evaluation.household
    page = check(client, certificate.token).content.decode()
    assert household.code not in page
    assert household.village.name not in page  # the printed place is on the paper, not here
    assert "Lò Văn Ỏ" not in page  # nor anyone else of the decision
    assert str(certificate.evaluation.total) not in page
    assert certificate.token not in page.replace(reverse("portal:certificate", args=[certificate.token]), "")


def test_an_unknown_code_is_a_404(client, batch):
    for token in ("AAAAAAAAAAAAAAAAAAAAAA", batch[0].token[:-1], str(batch[0].pk), "x" * 300):
        response = check(client, token)
        assert response.status_code == 404
        assert "Không có giấy chứng nhận nào mang mã kiểm tra này" in response.content.decode()
        assert_hidden(response)


def test_a_revoked_decision_shows_on_its_certificates(client, batch, personas):
    decisions.decision_revoke(actor=personas["commune_officer"], decision=batch[0].decision, reason="Lập sai danh sách")
    response = check(client, batch[1].token)
    page = response.content.decode()
    assert response.status_code == 200
    assert "đã bị thu hồi" in page
    assert "Lập sai danh sách" not in page  # the reason stays with the officers
    assert "có giá trị." not in page
    assert "Lò Văn Ỏ" in page


def test_the_page_only_reads(client, batch):
    response = client.post(reverse("portal:certificate", args=[batch[0].token]))
    assert response.status_code == 405


def test_never_in_the_sitemap(client, batch):
    sitemap = client.get(reverse("portal:sitemap")).content.decode()
    assert "giay-chung-nhan" not in sitemap
    assert all(c.token not in sitemap for c in batch)
