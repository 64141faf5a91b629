"""The certificates of a published decision as one PDF (A4 landscape, a page per recognised subject):
the state heading, the name as printed, the title and year, the decision's number and date, the
signature block, and a QR code opening the public check page of that certificate.

The file is Vietnamese whatever the interface language, as every document that is signed and handed
out. A long name is printed smaller, step by step (NAME_SIZES), down to two lines at the smallest
size; a name longer than evaluations.certificates.NAME_MAX_CHARS is refused before anything is made,
with the subject named.

Speed: what every page of a decision shares (frame, heading, title, decision, signature) is laid out
once and placed under each page as one drawing (a PDF form), and only what differs (name, place, QR
code and its address) is laid out per page, a chunk of pages at a time, so that a thousand pages take
seconds and the memory of one chunk. Every element has a fixed place on the page (CSS below), so the
two layers meet exactly."""

import base64
import io

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from criteria.models import Title
from evaluations.certificates import certificates_issue, decision_number

from .admin_format import in_text, place_of, vietnamese_date
from .drafting import TITLE_NAMES
from .pdf import html_to_pdf

BACKGROUND_TEMPLATE = "documents/certificate_background.html"
PAGES_TEMPLATE = "documents/certificate_pages.html"
CHUNK = 100
BACKGROUND_NAME = "/KhCertificate"
QR_MASK = 4

# Up to this many characters, the name's size class (see CSS): a longer name is printed smaller; the
# last class takes up to NAME_MAX_CHARS on two lines.
NAME_SIZES = [(28, "size-1"), (44, "size-2"), (70, "size-3")]
SMALLEST = "size-4"

LEADS = {
    Title.HOUSEHOLD: "Chứng nhận gia đình ông (bà)",
    Title.CITIZEN: "Chứng nhận công dân",
}
TITLES = {**TITLE_NAMES, Title.CITIZEN: "Công dân học tập"}

CSS = """
@page { size: A4 landscape; margin: 0; }
html { font-family: "Noto Serif"; color: #1a1a1a; }
body { margin: 0; }
.page { position: relative; width: 297mm; height: 210mm; page-break-after: always; overflow: hidden; }
.page:last-child { page-break-after: auto; }
.page p, .page h1 { margin: 0; }
.frame { position: absolute; top: 8mm; left: 8mm; width: 281mm; height: 194mm; box-sizing: border-box;
  border: 2.2mm double #8c1c13; }
.body-name { position: absolute; top: 19mm; left: 20mm; width: 115mm; text-align: center; font-size: 11pt;
  font-weight: bold; }
.motto { position: absolute; top: 19mm; right: 20mm; width: 135mm; text-align: center; font-size: 11pt;
  font-weight: bold; }
.motto span { text-decoration: underline; }
h1 { position: absolute; top: 40mm; left: 20mm; right: 20mm; text-align: center; font-size: 32pt;
  color: #8c1c13; letter-spacing: 1pt; }
.lead { position: absolute; top: 61mm; left: 20mm; right: 20mm; text-align: center; font-size: 15pt;
  font-style: italic; }
.name-box { position: absolute; top: 71mm; left: 22mm; width: 253mm; height: 26mm; display: table; }
.name { display: table-cell; vertical-align: middle; text-align: center; font-weight: bold; line-height: 1.2;
  color: #0d3b66; }
.size-1 { font-size: 28pt; }
.size-2 { font-size: 22pt; }
.size-3 { font-size: 17pt; }
.size-4 { font-size: 14pt; }
.where { position: absolute; top: 99mm; left: 20mm; right: 20mm; text-align: center; font-size: 13pt; }
.title-line { position: absolute; top: 109mm; left: 20mm; right: 20mm; text-align: center; font-size: 17pt; }
.decision { position: absolute; top: 121mm; left: 30mm; right: 30mm; text-align: center; font-size: 12pt;
  font-style: italic; }
.qr { position: absolute; top: 160mm; left: 20mm; width: 30mm; height: 30mm; image-rendering: pixelated; }
.check { position: absolute; top: 176mm; left: 52mm; width: 90mm; font-family: "Noto Sans"; font-size: 7.5pt;
  color: #444; }
.url { position: absolute; top: 181mm; left: 52mm; width: 90mm; font-family: "Noto Sans"; font-size: 6.5pt;
  color: #444; word-break: break-all; }
.place-date { position: absolute; top: 140mm; right: 20mm; width: 125mm; text-align: center; font-size: 12pt;
  font-style: italic; }
.sign-body { position: absolute; top: 147mm; right: 20mm; width: 125mm; text-align: center; font-size: 12pt;
  font-weight: bold; }
.signer { position: absolute; top: 178mm; right: 20mm; width: 125mm; text-align: center; font-size: 12pt;
  font-weight: bold; }
"""


def size_class(name: str) -> str:
    for limit, css_class in NAME_SIZES:
        if len(name) <= limit:
            return css_class
    return SMALLEST


def check_url(token: str) -> str:
    return settings.KHUYENHOC_PUBLIC_URL + reverse("portal:certificate", args=[token])


def qr_code(url: str):
    """Error correction M (15 % of the code may be soiled or torn). The mask is fixed: any of the eight
    is a valid code, and choosing the "best" one by scoring all eight is most of the time a thousand
    codes take, for no difference a phone's reader notices at this size."""
    return segno.make(url, error="m", micro=False, mask=QR_MASK)


def qr_data_uri(url: str) -> str:
    """The QR code as a PNG of one pixel per module with the standard quiet zone (printed without
    smoothing, so every module keeps its sharp edge)."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=1, border=4)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _province(area):
    while area.parent_id is not None:
        area = area.parent
    return area


def where(evaluation, provinces: dict) -> str:
    """The subject's place as the certificate states it: village, commune, province."""
    parts = []
    if evaluation.title in (Title.HOUSEHOLD, Title.CITIZEN):
        parts.append(evaluation.subject.village.name)
    area = evaluation.area.parent if evaluation.title == Title.COMMUNE else evaluation.area
    if area is not None:
        parts.append(in_text(area.name) if parts else area.name)
        if area.pk not in provinces:
            provinces[area.pk] = _province(area)
        province = provinces[area.pk]
        if province.pk != area.pk:
            parts.append(in_text(province.name))
    return ", ".join(parts)


def shared_text(decision) -> dict:
    """What every page of the decision prints the same."""
    return {
        "issuing_body": decision.issuing_body,
        "lead": LEADS.get(decision.title, "Chứng nhận"),
        "title": TITLES[decision.title],
        "year": str(decision.year),
        "number": decision_number(decision.number),
        "date": decision.date.strftime("%d/%m/%Y"),
        "place_date": f"{place_of(decision.issuing_area)}, {vietnamese_date(decision.date)}",
        "signer": decision.signer,
    }


def page_text(certificate, provinces: dict) -> dict:
    url = check_url(certificate.token)
    return {
        "name": certificate.name,
        "size": size_class(certificate.name),
        "where": where(certificate.evaluation, provinces),
        "url": url,
        "qr": qr_data_uri(url),
    }


class _Stamper:
    """Pages added to `writer` with the background form drawn first, under their own content."""

    def __init__(self, writer: PdfWriter, background_pdf: bytes):
        self.writer = writer
        page = PdfReader(io.BytesIO(background_pdf)).pages[0]
        form = DecodedStreamObject()
        form.set_data(page.get_contents().get_data())
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): page.mediabox,
                NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
            }
        )
        # pypdf has no public call that stores a new stream; the version is pinned (constraints.txt).
        self.form = writer._add_object(form)
        call = DecodedStreamObject()
        call.set_data(f"q {BACKGROUND_NAME} Do Q\n".encode("ascii"))
        self.call = writer._add_object(call)

    def add(self, page) -> None:
        page = self.writer.add_page(page)
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[NameObject(BACKGROUND_NAME)] = self.form
        contents = page.raw_get("/Contents")
        contents = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([self.call, *contents])


def render(shared: dict, pages: list[dict], target, progress=None) -> None:
    """One page per entry of `pages` over the shared background, written to `target` (path or file)."""
    background = html_to_pdf(render_to_string(BACKGROUND_TEMPLATE, {"page": shared}), css=CSS)
    writer = PdfWriter()
    stamper = _Stamper(writer, background)
    for start in range(0, len(pages), CHUNK):
        chunk = pages[start : start + CHUNK]
        made = html_to_pdf(render_to_string(PAGES_TEMPLATE, {"pages": chunk}), css=CSS)
        for page in PdfReader(io.BytesIO(made)).pages:
            stamper.add(page)
        if progress:
            progress(0.05 + 0.9 * (start + len(chunk)) / len(pages))
    writer.add_metadata({"/Title": f"Giấy chứng nhận — Quyết định số {shared['number']}"})
    writer.write(target)


def make(document, path, progress) -> None:
    decision = document.decision
    certificates = certificates_issue(decision=decision, actor=document.requested_by)
    progress(0.05)
    provinces: dict = {}
    render(shared_text(decision), [page_text(c, provinces) for c in certificates], path, progress)
