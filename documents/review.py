"""The review report (sơ kết / tổng kết) as a Word document officials edit, sign and send, laid out in
the state format for administrative documents (Nghị định 30/2020/NĐ-CP): the issuing body and the
national motto side by side, number and symbol, place and date, the document's name, numbered
headings, the signature block and the recipients. Its paragraphs are drafted from the figures
(drafting.py), with tables and charts.

The frame — masthead, name, opening sentence, signature and recipients, fonts and margins — is a Word
template with fields (fields.py): the shipped one built below, or the province's own (template_services.py);
the drafted sections go where the template holds `{{ body }}`."""

import functools
import io

from django.utils import timezone, translation
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from areas.models import Level
from stats import overview, targets
from stats.models import COUNTED_TITLES, Measure

from . import admin_format as fmt
from . import award_report, charts, drafting, readings, template_services
from .admin_format import MOTTO, MOTTO_LINE, in_text, place_of, vietnamese_date
from .numbers import count, percent

RANKED_TITLES = ["household", "village", "unit", "clan"]  # the first with rates ranks the sub-areas


def make_interim(document, path: str, progress) -> None:
    with translation.override("vi"):
        _make(document, path, progress, final=False)


def make_final(document, path: str, progress) -> None:
    with translation.override("vi"):
        _make(document, path, progress, final=True)


def interim_values(area, years, today) -> dict:
    return template_values(area, years, today, final=False)


def final_values(area, years, today) -> dict:
    return template_values(area, years, today, final=True)


def template_values(area, years, today, *, final: bool) -> dict:
    """The values of the template's fields (fields.REVIEW_FIELDS) for a report of the area and years."""
    above, body = issuing_body(area)
    stage = "Tổng kết" if final else "Sơ kết"
    return {
        "issuing_body_above": above,
        "issuing_body": body,
        "association": association_name(area),
        "parent_association": association_name(area.parent) if area is not None else "",
        "committee": f"Ủy ban nhân dân {in_text(area.name)}" if area is not None else "",
        "area_name": area.name if area is not None else "Cả nước",
        "area_in_text": in_text(area.name) if area is not None else "cả nước",
        "whole_area": drafting.whole_area(area),
        "place": place_of(area),
        "date": vietnamese_date(today),
        "stage": stage,
        "stage_lower": stage.lower(),
        "subject": _subject(years, stage),
        "years": drafting.years_phrase(years),
        "first_year": str(years[0]),
        "last_year": str(years[-1]),
    }


def _subject(years, stage: str) -> str:
    if len(years) == 1:
        return f"{stage} năm {years[0]} xây dựng các mô hình học tập"
    return f"{stage} {len(years)} năm xây dựng các mô hình học tập, giai đoạn {years[0]} – {years[-1]}"


# The issuing body, place and date ---------------------------------------------------------------


def issuing_body(area) -> tuple[str, str]:
    """(the body above, the issuing body): the area's study promotion association under the one above."""
    if area is None:
        return "", "HỘI KHUYẾN HỌC VIỆT NAM"
    parent = area.parent
    above = f"HỘI KHUYẾN HỌC {parent.name.upper()}" if parent is not None else "HỘI KHUYẾN HỌC VIỆT NAM"
    return above, f"HỘI KHUYẾN HỌC {area.name.upper()}"


def association_name(area) -> str:
    return f"Hội Khuyến học {in_text(area.name)}" if area is not None else "Hội Khuyến học Việt Nam"


# Building blocks ---------------------------------------------------------------------------------


def _picture(word, png: bytes | None, caption: str) -> None:
    if png is None:
        return
    word.add_picture(io.BytesIO(png), width=Cm(15.5))
    word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.line(word, caption, italic=True, size=12)


def _or_dash(value, formatter=count) -> str:
    return "–" if value is None else formatter(value)


# The document ------------------------------------------------------------------------------------


@functools.cache
def shipped_template() -> bytes:
    """The shipped template of both review reports: the state format, every varying word a field."""
    word = WordDocument()
    fmt.setup_page(word)
    table = word.add_table(rows=1, cols=2)
    fmt.no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    fmt.line(left, "{{ issuing_body_above }}", size=13, first=True)
    fmt.line(left, "{{ issuing_body }}", bold=True, size=13)
    fmt.line(left, "―――――", size=10)
    fmt.line(left, "Số:        /BC-HKH", size=13)
    fmt.line(right, MOTTO, bold=True, size=13, first=True)
    fmt.line(right, MOTTO_LINE, bold=True, size=14)
    fmt.line(right, "―――――――――――――", size=10)
    fmt.line(right, "{{ place }}, {{ date }}", italic=True, size=14)
    word.add_paragraph()
    fmt.line(word, "BÁO CÁO", bold=True, size=14)
    fmt.line(word, "{{ subject }}", bold=True, size=14)
    fmt.line(word, "―――――", size=10)
    word.add_paragraph()
    fmt.body(
        word,
        [
            "{{ association }} báo cáo {{ stage_lower }} kết quả xây dựng các mô hình học tập trên địa bàn "
            "{{ whole_area }} trong {{ years }} như sau:"
        ],
    )
    word.add_paragraph("{{ body }}")
    _signature(word)
    word.core_properties.author = "khuyenhoc"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _make(document, path: str, progress, *, final: bool) -> None:
    area, tree = document.area, document.tree
    years = list(range(document.first_year, document.last_year + 1))
    reading = readings.read_area(area, tree, years)
    progress(0.3)
    values = template_values(area, years, timezone.localdate(), final=final)

    def body(word) -> None:
        _sections(word, document, reading, years, progress)

    word = template_services.fill_for(document, values, {"body": body})
    progress(0.9)
    word.core_properties.title = f"Báo cáo {'tổng kết' if final else 'sơ kết'} {drafting.years_phrase(years)}"
    word.core_properties.author = "khuyenhoc"
    word.save(path)


def _sections(word, document, reading, years, progress) -> None:
    """The drafted sections, written at the end of `word` (the template's `{{ body }}` takes them)."""
    area, tree = document.area, document.tree
    fmt.heading(word, "I. KẾT QUẢ THỰC HIỆN")
    fmt.heading(word, "1. Kết quả công nhận các danh hiệu học tập")
    fmt.body(word, drafting.recognitions(reading))
    _recognitions_table(word, reading)
    _picture(word, _rates_chart(reading), "Biểu đồ 1. Tỷ lệ được công nhận so với tổng số, theo năm")
    progress(0.5)
    fmt.heading(word, "2. Mạng lưới Hội Khuyến học")
    fmt.body(word, drafting.network(reading))
    fmt.heading(word, "3. Quỹ khuyến học và học bổng")
    fmt.body(word, drafting.fund(reading))
    _fund_table(word, reading)
    fmt.heading(word, "4. Tiến độ thực hiện chỉ tiêu")
    fmt.body(word, drafting.progress(reading))
    _progress_table(word, reading)
    fmt.heading(word, "5. Địa bàn dẫn đầu và địa bàn còn chậm")
    title, ranked = _ranked(area, tree, years[-1], readings.reader_of(document))
    progress(0.7)
    fmt.body(
        word,
        drafting.ranking(ranked, title, years[-1]) if title else ["Địa bàn không có đơn vị trực thuộc để so sánh."],
    )
    if title:
        subjects = drafting.TARGET_SUBJECTS[title][0]
        _picture(
            word,
            charts.ranked_bars(ranked, f"Tỷ lệ {subjects} được công nhận năm {years[-1]} (%)"),
            f"Biểu đồ 2. Tỷ lệ {subjects} được công nhận theo địa bàn, năm {years[-1]}",
        )
    fmt.heading(word, "6. Công tác khen thưởng")
    award_report.write(word, area, tree, years, fmt.body, fmt.table)
    fmt.heading(word, "II. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TIẾP THEO")
    next_year, applicable = _next_targets(area, years[-1])
    fmt.body(word, drafting.next_targets(area, next_year, applicable))


def _recognitions_table(word, reading) -> None:
    years = reading.years
    rows = []
    for title in COUNTED_TITLES:
        row = reading.period_row(title)
        rows.append(
            [
                drafting.TITLE_NAMES[title],
                *[_or_dash(reading.recognised(title, year)) for year in years],
                _or_dash(row.recognitions),
                _or_dash(row.distinct),
            ]
        )
    header = ["Danh hiệu", *[f"Năm {y}" for y in years], "Tổng số lượt", "Ít nhất một lần"]
    fmt.table(word, header, rows)


def _rates_chart(reading) -> bytes | None:
    series = {}
    for title in COUNTED_TITLES:
        values = {}
        for year in reading.years:
            rows = overview.title_rows(reading.by_year[year])
            rate = rows[COUNTED_TITLES.index(title)].rate_of_base
            values[year] = float(rate) if rate is not None else None
        series[drafting.TITLE_NAMES[title]] = values
    return charts.rates_by_year(series, reading.years, "Tỷ lệ được công nhận so với tổng số (%)")


def _fund_table(word, reading) -> None:
    rows = []
    for year in reading.years:
        values = [
            reading.network_value(m, year) for m in (Measure.FUND_VND, Measure.SCHOLARSHIPS, Measure.SCHOLARSHIPS_VND)
        ]
        if any(values):
            rows.append([f"Năm {year}", *[_or_dash(v) for v in values]])
    if rows:
        fmt.table(word, ["Năm", "Quỹ khuyến học (đồng)", "Học bổng (suất)", "Học bổng (đồng)"], rows)


def _progress_table(word, reading) -> None:
    if not reading.progress:
        return
    rows = []
    for title in COUNTED_TITLES:
        found = reading.progress[title]
        if found.target is None and found.actual is None:
            continue
        if found.reaches is None:
            verdict = "–"
        else:
            verdict = "Đạt" if found.reaches else "Chưa đạt"
        rows.append(
            [
                drafting.TITLE_NAMES[title],
                _or_dash(found.actual, percent),
                _or_dash(found.target, percent),
                _or_dash(found.gap if found.gap is None or found.gap > 0 else 0, percent),
                _or_dash(found.projected, percent),
                verdict,
            ]
        )
    if rows:
        header = [
            "Danh hiệu",
            "Tỷ lệ đạt được (%)",
            f"Chỉ tiêu năm {reading.target_year} (%)",
            "Còn thiếu (điểm %)",
            f"Dự kiến năm {reading.target_year} (%)",
            "Đánh giá",
        ]
        fmt.table(word, header, rows)


def _ranked(area, tree, year, user) -> tuple[str | None, list[tuple[str, float]]]:
    """The sub-areas ranked by the first title that gives at least two of them a rate."""
    if area is not None and area.level == Level.COMMUNE:
        return None, []
    _kind, children = overview.drill_down(area, year, tree, user)
    for title in RANKED_TITLES:
        index = COUNTED_TITLES.index(title)
        rated = []
        for child, child_figures in children:
            rate = overview.title_rows(child_figures)[index].rate_of_base
            if rate is not None:
                rated.append((child.name, float(rate)))
        if len(rated) >= 2:
            return title, sorted(rated, key=lambda item: (-item[1], item[0]))
    return (RANKED_TITLES[0], []) if children else (None, [])


def _next_targets(area, last_year: int) -> tuple[int | None, dict]:
    """The first target year after the period, and the targets that apply to the area then."""
    later = [year for year in targets.target_years(area) if year > last_year]
    if not later:
        return None, {}
    year = min(later)
    book = targets.TargetBook(year, [area])
    return year, {title: book.applicable(area, title) for title in COUNTED_TITLES}


def _signature(word) -> None:
    word.add_paragraph()
    table = word.add_table(rows=1, cols=2)
    fmt.no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    recipients = fmt.line(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    recipients.paragraph_format.space_after = Pt(0)
    # A line whose fields are empty (the whole country has no body above) is left out by the fill.
    for line in ["- {{ parent_association }} (để báo cáo);", "- {{ committee }} (để báo cáo);", "- Lưu: VT."]:
        fmt.line(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    fmt.line(right, "TM. BAN THƯỜNG TRỰC", bold=True, size=14, first=True)
    fmt.line(right, "CHỦ TỊCH", bold=True, size=14)
    fmt.line(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12)
