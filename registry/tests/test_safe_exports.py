"""A household's head or a village named like a formula downloads as inert text, from the pages as CSV
and as xlsx; the number of members stays a number (issue 16: safe output)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from areas import services as area_services
from conftest import unit
from registry import services

pytestmark = pytest.mark.django_db

HEADS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]
VILLAGE = '=HYPERLINK("http://x","Thôn")'


@pytest.fixture
def hostile(admin_user, reform_year):
    village = area_services.village_create(
        actor=admin_user, commune=unit("2025", "01843"), name=VILLAGE, kind="village", from_year=reform_year
    )
    return [
        services.household_create(actor=admin_user, village=village, head_name=head, members=members)
        for members, head in enumerate(HEADS, start=2)
    ]


def download(client, file_format, village):
    response = client.get(reverse("registry:household_export", args=[file_format]), {"village": village.code})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_csv_download_quotes_formulas_and_keeps_members_a_number(client_for, personas, hostile):
    content = download(client_for(personas["commune_officer"]), "csv", hostile[0].village)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [(row[2], row[3], row[4]) for row in rows[1:]] == [
        ("'" + VILLAGE, "'" + head, str(members)) for members, head in enumerate(HEADS, start=2)
    ]


def test_the_xlsx_download_holds_the_names_as_text_and_members_as_numbers(client_for, personas, hostile):
    content = download(client_for(personas["commune_officer"]), "xlsx", hostile[0].village)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    assert [(row[2].value, row[3].value) for row in rows] == [(VILLAGE, head) for head in HEADS]
    assert {(row[2].data_type, row[3].data_type, row[4].data_type) for row in rows} == {("s", "s", "n")}
    assert [row[4].value for row in rows] == [2, 3, 4, 5]
