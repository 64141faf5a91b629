"""The review report's paragraphs, drafted from the figures in plain administrative Vietnamese. Each
function takes what the statistics read and returns sentences; nothing here is a number of its own.
The files are Vietnamese whatever the interface language (they are signed and sent as they are)."""

from stats.models import COUNTED_TITLES, Measure

from .numbers import count, percent

# How each title's subjects are named in a sentence, and the title's own name.
SUBJECTS = {
    "household": ("hộ gia đình", "“Gia đình học tập”"),
    "clan": ("dòng họ", "“Dòng họ học tập”"),
    "village": ("thôn, tổ dân phố", "“Cộng đồng học tập”"),
    "unit": ("đơn vị (cơ quan, trường học)", "“Đơn vị học tập”"),
    "commune": ("xã, phường, thị trấn", "“Cộng đồng học tập” cấp xã"),
    "citizen": ("công dân", "“Công dân học tập”"),
}
TITLE_NAMES = {
    "household": "Gia đình học tập",
    "clan": "Dòng họ học tập",
    "village": "Cộng đồng học tập cấp thôn",
    "unit": "Đơn vị học tập",
    "commune": "Cộng đồng học tập cấp xã",
    "citizen": "Công dân học tập",
}
# The subjects' base as a target sentence names it.
TARGET_SUBJECTS = {
    "household": ("hộ gia đình", "đạt danh hiệu “Gia đình học tập”"),
    "clan": ("dòng họ", "đạt danh hiệu “Dòng họ học tập”"),
    "village": ("thôn, tổ dân phố", "đạt danh hiệu “Cộng đồng học tập”"),
    "unit": ("cơ quan, đơn vị", "đạt danh hiệu “Đơn vị học tập”"),
    "commune": ("xã, phường, thị trấn", "được công nhận “Cộng đồng học tập” cấp xã"),
    "citizen": ("công dân", "đạt danh hiệu “Công dân học tập”"),
}
NETWORK_PARTS = [
    (Measure.ASSOCIATIONS_DISTRICT, "hội cấp huyện"),
    (Measure.ASSOCIATIONS_PROVINCE_SCHOOL, "hội của các trường cấp tỉnh"),
    (Measure.ASSOCIATIONS_COMMUNE, "hội cấp xã"),
]
BOARDS_PARTS = [
    (Measure.VILLAGE_BRANCHES, "chi hội ở thôn, tổ dân phố"),
    (Measure.AGENCY_BRANCHES, "chi hội ở cơ quan"),
    (Measure.AGENCY_BOARDS, "ban khuyến học ở cơ quan"),
    (Measure.SCHOOL_BOARDS, "ban khuyến học ở trường học"),
    (Measure.CLAN_BOARDS, "ban khuyến học dòng họ"),
]
WHOLE = {1: "toàn tỉnh", 2: "toàn huyện", 3: "toàn xã"}


def whole_area(area) -> str:
    """“toàn tỉnh”, “toàn huyện”, “toàn xã”, or “cả nước”."""
    return WHOLE.get(area.level, "toàn địa bàn") if area is not None else "cả nước"


def years_phrase(years) -> str:
    if len(years) == 1:
        return f"năm {years[0]}"
    return f"{len(years)} năm {years[0]}–{years[-1]}"


def _join(parts: list[str], last: str = " và ") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return "; ".join(parts[:-1]) + last + parts[-1]


def recognitions(reading) -> list[str]:
    """Lượt by title over the period, then the entities recognised at least once where they are known."""
    where = whole_area(reading.area)
    parts = []
    for title in COUNTED_TITLES:
        row = reading.period_row(title)
        if row.recognitions:
            subjects, name = SUBJECTS[title]
            parts.append(f"{count(row.recognitions)} lượt {subjects} được công nhận danh hiệu {name}")
    if not parts:
        return [f"Trong {years_phrase(reading.years)}, {where} chưa có số liệu công nhận danh hiệu học tập."]
    sentences = [f"Trong {years_phrase(reading.years)}, {where} đã có {_join(parts, ' và ')}."]
    distinct, unknown = [], []
    for title in COUNTED_TITLES:
        row = reading.period_row(title)
        if not row.recognitions:
            continue
        if row.distinct is None:
            unknown.append(SUBJECTS[title][0])
        elif len(reading.years) > 1:
            distinct.append(f"{count(row.distinct)} {SUBJECTS[title][0]}")
    if distinct:
        sentences.append(
            "Tính theo từng đối tượng, số được công nhận ít nhất một lần trong giai đoạn là "
            + ", ".join(distinct)
            + "."
        )
    if unknown and len(reading.years) > 1:
        sentences.append(
            "Trong giai đoạn có năm chỉ có số liệu tổng hợp do các địa phương báo cáo, không ghi tên từng đối "
            "tượng, nên với " + ", ".join(unknown) + " chỉ tính được số lượt, chưa tách được số đối tượng được "
            "công nhận riêng biệt."
        )
    last = next((row for row in reading.titles if row.title == "household"), None)
    if last is not None and last.rate_of_base is not None:
        share = percent(last.rate_of_base)
        sentence = f"Riêng năm {reading.last_year}, số hộ gia đình được công nhận bằng {share}% tổng số hộ"
        if last.rate_of_registered is not None:
            sentence += f" và {percent(last.rate_of_registered)}% số hộ đã đăng ký"
        sentences.append(sentence + ".")
    return sentences


def network(reading) -> list[str]:
    where = whole_area(reading.area)
    below = reading.associations_below
    members = reading.network[Measure.MEMBERS].figure.value
    if not below and not members:
        return [f"Chưa có số liệu về mạng lưới Hội Khuyến học năm {reading.last_year}."]
    sentence = f"Đến năm {reading.last_year}, {where} có {count(below or 0)} Hội Khuyến học"
    parts = [
        f"{count(value)} {name}" for measure, name in NETWORK_PARTS if (value := reading.network[measure].figure.value)
    ]
    if parts and below:
        sentence += ", gồm " + ", ".join(parts)
    sentences = [sentence + "."]
    boards = [
        f"{count(value)} {name}" for measure, name in BOARDS_PARTS if (value := reading.network[measure].figure.value)
    ]
    if boards:
        sentences.append("Bên cạnh đó có " + ", ".join(boards) + ".")
    if members:
        sentence = f"Tổng số hội viên là {count(members)} người"
        if reading.members_rate is not None:
            sentence += f", bằng {percent(reading.members_rate)}% dân số {where}"
        sentences.append(sentence + ".")
    return sentences


def fund(reading) -> list[str]:
    years = reading.years
    funds = {y: reading.network_value(Measure.FUND_VND, y) for y in years}
    counts = {y: reading.network_value(Measure.SCHOLARSHIPS, y) for y in years}
    amounts = {y: reading.network_value(Measure.SCHOLARSHIPS_VND, y) for y in years}
    if not any(funds.values()) and not any(counts.values()) and not any(amounts.values()):
        return ["Chưa có số liệu về quỹ khuyến học và học bổng trong giai đoạn này."]
    sentences = []
    known = [y for y in years if funds[y]]
    if known:
        last = known[-1]
        sentences.append(f"Năm {last}, quỹ khuyến học trên địa bàn đạt {count(funds[last])} đồng.")
    given = sum(v or 0 for v in counts.values())
    worth = sum(v or 0 for v in amounts.values())
    if given or worth:
        sentence = f"Trong {years_phrase(years)}, đã trao {count(given)} suất học bổng"
        if worth:
            sentence += f" với tổng trị giá {count(worth)} đồng"
        sentences.append(sentence + ".")
    return sentences


def progress(reading) -> list[str]:
    """Each title against the target that applies to it, with the trend to the target year."""
    if reading.target_year is None or not reading.progress:
        return ["Chưa có chỉ tiêu nào áp dụng cho địa bàn trong giai đoạn này."]
    sentences = []
    for title in COUNTED_TITLES:
        found = reading.progress[title]
        if found.target is None or found.actual is None:
            continue
        subjects = TARGET_SUBJECTS[title][0]
        sentence = (
            f"Danh hiệu {SUBJECTS[title][1]}: năm {found.actual_year} đạt {percent(found.actual)}% tổng số "
            f"{subjects}, chỉ tiêu đến năm {found.target_year} là {percent(found.target)}%"
        )
        gap = found.gap
        if gap is not None and gap > 0:
            sentence += f", còn thiếu {percent(gap)} điểm phần trăm"
        elif gap is not None:
            sentence += ", đã đạt chỉ tiêu"
        if found.projected is not None and found.actual_year != found.target_year:
            verdict = "đạt" if found.reaches else "chưa đạt"
            sentence += (
                f"; theo xu hướng các năm gần đây, dự kiến năm {found.target_year} đạt khoảng "
                f"{percent(found.projected, 0)}% ({verdict} chỉ tiêu)"
            )
        sentences.append(sentence + ".")
    if not sentences:
        return [f"Chưa đủ số liệu để so sánh với chỉ tiêu đến năm {reading.target_year}."]
    return sentences


def ranking(ranked, title: str, year: int, *, size: int = 3) -> list[str]:
    """ranked: [(name, rate)] of the sub-areas, highest first."""
    if len(ranked) < 2:
        return ["Chưa đủ số liệu của các địa bàn trực thuộc để so sánh."]
    size = min(size, len(ranked) // 2)
    subjects = TARGET_SUBJECTS[title][0]
    leading = ", ".join(f"{name} ({percent(rate)}%)" for name, rate in ranked[:size])
    lagging = ", ".join(f"{name} ({percent(rate)}%)" for name, rate in reversed(ranked[-size:]))
    return [
        f"Xét tỷ lệ {subjects} được công nhận so với tổng số năm {year}, các địa bàn dẫn đầu là {leading}.",
        f"Các địa bàn còn thấp, cần được quan tâm chỉ đạo nhiều hơn là {lagging}.",
    ]


AWARDS_NONE = (
    "Hệ thống chưa ghi nhận quyết định khen thưởng nào trong giai đoạn này, nên báo cáo chưa liệt kê các tập thể, "
    "dòng họ, gia đình được khen thưởng."
)


def next_targets(area, target_year: int | None, applicable: dict) -> list[str]:
    """The targets of the next period, as the targets that apply to the area say them."""
    parts = []
    for title in COUNTED_TITLES:
        found = applicable.get(title)
        if found is not None:
            subjects, achieved = TARGET_SUBJECTS[title]
            parts.append(f"{percent(found.percent)}% {subjects} {achieved}")
    if target_year is None or not parts:
        return ["Chưa có chỉ tiêu cho giai đoạn tiếp theo; đề nghị cấp có thẩm quyền ban hành chỉ tiêu."]
    return [f"Phấn đấu đến năm {target_year}, {whole_area(area)} có ít nhất " + _join(parts, " và ") + "."]
