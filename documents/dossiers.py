"""The dossiers behind a recognition decision, drafted from its evaluations' records in the state format:

- the village meeting's minutes (biên bản họp thôn) for a decision recognising households: one set of
  minutes per village, with the grid of every household the village scored that year (the marks in
  force per criterion, the total and the result) and the households proposed;
- a commune's dossier for its own title (hồ sơ đề nghị công nhận “Cộng đồng học tập” cấp xã), for a
  decision recognising communes: per commune, the request (tờ trình), the self-check minutes and the
  scoring sheet by criterion (self-assessed marks and those after verification).

Each is a Word template with fields (fields.MINUTES_FIELDS, fields.COMMUNE_DOSSIER_FIELDS): the shipped
one (dossier_templates.py) or the province's own, filled once per village or per commune from the values
read in dossier_values.py; the grid and the sheet are drafted here, in the template's block fields."""

from collections import OrderedDict

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from criteria.models import Title
from evaluations.models import Evaluation
from evaluations.selectors import recognised_in

from . import admin_format as fmt
from . import docx_fill, template_services
from .dossier_values import (
    SAMPLE_GRID,
    SAMPLE_SHEET,
    Grid,
    SheetRow,
    commune_dossier_values,
    grids_of,
    minutes_values,
    points_text,
    scoring_sheet,
)
from .readings import reader_of


def _small_table(word, header: list[str], rows: list[list[str]], *, size=10, bold_rows=(), left_columns=(1,)):
    grid = word.add_table(rows=1, cols=len(header))
    docx_fill.grid(word, grid)
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


def _refuse_empty(recognised, decision) -> None:
    if not recognised:
        raise ValidationError(
            _("Decision %(number)s recognises no one in your area.") % {"number": decision.number}, code="empty"
        )


# The village meeting's minutes --------------------------------------------------------------------


def make_minutes(document, path: str, progress) -> None:
    with translation.override("vi"):
        decision = document.decision
        reader = reader_of(document)
        recognised = list(recognised_in(reader, decision))  # with each household's village
        _refuse_empty(recognised, decision)
        villages = OrderedDict()
        for evaluation in recognised:
            villages.setdefault(evaluation.household.village_id, evaluation)
        copies = []
        for index, (village_id, first) in enumerate(villages.items()):
            village, commune = first.household.village, first.area
            proposed = {e.pk for e in recognised if e.household.village_id == village_id}
            evaluations = _village_evaluations(reader, decision, village)
            values = minutes_values(decision, village, commune, evaluations, proposed)
            copies.append((values, {"scoring_grid": grid_writer(grids_of(evaluations, proposed))}))
            progress(0.1 + 0.6 * (index + 1) / len(villages))
        word = template_services.fill_each_for(document, copies)
        progress(0.9)
        word.core_properties.title = f"Biên bản họp thôn bình xét năm {decision.year}"
        word.core_properties.author = "khuyenhoc"
        word.save(path)


def _village_evaluations(reader, decision, village) -> list[Evaluation]:
    return list(
        Evaluation.objects.visible_to(reader)
        .filter(title=Title.HOUSEHOLD, year=decision.year, household__village=village)
        .select_related("criteria_set", "household__village", "area")
        .prefetch_related("marks")
        .order_by("household__sort_key", "household__code", "pk")
    )


def grid_writer(grids: list[Grid]):
    """What the minutes' block field `scoring_grid` holds: each grid with the names of its criteria
    under it; the set named above each grid when the village was scored against more than one."""

    def write(word) -> None:
        for grid in grids:
            if len(grids) > 1:
                fmt.paragraph(word, f"Theo bộ tiêu chí {grid.source}:", italic=True, indent=False)
            _small_table(word, grid.header, grid.rows, size=10)
            fmt.paragraph(word, f"Ghi chú các cột tiêu chí: {grid.legend}.", italic=True, indent=False)

    return write


def minutes_sample_blocks() -> dict:
    return {"scoring_grid": grid_writer([SAMPLE_GRID])}


# A commune's dossier for its own title ------------------------------------------------------------


def make_commune_dossier(document, path: str, progress) -> None:
    with translation.override("vi"):
        decision = document.decision
        recognised = list(recognised_in(reader_of(document), decision))
        _refuse_empty(recognised, decision)
        copies = []
        for index, evaluation in enumerate(recognised):
            sheet = scoring_sheet(evaluation)
            copies.append((commune_dossier_values(decision, evaluation, sheet), {"scoring_sheet": sheet_writer(sheet)}))
            progress(0.1 + 0.6 * (index + 1) / len(recognised))
        word = template_services.fill_each_for(document, copies)
        progress(0.9)
        word.core_properties.title = f"Hồ sơ đề nghị công nhận Cộng đồng học tập cấp xã năm {decision.year}"
        word.core_properties.author = "khuyenhoc"
        word.save(path)


def sheet_writer(sheet: list[SheetRow]):
    """What the dossier's block field `scoring_sheet` holds: the set's tree, a row per standard,
    criterion and indicator (groups in bold, with the sums of their leaves), the total last."""
    header = ["Mã", "Tiêu chuẩn, tiêu chí, chỉ số", "Điểm tối đa", "Điểm tự chấm", "Điểm sau thẩm định", "Ghi chú"]
    rows = [
        [
            row.code,
            ("   " * row.depth) + (row.name or row.code),
            points_text(row.max_points) if row.max_points is not None else "",
            points_text(row.own),
            points_text(row.in_force),
            row.note,
        ]
        for row in sheet
    ]
    bold = [index for index, row in enumerate(sheet) if not row.leaf]

    def write(word) -> None:
        _small_table(word, header, rows, size=11, bold_rows=bold, left_columns=(1, 5))

    return write


def commune_dossier_sample_blocks() -> dict:
    return {"scoring_sheet": sheet_writer(SAMPLE_SHEET)}
