"""Certificates of a published decision: one per recognised subject, each with a random check code that
a re-print keeps, refused for a draft or a revoked decision and for a name too long to print."""

import base64

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from conftest import unit
from evaluations import decisions
from evaluations.certificate_models import Certificate
from evaluations.certificates import (
    NAME_MAX_CHARS,
    certificate_for_token,
    certificates_issue,
    check_printable,
    decision_number,
)

from .certificate_helpers import approved_households, decision_of, unit_decision

pytestmark = pytest.mark.django_db

NAMES = ["Hoàng Văn An", "Lý Thị Bình", "Đàm Văn Cường", "Nguyễn Thị Ngọc Ánh", "Triệu Thị Lự"]


@pytest.fixture
def officer(personas):
    return personas["commune_officer"]


@pytest.fixture
def recognised(officer, admin_user, villages, reform_year):
    return approved_households(officer, admin_user, villages["song_cau_1"], NAMES, reform_year)


@pytest.fixture
def published(officer, recognised, reform_year):
    return decision_of(officer, recognised, reform_year, issuing_area=unit("2025", "01843"))


def test_one_certificate_per_recognised_subject_with_the_name_printed(published, officer):
    batch = certificates_issue(decision=published, actor=officer)
    assert [c.name for c in batch] == NAMES
    assert {c.evaluation_id for c in batch} == set(published.evaluations.values_list("pk", flat=True))
    assert all(c.decision_id == published.pk for c in batch)
    entry = AuditEntry.objects.get(action="certificate.issue")
    assert entry.object_id == str(published.pk) and entry.after == {"issued": 5, "total": 5}


def test_codes_are_random_not_a_sequence(published, officer):
    tokens = [c.token for c in certificates_issue(decision=published, actor=officer)]
    assert len(set(tokens)) == len(tokens)
    raw = []
    for token in tokens:
        assert len(token) == 22 and not token.isdigit()
        raw.append(int.from_bytes(base64.urlsafe_b64decode(token + "=="), "big"))
    # 128 random bits each: no common start, no constant step between one certificate and the next.
    assert all(len(set(pair)) == 2 for pair in zip(tokens, tokens[1:], strict=False))
    assert len({a[:4] for a in tokens}) == len(tokens)
    steps = {b - a for a, b in zip(raw, raw[1:], strict=False)}
    assert len(steps) == len(raw) - 1
    assert all(abs(step) > 2**64 for step in steps)


def test_a_reprint_keeps_codes_and_names(published, officer, recognised):
    first = {c.evaluation_id: (c.token, c.name) for c in certificates_issue(decision=published, actor=officer)}
    household = recognised[0].household
    household.head_name = "Hoàng Văn An (đã đổi)"
    household.save()
    again = {c.evaluation_id: (c.token, c.name) for c in certificates_issue(decision=published, actor=officer)}
    assert again == first
    assert Certificate.objects.count() == 5
    assert AuditEntry.objects.filter(action="certificate.issue").count() == 1  # nothing new the second time


def test_a_draft_prints_no_certificate(officer, recognised, reform_year):
    draft = decision_of(officer, recognised, reform_year, issuing_area=unit("2025", "01843"), publish=False)
    with pytest.raises(ValidationError) as error:
        certificates_issue(decision=draft, actor=officer)
    assert "12/QĐ-UBND" in error.value.messages[0] and "chưa ban hành" in error.value.messages[0]
    assert not Certificate.objects.exists()


def test_a_revoked_decision_prints_no_certificate(published, officer):
    certificates_issue(decision=published, actor=officer)
    revoked = decisions.decision_revoke(actor=officer, decision=published, reason="Lập sai danh sách")
    with pytest.raises(ValidationError) as error:
        certificates_issue(decision=revoked, actor=officer)
    assert "đã bị thu hồi" in error.value.messages[0]


def test_a_name_too_long_is_refused_naming_the_subject(officer, reform_year):
    long_name = "Trường Phổ thông Dân tộc Nội trú Trung học cơ sở và Trung học phổ thông " * 2
    assert len(long_name) > NAME_MAX_CHARS
    published, school = unit_decision(officer, long_name, reform_year, issuing_area=unit("2025", "01843"))
    with pytest.raises(ValidationError) as error:
        check_printable(published)
    (message,) = error.value.messages
    assert school.code in message
    assert str(len(long_name.strip())) in message and str(NAME_MAX_CHARS) in message
    with pytest.raises(ValidationError):
        certificates_issue(decision=published, actor=officer)
    assert not Certificate.objects.exists()  # nothing half-issued


def test_the_name_at_the_limit_is_printable(officer, admin_user, villages, reform_year):
    name = ("Trần Thị Mai " * 20)[: NAME_MAX_CHARS - 1] + "ễ"
    assert len(name) == NAME_MAX_CHARS
    recognised = approved_households(officer, admin_user, villages["song_cau_1"], [name], reform_year)
    published = decision_of(officer, recognised, reform_year, issuing_area=unit("2025", "01843"))
    assert [c.name for c in certificates_issue(decision=published, actor=officer)] == [name]


def test_a_certificate_is_found_by_its_code_only(published, officer):
    batch = certificates_issue(decision=published, actor=officer)
    assert certificate_for_token(batch[2].token) == batch[2]
    assert certificate_for_token(batch[2].token[:-1]) is None
    assert certificate_for_token(str(batch[2].pk)) is None
    assert certificate_for_token("") is None
    assert certificate_for_token("x" * 500) is None


def test_the_number_after_so_loses_its_own_so():
    assert decision_number("Số 12/QĐ-UBND") == "12/QĐ-UBND"
    assert decision_number("số: 7/QĐ") == "7/QĐ"
    assert decision_number("12/QĐ-UBND") == "12/QĐ-UBND"


def test_the_decisions_history_says_the_certificates_in_words(published, officer, client):
    from django.urls import reverse

    certificates_issue(decision=published, actor=officer)
    client.force_login(officer)
    page = client.get(reverse("evaluations:decision", args=[published.pk])).content.decode()
    assert "Cấp giấy chứng nhận theo quyết định" in page
    assert "Số giấy cấp lần này</b>: 5" in page and "Tổng số giấy của quyết định</b>: 5" in page
    assert "Issued" not in page and "Total" not in page
