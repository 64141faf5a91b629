"""The kinds of document the worker makes; each names the function that writes its file."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.roles import Perm

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Kind:
    maker: str  # dotted path of make(document, path, progress) -> None
    label: Promise
    extension: str
    content_type: str
    perm: str
    # The shipped template's key, recorded on a document made from it; a document made from its province's
    # own template in use (every Word kind: documents/template_services.py) records that template's key.
    template_version: str
    # The file name's stem, Vietnamese without diacritics, as officials name files they send on.
    stem: str
    # What the document is made from: an area and years, or one recognition decision (its area and
    # year are the decision's); `published_only`: made only from a published decision.
    subject: str = "area"
    published_only: bool = False
    # For the kinds made from a decision: the titles whose decisions it is made for (empty: every title).
    titles: tuple[str, ...] = ()

    # For the kinds made from a decision: dotted path of check(decision), raising ValidationError when the
    # decision cannot give this document (checked when it is asked for, before anything is queued).
    precheck: str = ""
    # What a page about one such document calls it (its heading): the label is a button's or a list's.
    title: Promise | None = None

    def fits(self, decision) -> bool:
        return not self.titles or decision.title in self.titles


KINDS = {
    "workbook": Kind(
        "documents.workbook.make",
        _("Statistical report workbook (.xlsx)"),
        "xlsx",
        XLSX,
        Perm.VIEW_STATISTICS,
        "shipped:workbook:1",
        "bao-cao-thong-ke",
        title=_("Statistical report workbook"),
    ),
    "review": Kind(
        "documents.review.make_interim",
        _("Interim review report (sơ kết, .docx)"),
        "docx",
        DOCX,
        Perm.VIEW_STATISTICS,
        "shipped:review:1",
        "bao-cao-so-ket",
        title=_("Interim review report (sơ kết)"),
    ),
    "final_review": Kind(
        "documents.review.make_final",
        _("Final review report (tổng kết, .docx)"),
        "docx",
        DOCX,
        Perm.VIEW_STATISTICS,
        "shipped:review:1",
        "bao-cao-tong-ket",
        title=_("Final review report (tổng kết)"),
    ),
    # From one recognition decision (decision_doc.py, dossiers.py): the decision and its annex, in Word to
    # sign and in PDF as issued; the dossiers behind it, drafted from its evaluations.
    "decision": Kind(
        "documents.decision_doc.make_docx",
        _("Recognition decision with its annex (.docx)"),
        "docx",
        DOCX,
        Perm.VIEW_REGISTRIES,
        "shipped:decision:1",
        "quyet-dinh-cong-nhan",
        subject="decision",
        title=_("Recognition decision with its annex, in Word"),
    ),
    "decision_pdf": Kind(
        "documents.decision_doc.make_pdf",
        _("Recognition decision with its annex (.pdf)"),
        "pdf",
        PDF,
        Perm.VIEW_REGISTRIES,
        "shipped:decision:1",
        "quyet-dinh-cong-nhan",
        subject="decision",
        published_only=True,
        title=_("Recognition decision with its annex, as issued (PDF)"),
    ),
    "meeting_minutes": Kind(
        "documents.dossiers.make_minutes",
        _("Village meeting minutes with the scoring grid (.docx)"),
        "docx",
        DOCX,
        Perm.VIEW_REGISTRIES,
        "shipped:minutes:1",
        "bien-ban-hop-thon",
        subject="decision",
        titles=("household",),
        title=_("Village meeting minutes with the scoring grid"),
    ),
    "commune_dossier": Kind(
        "documents.dossiers.make_commune_dossier",
        _("Commune's dossier: request, self-check minutes, scoring sheet (.docx)"),
        "docx",
        DOCX,
        Perm.VIEW_REGISTRIES,
        "shipped:commune-dossier:1",
        "ho-so-cong-dong-hoc-tap-xa",
        subject="decision",
        titles=("commune",),
        title=_("Commune's recognition dossier"),
    ),
    # One page per recognised subject of a published decision, each with the QR code of its public check
    # (certificates.py); asking for it from a decision whose names do not fit is refused there and then.
    "certificates": Kind(
        "documents.certificates.make",
        _("Print the certificates (.pdf)"),
        "pdf",
        PDF,
        Perm.MANAGE_DECISIONS,
        "shipped:certificates:1",
        "giay-chung-nhan",
        subject="decision",
        published_only=True,
        precheck="evaluations.certificates.check_printable",
        title=_("Certificates of a recognition decision"),
    ),
    # Made from one award decision (awards app): the decision with its list, and its certificates of merit.
    "award_decision": Kind(
        "documents.award_docs.make_decision_docx",
        _("Award decision with its list (.docx)"),
        "docx",
        DOCX,
        Perm.VIEW_STATISTICS,
        "shipped:award_decision:1",
        "quyet-dinh-khen-thuong",
        subject="award_decision",
        title=_("Award decision with its list"),
    ),
    "award_certificates": Kind(
        "documents.award_docs.make_certificates_pdf",
        _("Certificates of merit of an award decision (.pdf)"),
        "pdf",
        "application/pdf",
        Perm.VIEW_STATISTICS,
        "shipped:award_certificates:1",
        "giay-khen",
        subject="award_decision",
        published_only=True,
        title=_("Certificates of merit of an award decision"),
    ),
}


def decision_kinds_for(decision) -> dict[str, Kind]:
    """The kinds that can be made from this decision (its title), published or not."""
    return {name: kind for name, kind in decision_kinds().items() if kind.fits(decision)}


def area_kinds() -> dict[str, Kind]:
    return {name: kind for name, kind in KINDS.items() if kind.subject == "area"}


def decision_kinds() -> dict[str, Kind]:
    return {name: kind for name, kind in KINDS.items() if kind.subject == "decision"}


def kind_of(name: str) -> Kind:
    return KINDS[name]


def maker_of(name: str):
    return import_string(KINDS[name].maker)


def kind_title(name: str) -> str:
    """The heading of a page about one document of this kind."""
    kind = KINDS.get(name)
    if kind is None:
        return name
    return str(kind.title or kind.label)


def kind_label(name: str) -> str:
    kind = KINDS.get(name)
    return str(kind.label) if kind else name
