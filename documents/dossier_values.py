"""What the dossiers behind a recognition decision say, read from its evaluations' records: the values of
the templates' fields (fields.MINUTES_FIELDS, fields.COMMUNE_DOSSIER_FIELDS) and the content of their
drafted tables — a village's scoring grid, a commune's scoring sheet — which dossiers.py writes.

Also the illustrative values and tables the preview of a province's template is filled with."""

from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from criteria.models import Scoring, Title
from criteria.services import result_codes
from evaluations.models import Evaluation, Mark
from evaluations.views import leaves_of, mark_in_force, own_mark

from . import admin_format as fmt
from .decision_text import TITLE_NAMES, body_in_text, body_upper
from .numbers import count

# A village's kind as the minutes name it, and who chairs its meeting.
VILLAGE_WORDS = {
    "village": ("thôn", "Trưởng thôn"),
    "hamlet": ("bản", "Trưởng bản"),
    "residential_group": ("tổ dân phố", "Tổ trưởng tổ dân phố"),
    "sub_area": ("khu phố", "Trưởng khu phố"),
}


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


def criteria_source(criteria_set) -> str:
    source = f"“{criteria_set.name}”"
    if criteria_set.legal_number:
        source += f" ({criteria_set.legal_number})"
    return source


def result_label(evaluation: Evaluation) -> str:
    if not evaluation.result:
        return "–"
    return str(dict(result_codes(evaluation.criteria_set)).get(evaluation.result, evaluation.result))


def _commune_values(name: str) -> dict:
    return {
        "commune": name,
        "commune_in_text": fmt.in_text(name),
        "commune_committee": body_in_text(f"UBND {name}"),
    }


# The village meeting's minutes --------------------------------------------------------------------


@dataclass
class Grid:
    """One scoring grid of a village's meeting: the households scored against one set of criteria."""

    source: str  # the set, as criteria_source names it
    header: list[str]
    rows: list[list[str]]
    legend: str  # what each criterion column stands for


def grids_of(evaluations: list[Evaluation], proposed: set) -> list[Grid]:
    """A grid per set of criteria the village's households were scored against (one, but for a year
    whose set changed): a household a row, a criterion a column, then the total, the result and whether
    the meeting proposes it."""
    by_set = OrderedDict()
    for evaluation in evaluations:
        by_set.setdefault(evaluation.criteria_set_id, []).append(evaluation)
    grids = []
    for chosen in by_set.values():
        leaves = leaves_of(chosen[0].criteria_set)
        rows = []
        for number, evaluation in enumerate(chosen, start=1):
            marks = {m.node_id: m for m in evaluation.marks.all()}
            rows.append(
                [
                    str(number),
                    evaluation.household.head_name,
                    *[points_text(mark_in_force(marks.get(leaf.pk), leaf.scoring)) for leaf in leaves],
                    points_text(evaluation.total),
                    result_label(evaluation),
                    "x" if evaluation.pk in proposed else "",
                ]
            )
        legend = "; ".join(
            f"{leaf.code}: {leaf.name or leaf.code}"
            + (
                f" (tối đa {points_text(leaf.max_points)} điểm)"
                if leaf.scoring == Scoring.POINTS and leaf.max_points
                else ""
            )
            for leaf in leaves
        )
        header = ["STT", "Họ và tên chủ hộ", *[leaf.code for leaf in leaves], "Tổng điểm", "Kết quả", "Đề nghị"]
        grids.append(Grid(criteria_source(chosen[0].criteria_set), header, rows, legend))
    return grids


def _pass_rule(criteria_sets: list) -> str:
    with_total = [s for s in criteria_sets if s.pass_total is not None]
    if len(criteria_sets) == 1 and with_total:
        return f"Hộ đạt danh hiệu khi có tổng điểm từ {points_text(with_total[0].pass_total)} điểm trở lên."
    return " ".join(
        f"Theo bộ tiêu chí {criteria_source(s)}, hộ đạt danh hiệu khi có tổng điểm từ "
        f"{points_text(s.pass_total)} điểm trở lên."
        for s in with_total
    )


def minutes_values(decision, village, commune, evaluations: list[Evaluation], proposed: set) -> dict:
    """The fields of one village's minutes: every household it scored in the decision's year
    (`evaluations`), those the decision recognises (`proposed`) named as proposed."""
    kind, chair = VILLAGE_WORDS.get(village.kind, VILLAGE_WORDS["village"])
    criteria_sets = list({e.criteria_set_id: e.criteria_set for e in evaluations}.values())
    named = [e for e in evaluations if e.pk in proposed]
    return {
        "issuing_body_above": body_upper(f"UBND {commune.name}"),
        "issuing_body": village.name.upper(),
        "place": fmt.place_of_body(commune),
        "title_name": TITLE_NAMES[Title.HOUSEHOLD],
        "year": str(decision.year),
        **_commune_values(commune.name),
        "criteria": " và ".join(criteria_source(s) for s in criteria_sets),
        "village": village.name,
        "village_kind": kind,
        "chair": chair,
        "pass_rule": _pass_rule(criteria_sets),
        "scored_count": count(len(evaluations)),
        "proposed_count": count(len(named)),
        "proposed_names": ", ".join(e.household.head_name for e in named),
    }


def minutes_sample(area, years, today) -> dict:
    """Illustrative minutes of a village of the area, for the preview of a template."""
    commune = "Xã Minh Họa"
    return {
        "issuing_body_above": body_upper(f"UBND {commune}"),
        "issuing_body": "THÔN MINH HỌA",
        "place": "Minh Họa",
        "title_name": TITLE_NAMES[Title.HOUSEHOLD],
        "year": str(years[-1]),
        **_commune_values(commune),
        "criteria": "“Gia đình học tập” (minh họa)",
        "village": "Thôn Minh Họa",
        "village_kind": "thôn",
        "chair": "Trưởng thôn",
        "pass_rule": "Hộ đạt danh hiệu khi có tổng điểm từ 70 điểm trở lên.",
        "scored_count": "3",
        "proposed_count": "2",
        "proposed_names": "Nguyễn Văn Bình, Trần Thị Cúc",
    }


SAMPLE_GRID = Grid(
    "“Gia đình học tập” (minh họa)",
    ["STT", "Họ và tên chủ hộ", "1", "2", "3", "Tổng điểm", "Kết quả", "Đề nghị"],
    [
        ["1", "Nguyễn Văn Bình", "30", "30", "35", "95", "Đạt", "x"],
        ["2", "Trần Thị Cúc", "25", "25", "30", "80", "Đạt", "x"],
        ["3", "Lê Văn Dũng", "20", "15", "20", "55", "Không đạt", ""],
    ],
    "1, 2, 3: các tiêu chí (minh họa)",
)


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
    """The set's tree depth first; a group shows the sums of its leaves' points; the total last."""
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


def _standard_score(row: SheetRow) -> str:
    if row.leaf and isinstance(row.own, bool):
        return points_text(row.own).lower()
    return f"đạt {points_text(row.own)}/{points_text(row.max_points)} điểm"


def commune_dossier_values(decision, evaluation: Evaluation, sheet: list[SheetRow]) -> dict:
    """The fields of one commune's dossier; `sheet` its scoring sheet (scoring_sheet)."""
    commune = evaluation.commune
    submitted = evaluation.submitted_at.date() if evaluation.submitted_at else None
    return {
        "issuing_body": body_upper(f"UBND {commune.name}"),
        "place": fmt.place_of_body(commune),
        "request_date": fmt.vietnamese_date(submitted) if submitted else fmt.BLANK_DATE,
        "title_name": TITLE_NAMES[Title.COMMUNE],
        "year": str(decision.year),
        **_commune_values(commune.name),
        "criteria": criteria_source(evaluation.criteria_set),
        "addressee": body_in_text(decision.issuing_body),
        "own_total": points_text(sheet[-1].own),
        "max_total": points_text(sheet[-1].max_points),
        "verified_total": points_text(evaluation.total),
        "result": result_label(evaluation),
        "evidence_count": count(evaluation.evidence.count()),
        "standards": [
            {"standard_code": row.code, "standard_name": row.name or row.code, "standard_score": _standard_score(row)}
            for row in sheet[:-1]
            if row.depth == 0
        ],
    }


def commune_dossier_sample(area, years, today) -> dict:
    """An illustrative dossier of a commune of the area, for the preview of a template."""
    commune = "Xã Minh Họa"
    return {
        "issuing_body": body_upper(f"UBND {commune}"),
        "place": "Minh Họa",
        "request_date": fmt.vietnamese_date(today),
        "title_name": TITLE_NAMES[Title.COMMUNE],
        "year": str(years[-1]),
        **_commune_values(commune),
        "criteria": "“Cộng đồng học tập cấp xã” (minh họa)",
        "addressee": body_in_text(f"UBND {area.name}"),
        "own_total": "80",
        "max_total": "100",
        "verified_total": "77",
        "result": "Đạt",
        "evidence_count": "3",
        "standards": [
            {"standard_code": "1", "standard_name": "Tiêu chuẩn về học tập", "standard_score": "đạt 40/50 điểm"},
            {"standard_code": "2", "standard_name": "Trung tâm học tập cộng đồng", "standard_score": "đạt 40/50 điểm"},
        ],
    }


SAMPLE_SHEET = [
    SheetRow("1", "Tiêu chuẩn về học tập", 0, False, Decimal(50), Decimal(40), Decimal(37), ""),
    SheetRow("1.1", "Tỷ lệ gia đình học tập (minh họa)", 1, True, Decimal(30), Decimal(25), Decimal(25), ""),
    SheetRow("1.2", "Tỷ lệ dòng họ học tập (minh họa)", 1, True, Decimal(20), Decimal(15), Decimal(12), ""),
    SheetRow("2", "Trung tâm học tập cộng đồng (minh họa)", 0, True, Decimal(50), Decimal(40), Decimal(40), ""),
    SheetRow("", "TỔNG CỘNG", 0, False, Decimal(100), Decimal(80), Decimal(77), ""),
]
