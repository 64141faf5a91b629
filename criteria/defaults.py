"""The criteria sets shipped with the system, as far as the law is public (rules.md §2).

A value the sources do not give is left empty (None, or an empty text) and the set reports it as
missing; a province completes a copy. Nothing here is invented. Loaded by a data migration, and
again by `load_default_criteria` (idempotent: a set already present is left as it is).
"""

from decimal import Decimal

TT44_VI = [
    "Sự lãnh đạo, chỉ đạo của Đảng ủy, Ủy ban nhân dân xã",
    "Hoạt động của Ban chỉ đạo xây dựng xã hội học tập cấp xã",
    "Sự tham gia, phối hợp của các ban, ngành, đoàn thể và tổ chức khác",
    "Mạng lưới và hoạt động của các cơ sở giáo dục, thiết chế văn hóa trên địa bàn xã",
    "Kết quả phổ cập giáo dục, xóa mù chữ",
    "Công bằng xã hội trong giáo dục",
    "Học tập, bồi dưỡng thường xuyên của cán bộ, công chức xã",
    "Học tập thường xuyên của người lao động từ 15 tuổi trở lên",
    "Kết quả xây dựng gia đình hiếu học, cộng đồng học tập cấp thôn",
    "Thôn được công nhận khu dân cư văn hóa",
    "Giảm tỷ lệ hộ nghèo",
    "Bình đẳng giới",
    "Vệ sinh, môi trường và chăm sóc sức khỏe cộng đồng",
    "Trật tự, an toàn xã hội",
    "",
]


def _leaf(code, name, scoring="points", max_points=None, level=None, kind="indicator"):
    return {
        "code": code,
        "kind": kind,
        "name": name,
        "scoring": scoring,
        "max_points": max_points,
        "level": level,
        "children": [],
    }


def _group(code, name, children, kind="criterion", max_points=None):
    return {
        "code": code,
        "kind": kind,
        "name": name,
        "scoring": "group",
        "max_points": max_points,
        "level": None,
        "children": children,
    }


TEN = Decimal(10)
DEFAULT_SETS = [
    {
        "title": "commune",
        "name": "Xã học tập – Thông tư 44/2014/TT-BGDĐT",
        "legal_number": "44/2014/TT-BGDĐT",
        "legal_date": None,  # not in the public summaries: entered from the document
        "issuer": "Bộ Giáo dục và Đào tạo",
        "valid_from": 2015,
        "valid_to": 2023,
        "rule": "ratings",
        "note": "15 tiêu chí; điểm từng tiêu chí, tên các mức xếp loại và ngưỡng điểm chưa công khai: "
        "tỉnh nhập từ văn bản gốc.",
        "bands": [],
        "nodes": [_leaf(str(n), name, kind="criterion") for n, name in enumerate(TT44_VI, start=1)],
    },
    {
        "title": "commune",
        "name": "Xã học tập – Thông tư 25/2023/TT-BGDĐT",
        "legal_number": "25/2023/TT-BGDĐT",
        "legal_date": None,  # not in the public summaries: entered from the document
        "issuer": "Bộ Giáo dục và Đào tạo",
        "valid_from": 2024,
        "valid_to": None,
        "rule": "levels",
        "validity_years": 3,
        "years_at_level_1": 1,
        "recognised_results": ["level_1", "level_2"],
        "note": "5 tiêu chí, 15 chỉ tiêu; mức 1 (Khá), mức 2 (Tốt); công nhận có giá trị 3 năm. Nội dung 9 chỉ "
        "tiêu thuộc tiêu chí 3–5 chưa công khai: tỉnh nhập từ văn bản gốc.",
        "bands": [],
        "nodes": [
            _group(
                "1",
                "Sự lãnh đạo của cấp ủy Đảng, chính quyền xã",
                [
                    _leaf("1.1", "Tuyên truyền nâng cao nhận thức về học tập suốt đời", "pass_fail", level=1),
                    _leaf(
                        "1.2", "Có kế hoạch xây dựng xã hội học tập hằng năm và tổ chức thực hiện", "pass_fail", level=1
                    ),
                    _leaf("1.3", "Kế hoạch, hoạt động và báo cáo Tuần lễ học tập suốt đời", "pass_fail", level=1),
                ],
            ),
            _group(
                "2",
                "Huy động nguồn lực và tạo môi trường thuận lợi",
                [
                    _leaf("2.1", "Ngân sách nhà nước hằng năm theo quy định của Luật Ngân sách", "pass_fail", level=1),
                    _leaf("2.2", "Huy động nguồn lực xã hội và có kết quả", "pass_fail", level=1),
                    _leaf(
                        "2.3",
                        "Cơ chế phối hợp giữa Hội Khuyến học xã, các tổ chức chính trị – xã hội, cơ sở giáo dục "
                        "và thiết chế văn hóa",
                        "pass_fail",
                        level=1,
                    ),
                ],
            ),
            _group(
                "3", "Hiệu quả hoạt động của trung tâm học tập cộng đồng, thư viện xã, trung tâm văn hóa – thể thao", []
            ),
            _group("4", "Kết quả phổ cập giáo dục, xóa mù chữ", []),
            _group("5", "Hiệu quả xây dựng xã học tập", []),
        ],
    },
    {
        "title": "household",
        "name": "Gia đình học tập – Quyết định 448/QĐ-KHVN",
        "legal_number": "448/QĐ-KHVN",
        "legal_date": None,  # not in the public summaries: entered from the document
        "issuer": "Hội Khuyến học Việt Nam",
        "valid_from": 2016,
        "valid_to": 2020,
        "rule": "threshold",
        "recognised_results": ["achieved"],
        "note": "4 tiêu chí chấm điểm; điểm tối đa của tiêu chí 3–4, các nội dung chưa rõ và ngưỡng công nhận chưa "
        "công khai: tỉnh nhập từ văn bản gốc.",
        "bands": [],
        "nodes": [
            _group(
                "1",
                "Việc học tập của trẻ em",
                [
                    _leaf("1.1", "Trẻ em trong độ tuổi đi học đều đi học, hoàn thành phổ cập giáo dục", max_points=TEN),
                    _leaf("1.2", "Kết quả học tập từ trung bình trở lên, hạnh kiểm từ khá trở lên", max_points=TEN),
                    _leaf("1.3", "Trung thực, lễ phép, tham gia các hoạt động ở địa phương", max_points=TEN),
                ],
                max_points=Decimal(30),
            ),
            _group(
                "2",
                "Việc học tập của người lớn",
                [
                    _leaf("2.1", "Người lớn 19–60 tuổi biết chữ mức độ 1 trở lên", max_points=TEN),
                    _leaf("2.2", "Mỗi người lớn học ít nhất một chủ đề trong năm"),
                ],
                max_points=Decimal(30),
            ),
            _leaf("3", "Điều kiện học tập của gia đình", kind="criterion"),
            _leaf("4", "Hiệu quả học tập đối với các thành viên", kind="criterion"),
        ],
    },
    {
        "title": "unit",
        "name": "Đơn vị học tập cấp huyện, tỉnh – Thông tư 22/2020/TT-BGDĐT",
        "legal_number": "22/2020/TT-BGDĐT",
        "legal_date": None,  # not in the public summaries: entered from the document
        "issuer": "Bộ Giáo dục và Đào tạo",
        "valid_from": 2020,
        "valid_to": 2023,
        "rule": "ratings",
        "note": "Thang 100 điểm; nội dung còn lại của tiêu chí 3 (15 điểm) chưa công khai; chưa rõ những mức xếp "
        "loại nào được tính là công nhận: tỉnh nhập.",
        "bands": [("tot", "Tốt", Decimal(85)), ("kha", "Khá", Decimal(70)), ("trung_binh", "Trung bình", Decimal(50))],
        "nodes": [
            _group(
                "1",
                "Điều kiện bảo đảm",
                [
                    _leaf("1.1", "Kế hoạch xây dựng đơn vị học tập", max_points=TEN),
                    _leaf("1.2", "Quy định khuyến khích học tập", max_points=TEN),
                    _leaf("1.3", "Nguồn lực", max_points=TEN),
                ],
                max_points=Decimal(30),
            ),
            _group(
                "2",
                "Học tập của cán bộ, công chức, viên chức, người lao động",
                [
                    _leaf("2.1", "Kế hoạch tự học", max_points=TEN),
                    _leaf("2.2", "Kỷ luật, kỷ cương", max_points=Decimal(5)),
                    _leaf("2.3", "Bồi dưỡng bắt buộc", max_points=TEN),
                    _leaf("2.4", "Đạt lao động tiên tiến trở lên", max_points=Decimal(5)),
                ],
                max_points=Decimal(30),
            ),
            _group(
                "3",
                "Hiệu quả",
                [
                    _leaf("3.1", "Thành viên đáp ứng năng lực công dân học tập", max_points=Decimal(25)),
                    _leaf("3.2", ""),
                ],
                max_points=Decimal(40),
            ),
        ],
    },
]

# Learning citizens (rules.md §1): built on three core competences and ten criteria scored out of 100 in
# the 2020 draft. The competences' names, how the ten criteria fall under them, their points and the
# total needed are not public: the three competences are shipped empty for the province to complete.
DEFAULT_SETS.append(
    {
        "title": "citizen",
        "name": "Công dân học tập – dự thảo tiêu chí 2020 (Quyết định 677/QĐ-TTg)",
        # The programme decision that made the title; the criteria decision is cited both as 324/QĐ-KHVN and
        # 244/QĐ-KHVN: entered from the document.
        "legal_number": "677/QĐ-TTg",
        "legal_date": None,
        "issuer": "Hội Khuyến học Việt Nam",
        "valid_from": 2022,
        "valid_to": None,
        "rule": "threshold",
        "recognised_results": ["achieved"],
        "note": "3 năng lực cốt lõi, 10 tiêu chí, thang 100 điểm (dự thảo 2020), đánh giá theo nhóm đối tượng "
        "(nông dân, công nhân, lao động trí óc). Tên các năng lực, cách chia 10 tiêu chí, điểm từng tiêu chí "
        "và ngưỡng công nhận chưa công khai; quyết định hiện hành được trích dẫn là 324/QĐ-KHVN và cả "
        "244/QĐ-KHVN: tỉnh nhập từ văn bản gốc.",
        "bands": [],
        "nodes": [_group(str(n), "", [], kind="standard") for n in (1, 2, 3)],
    }
)


def load_default_sets(CriteriaSet, Node, RatingBand) -> int:
    """Create the shipped sets that are not there yet; returns how many were created. Takes the
    model classes so that a data migration can pass its historical ones."""
    created = 0
    for spec in DEFAULT_SETS:
        if CriteriaSet.objects.filter(is_default=True, legal_number=spec["legal_number"], title=spec["title"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k not in ("nodes", "bands")}
        criteria_set = CriteriaSet.objects.create(is_default=True, **fields)
        for position, (code, label, min_total) in enumerate(spec["bands"]):
            RatingBand.objects.create(
                criteria_set=criteria_set, code=code, label=label, min_total=min_total, position=position
            )
        position = 0
        for node in spec["nodes"]:
            position = _create_node(Node, criteria_set, None, node, position)
        created += 1
    return created


def _create_node(Node, criteria_set, parent, spec, position) -> int:
    node = Node.objects.create(
        criteria_set=criteria_set,
        parent=parent,
        position=position,
        kind=spec["kind"],
        code=spec["code"],
        name=spec["name"],
        scoring=spec["scoring"],
        max_points=spec["max_points"],
        level=spec["level"],
    )
    position += 1
    for child in spec["children"]:
        position = _create_node(Node, criteria_set, node, child, position)
    return position
