"""Reading the account list that officers prepare in Excel (xlsx) or save as CSV."""

import io
import tempfile
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from areas.models import AdministrativeUnit, Tree, Village
from core.readers import Column, open_table
from core.text import fold

from .roles import Role
from .services import AccountRow

COLUMNS = [
    Column("username", "Tên đăng nhập", aliases=("username",)),
    Column("full_name", "Họ và tên", required=False, aliases=("full_name",)),
    Column("role", "Vai trò", aliases=("role",)),
    Column("unit_code", "Mã đơn vị hành chính", required=False, aliases=("unit_code",)),
    Column("tree", "Cây đơn vị", required=False, aliases=("tree",)),
    Column("village_code", "Mã thôn", required=False, aliases=("village_code",)),
]
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


def parse_accounts_file(uploaded) -> list[AccountRow]:
    """Rows of the uploaded list, read by the shared import reader (the same checks as every import)."""
    suffix = Path(uploaded.name or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for chunk in uploaded.chunks():
            copy.write(chunk)
        copy.flush()
        table = open_table(Path(copy.name), uploaded.name or "", COLUMNS)
        rows = list(table.rows())
    result, errors = [], []
    for number, values in rows:
        cells = {key: str(value if value is not None else "").strip() for key, value in values.items()}
        unit = village = None
        tree = TREE_LABELS.get(fold(cells.get("tree", "")) or "2025")
        if tree is None:
            errors.append(
                _("Row %(row)d: unknown tree “%(tree)s” (write 2025 or Trước 2025).")
                % {"row": number, "tree": cells["tree"]}
            )
            continue
        if cells.get("unit_code"):
            unit = AdministrativeUnit.objects.filter(tree=tree, code=cells["unit_code"]).first()
            if unit is None:
                errors.append(
                    _("Row %(row)d: unknown unit code “%(code)s”.") % {"row": number, "code": cells["unit_code"]}
                )
                continue
        if cells.get("village_code"):
            village = Village.objects.filter(code=cells["village_code"]).first()
            if village is None:
                errors.append(
                    _("Row %(row)d: unknown village code “%(code)s”.") % {"row": number, "code": cells["village_code"]}
                )
                continue
        result.append(
            AccountRow(
                number, cells["username"], cells.get("full_name", ""), role_from_cell(cells["role"]), unit, village
            )
        )
    if errors:
        raise ValidationError(errors)
    if not result:
        raise ValidationError(_("The file has no account rows."))
    return result


def accounts_template_xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Tài khoản")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    for position, column in enumerate(COLUMNS):
        sheet.write(0, position, column.header, bold)
        sheet.set_column(position, position, 24, text)
    with translation.override("vi"):
        roles = [str(role.label) for role in Role if role != Role.SYSTEM_ADMIN]
    sheet.data_validation(1, 2, 1000, 2, {"validate": "list", "source": roles})
    sheet.data_validation(1, 4, 1000, 4, {"validate": "list", "source": ["2025", "Trước 2025"]})
    workbook.close()
    return buffer.getvalue()
