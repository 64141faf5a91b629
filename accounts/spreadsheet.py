"""Reading the account list that officers prepare in Excel (xlsx) or save as CSV."""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from areas.models import AdministrativeUnit, Tree, Village
from khuyenhoc.text import fold, nfc

from .roles import Role
from .services import AccountRow

COLUMNS = {
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "role": "Vai trò",
    "unit_code": "Mã đơn vị hành chính",
    "tree": "Cây đơn vị",
    "village_code": "Mã thôn",
}
TREE_LABELS = {"2025": Tree.Y2025, "truoc 2025": Tree.PRE_2025, "pre2025": Tree.PRE_2025}


def role_labels(role: Role) -> set[str]:
    """The folded spellings a role may be written with: its code, its Vietnamese and English names."""
    labels = {fold(role.value)}
    for language in ("vi", "en"):
        with translation.override(language):
            labels.add(fold(str(role.label)))
    return labels


def role_from_cell(value: str) -> str:
    folded = fold(value)
    for role in Role:
        if folded in role_labels(role):
            return role.value
    return value


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def _read_rows(uploaded) -> list[list[str]]:
    name = (uploaded.name or "").lower()
    data = uploaded.read()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The CSV file is not UTF-8 text.")) from error
        return [[nfc(c) for c in row] for row in csv.reader(io.StringIO(text))]
    if name.endswith(".xlsx"):
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            return [[_cell_text(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
        except Exception as error:  # calamine raises its own types for every kind of broken file
            raise ValidationError(_("The file cannot be read as an Excel workbook (.xlsx).")) from error
    raise ValidationError(_("Upload an .xlsx or .csv file."))


def parse_accounts_file(uploaded) -> list[AccountRow]:
    rows = _read_rows(uploaded)
    if not rows:
        raise ValidationError(_("The file is empty."))
    header = [fold(c) for c in rows[0]]
    positions = {}
    missing = []
    for key, label in COLUMNS.items():
        if fold(label) in header or key in header:
            positions[key] = header.index(fold(label) if fold(label) in header else key)
        elif key not in {"tree", "village_code", "unit_code"}:
            missing.append(label)
    if missing:
        raise ValidationError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    result, errors = [], []
    for number, row in enumerate(rows[1:], start=2):

        def cell(key, row=row):
            index = positions.get(key)
            return row[index] if index is not None and index < len(row) else ""

        if not any(row):
            continue
        unit = village = None
        tree = TREE_LABELS.get(fold(cell("tree")) or "2025")
        if tree is None:
            errors.append(
                _("Row %(row)d: unknown tree “%(tree)s” (write 2025 or Trước 2025).")
                % {"row": number, "tree": cell("tree")}
            )
            continue
        if cell("unit_code"):
            unit = AdministrativeUnit.objects.filter(tree=tree, code=cell("unit_code")).first()
            if unit is None:
                errors.append(
                    _("Row %(row)d: unknown unit code “%(code)s”.") % {"row": number, "code": cell("unit_code")}
                )
                continue
        if cell("village_code"):
            village = Village.objects.filter(code=cell("village_code")).first()
            if village is None:
                errors.append(
                    _("Row %(row)d: unknown village code “%(code)s”.") % {"row": number, "code": cell("village_code")}
                )
                continue
        result.append(
            AccountRow(number, cell("username"), cell("full_name"), role_from_cell(cell("role")), unit, village)
        )
    if errors:
        raise ValidationError(errors)
    if not result:
        raise ValidationError(_("The file has no account rows."))
    return result


def accounts_template_xlsx() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Tài khoản")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    for column, label in enumerate(COLUMNS.values()):
        sheet.write(0, column, label, bold)
        sheet.set_column(column, column, 24, text)
    with translation.override("vi"):
        roles = [str(role.label) for role in Role if role != Role.SYSTEM_ADMIN]
    sheet.data_validation(1, 2, 1000, 2, {"validate": "list", "source": roles})
    sheet.data_validation(1, 4, 1000, 4, {"validate": "list", "source": ["2025", "Trước 2025"]})
    workbook.close()
    return buffer.getvalue()
