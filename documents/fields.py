"""The fields a province's Word template may use, declared once per kind of document.

A kind listed in `TEMPLATED` is made from a .docx template: the shipped one, or the active template its
province uploaded (template_services.py). Its `fields` are everything a template of that kind may write:
`{{ name }}` for a value, and block fields (a paragraph of their own) for content the system drafts. The
kind's maker computes the values (`values`) and the shipped template (`shipped`); the upload page lists
the fields with their help and an example, and the check at upload refuses anything else.

A field of a list (`repeats`) is written once per item: the table row holding it (a list of rows, such as
an annex's subjects) or its paragraph (a list of lines, such as a decision's legal grounds); the value of
the list in `values` is then a list of dicts, one per item.

Another kind adds itself by adding its entry to `TEMPLATED` (its maker then fills the template with
`template_services.fill_for(document, values, blocks)`)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .docx_fill import FieldSpec


@dataclass(frozen=True)
class Field:
    name: str
    help: Promise
    example: str
    block: bool = False
    required: bool = False
    # the list the field belongs to (written once per item), and whether that list repeats table rows
    repeats: str = ""
    row: bool = False


@dataclass(frozen=True)
class Templated:
    fields: tuple[Field, ...]
    # dotted path of () -> bytes: the shipped template, a .docx with these fields
    shipped: str
    # dotted path of (area, years, today) -> dict: the values for a document of the area and years (for
    # the kinds made from a decision: illustrative values, for the preview)
    values: str

    @property
    def spec(self) -> FieldSpec:
        return FieldSpec(
            names=frozenset(f.name for f in self.fields),
            blocks=frozenset(f.name for f in self.fields if f.block),
            required=frozenset(f.name for f in self.fields if f.required),
            repeats={f.name: f.repeats for f in self.fields if f.repeats},
            row_lists=frozenset(f.repeats for f in self.fields if f.repeats and f.row),
        )

    def shipped_bytes(self) -> bytes:
        return import_string(self.shipped)()

    def values_for(self, area, years, today) -> dict:
        return import_string(self.values)(area, years, today)


# Fields every document of an area has: who issues it, where and when.
AREA_FIELDS = (
    Field(
        "issuing_body_above",
        _("The body above the issuing body, in capitals (empty for the whole country)"),
        "HỘI KHUYẾN HỌC VIỆT NAM",
    ),
    Field("issuing_body", _("The issuing body, in capitals"), "HỘI KHUYẾN HỌC TỈNH BẮC KẠN"),
    Field("association", _("The issuing association as named in a sentence"), "Hội Khuyến học tỉnh Bắc Kạn"),
    Field(
        "parent_association",
        _("The association above, as named in a sentence (empty for the whole country)"),
        "Hội Khuyến học Việt Nam",
    ),
    Field(
        "committee", _("The area's People's Committee (empty for the whole country)"), "Ủy ban nhân dân tỉnh Bắc Kạn"
    ),
    Field("area_name", _("The area's name"), "Tỉnh Bắc Kạn"),
    Field("area_in_text", _("The area's name inside a sentence"), "tỉnh Bắc Kạn"),
    Field("whole_area", _("The whole area, as a sentence says it"), "toàn tỉnh"),
    Field("place", _("The place written before the date"), "Bắc Kạn"),
    Field("date", _("The date the file is made, written out"), "ngày 05 tháng 12 năm 2026"),
)

REVIEW_FIELDS = AREA_FIELDS + (
    Field("stage", _("“Sơ kết” or “Tổng kết”"), "Sơ kết"),
    Field("stage_lower", _("“sơ kết” or “tổng kết”, inside a sentence"), "sơ kết"),
    Field(
        "subject", _("The report's subject line"), "Sơ kết 3 năm xây dựng các mô hình học tập, giai đoạn 2016 – 2018"
    ),
    Field("years", _("The period inside a sentence"), "3 năm 2016–2018"),
    Field("first_year", _("The first year"), "2016"),
    Field("last_year", _("The last year"), "2018"),
    Field(
        "body",
        _(
            "The report's sections drafted from the figures (results, network, fund, targets, ranking, awards, "
            "next period), with their tables and charts; alone in its paragraph"
        ),
        "I. KẾT QUẢ THỰC HIỆN …",
        block=True,
        required=True,
    ),
)


def _row(name: str, help_text: Promise, example: str, *, repeats: str = "annex", **options) -> Field:
    return Field(name, help_text, example, repeats=repeats, row=True, **options)


# The recognition decision and its annex (decision_doc.py).
DECISION_FIELDS = (
    Field("marks", _("“DỰ THẢO” on a draft, the revocation mark on a revoked decision, else empty"), "DỰ THẢO"),
    Field("issuing_body", _("The issuing body, in capitals"), "ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN"),
    Field("number", _("The decision's number and symbol"), "12/QĐ-UBND", required=True),
    Field("place", _("The place written before the date"), "Bắc Kạn"),
    Field("date", _("The decision's date, written out"), "ngày 20 tháng 03 năm 2026"),
    Field("date_short", _("The decision's date in figures"), "20/03/2026"),
    Field("subject", _("The subject line"), "Về việc công nhận danh hiệu “Gia đình học tập” năm 2025"),
    Field("authority", _("Who decides, in capitals, above the grounds"), "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN"),
    Field(
        "ground",
        _("One legal ground (its paragraph is written once per ground)"),
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        repeats="grounds",
    ),
    Field(
        "article_1",
        _("Article 1: who is recognised (without “Điều 1.”)"),
        "Công nhận danh hiệu “Gia đình học tập” năm 2025 cho 1.234 hộ gia đình (có danh sách kèm theo).",
        required=True,
    ),
    Field(
        "article_2",
        _("Article 2: when it takes effect (without “Điều 2.”)"),
        "Quyết định này có hiệu lực kể từ ngày ký.",
    ),
    Field("article_3", _("Article 3: who carries it out (without “Điều 3.”)"), "Văn phòng Ủy ban nhân dân phường …"),
    Field(
        "recipient",
        _("One recipient (its paragraph is written once per recipient)"),
        "- Như Điều 3;",
        repeats="recipients",
    ),
    Field(
        "signing_line",
        _("One line of the signing capacity (its paragraph is written once per line)"),
        "TM. ỦY BAN NHÂN DÂN",
        repeats="signing",
    ),
    Field("signer", _("The signer's name"), "Nguyễn Văn An"),
    Field("annex_title", _("The annex's title, in capitals"), "DANH SÁCH HỘ GIA ĐÌNH ĐẠT DANH HIỆU …"),
    Field(
        "annex_subtitle", _("The line under the annex's title"), "(Kèm theo Quyết định số 12/QĐ-UBND ngày 20/03/2026 …)"
    ),
    Field("partial_note", _("When the annex lists only the requester's area: a note saying so, else empty"), ""),
    Field("annex_name_column", _("The heading of the annex's name column"), "Họ và tên chủ hộ"),
    Field("annex_count", _("How many subjects the annex lists"), "1.234"),
    _row(
        "annex_group",
        _(
            "Annex, repeated row: the village or commune a group of subjects belongs to, with their count; "
            "only on the first subject of each group (a row whose list fields are all empty is left out)"
        ),
        "Thôn Nà Cà, Phường Bắc Kạn (12)",
    ),
    _row("annex_number", _("Annex, repeated row: the subject's number in the list"), "1"),
    _row(
        "annex_name",
        _("Annex, repeated row: the subject's name (a table row holding it is written once per subject)"),
        "Nguyễn Văn Bình",
        required=True,
    ),
    _row("annex_code", _("Annex, repeated row: the subject's code"), "HGD-0001"),
    _row("annex_total", _("Annex, repeated row: the subject's total points"), "95"),
    _row("annex_result", _("Annex, repeated row: the subject's result"), "Đạt"),
)

# The award decision and its list of recipients (award_docs.py); the lines shared with the recognition
# decision mean the same there.
_SHARED = {f.name: f for f in DECISION_FIELDS}
AWARD_DECISION_FIELDS = (
    _SHARED["marks"],
    Field(
        "issuing_body_above",
        _("The body above the issuing body, in capitals"),
        "HỘI KHUYẾN HỌC VIỆT NAM",
    ),
    _SHARED["issuing_body"],
    _SHARED["number"],
    _SHARED["place"],
    _SHARED["date"],
    Field("award", _("What is awarded, as a sentence names it"), "Giấy khen của Hội Khuyến học tỉnh"),
    Field("period", _("The period the achievements belong to"), "năm 2025"),
    _SHARED["ground"],
    _SHARED["article_1"],
    _SHARED["article_2"],
    _SHARED["article_3"],
    _SHARED["recipient"],
    _SHARED["signing_line"],
    _SHARED["signer"],
    Field("list_subtitle", _("The line under the list's title"), "(Kèm theo Quyết định số 05/QĐ-HKH …)"),
    _row("awardee_number", _("List, repeated row: the number in the list"), "1", repeats="awardees"),
    _row(
        "awardee_name",
        _("List, repeated row: who is awarded (a table row holding it is written once per recipient)"),
        "Chi hội Khuyến học thôn Nà Cà",
        repeats="awardees",
        required=True,
    ),
    _row("awardee_kind", _("List, repeated row: the kind of recipient"), "Tập thể", repeats="awardees"),
    _row("awardee_place", _("List, repeated row: where the recipient is"), "Phường Bắc Kạn", repeats="awardees"),
    _row(
        "awardee_achievements", _("List, repeated row: the achievements"), "Hoàn thành xuất sắc …", repeats="awardees"
    ),
)

TEMPLATED: dict[str, Templated] = {
    "review": Templated(REVIEW_FIELDS, "documents.review.shipped_template", "documents.review.interim_values"),
    "final_review": Templated(REVIEW_FIELDS, "documents.review.shipped_template", "documents.review.final_values"),
    "decision": Templated(
        DECISION_FIELDS, "documents.decision_doc.shipped_template", "documents.decision_doc.sample_values"
    ),
    "award_decision": Templated(
        AWARD_DECISION_FIELDS, "documents.award_docs.shipped_template", "documents.award_docs.sample_values"
    ),
}


def templated(kind: str) -> Templated | None:
    return TEMPLATED.get(kind)
