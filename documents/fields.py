"""The fields a province's Word template may use, declared once per kind of document.

A kind listed in `TEMPLATED` is made from a .docx template: the shipped one, or the active template its
province uploaded (template_services.py). Its `fields` are everything a template of that kind may write:
`{{ name }}` for a value, and block fields (a paragraph of their own) for content the system drafts. The
kind's maker computes the values (`values`) and the shipped template (`shipped`); the upload page lists
the fields with their help and an example, and the check at upload refuses anything else.

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


@dataclass(frozen=True)
class Templated:
    fields: tuple[Field, ...]
    # dotted path of () -> bytes: the shipped template, a .docx with these fields
    shipped: str
    # dotted path of (area, years, today) -> dict: the values for a document of the area and years
    values: str

    @property
    def spec(self) -> FieldSpec:
        return FieldSpec(
            names=frozenset(f.name for f in self.fields),
            blocks=frozenset(f.name for f in self.fields if f.block),
            required=frozenset(f.name for f in self.fields if f.required),
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

TEMPLATED: dict[str, Templated] = {
    "review": Templated(REVIEW_FIELDS, "documents.review.shipped_template", "documents.review.interim_values"),
    "final_review": Templated(REVIEW_FIELDS, "documents.review.shipped_template", "documents.review.final_values"),
}


def templated(kind: str) -> Templated | None:
    return TEMPLATED.get(kind)
