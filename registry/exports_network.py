"""Exports of the network's yearly figures and the areas' yearly base, written by the registries'
writer (`registry.exports`). The columns are the import's, so an exported file can be edited and
uploaded again."""

from django.utils import translation

from areas.models import subtree_q
from core.spreadsheets import Layout

from .models import AreaYear, AssociationLevel, AssociationYear
from .network import AREA_YEAR_FIELDS, ASSOCIATION_YEAR_FIELDS

# (key, header): keys are the model's field names where there is one. The headers stay Vietnamese
# whatever the interface language, as files travel between levels.
UNIT_COLUMNS = [("area", "Mã địa bàn"), ("area_name", "Tên địa bàn")]
AREA_YEAR_COLUMNS = [
    *UNIT_COLUMNS,
    ("year", "Năm"),
    ("population", "Dân số"),
    ("households", "Số hộ"),
    ("fund_vnd", "Quỹ khuyến học (đồng)"),
    ("scholarships", "Số suất học bổng"),
    ("scholarships_vnd", "Học bổng (đồng)"),
]
ASSOCIATION_YEAR_COLUMNS = [
    *UNIT_COLUMNS,
    ("level", "Cấp hội"),
    ("name", "Tên hội"),
    ("year", "Năm"),
    ("members", "Số hội viên"),
    ("village_branches", "Chi hội thôn"),
    ("agency_branches", "Chi hội cơ quan"),
    ("agency_boards", "Ban khuyến học cơ quan"),
    ("school_boards", "Ban khuyến học trường học"),
    ("clan_boards", "Ban khuyến học dòng họ"),
]
AREA_YEAR_SHEET = "Số liệu địa bàn"
ASSOCIATION_YEAR_SHEET = "Hội khuyến học"
CHUNK = 5000


def level_labels() -> dict[str, str]:
    """Association level → its Vietnamese label, the words written in files."""
    with translation.override("vi"):
        return {choice.value: str(choice.label) for choice in AssociationLevel}


def area_year_rows(area, year: int | None = None):
    """The base and fund of `area` and every unit under it, by unit then year."""
    rows = AreaYear.objects.filter(subtree_q("area__path", area.path))
    if year is not None:
        rows = rows.filter(year=year)
    rows = rows.order_by("area__path", "year").values_list("area__code", "area__name", "year", *AREA_YEAR_FIELDS)
    yield from rows.iterator(chunk_size=CHUNK)


def association_year_rows(area, year: int | None = None):
    """The figures of the associations of `area` and every unit under it."""
    labels = level_labels()
    rows = AssociationYear.objects.filter(subtree_q("association__area__path", area.path))
    if year is not None:
        rows = rows.filter(year=year)
    rows = rows.order_by("association__area__path", "association__level", "association__name", "year").values_list(
        "association__area__code",
        "association__area__name",
        "association__level",
        "association__name",
        "year",
        *ASSOCIATION_YEAR_FIELDS,
    )
    for code, area_name, level, name, *figures in rows.iterator(chunk_size=CHUNK):
        yield [code, area_name, labels[level], name, *figures]


AREA_YEARS = Layout(
    sheet=AREA_YEAR_SHEET,
    headers=[h for _k, h in AREA_YEAR_COLUMNS],
    widths=[12, 30, 8, 12, 12, 20, 14, 20],
    code_columns=1,
    filename="so-lieu-dia-ban",
    rows=area_year_rows,
)
ASSOCIATION_YEARS = Layout(
    sheet=ASSOCIATION_YEAR_SHEET,
    headers=[h for _k, h in ASSOCIATION_YEAR_COLUMNS],
    widths=[12, 30, 30, 36, 8, 12, 12, 12, 14, 14, 14],
    code_columns=1,
    filename="hoi-khuyen-hoc",
    rows=association_year_rows,
)
EXPORTS = {"area-years": AREA_YEARS, "association-years": ASSOCIATION_YEARS}
