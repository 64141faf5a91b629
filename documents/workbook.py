"""The statistical report workbook (.xlsx) an area sends up: a summary sheet, a sheet per title with
every sub-area as a row (base, registered, recognised, both rates, target, gap, the period's lượt and
where the figures come from) and a sheet of the network, fund and scholarships. Written by xlsxwriter
in constant-memory mode, row after row as the sub-areas are read, so the whole country's 100,000
villages take the memory of one row per sheet. Vietnamese whatever the interface language: files
travel between levels."""

import xlsxwriter
from django.utils import timezone, translation

from stats import figures, overview
from stats.models import COUNTED_TITLES, NETWORK, Measure

from . import readings
from .numbers import as_float

SHEET_NAMES = {
    "household": "Gia đình học tập",
    "clan": "Dòng họ học tập",
    "village": "Cộng đồng học tập thôn",
    "unit": "Đơn vị học tập",
    "commune": "Cộng đồng học tập cấp xã",
    "citizen": "Công dân học tập",
}
TITLE_NAMES = {
    "household": "“Gia đình học tập”",
    "clan": "“Dòng họ học tập”",
    "village": "“Cộng đồng học tập” cấp thôn, tổ dân phố",
    "unit": "“Đơn vị học tập”",
    "commune": "“Cộng đồng học tập” cấp xã",
    "citizen": "“Công dân học tập”",
}
NETWORK_MEASURES = [
    *overview.ASSOCIATION_LEVELS,
    *overview.BRANCHES_AND_BOARDS,
    Measure.MEMBERS,
    Measure.POPULATION,
]
MONEY_MEASURES = overview.MONEY
TREE_NAMES = {"pre2025": "cây đơn vị trước 01/07/2025", "2025": "cây đơn vị từ 01/07/2025"}
# The titles whose subjects are held at a village (households, the village itself): only their sheets list
# villages. Clans and units are registered at communes, and the network at administrative units.
VILLAGE_TITLES = ("household", "village")
HEADER_ROWS = 3
DISTINCT_UNKNOWN = (
    "Ô “ít nhất một lần” để trống: trong giai đoạn có năm chỉ có số liệu nhập tổng hợp, không ghi tên từng hộ, "
    "dòng họ, thôn, đơn vị, nên không đếm được số riêng biệt."
)  # two lines of title, then the column headers: the frozen and repeated rows


def _title_columns(reading: readings.AreaReading) -> list[tuple[str, int]]:
    first, last = reading.years[0], reading.years[-1]
    target = f"Chỉ tiêu năm {reading.target_year} (%)" if reading.target_year else "Chỉ tiêu (%)"
    return [
        ("STT", 6),
        ("Mã", 10),
        ("Địa bàn", 34),
        ("Loại", 14),
        (f"Tổng số năm {last}", 12),
        (f"Đăng ký năm {last}", 12),
        (f"Công nhận năm {last}", 12),
        ("Tỷ lệ công nhận / tổng số (%)", 13),
        ("Tỷ lệ công nhận / đăng ký (%)", 13),
        (target, 12),
        ("Còn thiếu so với chỉ tiêu (điểm %)", 14),
        (f"Lượt công nhận {first}–{last}" if first != last else f"Lượt công nhận {last}", 14),
        ("Nguồn số liệu", 34),
    ]


def _network_columns(reading) -> list[tuple[str, int]]:
    return [
        ("STT", 6),
        ("Mã", 10),
        ("Địa bàn", 34),
        ("Loại", 14),
        *[(str(Measure(m).label), 12) for m in NETWORK_MEASURES],
        ("Hội viên / dân số (%)", 11),
        *[(str(Measure(m).label), 16) for m in MONEY_MEASURES],
        ("Nguồn số liệu", 34),
    ]


class _Sheet:
    """One worksheet written row after row (constant memory), with its print setup."""

    def __init__(self, book, formats, name, heading, subheading, columns, *, landscape=True):
        self.sheet = book.add_worksheet(name)
        self.formats = formats
        self.row = 0
        sheet = self.sheet
        sheet.set_paper(9)  # A4
        if landscape:
            sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        sheet.set_footer("&CTrang &P/&N")
        sheet.repeat_rows(0, HEADER_ROWS - 1)
        sheet.freeze_panes(HEADER_ROWS, 3)
        for index, (_label, width) in enumerate(columns):
            sheet.set_column(index, index, width)
        sheet.write_string(0, 0, heading, formats["heading"])
        sheet.write_string(1, 0, subheading, formats["note"])
        sheet.set_row(2, 48)
        for index, (label, _width) in enumerate(columns):
            sheet.write_string(2, index, label, formats["header"])
        self.row = HEADER_ROWS
        self.numbered = 0

    def next_number(self) -> int:
        self.numbered += 1
        return self.numbered

    def write(self, cells, *, bold=False, depth=0):
        """cells: (value, kind) with kind "text", "count" or "rate"."""
        for column, (value, kind) in enumerate(cells):
            if value is None:
                continue  # an empty cell is not written at all: most of a village's row is empty
            style = self.formats[(kind, bold, depth if kind == "text" and column == 2 else 0)]
            if kind == "text":
                self.sheet.write_string(self.row, column, str(value), style)
            else:
                self.sheet.write_number(self.row, column, value, style)
        self.row += 1


def _formats(book) -> dict:
    formats = {
        "heading": book.add_format({"bold": True, "font_size": 13}),
        "note": book.add_format({"italic": True, "font_size": 10}),
        "header": book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "border": 1,
                "bg_color": "#E8EEF4",
            }
        ),
    }
    for bold in (False, True):
        for depth in range(0, 5):
            formats[("text", bold, depth)] = book.add_format({"bold": bold, "border": 1, "indent": depth})
        formats[("count", bold, 0)] = book.add_format({"bold": bold, "border": 1, "num_format": "#,##0"})
        formats[("rate", bold, 0)] = book.add_format({"bold": bold, "border": 1, "num_format": "0.0"})
    return formats


def _sources(*found: figures.Figure) -> str:
    labels = []
    for figure in found:
        if figure.value is not None and str(figure.source_label) not in labels:
            labels.append(str(figure.source_label))
    return "; ".join(labels)


_KIND_LABELS: dict[tuple[type, str], str] = {}


def _place(place) -> tuple[str, str, str]:
    """(code, name, kind) of a unit or a village; each kind's label (always Vietnamese here) looked up once."""
    key = (type(place), place.kind)
    if key not in _KIND_LABELS:
        _KIND_LABELS[key] = str(place.get_kind_display())
    return place.code, place.name, _KIND_LABELS[key]


def _title_cells(number, place_cells, row: overview.TitleRow, applicable, recognitions):
    target = applicable.percent if applicable is not None else None
    rate_of_base = row.rate_of_base
    gap = target - rate_of_base if target is not None and rate_of_base is not None else None
    return [
        (number, "count"),
        *[(value, "text") for value in place_cells],
        (row.base.value, "count"),
        (row.registered.value, "count"),
        (row.recognised.value, "count"),
        (as_float(rate_of_base), "rate"),
        (as_float(row.rate_of_registered), "rate"),
        (as_float(target), "rate"),
        (as_float(gap), "rate"),
        (recognitions, "count"),
        (_sources(row.base, row.registered, row.recognised), "text"),
    ]


def _network_cells(number, place_cells, area_figures):
    found = [area_figures.get(NETWORK, m) for m in [*NETWORK_MEASURES, *MONEY_MEASURES]]
    members = area_figures.value(NETWORK, Measure.MEMBERS)
    population = area_figures.value(NETWORK, Measure.POPULATION)
    head = [(f.value, "count") for f in found[: len(NETWORK_MEASURES)]]
    money = [(f.value, "count") for f in found[len(NETWORK_MEASURES) :]]
    rate = as_float(overview.rate(members, population))
    return [
        (number, "count"),
        *[(value, "text") for value in place_cells],
        *head,
        (rate, "rate"),
        *money,
        (_sources(*found), "text"),
    ]


def _area_cells(area) -> tuple[str, str, str]:
    if area is None:
        return "", "Toàn quốc", ""
    return _place(area)


def make(document, path: str, progress) -> None:
    with translation.override("vi"):
        _write(document, path, progress)


def _write(document, path, progress) -> None:
    area, tree = document.area, document.tree
    years = list(range(document.first_year, document.last_year + 1))
    reading = readings.read_area(area, tree, years)
    progress(0.05)
    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": "Báo cáo thống kê xây dựng xã hội học tập", "author": "khuyenhoc"})
    formats = _formats(book)
    place_name = _area_cells(area)[1]
    period = f"năm {years[0]}" if len(years) == 1 else f"giai đoạn {years[0]}–{years[-1]}"
    as_of = timezone.localtime(document.data_as_of or timezone.now()).strftime("%H:%M %d/%m/%Y")
    subheading = f"{place_name}, {period}; {TREE_NAMES.get(tree, tree)}; số liệu đọc lúc {as_of}"
    _summary(book, formats, reading, subheading)
    title_sheets = {
        title: _Sheet(
            book,
            formats,
            SHEET_NAMES[title],
            f"DANH HIỆU {TITLE_NAMES[title].upper()} THEO ĐỊA BÀN",
            subheading,
            _title_columns(reading),
        )
        for title in COUNTED_TITLES
    }
    network = _Sheet(
        book,
        formats,
        "Mạng lưới, quỹ",
        "MẠNG LƯỚI HỘI KHUYẾN HỌC, QUỸ VÀ HỌC BỔNG",
        subheading,
        _network_columns(reading),
    )
    own = _area_cells(area)
    last = reading.by_year[years[-1]]
    for title in COUNTED_TITLES:
        applicable = reading.progress[title].applicable if reading.progress else None
        recognitions = reading.period_row(title).recognitions
        row = reading.titles[COUNTED_TITLES.index(title)]
        title_sheets[title].write(_title_cells(None, own, row, applicable, recognitions), bold=True)
    network.write(_network_cells(None, own, last), bold=True)

    def on_top(done, total):
        progress(0.05 + 0.9 * done / total)

    for sub_area in readings.sub_areas(
        area, tree, years, readings.reader_of(document), reading.target_year, on_top=on_top
    ):
        cells = _place(sub_area.place)
        depth = min(sub_area.depth - 1, 4)
        in_village = sub_area.kind == "villages"
        rows = overview.title_rows(sub_area.last)
        for index, title in enumerate(COUNTED_TITLES):
            if in_village and title not in VILLAGE_TITLES:
                continue
            sheet = title_sheets[title]
            title_cells = _title_cells(
                sheet.next_number(), cells, rows[index], sub_area.applicable.get(title), sub_area.recognitions(title)
            )
            sheet.write(title_cells, depth=depth)
        if not in_village:
            network.write(_network_cells(network.next_number(), cells, sub_area.last), depth=depth)
    book.close()


def _summary(book, formats, reading: readings.AreaReading, subheading: str) -> None:
    years = reading.years
    sheet = _Sheet(
        book,
        formats,
        "Tổng hợp",
        "BÁO CÁO THỐNG KÊ XÂY DỰNG XÃ HỘI HỌC TẬP",
        subheading,
        [(label, width) for label, width in _title_columns(reading)[3:12]],
        landscape=True,
    )
    sheet.sheet.freeze_panes(HEADER_ROWS, 1)
    # The summary's first column is the title, not a place: its header is rewritten.
    sheet.sheet.write_string(2, 0, "Danh hiệu", formats["header"])
    sheet.sheet.set_column(0, 0, 40)
    for title in COUNTED_TITLES:
        row = next(r for r in reading.titles if r.title == title)
        applicable = reading.progress[title].applicable if reading.progress else None
        target = applicable.percent if applicable is not None else None
        gap = target - row.rate_of_base if target is not None and row.rate_of_base is not None else None
        sheet.write(
            [
                (TITLE_NAMES[title], "text"),
                (row.base.value, "count"),
                (row.registered.value, "count"),
                (row.recognised.value, "count"),
                (as_float(row.rate_of_base), "rate"),
                (as_float(row.rate_of_registered), "rate"),
                (as_float(target), "rate"),
                (as_float(gap), "rate"),
                (reading.period_row(title).recognitions, "count"),
            ]
        )
    sheet.row += 1
    sheet.write([(f"Lượt công nhận theo năm, {years[0]}–{years[-1]}", "text")], bold=True)
    sheet.write(
        [("Danh hiệu", "text"), *[(f"Năm {y}", "text") for y in years], ("Tổng số lượt", "text")]
        + [("Số được công nhận ít nhất một lần", "text")],
        bold=True,
    )
    for title in COUNTED_TITLES:
        period_row = reading.period_row(title)
        sheet.write(
            [
                (TITLE_NAMES[title], "text"),
                *[(reading.recognised(title, y), "count") for y in years],
                (period_row.recognitions, "count"),
                (period_row.distinct, "count"),
            ]
        )
    if any(row.distinct is None and row.recognitions for row in reading.period):
        sheet.write([(DISTINCT_UNKNOWN, "text")])
    sheet.row += 1
    sheet.write([(f"Mạng lưới khuyến học năm {years[-1]}", "text"), ("Số lượng", "text"), ("Nguồn", "text")], bold=True)
    for measure in [*NETWORK_MEASURES, *MONEY_MEASURES]:
        row = reading.network[measure]
        sheet.write([(str(row.label), "text"), (row.figure.value, "count"), (_sources(row.figure), "text")])
    sheet.write(
        [("Hội Khuyến học trên địa bàn (không kể hội cấp mình)", "text"), (reading.associations_below, "count")]
    )
    sheet.write([("Hội viên / dân số (%)", "text"), (as_float(reading.members_rate), "rate")])
