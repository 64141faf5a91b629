"""Documents made from one award decision: the decision itself with its list of recipients (.docx, in the
state format for administrative documents, editable before it is signed), and the certificates of
merit (.pdf, one page per recipient, Noto fonts embedded) printed from a published decision.

A request is checked and queued like every document (services.py); its row names the award decision,
and its area and year are the decision's."""

import functools
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from accounts.scope import scope_for
from audit.services import audit_record
from awards.models import AwardDecisionStatus, Recipient
from core.access import require_perm

from . import admin_format as fmt
from . import template_services
from .kinds import KINDS, kind_of
from .models import Document
from .pdf import template_to_pdf

AWARD_SUBJECT = "award_decision"
RELATED = (
    "area",
    "association__area",
    "village",
    "organisation__area",
    "clan__commune",
    "household__village",
    "person_village",
)
# How the decision's first article names each kind of recipient, in the order it lists them.
GROUPS = [
    (Recipient.ASSOCIATION, "tập thể"),
    (Recipient.VILLAGE, "tập thể"),
    (Recipient.UNIT, "tập thể"),
    (Recipient.CLAN, "dòng họ"),
    (Recipient.HOUSEHOLD, "gia đình"),
    (Recipient.PERSON, "cá nhân"),
]


def award_kinds() -> list[str]:
    return [name for name, kind in KINDS.items() if kind.subject == AWARD_SUBJECT]


@transaction.atomic
def document_request_for_award(*, actor, kind: str, decision) -> Document:
    """Queue a document of an award decision found within the actor's scope
    (`awards.decisions.get_award_decision_for_user`); the certificates only from a published one."""
    if kind not in award_kinds():
        raise ValidationError(_("Choose a kind of document."), code="kind")
    require_perm(actor, kind_of(kind).perm)
    if actor is not None and not scope_for(actor).contains_path(decision.issuing_area.path):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return _create(actor, kind, decision, enqueue=actor is not None)


def document_for_award_command(*, kind: str, decision) -> Document:
    """From the command line (no account): made by the caller itself."""
    if kind not in award_kinds():
        raise ValidationError(_("Choose a kind of document."), code="kind")
    return _create(None, kind, decision, enqueue=False)


def _create(actor, kind, decision, *, enqueue: bool) -> Document:
    if kind_of(kind).published_only and decision.status != AwardDecisionStatus.PUBLISHED:
        raise ValidationError(
            _("Decision %(number)s is not published: certificates of merit are printed only from a published decision.")
            % {"number": decision.number},
            code="unpublished",
        )
    area = decision.issuing_area
    document = Document.objects.create(
        kind=kind,
        area=area,
        tree=area.tree,
        first_year=decision.date.year,
        last_year=decision.date.year,
        award_decision=decision,
        requested_by=actor,
        template_version=kind_of(kind).template_version,
    )
    audit_record(
        actor=actor,
        action="document.request",
        obj=document,
        after={
            "kind": kind,
            "area": f"{area.tree}:{area.code}",
            "years": [document.first_year, document.last_year],
            "template": document.template_version,
            "award_decision": decision.number,
        },
    )
    if enqueue:
        from .tasks import make_document

        transaction.on_commit(lambda: make_document.enqueue(document.pk))
    return document


# Reading the decision -------------------------------------------------------------------------------


def _decision_of(document):
    decision = document.award_decision
    if decision is None:
        raise ValidationError(_("This kind of document is made from an award decision: name the decision."))
    return decision


def _recipients(decision) -> list:
    return list(decision.nominations.select_related(*RELATED).order_by("area__path", "recipient", "id"))


def _period(recipients) -> str:
    first = min((n.first_year for n in recipients), default=None)
    last = max((n.last_year for n in recipients), default=None)
    if first is None:
        return ""
    return f"năm {first}" if first == last else f"giai đoạn {first}–{last}"


def recipients_phrase(recipients) -> str:
    """“2 tập thể, 1 gia đình và 1 cá nhân”: how many of each, in the decision's order."""
    counts = {}
    for recipient, word in GROUPS:
        found = sum(1 for n in recipients if n.recipient == recipient)
        if found:
            counts[word] = counts.get(word, 0) + found
    parts = [f"{number} {word}" for word, number in counts.items()]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def _above(area) -> str:
    if area.parent is None:
        return "HỘI KHUYẾN HỌC VIỆT NAM"
    return f"HỘI KHUYẾN HỌC {area.parent.name.upper()}"


# The decision (.docx) -------------------------------------------------------------------------------


GROUNDS = [
    "Căn cứ Điều lệ Hội Khuyến học Việt Nam;",
    "Căn cứ kết quả xây dựng xã hội học tập, phong trào khuyến học, khuyến tài {period};",
    "Xét đề nghị của các đơn vị và kết quả xét chọn của {body},",
]
ARTICLE_3 = (
    "Văn phòng, các ban của Hội và các tập thể, dòng họ, gia đình, cá nhân có tên tại Điều 1 "
    "chịu trách nhiệm thi hành Quyết định này."
)


def template_values(decision, recipients) -> dict:
    """The values of the template's fields (fields.AWARD_DECISION_FIELDS), the list a list of items."""
    area, kind = decision.issuing_area, decision.kind
    period = _period(recipients)
    marks = {AwardDecisionStatus.DRAFT: "DỰ THẢO", AwardDecisionStatus.REVOKED: "QUYẾT ĐỊNH ĐÃ BỊ THU HỒI"}
    return {
        "marks": marks.get(decision.status, ""),
        "issuing_body_above": _above(area),
        "issuing_body": decision.issuing_body.upper(),
        "number": decision.number,
        "place": fmt.place_of_body(area),
        "date": fmt.vietnamese_date(decision.date),
        "award": kind.name,
        "period": period,
        "grounds": [{"ground": g.format(period=period, body=decision.issuing_body)} for g in GROUNDS],
        "article_1": f"Tặng {kind.name} cho {recipients_phrase(recipients)} (có danh sách kèm theo) đã có thành "
        f"tích xuất sắc trong phong trào khuyến học, khuyến tài, xây dựng xã hội học tập {period}.",
        "article_2": "Quyết định này có hiệu lực kể từ ngày ký.",
        "article_3": ARTICLE_3,
        "recipients": [
            {"recipient": line}
            for line in ("- Như Điều 3;", f"- {_above(area).capitalize()} (để báo cáo);", "- Lưu: VT.")
        ],
        "signing": [{"signing_line": "TM. BAN THƯỜNG TRỰC"}, {"signing_line": decision.signer_title.upper()}],
        "signer": decision.signer,
        "list_subtitle": f"(Kèm theo Quyết định số {decision.number} {fmt.vietnamese_date(decision.date)} "
        f"của {decision.issuing_body})",
        "awardees": [
            {
                "awardee_number": str(index),
                "awardee_name": n.recipient_name,
                "awardee_kind": str(n.get_recipient_display()),
                "awardee_place": n.recipient_place,
                "awardee_achievements": n.achievements,
            }
            for index, n in enumerate(recipients, start=1)
        ],
    }


def sample_values(area, years, today) -> dict:
    """Illustrative values of an award decision of the area, for the preview of a template."""
    body = f"Hội Khuyến học {fmt.in_text(area.name)}"
    period = f"năm {years[-1]}"
    return {
        "marks": "DỰ THẢO",
        "issuing_body_above": _above(area),
        "issuing_body": body.upper(),
        "number": "05/QĐ-HKH",
        "place": fmt.place_of_body(area),
        "date": fmt.vietnamese_date(today),
        "award": f"Giấy khen của {body}",
        "period": period,
        "grounds": [{"ground": g.format(period=period, body=body)} for g in GROUNDS],
        "article_1": f"Tặng Giấy khen của {body} cho 2 tập thể (có danh sách kèm theo) (minh họa).",
        "article_2": "Quyết định này có hiệu lực kể từ ngày ký.",
        "article_3": ARTICLE_3,
        "recipients": [{"recipient": "- Như Điều 3;"}, {"recipient": "- Lưu: VT."}],
        "signing": [{"signing_line": "TM. BAN THƯỜNG TRỰC"}, {"signing_line": "CHỦ TỊCH"}],
        "signer": "Nguyễn Văn An",
        "list_subtitle": "(Kèm theo Quyết định số 05/QĐ-HKH — minh họa)",
        "awardees": [
            {"awardee_number": "1", "awardee_name": "Chi hội Khuyến học thôn Minh Họa", "awardee_kind": "Tập thể"},
            {"awardee_number": "2", "awardee_name": "Chi hội Khuyến học thôn Ví Dụ", "awardee_kind": "Tập thể"},
        ],
    }


def _tag(name: str) -> str:
    return "{{ " + name + " }}"


@functools.cache
def shipped_template() -> bytes:
    """The shipped template of the award decision: the state format, every varying word a field, the
    list a table whose row is repeated per recipient."""
    word = WordDocument()
    fmt.setup_page(word)
    fmt.line(word, _tag("marks"), bold=True, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    fmt.masthead(
        word,
        above=_tag("issuing_body_above"),
        body_name=_tag("issuing_body"),
        number=_tag("number"),
        place=_tag("place"),
        date_text=_tag("date"),
    )
    fmt.title_block(word, "QUYẾT ĐỊNH", ["Về việc tặng " + _tag("award")])
    word.add_paragraph()
    fmt.line(word, _tag("issuing_body"), bold=True, size=14)
    word.add_paragraph()
    fmt.paragraph(word, _tag("ground"), italic=True)
    fmt.line(word, "QUYẾT ĐỊNH:", bold=True, size=14)
    for number in (1, 2, 3):
        fmt.paragraph(word, f"Điều {number}. " + _tag(f"article_{number}"))
    fmt.signature(word, recipients=[_tag("recipient")], authority=[_tag("signing_line")], signer=_tag("signer"))
    fmt.page_break(word)
    fmt.line(word, "DANH SÁCH", bold=True, size=14)
    fmt.line(word, "Được tặng " + _tag("award"), bold=True, size=14)
    fmt.line(word, _tag("list_subtitle"), italic=True, size=13)
    word.add_paragraph()
    fields = ["awardee_number", "awardee_name", "awardee_kind", "awardee_place", "awardee_achievements"]
    fmt.table(word, ["STT", "Tên", "Đối tượng", "Nơi", "Thành tích"], [[_tag(name) for name in fields]])
    word.core_properties.author = "khuyenhoc"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def make_decision_docx(document, path: str, progress) -> None:
    with translation.override("vi"):
        decision = _decision_of(document)
        recipients = _recipients(decision)
        progress(0.3)
        word = template_services.fill_for(document, template_values(decision, recipients), {})
        word.core_properties.title = f"Quyết định {decision.number} tặng {decision.kind.name}"
        word.core_properties.author = "khuyenhoc"
        word.save(path)
        progress(0.9)


# The certificates of merit (.pdf) -------------------------------------------------------------------


def make_certificates_pdf(document, path: str, progress) -> None:
    with translation.override("vi"):
        decision = _decision_of(document)
        if decision.status != AwardDecisionStatus.PUBLISHED:
            raise ValidationError(
                _(
                    "Decision %(number)s is not published: certificates of merit are printed only from a published "
                    "decision."
                )
                % {"number": decision.number}
            )
        recipients = _recipients(decision)
        if not recipients:
            raise ValidationError(_("The decision lists no recipient: there is no certificate to print."))
        progress(0.2)
        area = decision.issuing_area
        pages = [
            {
                "name": n.recipient_name,
                "long_name": len(n.recipient_name) > 40,
                "place": n.recipient_place,
                "is_person": n.recipient == Recipient.PERSON,
                "achievement": n.reason.rstrip(" ."),
                "period": _period([n]),
            }
            for n in recipients
        ]
        context = {
            "decision": decision,
            "heading": decision.kind.heading,
            "above": _above(area),
            "body_name": decision.issuing_body.upper(),
            "pages": pages,
            "place_date": f"{fmt.place_of_body(area)}, {fmt.vietnamese_date(decision.date)}",
            "decision_line": f"Quyết định số {decision.number} {fmt.vietnamese_date(decision.date)}",
            "signer_title": decision.signer_title.upper(),
            "signer": decision.signer,
        }
        template_to_pdf("documents/pdf/award_certificates.html", context, path)
        progress(0.9)
