"""Provinces' own Word templates: uploaded (checked, kept as a new version, not yet in use), previewed,
put in use or taken out of use (then the shipped template applies again), and chosen when a document
is made. Every change writes its audit row. Old versions are never deleted: the documents they made
name them."""

import hashlib
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Level, Tree, UnitSuccession
from audit.services import audit_record
from core.access import get_visible_or_404, require_perm

from . import docx_fill
from .fields import templated
from .kinds import kind_of
from .template_models import DocumentTemplate, parse_key

SAMPLE_YEARS = 3


# Which template applies ----------------------------------------------------------------------------


def province_of(area) -> AdministrativeUnit | None:
    if area is None:
        return None
    if area.level == Level.PROVINCE:
        return area
    return area.ancestors()[0]


def active_template(kind: str, area) -> DocumentTemplate | None:
    """The template in use for a document of `area`: its province's; for a province before the reform
    without one, that of the 2025 province it merged into; None: the shipped template."""
    province = province_of(area)
    if province is None or templated(kind) is None:
        return None
    in_use = DocumentTemplate.objects.select_related("province").filter(kind=kind, is_active=True)
    found = in_use.filter(province=province).first()
    if found is None and province.tree == Tree.PRE_2025:
        successors = UnitSuccession.objects.filter(predecessor=province, is_default=True).values("successor")
        found = in_use.filter(province__in=successors).order_by("province__code").first()
    return found


def template_of(document) -> DocumentTemplate | None:
    """The province template a document's `template_version` names (None: the shipped one)."""
    lookup = parse_key(document.template_version)
    if lookup is None:
        return None
    return DocumentTemplate.objects.select_related("province").filter(**lookup).first()


def fill_for(document, values: dict, blocks: dict):
    """The document's Word file from the template in use for its area (recorded on the document: the
    version that made the file), with `values` and the drafted `blocks`."""
    return fill_each_for(document, [(values, blocks)])


def fill_each_for(document, copies: list[tuple[dict, dict]]):
    """As `fill_for`, one copy of the template per item of `copies` (its values and blocks), each copy
    from a new page: a dossier made per village or per commune."""
    entry = templated(document.kind)
    template = active_template(document.kind, document.area)
    if template is None:
        data, key = entry.shipped_bytes(), kind_of(document.kind).template_version
    else:
        with template.file.open("rb") as handle:
            data = handle.read()
        key = template.key
    if document.pk and document.template_version != key:
        type(document).objects.filter(pk=document.pk).update(template_version=key)
    document.template_version = key
    word = None
    try:
        for values, blocks in copies:
            made = docx_fill.fill(data, entry.spec, values, blocks)
            if word is None:
                word = made
            else:
                docx_fill.append(word, made)
    except ValidationError as error:
        raise ValidationError(
            [_("The province's template %(key)s can no longer be used:") % {"key": key}, *error.messages]
        ) from error
    return word


# Managing templates --------------------------------------------------------------------------------


def provinces_for(user):
    """The provinces whose templates the user may manage: those they see, with the permission."""
    require_perm(user, Perm.MANAGE_DOCUMENT_TEMPLATES)
    return AdministrativeUnit.objects.visible_to(user).filter(level=Level.PROVINCE).order_by("-tree", "sort_key")


def get_province_for_user(user, *, tree: str, code: str) -> AdministrativeUnit:
    """404 for a province the user does not see; 403 without the permission."""
    return get_visible_or_404(
        AdministrativeUnit.objects.all(),
        user=user,
        perm=Perm.MANAGE_DOCUMENT_TEMPLATES,
        tree=tree,
        code=code,
        level=Level.PROVINCE,
    )


def get_template_for_user(user, *, pk: int) -> DocumentTemplate:
    return get_visible_or_404(
        DocumentTemplate.objects.select_related("province", "uploaded_by"),
        user=user,
        perm=Perm.MANAGE_DOCUMENT_TEMPLATES,
        pk=pk,
    )


def _check_manage(actor, province) -> None:
    require_perm(actor, Perm.MANAGE_DOCUMENT_TEMPLATES)
    if not AdministrativeUnit.objects.visible_to(actor).filter(pk=province.pk, level=Level.PROVINCE).exists():
        raise PermissionDenied


def _snapshot(template: DocumentTemplate) -> dict:
    return {
        "key": template.key,
        "file": template.original_name,
        "checksum": template.checksum,
        "fields": template.fields_used,
        "active": template.is_active,
    }


@transaction.atomic
def template_upload(*, actor, province, kind: str, name: str, data: bytes, note: str = "") -> DocumentTemplate:
    """Check the .docx against the kind's fields and keep it as the next version, not yet in use."""
    _check_manage(actor, province)
    entry = templated(kind)
    if entry is None:
        raise ValidationError(_("This kind of document has no Word template."), code="kind")
    if not name.lower().endswith(".docx"):
        raise ValidationError(
            _("The file is not a Word document (.docx): save it in Word as “Word Document (*.docx)” and upload it."),
            code="not_docx",
        )
    used = docx_fill.check(docx_fill.open_docx(data), entry.spec)
    # The province row is locked so two uploads at once cannot take the same version number.
    AdministrativeUnit.objects.select_for_update().filter(pk=province.pk).first()
    last = DocumentTemplate.objects.filter(province=province, kind=kind).aggregate(top=Max("version"))["top"] or 0
    template = DocumentTemplate(
        province=province,
        kind=kind,
        version=last + 1,
        original_name=name[-200:],
        checksum=hashlib.sha256(data).hexdigest(),
        fields_used=used,
        note=note.strip()[:200],
        uploaded_by=actor,
    )
    template.file.save(f"{province.tree}-{province.code}-{kind}-v{last + 1}.docx", ContentFile(data), save=False)
    template.save()
    audit_record(actor=actor, action="document_template.upload", obj=template, after=_snapshot(template))
    return template


@transaction.atomic
def template_activate(*, actor, template: DocumentTemplate) -> DocumentTemplate:
    """Put this version in use for its province and kind; the version in use before is taken out."""
    _check_manage(actor, template.province)
    # The province row is locked first, as an upload locks it, so that two activations of its versions
    # run one after the other and the second finds the first's version in use. Locking only the rows
    # read in use is not enough: the second would wait on the version the first took out of use, then
    # skip it and break the one-in-use rule (documents/tests/test_template_race.py).
    AdministrativeUnit.objects.select_for_update().filter(pk=template.province_id).first()
    template = DocumentTemplate.objects.select_for_update(of=("self",)).select_related("province").get(pk=template.pk)
    if template.is_active:
        return template
    previous = DocumentTemplate.objects.select_for_update().filter(
        province=template.province, kind=template.kind, is_active=True
    )
    for other in previous:
        before = _snapshot(other)
        other.is_active = False
        other.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action="document_template.deactivate", obj=other, before=before, after=_snapshot(other)
        )
    before = _snapshot(template)
    template.is_active = True
    template.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="document_template.activate", obj=template, before=before, after=_snapshot(template)
    )
    return template


@transaction.atomic
def template_deactivate(*, actor, template: DocumentTemplate) -> DocumentTemplate:
    """Take this version out of use: the province's documents of its kind use the shipped template."""
    _check_manage(actor, template.province)
    template = DocumentTemplate.objects.select_for_update().select_related("province").get(pk=template.pk)
    if not template.is_active:
        return template
    before = _snapshot(template)
    template.is_active = False
    template.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="document_template.deactivate", obj=template, before=before, after=_snapshot(template)
    )
    return template


# Preview -------------------------------------------------------------------------------------------


def _sample_body(word) -> None:
    """What stands for the drafted content in a preview: the same kinds of paragraph and table, marked
    as an illustration."""
    note = word.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = note.add_run(
        _("[PREVIEW — the sections drafted from the figures go here; the figures below are illustrations]")
    )
    run.italic = True
    heading = word.add_paragraph()
    heading.add_run(_("I. RESULTS")).bold = True
    paragraph = word.add_paragraph(
        _("Over the period, 1.234 households were recognised as “Learning family” (illustration).")
    )
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    table = word.add_table(rows=3, cols=3)
    docx_fill.grid(word, table)
    for row, texts in zip(
        table.rows,
        [(_("Title"), "2024", "2025"), (_("Learning family"), "600", "634"), (_("Learning clan"), "40", "42")],
        strict=True,
    ):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(11)


def preview(kind: str, province, data: bytes | None = None) -> bytes:
    """The template (`data`, or the shipped one) filled with the values of a document of the province for
    the last few years and an illustrative body: what the province's documents will look like."""
    entry = templated(kind)
    today = timezone.localdate()
    last = today.year - 1
    if province.tree == Tree.PRE_2025:
        last = min(last, 2024)
    years = list(range(last - SAMPLE_YEARS + 1, last + 1))
    values = entry.values_for(province, years, today)
    samples = entry.sample_blocks_for()
    blocks = {field.name: samples.get(field.name, _sample_body) for field in entry.fields if field.block}
    word = docx_fill.fill(data if data is not None else entry.shipped_bytes(), entry.spec, values, blocks)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
