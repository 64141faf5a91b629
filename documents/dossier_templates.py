"""The shipped Word templates of the dossiers behind a decision (fields.MINUTES_FIELDS,
fields.COMMUNE_DOSSIER_FIELDS), in the state format: every varying word a field, the drafted tables
block fields. One copy is filled per village or per commune (dossiers.py).

What the records do not hold — the meeting's hour, who chaired it, the members present, the numbers
given when the papers are registered — stays as dotted blanks for the officials to fill in, as on the
printed forms."""

import functools
import io

from docx import Document as WordDocument

from . import admin_format as fmt

DOTS = "……………………"
BLANK_TIME = "…… giờ …… ngày …… tháng …… năm ……"


def _new_word():
    word = WordDocument()
    fmt.setup_page(word)
    return word


def _saved(word) -> bytes:
    word.core_properties.author = "khuyenhoc"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _block(word, name: str) -> None:
    word.add_paragraph("{{ " + name + " }}")


@functools.cache
def minutes_template() -> bytes:
    """A village's meeting: who attended, the scoring grid, the households proposed, two signatures."""
    word = _new_word()
    fmt.masthead(
        word,
        above="{{ issuing_body_above }}",
        body_name="{{ issuing_body }}",
        number="……/BB-HN",
        place="{{ place }}",
        date_text=fmt.BLANK_DATE,
    )
    fmt.title_block(word, "BIÊN BẢN", ["Họp bình xét danh hiệu {{ title_name }} năm {{ year }}"])
    fmt.paragraph(
        word,
        f"Hôm nay, hồi {BLANK_TIME}, tại {{{{ village }}}}, {{{{ commune_in_text }}}}, hội nghị "
        "{{ village_kind }} họp bình xét danh hiệu {{ title_name }} năm {{ year }}.",
    )
    fmt.heading(word, "I. THÀNH PHẦN")
    fmt.paragraph(word, f"- Chủ trì hội nghị: {DOTS}, {{{{ chair }}}};", indent=False)
    fmt.paragraph(word, f"- Thư ký: {DOTS};", indent=False)
    fmt.paragraph(word, f"- Đại diện các hộ gia đình có mặt: …… hộ / tổng số …… hộ; khách mời: {DOTS}.", indent=False)
    fmt.heading(word, "II. NỘI DUNG")
    fmt.paragraph(
        word,
        "Hội nghị đã bình xét, chấm điểm từng hộ theo bộ tiêu chí {{ criteria }}. {{ pass_rule }} "
        "Kết quả chấm điểm như sau:",
    )
    _block(word, "scoring_grid")
    fmt.heading(word, "III. KẾT LUẬN")
    fmt.paragraph(
        word,
        "Số hộ được bình xét, chấm điểm: {{ scored_count }} hộ. Hội nghị thống nhất đề nghị {{ commune_committee }} "
        "công nhận danh hiệu {{ title_name }} năm {{ year }} cho {{ proposed_count }} hộ gia đình: "
        "{{ proposed_names }}.",
    )
    fmt.paragraph(
        word,
        "Biên bản kết thúc hồi …… giờ …… cùng ngày, đã được đọc lại cho hội nghị nghe và nhất trí thông qua.",
    )
    fmt.signatures_side_by_side(word, [("THƯ KÝ", ""), ("CHỦ TRÌ HỘI NGHỊ", "")])
    return _saved(word)


def _commune_masthead(word, number: str, date_text: str) -> None:
    fmt.masthead(
        word, above="", body_name="{{ issuing_body }}", number=number, place="{{ place }}", date_text=date_text
    )


@functools.cache
def commune_dossier_template() -> bytes:
    """A commune's dossier, each part from a new page: the request to the body that recognises, the
    self-check minutes, the scoring sheet by criterion."""
    word = _new_word()
    _commune_masthead(word, "……/TTr-UBND", "{{ request_date }}")
    fmt.title_block(word, "TỜ TRÌNH", ["Đề nghị công nhận danh hiệu {{ title_name }} năm {{ year }}"])
    fmt.line(word, "Kính gửi: {{ addressee }}.", size=14)
    word.add_paragraph()
    fmt.paragraph(word, "Căn cứ bộ tiêu chí {{ criteria }};", italic=True)
    fmt.paragraph(
        word,
        "{{ commune_committee }} đã tổ chức tự kiểm tra, đánh giá kết quả xây dựng {{ title_name }} năm {{ year }} "
        "theo bộ tiêu chí. Tổng số điểm tự đánh giá đạt {{ own_total }}/{{ max_total }} điểm; "
        "kết quả: {{ result }}.",
    )
    fmt.paragraph(
        word,
        "{{ commune_committee }} kính đề nghị {{ addressee }} xem xét, công nhận {{ commune_in_text }} đạt danh hiệu "
        "{{ title_name }} năm {{ year }}.",
    )
    fmt.paragraph(
        word,
        "Hồ sơ kèm theo: Biên bản tự kiểm tra; Bảng chấm điểm theo tiêu chí; {{ evidence_count }} tệp minh chứng.",
    )
    fmt.signature(
        word,
        recipients=["- Như trên;", "- Lưu: VT."],
        authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        signer=DOTS,
    )

    fmt.page_break(word)
    _commune_masthead(word, "……/BB-UBND", fmt.BLANK_DATE)
    fmt.title_block(word, "BIÊN BẢN", ["Tự kiểm tra, đánh giá kết quả xây dựng {{ title_name }} năm {{ year }}"])
    fmt.paragraph(
        word,
        f"Hôm nay, hồi {BLANK_TIME}, tại trụ sở {{{{ commune_committee }}}}, đoàn tự kiểm tra của "
        "{{ commune_in_text }} tiến hành kiểm tra, đánh giá theo bộ tiêu chí {{ criteria }}.",
    )
    fmt.heading(word, "I. THÀNH PHẦN ĐOÀN TỰ KIỂM TRA")
    fmt.paragraph(word, f"- Trưởng đoàn: {DOTS};", indent=False)
    fmt.paragraph(word, f"- Thư ký: {DOTS};", indent=False)
    fmt.paragraph(word, f"- Các thành viên: {DOTS}.", indent=False)
    fmt.heading(word, "II. KẾT QUẢ TỰ KIỂM TRA")
    fmt.paragraph(word, "- {{ standard_code }}. {{ standard_name }}: {{ standard_score }}.", indent=False)
    fmt.paragraph(word, "Chi tiết theo từng tiêu chí tại Bảng chấm điểm kèm theo.", indent=False)
    fmt.heading(word, "III. KẾT LUẬN")
    fmt.paragraph(
        word,
        "Tổng số điểm tự đánh giá: {{ own_total }}/{{ max_total }} điểm; kết quả: {{ result }}. Đoàn tự kiểm tra "
        "đề nghị {{ commune_committee }} lập hồ sơ đề nghị công nhận danh hiệu {{ title_name }} năm {{ year }}.",
    )
    fmt.signatures_side_by_side(word, [("THƯ KÝ", ""), ("TRƯỞNG ĐOÀN", "")])

    fmt.page_break(word)
    fmt.line(word, "BẢNG CHẤM ĐIỂM THEO TIÊU CHÍ", bold=True, size=14)
    fmt.line(word, "{{ title_name }} năm {{ year }} – {{ commune }}", bold=True, size=13)
    fmt.line(word, "(Bộ tiêu chí {{ criteria }})", italic=True, size=12)
    word.add_paragraph()
    _block(word, "scoring_sheet")
    fmt.paragraph(
        word, "Tổng điểm sau thẩm định ghi trong hồ sơ: {{ verified_total }} điểm; kết quả: {{ result }}.", indent=False
    )
    fmt.signatures_side_by_side(word, [("NGƯỜI CHẤM ĐIỂM", ""), ("TM. ĐOÀN TỰ KIỂM TRA", "")])
    return _saved(word)
