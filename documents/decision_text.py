"""What a recognition decision says, read once from the decision record and written out twice — in
Word (decision_doc.make_docx) and in PDF (decision_doc.make_pdf) — so both files carry the same number,
date, articles and annex.

The annex lists the decision's recognised subjects as the requester sees them
(`evaluations.selectors.recognised_in`: a village officer reads their own village's only), grouped by
village (households, learning citizens) or by commune (clans, villages, units, communes), in area
order, each with its code, total and result."""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from criteria.models import Title
from criteria.services import result_codes
from evaluations.models import DecisionStatus
from evaluations.selectors import recognised_in, recognised_total

from . import admin_format as fmt
from .numbers import count
from .readings import reader_of

# The title as a sentence names it, quotation marks included.
TITLE_NAMES = {
    Title.HOUSEHOLD: "“Gia đình học tập”",
    Title.CLAN: "“Dòng họ học tập”",
    Title.VILLAGE: "“Cộng đồng học tập” cấp thôn",
    Title.UNIT: "“Đơn vị học tập”",
    Title.COMMUNE: "“Cộng đồng học tập” cấp xã",
    Title.CITIZEN: "“Công dân học tập”",
}
# (how Article 1 counts the subjects, the annex's column for their name, who carries it out)
SUBJECTS = {
    Title.HOUSEHOLD: ("hộ gia đình", "Họ và tên chủ hộ", "các hộ gia đình"),
    Title.CLAN: ("dòng họ", "Dòng họ", "các dòng họ"),
    Title.VILLAGE: ("thôn, tổ dân phố", "Thôn, tổ dân phố", "các thôn, tổ dân phố"),
    Title.UNIT: ("cơ quan, đơn vị", "Cơ quan, đơn vị", "các cơ quan, đơn vị"),
    Title.COMMUNE: ("xã, phường, đặc khu", "Xã, phường", "các xã, phường"),
    Title.CITIZEN: ("công dân", "Họ và tên", "các công dân"),
}
BY_VILLAGE = {Title.HOUSEHOLD, Title.CITIZEN}
# What the annex reads of each subject, in the same query (a decision may list thousands of households).
# Read with the annex besides the subjects' villages, which `recognised_in` reads with them.
ANNEX_RELATED = ("organisation__area", "commune__parent")
ANNEX_HEADER = ["STT", "", "Mã số", "Tổng điểm", "Kết quả"]


@dataclass
class AnnexRow:
    number: int
    name: str
    code: str
    total: str
    result: str

    def cells(self) -> list[str]:
        return [str(self.number), self.name, self.code, self.total, self.result]


@dataclass
class AnnexGroup:
    name: str
    rows: list[AnnexRow] = field(default_factory=list)


@dataclass
class DecisionText:
    draft: bool
    revoked: bool
    body_name: str  # the issuing body, in capitals
    number: str
    place: str
    date_text: str  # "ngày 20 tháng 03 năm 2026"
    date_short: str  # "20/03/2026"
    subject: str  # "Về việc công nhận danh hiệu “Gia đình học tập” năm 2025"
    authority: str  # who decides, in capitals, above the grounds
    grounds: list[str]
    articles: list[tuple[str, str]]  # ("Điều 1.", text)
    recipients: list[str]
    signing: list[str]  # the signing capacity, in capitals
    signer: str
    annex_title: str
    annex_subtitle: str
    annex_header: list[str]
    groups: list[AnnexGroup]
    listed: int  # rows in this annex (the requester's part)
    total: int  # every subject the decision recognises
    partial_note: str = ""

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}"

    @property
    def listed_label(self) -> str:
        return count(self.listed)


COMMITTEE = "Ủy ban nhân dân"


def _split_committee(body: str) -> str | None:
    """The area's part of a People's Committee's name (“Phường Bắc Kạn”), None for another body."""
    folded = body.casefold()
    for prefix in ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd "):
        if folded.startswith(prefix):
            return body[len(prefix) :].strip()
    return None


def body_in_text(body: str) -> str:
    """The issuing body inside a sentence: “Ủy ban nhân dân phường Bắc Kạn”."""
    area = _split_committee(body)
    return f"{COMMITTEE} {fmt.in_text(area)}" if area else body


def body_upper(body: str) -> str:
    area = _split_committee(body)
    return f"{COMMITTEE} {area}".upper() if area else body.upper()


def _authority(body: str) -> tuple[str, list[str]]:
    """(who decides, above the grounds; the signing capacity): the chairperson for a People's
    Committee, the standing board for an association, the head of any other body."""
    upper = body_upper(body)
    if _split_committee(body):
        return f"CHỦ TỊCH {upper}", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    if body.casefold().startswith("hội "):
        return f"BAN THƯỜNG TRỰC {upper}", ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
    return f"THỦ TRƯỞNG {upper}", ["THỦ TRƯỞNG CƠ QUAN"]


def _group_name(evaluation) -> str:
    if evaluation.title in BY_VILLAGE:
        village = evaluation.subject.village
        return f"{village.name}, {evaluation.area.name}"
    if evaluation.title == Title.UNIT:
        return evaluation.subject.area.name
    if evaluation.title == Title.COMMUNE:
        parent = evaluation.subject.parent
        return parent.name if parent is not None else evaluation.subject.name
    return evaluation.area.name


def _subject_name(evaluation) -> str:
    subject = evaluation.subject
    for attribute in ("head_name", "full_name"):
        if evaluation.title in BY_VILLAGE and getattr(subject, attribute, ""):
            return getattr(subject, attribute)
    if evaluation.title == Title.CLAN and subject.head_name:
        return f"{subject.name} (trưởng họ: {subject.head_name})"
    return subject.name


def _subject_code(evaluation) -> str:
    return getattr(evaluation.subject, "code", "") or ""


def _points(value) -> str:
    if value is None:
        return "–"
    return count(value) if value == int(value) else f"{value:.2f}".rstrip("0").replace(".", ",")


def annex_groups(evaluations) -> list[AnnexGroup]:
    labels: dict = {}
    groups: OrderedDict[str, AnnexGroup] = OrderedDict()
    number = 0
    for evaluation in evaluations:
        if evaluation.criteria_set_id not in labels:
            labels[evaluation.criteria_set_id] = dict(result_codes(evaluation.criteria_set))
        name = _group_name(evaluation)
        group = groups.setdefault(name, AnnexGroup(name))
        number += 1
        group.rows.append(
            AnnexRow(
                number=number,
                name=_subject_name(evaluation),
                code=_subject_code(evaluation),
                total=_points(evaluation.total),
                result=str(labels[evaluation.criteria_set_id].get(evaluation.result, evaluation.result)),
            )
        )
    return list(groups.values())


def read_decision(document) -> DecisionText:
    """The decision of `document` as its requester may read it. Raises a ValidationError (the job's
    message) when there is nothing to list."""
    decision = document.decision
    reader = reader_of(document)
    evaluations = list(recognised_in(reader, decision).select_related(*ANNEX_RELATED))
    total = recognised_total(decision)
    if total == 0:
        raise ValidationError(
            _("Decision %(number)s recognises no one yet: add the recognised evaluations to it first.")
            % {"number": decision.number},
            code="empty",
        )
    if not evaluations:
        raise ValidationError(
            _("Decision %(number)s recognises no one in your area.") % {"number": decision.number}, code="empty"
        )
    area = decision.issuing_area
    title_name = TITLE_NAMES[decision.title]
    counted, column, carried_out_by = SUBJECTS[decision.title]
    body = decision.issuing_body
    authority, signing = _authority(body)
    subject = f"Về việc công nhận danh hiệu {title_name} năm {decision.year}"
    date_short = decision.date.strftime("%d/%m/%Y")
    grounds = [line.rstrip(" ;.") + ";" for line in decision.legal_basis.splitlines() if line.strip()]
    grounds.append(
        f"Xét đề nghị công nhận danh hiệu {title_name} năm {decision.year} và kết quả đánh giá "
        f"theo bộ tiêu chí hiện hành."
    )
    validity = {e.criteria_set.validity_years for e in evaluations}
    article_two = "Quyết định này có hiệu lực kể từ ngày ký."
    if validity and max(validity) > 1:
        article_two += f" Danh hiệu được công nhận có giá trị trong {max(validity)} năm."
    articles = [
        (
            "Điều 1.",
            f"Công nhận danh hiệu {title_name} năm {decision.year} cho {count(total)} {counted} "
            f"(có danh sách kèm theo).",
        ),
        ("Điều 2.", article_two),
        (
            "Điều 3.",
            f"Văn phòng {body_in_text(body)}, Hội Khuyến học {fmt.in_text(area.name)}, các cơ quan, đơn vị "
            f"có liên quan và {carried_out_by} có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ),
    ]
    recipients = ["- Như Điều 3;"]
    if area.parent is not None:
        recipients.append(f"- Hội Khuyến học {fmt.in_text(area.parent.name)} (để báo cáo);")
    recipients.append("- Lưu: VT.")
    groups = annex_groups(evaluations)
    listed = sum(len(g.rows) for g in groups)
    partial = ""
    if listed < total:
        partial = (
            f"Trích danh sách: {count(listed)} trong tổng số {count(total)} {counted} được công nhận, "
            f"thuộc địa bàn của người lập tài liệu."
        )
    signing_body = f"Chủ tịch {body_in_text(body)}" if _split_committee(body) else body_in_text(body)
    header = list(ANNEX_HEADER)
    header[1] = column
    return DecisionText(
        draft=decision.status == DecisionStatus.DRAFT,
        revoked=decision.status == DecisionStatus.REVOKED,
        body_name=body_upper(body),
        number=decision.number,
        place=fmt.place_of_body(area),
        date_text=fmt.vietnamese_date(decision.date),
        date_short=date_short,
        subject=subject,
        authority=authority,
        grounds=grounds,
        articles=articles,
        recipients=recipients,
        signing=signing,
        signer=decision.signer,
        annex_title=f"DANH SÁCH {counted.upper()} ĐẠT DANH HIỆU {title_name.upper()} NĂM {decision.year}",
        annex_subtitle=f"(Kèm theo Quyết định số {decision.number} ngày {date_short} của {signing_body})",
        annex_header=header,
        groups=groups,
        listed=listed,
        total=total,
        partial_note=partial,
    )
