"""The review report of Bắc Kạn (pre-2025 code 06) for 2016–2018: a Word document in the state format
whose sentences carry the seed article's numbers, written the Vietnamese way, read from the data."""

import docx
import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _table_with(document, first_cell: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_cell)


def test_the_review_of_bac_kan_2016_2018_says_the_seed_numbers(seed_world, make_file, client):
    report = docx.Document(make_file("review", "pre2025:06", "2016-2018", "so-ket.docx"))
    text = _text(report)
    # The seed's figures, from the entered totals and the network, in Vietnamese number style.
    for phrase in (
        "155.235 lượt hộ gia đình",
        "106 lượt dòng họ",
        "2.797 lượt thôn",
        "950 lượt đơn vị",
        "134 Hội Khuyến học",
        "23% dân số",
    ):
        assert phrase in text, phrase
    assert "gồm 8 hội cấp huyện, 4 hội của các trường cấp tỉnh, 122 hội cấp xã" in text
    assert "Tổng số hội viên là 71.000 người" in text

    # The state format: issuing body beside the national motto, number, place and date, name, signature, recipients.
    masthead = report.tables[0].rows[0].cells
    assert masthead[0].text.splitlines()[:2] == ["HỘI KHUYẾN HỌC VIỆT NAM", "HỘI KHUYẾN HỌC TỈNH BẮC KẠN"]
    assert "Số:" in masthead[0].text and "/BC-HKH" in masthead[0].text
    motto = masthead[1].text.splitlines()
    assert motto[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert motto[-1].startswith("Bắc Kạn, ngày ")
    paragraphs = [p.text for p in report.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert "Sơ kết 3 năm xây dựng các mô hình học tập, giai đoạn 2016 – 2018" in paragraphs
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Kết quả công nhận các danh hiệu học tập",
        "2. Mạng lưới Hội Khuyến học",
        "3. Quỹ khuyến học và học bổng",
        "4. Tiến độ thực hiện chỉ tiêu",
        "5. Địa bàn dẫn đầu và địa bàn còn chậm",
        "6. Công tác khen thưởng",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TIẾP THEO",
    ):
        assert heading in paragraphs, heading
    signature = report.tables[-1].rows[0].cells
    assert signature[0].text.startswith("Nơi nhận:") and "- Lưu: VT." in signature[0].text
    assert "CHỦ TỊCH" in signature[1].text

    # The totals entered name nobody: the report says only lượt are known, and no award is invented.
    assert "chỉ tính được số lượt" in text
    assert "chưa ghi nhận quyết định khen thưởng nào" in text
    # The province's own 2020 targets (seed) for the next period.
    assert "Phấn đấu đến năm 2020, toàn tỉnh có ít nhất 70% hộ gia đình đạt danh hiệu “Gia đình học tập”" in text
    assert "97% xã, phường, thị trấn được công nhận “Cộng đồng học tập” cấp xã" in text
    # Charts are pictures in the document.
    assert len(report.inline_shapes) >= 2

    # The recognitions table equals the statistics API's reading of the same area and years.
    client.force_login(User.objects.get(username="admin"))
    answer = client.get("/api/v1/statistics/figures/", {"area": "pre2025:06", "years": "2016-2018"}).json()
    table = _table_with(report, "Danh hiệu")
    assert [c.text for c in table.rows[0].cells] == [
        "Danh hiệu",
        "Năm 2016",
        "Năm 2017",
        "Năm 2018",
        "Tổng số lượt",
        "Ít nhất một lần",
    ]
    by_title = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    recognised = {(r["title"], r["year"]): r["value"] for r in answer["results"] if r["measure"] == "recognised"}
    lượt = {p["title"]: p["recognitions"] for p in answer["period"]}
    for title, label in (("household", "Gia đình học tập"), ("clan", "Dòng họ học tập"), ("unit", "Đơn vị học tập")):
        expected = [f"{recognised[(title, y)]:,}".replace(",", ".") for y in (2016, 2017, 2018)]
        assert by_title[label][:3] == expected
        assert by_title[label][3] == f"{lượt[title]:,}".replace(",", ".")
        assert by_title[label][4] == "–"  # entered totals: no distinct count


def test_a_final_review_of_a_district_names_its_body_and_the_province_above(seed_world, make_file):
    report = docx.Document(make_file("final_review", "pre2025:064", "2017-2018", "tong-ket.docx"))
    masthead = report.tables[0].rows[0].cells[0].text.splitlines()
    assert masthead[:2] == ["HỘI KHUYẾN HỌC TỈNH BẮC KẠN", "HỘI KHUYẾN HỌC HUYỆN CHỢ ĐỒN"]
    paragraphs = [p.text for p in report.paragraphs]
    assert "Tổng kết 2 năm xây dựng các mô hình học tập, giai đoạn 2017 – 2018" in paragraphs
    assert any(p.startswith("Trong 2 năm 2017–2018, toàn huyện đã có ") for p in paragraphs)
    assert "- Hội Khuyến học tỉnh Bắc Kạn (để báo cáo);" in report.tables[-1].rows[0].cells[0].text
