"""A document made from a decision on learning citizens lists persons by name: like the citizens' own
pages, it is for the officers who may see persons' data. A viewer of the same area does not find it in
the list, on its page, in its download, or through the API (404: not even that it exists)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from conftest import unit
from documents.models import Document, DocumentStatus
from evaluations.models import DecisionStatus, RecognitionDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizens_document(reform_year):
    commune = unit("2025", "01843")
    decision = RecognitionDecision.objects.create(
        title="citizen",
        year=reform_year,
        number="7/QĐ-UBND",
        date=datetime.date(reform_year, 12, 1),
        issuing_area=commune,
        issuing_body="Ủy ban nhân dân phường Bắc Kạn",
        signer="Nguyễn Văn Bình",
        status=DecisionStatus.PUBLISHED,
    )
    document = Document.objects.create(
        kind="decision",
        area=commune,
        tree=commune.tree,
        first_year=reform_year,
        last_year=reform_year,
        decision=decision,
        status=DocumentStatus.DONE,
    )
    document.file.save("quyet-dinh.docx", ContentFile(b"Lo Thi Hoa"))
    return document


SEES = [("commune_officer", True), ("province_officer", True), ("viewer", False)]


@pytest.mark.parametrize(("persona", "sees"), SEES)
def test_a_citizens_decision_document_is_for_those_who_may_see_persons(
    client_for, personas, citizens_document, persona, sees
):
    client = client_for(personas[persona])
    pk = citizens_document.pk
    listed = f"/documents/{pk}/" in client.get("/documents/").content.decode()
    answers = [
        client.get(f"/documents/{pk}/").status_code,
        client.get(f"/documents/{pk}/download/").status_code,
        client.get(f"/api/v1/documents/{pk}/").status_code,
        client.get(f"/api/v1/documents/{pk}/download/").status_code,
    ]
    api_listed = pk in [row["id"] for row in client.get("/api/v1/documents/").json()["results"]]
    if sees:
        assert listed and api_listed and answers == [200, 200, 200, 200]
    else:
        assert not listed and not api_listed and answers == [404, 404, 404, 404]
