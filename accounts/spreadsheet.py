"""The account list that officers prepare in Excel (xlsx) or save as CSV: its columns, how its cells
are read, and its template. The import itself is `importing.AccountImporter`."""

import io

import xlsxwriter
from django.utils import translation

from areas.models import Tree
from core.readers import Column
from core.text import fold

from .roles import Role
from .scope import scope_for

COLUMNS = [
    Column("username", "Tên đăng nhập", aliases=("username",)),
    Column("full_name", "Họ và tên", required=False, aliases=("full_name",)),
    Column("role", "Vai trò", aliases=("role",)),
    Column("unit_code", "Mã đơn vị hành chính", required=False, aliases=("unit_code",)),
    Column("tree", "Cây đơn vị", required=False, aliases=("tree",)),
    Column("village_code", "Mã thôn", required=False, aliases=("village_code",)),
]
TEMPLATE_ROWS = 100000  # rows of the template offering the lists
# How the tree column may be written (folded); empty is the 2025 tree.
TREE_LABELS = {"": Tree.Y2025, "2025": Tree.Y2025, "truoc 2025": Tree.PRE_2025, "pre2025": Tree.PRE_2025}


def role_labels(role: Role) -> set[str]:
    """The folded spellings a role may be written with: its code, its Vietnamese and English names."""
    labels = {fold(role.value)}
    for language in ("vi", "en"):
        with translation.override(language):
            labels.add(fold(str(role.label)))
    return labels


def role_spellings() -> dict[str, str]:
    """{folded spelling: role} of every role (see `role_labels`)."""
    return {label: role.value for role in Role for label in role_labels(role)}


def accounts_template_xlsx(manager) -> bytes:
    """The upload template: the columns, and a dropdown of the roles `manager` may give."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Tài khoản")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    for position, column in enumerate(COLUMNS):
        sheet.write(0, position, column.header, bold)
        sheet.set_column(position, position, 24, text)
    allowed = scope_for(manager).manageable_roles
    with translation.override("vi"):
        roles = [str(role.label) for role in Role if role in allowed]
    sheet.data_validation(1, 2, TEMPLATE_ROWS, 2, {"validate": "list", "source": roles})
    sheet.data_validation(1, 4, TEMPLATE_ROWS, 4, {"validate": "list", "source": ["2025", "Trước 2025"]})
    workbook.close()
    return buffer.getvalue()
