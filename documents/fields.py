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
`template_services.fill_for(document, values, blocks)`, or with `fill_each_for` when the file holds one
copy of the template per item, such as the minutes of each village)."""

from dataclasses import dataclass, replace

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
    # dotted path of () -> dict: for the preview, what stands for each block field (a writer of the
    # document, as the maker's blocks); a block field it lacks gets a generic illustration
    sample_blocks: str = ""

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

    def sample_blocks_for(self) -> dict:
        return import_string(self.sample_blocks)() if self.sample_blocks else {}


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


def _shared(fields: tuple[Field, ...], *names: str) -> tuple[Field, ...]:
    """The fields of another kind that mean the same here, by name, in this order."""
    by_name = {f.name: f for f in fields}
    return tuple(by_name[name] for name in names)


# The award decision and its list of recipients (award_docs.py); the lines shared with the recognition
# decision mean the same there.
AWARD_DECISION_FIELDS = (
    *_shared(DECISION_FIELDS, "marks"),
    Field(
        "issuing_body_above",
        _("The body above the issuing body, in capitals"),
        "HỘI KHUYẾN HỌC VIỆT NAM",
    ),
    *_shared(DECISION_FIELDS, "issuing_body", "number", "place", "date"),
    Field("award", _("What is awarded, as a sentence names it"), "Giấy khen của Hội Khuyến học tỉnh"),
    Field("period", _("The period the achievements belong to"), "năm 2025"),
    *_shared(DECISION_FIELDS, "ground", "article_1", "article_2", "article_3", "recipient", "signing_line", "signer"),
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

# What the dossiers behind a decision say of the commune and its title (dossiers.py): one copy of the template
# is filled per village (the minutes) or per commune (the commune's dossier), each on its own pages.
DOSSIER_FIELDS = (
    Field("title_name", _("The title, in quotation marks as a sentence names it"), "“Gia đình học tập”"),
    Field("year", _("The year evaluated"), "2025"),
    Field("commune", _("The commune's name"), "Phường Bắc Kạn"),
    Field("commune_in_text", _("The commune's name inside a sentence"), "phường Bắc Kạn"),
    Field(
        "commune_committee",
        _("The commune's People's Committee, as named in a sentence"),
        "Ủy ban nhân dân phường Bắc Kạn",
    ),
    Field(
        "criteria",
        _("The set of criteria scored against, with its legal number"),
        "“Gia đình học tập” (Quyết định 448/QĐ-KHVN)",
    ),
)

# The village meeting's minutes with its scoring grid: the village issues them, under its commune.
MINUTES_FIELDS = (
    Field(
        "issuing_body_above",
        _("The commune's People's Committee, in capitals, above the village"),
        "ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN",
    ),
    Field("issuing_body", _("The village, in capitals"), "TỔ DÂN PHỐ 1"),
    *_shared(AREA_FIELDS, "place"),
    *DOSSIER_FIELDS,
    Field("village", _("The village's name"), "Tổ dân phố 1", required=True),
    Field("village_kind", _("The kind of village, inside a sentence"), "tổ dân phố"),
    Field("chair", _("Who chairs the village's meeting"), "Tổ trưởng tổ dân phố"),
    Field(
        "pass_rule",
        _("A sentence saying from how many points a household achieves the title (empty when the set has none)"),
        "Hộ đạt danh hiệu khi có tổng điểm từ 70 điểm trở lên.",
    ),
    Field(
        "scoring_grid",
        _(
            "The scoring grid drafted from the evaluations: a household a row, the marks per criterion, the "
            "total, the result and whether the meeting proposes it, with the criteria's names under it; alone "
            "in its paragraph"
        ),
        "STT | Họ và tên chủ hộ | 1.1 | … | Tổng điểm | Kết quả | Đề nghị",
        block=True,
        required=True,
    ),
    Field("scored_count", _("How many households the meeting scored"), "3"),
    Field("proposed_count", _("How many households the meeting proposes"), "2"),
    Field(
        "proposed_names",
        _("The heads of the households proposed, separated by commas"),
        "Hoàng Văn An, Lý Thị Bình",
        required=True,
    ),
)

# A commune's dossier for its own title: the request (tờ trình), the self-check minutes, the scoring sheet.
COMMUNE_DOSSIER_FIELDS = (
    Field("issuing_body", _("The commune's People's Committee, in capitals"), "ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN"),
    *_shared(AREA_FIELDS, "place"),
    Field(
        "request_date",
        _("The request's date, written out: the day the self-assessment was submitted"),
        "ngày 15 tháng 01 năm 2026",
    ),
    *(replace(f, required=True) if f.name == "commune" else f for f in DOSSIER_FIELDS),
    Field(
        "addressee",
        _("Who decides on the request, as named in a sentence (the decision's issuing body)"),
        "Ủy ban nhân dân tỉnh Thái Nguyên",
    ),
    Field("own_total", _("The total of the self-assessed marks"), "80"),
    Field("max_total", _("The most points the set gives"), "100"),
    Field("verified_total", _("The total recorded after verification"), "77"),
    Field("result", _("The result recorded"), "Đạt"),
    Field("evidence_count", _("How many evidence files the evaluation holds"), "3"),
    Field(
        "standard_code",
        _("Self-check, one standard (its paragraph is written once per standard): its code"),
        "1",
        repeats="standards",
    ),
    Field("standard_name", _("Self-check, one standard: its name"), "Tiêu chuẩn về học tập", repeats="standards"),
    Field(
        "standard_score",
        _("Self-check, one standard: its self-assessed marks"),
        "đạt 40/50 điểm",
        repeats="standards",
    ),
    Field(
        "scoring_sheet",
        _(
            "The scoring sheet drafted from the evaluation: each standard, criterion and indicator with the most "
            "points, the self-assessed marks, the marks after verification and the notes, the sums and the "
            "total; alone in its paragraph"
        ),
        "Mã | Tiêu chuẩn, tiêu chí, chỉ số | Điểm tối đa | Điểm tự chấm | Điểm sau thẩm định | Ghi chú",
        block=True,
        required=True,
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
    "meeting_minutes": Templated(
        MINUTES_FIELDS,
        "documents.dossier_templates.minutes_template",
        "documents.dossier_values.minutes_sample",
        "documents.dossiers.minutes_sample_blocks",
    ),
    "commune_dossier": Templated(
        COMMUNE_DOSSIER_FIELDS,
        "documents.dossier_templates.commune_dossier_template",
        "documents.dossier_values.commune_dossier_sample",
        "documents.dossiers.commune_dossier_sample_blocks",
    ),
}


def templated(kind: str) -> Templated | None:
    return TEMPLATED.get(kind)
