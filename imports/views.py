from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.scope import require_perm

from . import services
from .access import get_import_job_for_user
from .forms import UploadForm
from .kinds import IMPORTERS, importer_for, kind_label


def _importer(request, kind):
    if kind not in IMPORTERS:
        raise Http404
    importer = importer_for(kind, user=request.user)
    require_perm(request.user, importer.perm)
    return importer


@login_required
def import_new(request, kind):
    _importer(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(actor=request.user, kind=kind, uploaded=form.cleaned_data["file"])
        return redirect("imports:job", pk=job.pk)
    return render(request, "imports/new.html", {"form": form, "kind": kind, "label": kind_label(kind)})


@login_required
def import_template(request, kind):
    content = _importer(request, kind).template()
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
    return response


@login_required
def import_job(request, pk):
    job = get_import_job_for_user(request.user, pk=pk)
    template = "imports/_job.html" if request.headers.get("HX-Request") else "imports/job.html"
    return render(request, template, {"job": job, "label": kind_label(job.kind)})


@login_required
@require_POST
def import_commit(request, pk):
    job = get_import_job_for_user(request.user, pk=pk)
    try:
        services.import_commit_request(actor=request.user, job=job)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports:job", pk=job.pk)
