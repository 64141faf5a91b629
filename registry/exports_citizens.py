"""The learning citizens' sheet: its layout and rows, streamed in chunks. The headers are those of the
import template, so an exported file can be edited and uploaded again."""

from core.spreadsheets import Layout

from .exports import CHUNK, NO, YES
from .models import Sex

CITIZEN_COLUMNS = [
    "Mã công dân",
    "Mã thôn",
    "Tên thôn",
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "Mã hộ",
    "Nhóm đối tượng",
    "Còn sinh sống",
]


# The words the import reads back (registry.citizens.SEX_WORDS).
SEX_WORDS = {Sex.FEMALE: "Nữ", Sex.MALE: "Nam"}


def citizen_rows(citizens):
    rows = citizens.order_by("code").values_list(
        "code",
        "village__code",
        "village__name",
        "full_name",
        "birth_year",
        "sex",
        "household__code",
        "target_group__code",
        "is_active",
    )
    for code, village_code, village_name, name, born, sex, household, group, active in rows.iterator(chunk_size=CHUNK):
        yield [
            code,
            village_code,
            village_name,
            name,
            born,
            SEX_WORDS.get(sex, sex),
            household or "",
            group or "",
            YES if active else NO,
        ]


CITIZENS = Layout(
    "Công dân học tập", CITIZEN_COLUMNS, [18, 16, 24, 28, 10, 10, 18, 18, 14], 3, "cong-dan-hoc-tap", citizen_rows
)
