"""Pages of the provinces' Word templates: per kind of document, the template in use and every version;
upload (checked at once), preview, put in use or take out of use, and the documents each version made."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from . import template_services as services
from .fields import TEMPLATED, templated
from .kinds import DOCX, kind_label
from .models import Document
from .template_forms import TemplateUploadForm
from .template_models import DocumentTemplate


def _docx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def templates_index(request):
    provinces = list(services.provinces_for(request.user))
    if len(provinces) == 1:
        return redirect("documents:templates_province", tree=provinces[0].tree, code=provinces[0].code)
    return render(request, "documents/templates_index.html", {"provinces": provinces})


@login_required
def templates_province(request, tree, code):
    province = services.get_province_for_user(request.user, tree=tree, code=code)
    versions = DocumentTemplate.objects.filter(province=province).select_related("uploaded_by")
    kinds = []
    for kind in TEMPLATED:
        own = [t for t in versions if t.kind == kind]
        kinds.append(
            {
                "kind": kind,
                "label": kind_label(kind),
                "active": next((t for t in own if t.is_active), None),
                "inherited": services.active_template(kind, province) if not any(t.is_active for t in own) else None,
                "versions": own,
            }
        )
    return render(request, "documents/templates_province.html", {"province": province, "kinds": kinds})


@login_required
def template_upload(request, tree, code, kind):
    province = services.get_province_for_user(request.user, tree=tree, code=code)
    entry = templated(kind)
    if entry is None:
        raise Http404
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            template = services.template_upload(
                actor=request.user,
                province=province,
                kind=kind,
                name=uploaded.name,
                data=uploaded.read(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, ValidationError({"file": error.messages}))
        else:
            messages.success(
                request,
                _("Version %(version)d was checked and kept. Download its preview, then put it in use.")
                % {"version": template.version},
            )
            return redirect("documents:template", pk=template.pk)
    return render(
        request,
        "documents/template_upload.html",
        {"province": province, "kind": kind, "label": kind_label(kind), "fields": entry.fields, "form": form},
    )


@login_required
def template_shipped(request, tree, code, kind):
    """The shipped template, to start from; `?preview=1`: filled as the province's documents would be."""
    province = services.get_province_for_user(request.user, tree=tree, code=code)
    entry = templated(kind)
    if entry is None:
        raise Http404
    if request.GET.get("preview"):
        return _docx(services.preview(kind, province), f"xem-thu-mau-co-san-{kind}-{province.code}.docx")
    return _docx(entry.shipped_bytes(), f"mau-co-san-{kind}.docx")


@login_required
def template_detail(request, pk):
    template = services.get_template_for_user(request.user, pk=pk)
    documents = Document.objects.visible_to(request.user).filter(template_version=template.key).select_related("area")
    return render(
        request,
        "documents/template_detail.html",
        {"template": template, "documents": documents[:50], "document_count": documents.count()},
    )


@login_required
def template_file(request, pk):
    """The uploaded file as it was; `?preview=1`: filled with the province's values and a sample body."""
    template = services.get_template_for_user(request.user, pk=pk)
    with template.file.open("rb") as handle:
        data = handle.read()
    stem = f"{template.kind}-{template.province.code}-v{template.version}"
    if request.GET.get("preview"):
        try:
            made = services.preview(template.kind, template.province, data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("documents:template", pk=template.pk)
        return _docx(made, f"xem-thu-{stem}.docx")
    return _docx(data, f"mau-{stem}.docx")


@login_required
@require_POST
def template_activate(request, pk):
    template = services.get_template_for_user(request.user, pk=pk)
    services.template_activate(actor=request.user, template=template)
    messages.success(
        request,
        _("Version %(version)d is now used for the province's documents of this kind.") % {"version": template.version},
    )
    return redirect("documents:template", pk=template.pk)


@login_required
@require_POST
def template_deactivate(request, pk):
    template = services.get_template_for_user(request.user, pk=pk)
    services.template_deactivate(actor=request.user, template=template)
    messages.success(
        request,
        _(
            "Version %(version)d is no longer used: "
            "the province's documents of this kind use the shipped template again."
        )
        % {"version": template.version},
    )
    return redirect("documents:template", pk=template.pk)
