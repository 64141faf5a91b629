"""The statistics page as a file: one row per area, year, title and figure, with its source, in the
shared registry writer (xlsx in constant memory, CSV streamed with a BOM). Headers and labels are
Vietnamese whatever the interface language, as files travel between levels."""

from django.utils import translation

from core.spreadsheets import Layout, export_response

from .models import Measure

FORMATS = ("xlsx", "csv")
COLUMNS = ["Mã địa bàn", "Tên địa bàn", "Cây đơn vị", "Năm", "Danh hiệu", "Chỉ tiêu", "Giá trị", "Nguồn số liệu"]
PERIOD_COLUMNS = ["Mã địa bàn", "Tên địa bàn", "Cây đơn vị", "Từ năm", "Đến năm", "Danh hiệu", "Chỉ tiêu", "Giá trị"]


def _year_rows(view):
    """The area first, then each sub-area (villages carry their own codes)."""
    areas = [(view.area, view.titles, view.network)] + [(child, titles, []) for child, titles in view.children]
    for area, titles, network in areas:
        code = area.code if area is not None else ""
        name = area.name if area is not None else "Toàn quốc"
        for row in titles:
            for measure, figure in (
                (Measure.BASE, row.base),
                (Measure.REGISTERED, row.registered),
                (Measure.RECOGNISED, row.recognised),
            ):
                yield [
                    code,
                    name,
                    view.tree,
                    view.year,
                    str(row.label),
                    str(Measure(measure).label),
                    figure.value,
                    str(figure.source_label),
                ]
        for row in network:
            yield [code, name, view.tree, view.year, "", str(row.label), row.figure.value, str(row.figure.source_label)]


def _period_rows(view, period, years):
    code = view.area.code if view.area is not None else ""
    name = view.area.name if view.area is not None else "Toàn quốc"
    for row in period:
        for label, value in (
            ("Lượt công nhận", row.recognitions),
            ("Số công nhận ít nhất một lần", row.distinct),
            ("Lượt đăng ký", row.registered),
        ):
            yield [code, name, view.tree, years[0], years[1], str(row.label), label, value]


def response(view, period, years, file_format: str):
    with translation.override("vi"):
        if period is not None:
            layout = Layout(
                "Thống kê giai đoạn", PERIOD_COLUMNS, [12, 30, 10, 8, 8, 30, 30, 14], 1, "thong-ke", lambda: None
            )
            rows = list(_period_rows(view, period, years))
        else:
            layout = Layout("Thống kê", COLUMNS, [12, 30, 10, 8, 30, 34, 14, 34], 1, "thong-ke", lambda: None)
            rows = list(_year_rows(view))
    area = view.area.code if view.area is not None else "toan-quoc"
    return export_response(layout, rows, file_format, name=f"thong-ke-{area}-{view.year}")
