"""Registry exports: each registry's sheet layout and its rows, streamed from the database in chunks
and written by the shared bounded-memory writers of `core.spreadsheets`."""

from django.db.models import Prefetch
from django.utils import translation

from areas.models import Village
from core.spreadsheets import Layout

from .models import ManagingLevel, UnitKind

# The column headers are the same words the import templates use, so an exported file can be
# edited and uploaded again; they stay Vietnamese whatever the interface language, as files travel
# between levels.
HOUSEHOLD_COLUMNS = ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]
CLAN_COLUMNS = [
    "Mã dòng họ",
    "Mã xã",
    "Tên xã",
    "Tên dòng họ",
    "Trưởng họ",
    "Số hộ thành viên",
    "Có ban khuyến học",
    "Mã các thôn",
]
ORGANISATION_COLUMNS = ["Mã đơn vị", "Mã địa bàn", "Tên địa bàn", "Tên đơn vị", "Loại", "Cấp quản lý"]
YES, NO = "Có", "Không"
CHUNK = 5000


def household_rows(households):
    rows = households.order_by("code").values_list(
        "code", "village__code", "village__name", "head_name", "members", "is_active"
    )
    for code, village_code, village_name, head, members, active in rows.iterator(chunk_size=CHUNK):
        yield [code, village_code, village_name, head, members, YES if active else NO]


def clan_rows(clans):
    villages = Prefetch("villages", queryset=Village.objects.only("code").order_by("code"))
    # The list's own prefetch of villages is replaced by this narrower one (codes only, in order).
    rows = clans.order_by("code").select_related("commune").prefetch_related(None).prefetch_related(villages)
    for clan in rows.iterator(chunk_size=CHUNK):
        yield [
            clan.code,
            clan.commune.code,
            clan.commune.name,
            clan.name,
            clan.head_name,
            clan.member_households,
            YES if clan.has_board else NO,
            ", ".join(v.code for v in clan.villages.all()),
        ]


def vietnamese_labels(choices) -> dict[str, str]:
    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}


def organisation_rows(organisations):
    kinds, levels = vietnamese_labels(UnitKind), vietnamese_labels(ManagingLevel)
    rows = organisations.order_by("code").values_list(
        "code", "area__code", "area__name", "name", "kind", "managing_level"
    )
    for code, area_code, area_name, name, kind, level in rows.iterator(chunk_size=CHUNK):
        yield [code, area_code, area_name, name, kinds.get(kind, kind), levels.get(level, level)]


HOUSEHOLDS = Layout("Hộ gia đình", HOUSEHOLD_COLUMNS, [16, 16, 28, 28, 14, 14], 2, "ho-gia-dinh", household_rows)
CLANS = Layout("Dòng họ", CLAN_COLUMNS, [18, 10, 24, 24, 24, 14, 14, 30], 2, "dong-ho", clan_rows)
ORGANISATIONS = Layout("Đơn vị", ORGANISATION_COLUMNS, [18, 10, 24, 36, 22, 12], 2, "don-vi", organisation_rows)
