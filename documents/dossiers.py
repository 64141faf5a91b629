"""The dossiers behind a recognition decision, drafted from its evaluations' records in the state format:

- the village meeting's minutes (biên bản họp thôn) for a decision recognising households: one set of
  minutes per village, with the grid of every household the village scored that year (the marks in
  force per criterion, the total and the result) and the households proposed;
- a commune's dossier for its own title (hồ sơ đề nghị công nhận “Cộng đồng học tập” cấp xã), for a
  decision recognising communes: per commune, the request (tờ trình), the self-check minutes and the
  scoring sheet by criterion (self-assessed marks and those after verification).

What the records do not hold — the meeting's hour, who chaired it, the members present — is left as
dotted blanks for the officials to fill in, as on the printed forms."""

from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from criteria.models import Scoring, Title
from criteria.services import result_codes
from evaluations.models import Evaluation, Mark
from evaluations.selectors import recognised_in
from evaluations.views import leaves_of, mark_in_force, own_mark

from . import admin_format as fmt
from .decision_text import TITLE_NAMES, body_in_text, body_upper
from .numbers import count
from .readings import reader_of

DOTS = "……………………"
BLANK_TIME = "…… giờ …… ngày …… tháng …… năm ……"


def points_text(value) -> str:
    """A mark as printed: 10, 7,5; passed or not for a pass/fail leaf; – when not marked."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Đạt" if value else "Không đạt"
    value = Decimal(value)
    if value == value.to_integral_value():
        return count(int(value))
    return f"{value.normalize():f}".replace(".", ",")


def _criteria_source(criteria_set) -> str:
    source = f"“{criteria_set.name}”"
    if criteria_set.legal_number:
        source += f" ({criteria_set.legal_number})"
    return source


def _labels(criteria_set) -> dict:
    return dict(result_codes(criteria_set))


def _small_table(word, header: list[str], rows: list[list[str]], *, size=10, bold_rows=(), left_columns=(1,)):
    grid = word.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    fmt.repeat_header(grid)
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(size)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, values in enumerate(rows):
        cells = grid.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, values, strict=True)):
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(size)
            run.bold = index in bold_rows
            if column not in left_columns:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    return grid


def _new_word():
    word = WordDocument()
    fmt.setup_page(word)
    return word


# The village meeting's minutes --------------------------------------------------------------------


@dataclass
class GridLine:
    evaluation: Evaluation
    marks: list  # in the order of the leaves
    proposed: bool


def make_minutes(document, path: str, progress) -> None:
    with translation.override("vi"):
        decision = document.decision
        reader = reader_of(document)
        recognised = list(recognised_in(reader, decision).select_related("household__village"))
        if not recognised:
            raise ValidationError(
                _("Decision %(number)s recognises no one in your area.") % {"number": decision.number}, code="empty"
            )
        villages = OrderedDict()
        for evaluation in recognised:
            villages.setdefault(evaluation.household.village_id, evaluation)
        word = _new_word()
        for index, (village_id, first) in enumerate(villages.items()):
            if index:
                fmt.page_break(word)
            proposed = {e.pk for e in recognised if e.household.village_id == village_id}
            _village_minutes(word, decision, reader, first, proposed)
            progress(0.1 + 0.8 * (index + 1) / len(villages))
        word.core_properties.title = f"Biên bản họp thôn bình xét năm {decision.year}"
        word.core_properties.author = "khuyenhoc"
        word.save(path)


def _village_evaluations(reader, decision, village):
    return list(
        Evaluation.objects.visible_to(reader)
        .filter(title=Title.HOUSEHOLD, year=decision.year, household__village=village)
        .select_related("criteria_set", "household__village", "area")
        .prefetch_related("marks")
        .order_by("household__sort_key", "household__code", "pk")
    )


def _village_minutes(word, decision, reader, first: Evaluation, proposed: set) -> None:
    village, commune = first.household.village, first.area
    title_name = TITLE_NAMES[Title.HOUSEHOLD]
    fmt.masthead(
        word,
        above=body_upper(f"UBND {commune.name}"),
        body_name=village.name.upper(),
        number="……/BB-HN",
        place=fmt.place_of_body(commune),
        date_text=fmt.BLANK_DATE,
    )
    fmt.title_block(word, "BIÊN BẢN", [f"Họp bình xét danh hiệu {title_name} năm {decision.year}"])
    evaluations = _village_evaluations(reader, decision, village)
    fmt.paragraph(
        word,
        f"Hôm nay, hồi {BLANK_TIME}, tại {village.name}, {fmt.in_text(commune.name)}, hội nghị "
        f"{_village_words(village)[0]} họp bình xét danh hiệu {title_name} năm {decision.year}.",
    )
    fmt.heading(word, "I. THÀNH PHẦN")
    fmt.paragraph(word, f"- Chủ trì hội nghị: {DOTS}, {_village_words(village)[1]};", indent=False)
    fmt.paragraph(word, f"- Thư ký: {DOTS};", indent=False)
    fmt.paragraph(word, f"- Đại diện các hộ gia đình có mặt: …… hộ / tổng số …… hộ; khách mời: {DOTS}.", indent=False)
    fmt.heading(word, "II. NỘI DUNG")
    by_set = OrderedDict()
    for evaluation in evaluations:
        by_set.setdefault(evaluation.criteria_set_id, []).append(evaluation)
    for chosen in by_set.values():
        criteria_set = chosen[0].criteria_set
        leaves = leaves_of(criteria_set)
        pass_note = ""
        if criteria_set.pass_total is not None:
            pass_note = f"; hộ đạt danh hiệu khi có tổng điểm từ {points_text(criteria_set.pass_total)} điểm trở lên"
        fmt.paragraph(
            word,
            f"Hội nghị đã bình xét, chấm điểm từng hộ theo bộ tiêu chí {_criteria_source(criteria_set)}"
            f"{pass_note}. Kết quả chấm điểm như sau:",
        )
        _grid(word, chosen, leaves, proposed)
    named = [e for e in evaluations if e.pk in proposed]
    fmt.heading(word, "III. KẾT LUẬN")
    fmt.paragraph(
        word,
        f"Số hộ được bình xét, chấm điểm: {count(len(evaluations))} hộ. Hội nghị thống nhất đề nghị "
        f"{body_in_text(f'UBND {commune.name}')} công nhận danh hiệu {title_name} năm {decision.year} cho "
        f"{count(len(named))} hộ gia đình: {', '.join(e.household.head_name for e in named)}.",
    )
    fmt.paragraph(
        word,
        "Biên bản kết thúc hồi …… giờ …… cùng ngày, đã được đọc lại cho hội nghị nghe và nhất trí thông qua.",
    )
    fmt.signatures_side_by_side(word, [("THƯ KÝ", ""), ("CHỦ TRÌ HỘI NGHỊ", "")])


# A village's kind as the minutes name it, and who chairs its meeting.
VILLAGE_WORDS = {
    "village": ("thôn", "Trưởng thôn"),
    "hamlet": ("bản", "Trưởng bản"),
    "residential_group": ("tổ dân phố", "Tổ trưởng tổ dân phố"),
    "sub_area": ("khu phố", "Trưởng khu phố"),
}


def _village_words(village) -> tuple[str, str]:
    return VILLAGE_WORDS.get(village.kind, ("thôn", "Trưởng thôn"))


def _grid(word, evaluations, leaves, proposed) -> None:
    """The scoring grid: a household a row, a criterion a column, then the total, the result and
    whether the meeting proposes it."""
    labels = _labels(evaluations[0].criteria_set)
    header = ["STT", "Họ và tên chủ hộ", *[leaf.code for leaf in leaves], "Tổng điểm", "Kết quả", "Đề nghị"]
    rows = []
    for number, evaluation in enumerate(evaluations, start=1):
        marks = {m.node_id: m for m in evaluation.marks.all()}
        rows.append(
            [
                str(number),
                evaluation.household.head_name,
                *[points_text(mark_in_force(marks.get(leaf.pk), leaf.scoring)) for leaf in leaves],
                points_text(evaluation.total),
                str(labels.get(evaluation.result, evaluation.result)) if evaluation.result else "–",
                "x" if evaluation.pk in proposed else "",
            ]
        )
    _small_table(word, header, rows, size=10)
    legend = "; ".join(
        f"{leaf.code}: {leaf.name or leaf.code}"
        + (
            f" (tối đa {points_text(leaf.max_points)} điểm)"
            if leaf.scoring == Scoring.POINTS and leaf.max_points
            else ""
        )
        for leaf in leaves
    )
    fmt.paragraph(word, f"Ghi chú các cột tiêu chí: {legend}.", italic=True, indent=False)


# A commune's dossier for its own title ------------------------------------------------------------


@dataclass
class SheetRow:
    code: str
    name: str
    depth: int
    leaf: bool
    max_points: Decimal | None
    own: object
    in_force: object
    note: str


def scoring_sheet(evaluation: Evaluation) -> list[SheetRow]:
    """The set's tree depth first; a group shows the sums of its leaves' points."""
    nodes = list(evaluation.criteria_set.nodes.all())
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    marks = {m.node_id: m for m in Mark.objects.filter(evaluation=evaluation)}
    rows: list[SheetRow] = []

    def walk(parent_id, depth) -> tuple:
        sums = [Decimal(0), Decimal(0), Decimal(0)]  # max, own, in force
        for node in sorted(children[parent_id], key=lambda n: (n.position, n.pk)):
            if children[node.pk]:
                row = SheetRow(node.code, node.name, depth, False, None, None, None, "")
                rows.append(row)
                node_max, node_own, node_force = walk(node.pk, depth + 1)
                row.max_points = node.max_points if node.max_points is not None else node_max
                row.own, row.in_force = node_own, node_force
                sums[0] += row.max_points or 0
                sums[1] += node_own
                sums[2] += node_force
            else:
                mark = marks.get(node.pk)
                own, force = own_mark(mark, node.scoring), mark_in_force(mark, node.scoring)
                rows.append(
                    SheetRow(node.code, node.name, depth, True, node.max_points, own, force, mark.note if mark else "")
                )
                if node.scoring == Scoring.POINTS:
                    sums[0] += node.max_points or 0
                    sums[1] += own or 0
                    sums[2] += force or 0
        return tuple(sums)

    totals = walk(None, 0)
    rows.append(SheetRow("", "TỔNG CỘNG", 0, False, totals[0], totals[1], totals[2], ""))
    return rows


def make_commune_dossier(document, path: str, progress) -> None:
    with translation.override("vi"):
        decision = document.decision
        recognised = list(recognised_in(reader_of(document), decision))
        if not recognised:
            raise ValidationError(
                _("Decision %(number)s recognises no one in your area.") % {"number": decision.number}, code="empty"
            )
        word = _new_word()
        for index, evaluation in enumerate(recognised):
            if index:
                fmt.page_break(word)
            sheet = scoring_sheet(evaluation)
            _request(word, decision, evaluation, sheet[-1])
            fmt.page_break(word)
            _self_check(word, decision, evaluation, sheet)
            fmt.page_break(word)
            _sheet(word, decision, evaluation, sheet)
            progress(0.1 + 0.8 * (index + 1) / len(recognised))
        word.core_properties.title = f"Hồ sơ đề nghị công nhận Cộng đồng học tập cấp xã năm {decision.year}"
        word.core_properties.author = "khuyenhoc"
        word.save(path)


def _commune_masthead(word, commune, number: str, day) -> None:
    fmt.masthead(
        word,
        above="",
        body_name=body_upper(f"UBND {commune.name}"),
        number=number,
        place=fmt.place_of_body(commune),
        date_text=fmt.vietnamese_date(day) if day else fmt.BLANK_DATE,
    )


def _total_phrase(total: SheetRow, *, own: bool) -> str:
    value = total.own if own else total.in_force
    return f"{points_text(value)}/{points_text(total.max_points)} điểm"


def _request(word, decision, evaluation, total: SheetRow) -> None:
    commune = evaluation.commune
    title_name = TITLE_NAMES[Title.COMMUNE]
    submitted = evaluation.submitted_at.date() if evaluation.submitted_at else None
    _commune_masthead(word, commune, "……/TTr-UBND", submitted)
    fmt.title_block(word, "TỜ TRÌNH", [f"Đề nghị công nhận danh hiệu {title_name} năm {decision.year}"])
    fmt.line(word, f"Kính gửi: {body_in_text(decision.issuing_body)}.", size=14)
    word.add_paragraph()
    fmt.paragraph(word, f"Căn cứ bộ tiêu chí {_criteria_source(evaluation.criteria_set)};", italic=True)
    label = _labels(evaluation.criteria_set).get(evaluation.result, evaluation.result)
    fmt.paragraph(
        word,
        f"{body_in_text(f'UBND {commune.name}')} đã tổ chức tự kiểm tra, đánh giá kết quả xây dựng "
        f"{title_name} năm {decision.year} theo bộ tiêu chí. Tổng số điểm tự đánh giá đạt "
        f"{_total_phrase(total, own=True)}; kết quả: {label}.",
    )
    fmt.paragraph(
        word,
        f"{body_in_text(f'UBND {commune.name}')} kính đề nghị {body_in_text(decision.issuing_body)} xem xét, "
        f"công nhận {fmt.in_text(commune.name)} đạt danh hiệu {title_name} năm {decision.year}.",
    )
    files = evaluation.evidence.count()
    fmt.paragraph(
        word,
        "Hồ sơ kèm theo: Biên bản tự kiểm tra; Bảng chấm điểm theo tiêu chí"
        + (f"; {count(files)} tệp minh chứng." if files else "."),
    )
    fmt.signature(
        word,
        recipients=["- Như trên;", "- Lưu: VT."],
        authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        signer=DOTS,
    )


def _self_check(word, decision, evaluation, sheet: list[SheetRow]) -> None:
    commune = evaluation.commune
    title_name = TITLE_NAMES[Title.COMMUNE]
    _commune_masthead(word, commune, "……/BB-UBND", None)
    fmt.title_block(word, "BIÊN BẢN", [f"Tự kiểm tra, đánh giá kết quả xây dựng {title_name} năm {decision.year}"])
    fmt.paragraph(
        word,
        f"Hôm nay, hồi {BLANK_TIME}, tại trụ sở {body_in_text(f'UBND {commune.name}')}, đoàn tự kiểm tra "
        f"của {fmt.in_text(commune.name)} tiến hành kiểm tra, đánh giá theo bộ tiêu chí "
        f"{_criteria_source(evaluation.criteria_set)}.",
    )
    fmt.heading(word, "I. THÀNH PHẦN ĐOÀN TỰ KIỂM TRA")
    fmt.paragraph(word, f"- Trưởng đoàn: {DOTS};", indent=False)
    fmt.paragraph(word, f"- Thư ký: {DOTS};", indent=False)
    fmt.paragraph(word, f"- Các thành viên: {DOTS}.", indent=False)
    fmt.heading(word, "II. KẾT QUẢ TỰ KIỂM TRA")
    for row in sheet[:-1]:
        if row.depth == 0:
            scored = f"đạt {points_text(row.own)}/{points_text(row.max_points)} điểm"
            if row.leaf and isinstance(row.own, bool):
                scored = points_text(row.own).lower()
            fmt.paragraph(word, f"- {row.code}. {row.name}: {scored}.", indent=False)
    fmt.paragraph(word, "Chi tiết theo từng tiêu chí tại Bảng chấm điểm kèm theo.", indent=False)
    fmt.heading(word, "III. KẾT LUẬN")
    label = _labels(evaluation.criteria_set).get(evaluation.result, evaluation.result)
    fmt.paragraph(
        word,
        f"Tổng số điểm tự đánh giá: {_total_phrase(sheet[-1], own=True)}; kết quả: {label}. Đoàn tự kiểm tra "
        f"đề nghị {body_in_text(f'UBND {commune.name}')} lập hồ sơ đề nghị công nhận danh hiệu "
        f"{title_name} năm {decision.year}.",
    )
    fmt.signatures_side_by_side(word, [("THƯ KÝ", ""), ("TRƯỞNG ĐOÀN", "")])


def _sheet(word, decision, evaluation, sheet: list[SheetRow]) -> None:
    commune = evaluation.commune
    fmt.line(word, "BẢNG CHẤM ĐIỂM THEO TIÊU CHÍ", bold=True, size=14)
    fmt.line(
        word,
        f"{TITLE_NAMES[Title.COMMUNE]} năm {decision.year} – {commune.name}",
        bold=True,
        size=13,
    )
    fmt.line(word, f"(Bộ tiêu chí {_criteria_source(evaluation.criteria_set)})", italic=True, size=12)
    word.add_paragraph()
    header = ["Mã", "Tiêu chuẩn, tiêu chí, chỉ số", "Điểm tối đa", "Điểm tự chấm", "Điểm sau thẩm định", "Ghi chú"]
    rows, bold = [], []
    for index, row in enumerate(sheet):
        if not row.leaf:
            bold.append(index)
        rows.append(
            [
                row.code,
                ("   " * row.depth) + (row.name or row.code),
                points_text(row.max_points) if row.max_points is not None else "",
                points_text(row.own),
                points_text(row.in_force),
                row.note,
            ]
        )
    _small_table(word, header, rows, size=11, bold_rows=bold, left_columns=(1, 5))
    label = _labels(evaluation.criteria_set).get(evaluation.result, evaluation.result)
    fmt.paragraph(
        word,
        f"Tổng điểm sau thẩm định ghi trong hồ sơ: {points_text(evaluation.total)} điểm; kết quả: {label}.",
        indent=False,
    )
    fmt.signatures_side_by_side(word, [("NGƯỜI CHẤM ĐIỂM", ""), ("TM. ĐOÀN TỰ KIỂM TRA", "")])
