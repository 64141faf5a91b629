"""The statistical report workbook: every number is the statistics API's for the same area and years,
each figure says where it comes from, and the sheets are ready to print and send up."""

import openpyxl
import pytest

from accounts.models import User
from areas.models import AdministrativeUnit, Level, VillagePlacement, subtree_q
from conftest import unit

pytestmark = pytest.mark.django_db

TITLE_SHEETS = [
    ("household", "Gia đình học tập"),
    ("clan", "Dòng họ học tập"),
    ("village", "Cộng đồng học tập thôn"),
    ("unit", "Đơn vị học tập"),
    ("commune", "Cộng đồng học tập cấp xã"),
    ("citizen", "Công dân học tập"),
]


def _rows(sheet):
    return list(sheet.iter_rows(values_only=True))


def test_the_workbook_of_bac_kan_holds_the_api_figures_for_every_sub_area(seed_world, make_file, client):
    book = openpyxl.load_workbook(make_file("workbook", "pre2025:06", "2016-2018", "bao-cao.xlsx"))
    assert book.sheetnames == ["Tổng hợp", *[name for _title, name in TITLE_SHEETS], "Mạng lưới, quỹ"]
    client.force_login(User.objects.get(username="admin"))
    answer = client.get(
        "/api/v1/statistics/figures/", {"area": "pre2025:06", "years": "2016-2018", "children": "true"}
    ).json()
    figure = {(r["area_code"], r["year"], r["title"], r["measure"]): r["value"] for r in answer["results"]}
    lượt = {p["title"]: p["recognitions"] for p in answer["period"]}

    households = _rows(book["Gia đình học tập"])
    assert households[2][:7] == (
        "STT",
        "Mã",
        "Địa bàn",
        "Loại",
        "Tổng số năm 2018",
        "Đăng ký năm 2018",
        "Công nhận năm 2018",
    )
    assert households[2][9] == "Chỉ tiêu năm 2020 (%)"
    assert households[2][11] == "Lượt công nhận 2016–2018"
    total = households[3]
    assert total[1:3] == ("06", "Tỉnh Bắc Kạn")
    assert total[4:7] == tuple(figure[("06", 2018, "household", m)] for m in ("base", "registered", "recognised"))
    assert total[11] == lượt["household"] == 155_235
    assert total[9] == 70 and total[10] == pytest.approx(70 - total[7], abs=0.05)  # the province's 2020 target
    assert total[7] == pytest.approx(100 * total[6] / total[4], abs=0.05)
    for title, name in TITLE_SHEETS[1:4]:
        assert _rows(book[name])[3][11] == lượt[title]
    assert [lượt[t] for t in ("clan", "village", "unit")] == [106, 2_797, 950]

    # Every sub-area the province holds, depth first: districts, their communes, each with its villages.
    province = unit("pre2025", "06")
    under = AdministrativeUnit.objects.filter(subtree_q("path", province.path)).exclude(pk=province.pk)
    villages = VillagePlacement.objects.covering(2018).filter(commune__in=under).values("village").distinct()
    rows = households[4:]
    assert len(rows) == under.count() + villages.count()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    # Villages hold households and their own title: the other titles' sheets and the network list units only.
    for _title, name in TITLE_SHEETS[2:]:
        assert len(_rows(book[name])) - 4 == (
            under.count() + villages.count() if name == "Cộng đồng học tập thôn" else under.count()
        )
    assert len(_rows(book["Dòng họ học tập"])) - 4 == under.count()
    assert len(_rows(book["Mạng lưới, quỹ"])) - 4 == under.count()
    by_code = {r[1]: r for r in rows}
    for district in under.filter(level=Level.DISTRICT):
        row = by_code[district.code]
        assert row[4:7] == tuple(
            figure[(district.code, 2018, "household", m)] for m in ("base", "registered", "recognised")
        )
    # A commune's recognitions of 2018 were entered there (the seed's totals); its villages follow it.
    index = next(i for i, r in enumerate(rows) if len(r[1]) == 5)
    commune, first_village = rows[index], rows[index + 1]
    assert commune[12].startswith("Nhập tổng hợp tại địa bàn này")
    assert first_village[1].startswith(commune[1] + "-")
    district_lượt = sum(by_code[d.code][11] for d in under.filter(level=Level.DISTRICT))
    assert district_lượt == 155_235  # the sub-areas add up to the province

    # The network sheet: the province's associations, members and share of the population.
    network = _rows(book["Mạng lưới, quỹ"])
    header = list(network[2])
    province_row = dict(zip(header, network[3], strict=True))
    assert province_row["Hội khuyến học cấp huyện"] == 8
    assert province_row["Ban khuyến học dòng họ"] == 190
    assert province_row["Hội viên / dân số (%)"] == 23.0
    summary = _rows(book["Tổng hợp"])
    flat = [cell for row in summary for cell in row if cell is not None]
    assert "Hội Khuyến học trên địa bàn (không kể hội cấp mình)" in flat
    assert flat[flat.index("Hội Khuyến học trên địa bàn (không kể hội cấp mình)") + 1] == 134

    # Ready to print: A4 landscape, header rows frozen and repeated, page numbers; numbers formatted.
    sheet = book["Gia đình học tập"]
    assert sheet.freeze_panes == "D4"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$1:$3"
    assert "&P" in sheet.oddFooter.center.text
    assert sheet["E4"].number_format == "#,##0" and sheet["H4"].number_format == "0.0"


def test_a_commune_workbook_lists_its_villages_from_records(seed_world, make_file):
    book = openpyxl.load_workbook(make_file("workbook", "pre2025:01837", "2018", "xa.xlsx"))
    rows = _rows(book["Gia đình học tập"])
    assert rows[3][1] == "01837" and rows[2][11] == "Lượt công nhận 2018"
    villages = VillagePlacement.objects.covering(2018).filter(commune=unit("pre2025", "01837")).count()
    assert len(rows) - 4 == villages
    assert all(row[1].startswith("01837-") for row in rows[4:])


def test_years_before_the_reform_shown_on_the_2025_tree_say_they_are_mapped(seed_world, make_file):
    book = openpyxl.load_workbook(make_file("workbook", "2025:19", "2016-2018", "thai-nguyen.xlsx"))
    total = _rows(book["Gia đình học tập"])[3]
    assert total[1:3] == ("19", "Tỉnh Thái Nguyên")
    assert total[11] == 155_235  # Bắc Kạn's recognitions, mapped into the province it merged into
    assert total[12] == "Quy đổi từ cây đơn vị trước 2025"
