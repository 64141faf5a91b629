"""Illustration criteria sets for the demo: completed copies of the shipped sets, and two small sets
for the clan and village titles, whose criteria no public source gives (rules.md §2.3).

Every value the law does not publish is invented here. Each set is flagged `is_illustration`, its name
ends "(minh hoạ)", its note says which values are invented, and an invented text ends "(minh hoạ)"
too. The shipped defaults are only read: `criteria_set_clone` copies them. A set already built by an
earlier run is reused.
"""

from decimal import Decimal

from django.db import transaction

from criteria.editing import renumber
from criteria.models import ACHIEVED, CriteriaSet, Node, NodeKind, ResultRule, Scoring, Title
from criteria.services import criteria_set_clone

MARK = " (minh hoạ)"
LAST_YEAR = 2030  # the end of the 2021–2030 programme (rules.md §2.4)
FIRST_YEAR = 2019


def _note(invented: str) -> str:
    return (
        f"Bản minh hoạ cho dữ liệu mẫu: {invented} là giá trị đặt ra để minh hoạ, không phải quy định. "
        "Không dùng để công nhận thật: tỉnh sao chép bộ tiêu chí gốc và nhập từ văn bản."
    )


# The shipped TT44 set's 15 criteria get these points (a total of 100) and these ratings.
TT44_POINTS = [7] * 10 + [6] * 5
RATINGS = [("tot", "Tốt", 85), ("kha", "Khá", 70), ("trung_binh", "Trung bình", 50)]
# TT25's 9 indicators under criteria 3–5 (texts not public); level 2 asks more under criteria 4 and 5.
TT25_INDICATORS = {
    "3": [
        ("Trung tâm học tập cộng đồng hoạt động thường xuyên, có kế hoạch hằng năm", 1),
        ("Thư viện xã, tủ sách cộng đồng phục vụ người dân", 1),
        ("Trung tâm văn hoá – thể thao tổ chức các lớp, câu lạc bộ học tập", 1),
    ],
    "4": [
        ("Duy trì phổ cập giáo dục mầm non, tiểu học, trung học cơ sở", 1),
        ("Duy trì xoá mù chữ mức độ 1", 1),
        ("Đạt xoá mù chữ mức độ 2 và phổ cập giáo dục trung học cơ sở mức độ 2 trở lên", 2),
    ],
    "5": [
        ("Tỷ lệ gia đình, dòng họ, cộng đồng học tập được công nhận đạt kế hoạch", 1),
        ("Người dân tham gia học tập thường xuyên tại cộng đồng", 1),
        ("Tỷ lệ công dân học tập đạt mức cao của tỉnh", 2),
    ],
}
# Scratch sets: (code, text, maximum points); the title is achieved at 70 of 100.
CLAN_CRITERIA = [
    ("1", "Dòng họ có ban khuyến học, quỹ khuyến học và quy ước khuyến học", 30),
    ("2", "Con cháu trong độ tuổi đi học được đến trường, hoàn thành phổ cập giáo dục", 30),
    ("3", "Tỷ lệ gia đình trong dòng họ đạt gia đình học tập", 20),
    ("4", "Thành viên chấp hành chủ trương, pháp luật, xây dựng gia đình văn hoá", 20),
]
VILLAGE_CRITERIA = [
    ("1", "Tỷ lệ gia đình học tập, dòng họ học tập trong thôn", 30),
    ("2", "Hoạt động học tập tại nhà văn hoá, điểm sinh hoạt cộng đồng", 25),
    ("3", "Trẻ em trong độ tuổi đi học được đến trường", 25),
    ("4", "Chi hội khuyến học và quỹ khuyến học của thôn", 20),
]
PASS_TOTAL = Decimal(70)
# The learning-citizen set's three competences and ten criteria (names, split and points invented: only
# "3 competences, 10 criteria, 100 points" is known); the title is achieved at 50 of 100.
CITIZEN_COMPETENCES = {
    "1": (
        "Năng lực tự học",
        [
            ("Có kế hoạch tự học hằng năm", 10),
            ("Tham gia học tập tại trung tâm học tập cộng đồng", 10),
            ("Đọc sách, báo; tìm hiểu kiến thức phục vụ công việc", 10),
            ("Hoàn thành các khoá bồi dưỡng theo yêu cầu công việc", 10),
        ],
    ),
    "2": (
        "Năng lực ứng dụng công nghệ thông tin",
        [
            ("Sử dụng điện thoại thông minh, máy tính để học tập", 10),
            ("Sử dụng dịch vụ công trực tuyến", 10),
            ("Chia sẻ kiến thức trên môi trường số an toàn", 10),
        ],
    ),
    "3": (
        "Năng lực sáng tạo",
        [
            ("Áp dụng điều đã học vào sản xuất, công việc", 10),
            ("Có sáng kiến, cách làm mới được ghi nhận", 10),
            ("Hướng dẫn người khác cùng học tập", 10),
        ],
    ),
}
CITIZEN_PASS_TOTAL = Decimal(50)


@transaction.atomic
def build_illustration_sets(*, actor) -> tuple[dict, int]:
    """({key: set}, how many were created). Keys: household, clan, village, unit, commune_tt44,
    commune_tt25, citizen."""
    built = {}
    created = 0
    for key, make in [
        ("household", _household),
        ("commune_tt44", _commune_tt44),
        ("commune_tt25", _commune_tt25),
        ("unit", _unit),
        ("clan", _clan),
        ("village", _village),
        ("citizen", _citizen),
    ]:
        built[key], new = make(actor)
        created += new
    return built, created


def _existing(title: str, name: str):
    return CriteriaSet.objects.filter(title=title, name=name, is_illustration=True).order_by("version").first()


def _copy(actor, title: str, legal_number: str, **fields):
    """The illustration copy of a shipped set, and whether it was made now (then the caller completes it)."""
    shipped = CriteriaSet.objects.get(is_default=True, title=title, legal_number=legal_number)
    name = shipped.name + MARK
    existing = _existing(title, name)
    if existing is not None:
        return existing, False
    copy = criteria_set_clone(actor=actor, criteria_set=shipped, name=name)
    copy.is_illustration = True
    for field, value in fields.items():
        setattr(copy, field, value)
    copy.save()
    return copy, True


def _household(actor):
    copy, created = _copy(
        actor,
        Title.HOUSEHOLD,
        "448/QĐ-KHVN",
        valid_from=FIRST_YEAR,
        valid_to=LAST_YEAR,
        pass_total=PASS_TOTAL,
        note=_note("điểm tối đa của nội dung 2.2 (20), tiêu chí 3 (20), tiêu chí 4 (20) và ngưỡng công nhận (70/100)"),
    )
    if created:
        for code, points in [("2.2", 20), ("3", 20), ("4", 20)]:
            copy.nodes.filter(code=code).update(max_points=points)
    return copy, created


def _commune_tt44(actor):
    copy, created = _copy(
        actor,
        Title.COMMUNE,
        "44/2014/TT-BGDĐT",
        valid_from=FIRST_YEAR,
        valid_to=2023,
        recognised_results=["tot", "kha"],
        note=_note(
            "điểm từng tiêu chí (tổng 100), nội dung tiêu chí 15, các mức xếp loại Tốt ≥ 85, Khá ≥ 70, "
            "Trung bình ≥ 50 và việc tính Tốt, Khá là được công nhận"
        ),
    )
    if created:
        for node in copy.nodes.all():
            node.max_points = TT44_POINTS[int(node.code) - 1]
            node.name = node.name or "Các nội dung khác của xã học tập" + MARK
            node.save(update_fields=["max_points", "name"])
        for position, (code, label, min_total) in enumerate(RATINGS):
            copy.bands.create(code=code, label=label, min_total=min_total, position=position)
    return copy, created


def _commune_tt25(actor):
    copy, created = _copy(
        actor,
        Title.COMMUNE,
        "25/2023/TT-BGDĐT",
        note=_note("nội dung 9 chỉ tiêu thuộc tiêu chí 3–5 và mức độ của từng chỉ tiêu"),
    )
    if created:
        parents = {n.code: n for n in copy.nodes.filter(code__in=TT25_INDICATORS)}
        for parent_code, indicators in TT25_INDICATORS.items():
            for number, (text, level) in enumerate(indicators, start=1):
                Node.objects.create(
                    criteria_set=copy,
                    parent=parents[parent_code],
                    kind=NodeKind.INDICATOR,
                    code=f"{parent_code}.{number}",
                    name=text + MARK,
                    scoring=Scoring.PASS_FAIL,
                    level=level,
                )
        renumber(copy)
    return copy, created


def _unit(actor):
    copy, created = _copy(
        actor,
        Title.UNIT,
        "22/2020/TT-BGDĐT",
        valid_from=FIRST_YEAR,
        valid_to=None,
        recognised_results=["tot", "kha"],
        note=_note("nội dung 3.2 (15 điểm) và việc tính Tốt, Khá là được công nhận"),
    )
    if created:
        copy.nodes.filter(code="3.2").update(
            name="Đơn vị đạt danh hiệu thi đua, hoàn thành nhiệm vụ" + MARK, max_points=15
        )
    return copy, created


def _clan(actor):
    return _scratch(Title.CLAN, "Dòng họ học tập" + MARK, CLAN_CRITERIA)


def _village(actor):
    return _scratch(Title.VILLAGE, "Cộng đồng học tập cấp thôn" + MARK, VILLAGE_CRITERIA)


def _scratch(title: str, name: str, criteria):
    existing = _existing(title, name)
    if existing is not None:
        return existing, False
    criteria_set = CriteriaSet.objects.create(
        title=title,
        name=name,
        valid_from=FIRST_YEAR,
        valid_to=LAST_YEAR,
        rule=ResultRule.THRESHOLD,
        pass_total=PASS_TOTAL,
        recognised_results=[ACHIEVED],
        is_illustration=True,
        note=_note("các tiêu chí, điểm tối đa và ngưỡng công nhận (70/100) — chưa có văn bản công khai"),
    )
    Node.objects.bulk_create(
        Node(
            criteria_set=criteria_set,
            position=position,
            kind=NodeKind.CRITERION,
            code=code,
            name=text + MARK,
            scoring=Scoring.POINTS,
            max_points=points,
        )
        for position, (code, text, points) in enumerate(criteria)
    )
    return criteria_set, True


def _citizen(actor):
    copy, created = _copy(
        actor,
        Title.CITIZEN,
        "677/QĐ-TTg",
        pass_total=CITIZEN_PASS_TOTAL,
        note=_note(
            "tên ba năng lực cốt lõi, mười tiêu chí và cách chia chúng, điểm từng tiêu chí (tổng 100) và ngưỡng "
            "công nhận (50/100)"
        ),
    )
    if created:
        competences = {n.code: n for n in copy.nodes.all()}
        for code, (name, criteria) in CITIZEN_COMPETENCES.items():
            competence = competences[code]
            competence.name = name + MARK
            competence.save(update_fields=["name"])
            for number, (text, points) in enumerate(criteria, start=1):
                Node.objects.create(
                    criteria_set=copy,
                    parent=competence,
                    kind=NodeKind.CRITERION,
                    code=f"{code}.{number}",
                    name=text + MARK,
                    scoring=Scoring.POINTS,
                    max_points=points,
                )
        renumber(copy)
    return copy, created
