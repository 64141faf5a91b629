from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.services import entries_of_source, objects_of
from core.access import has_perm, require_perm
from core.forms import UploadForm
from core.parsing import parse_year

from . import services
from .access import get_import_job_for_user
from .kinds import IMPORTERS, importer_for, kind_label
from .models import ImportJob, JobStatus
from .preview import RECORD_PAGES, examples, sorted_errors


def _importer(request, kind):
    if kind not in IMPORTERS:
        raise Http404
    importer = importer_for(kind, user=request.user)
    require_perm(request.user, importer.perm)
    return importer


@login_required
def import_list(request):
    """The imports the user may see (their own; everything for administrators), newest first,
    with the kinds they may import."""
    services.import_jobs_sweep()
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by")
    page = Paginator(jobs, 30).get_page(request.GET.get("page"))
    kinds = [
        (kind, label)
        for kind, (_path, label) in IMPORTERS.items()
        if has_perm(request.user, importer_for(kind, user=request.user).perm)
    ]
    return render(request, "imports/list.html", {"page": page, "kinds": kinds})


@login_required
def import_new(request, kind):
    importer = _importer(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None, extensions=importer.extensions)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(actor=request.user, kind=kind, uploaded=form.cleaned_data["file"])
        return redirect("imports:job", pk=job.pk)
    context = {"form": form, "kind": kind, "label": kind_label(kind)}
    if getattr(importer, "template_takes_year", False):
        context["template_year"] = timezone.localdate().year
    return render(request, "imports/new.html", context)


@login_required
def import_template(request, kind):
    importer = _importer(request, kind)
    if getattr(importer, "template_takes_year", False) and request.GET.get("year"):
        try:
            year = parse_year(request.GET["year"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("imports:new", kind=kind)
        content = importer.template(year=year)
    else:
        content = importer.template()
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
    return response


def _seen_records(user, records: dict) -> dict:
    """The records (of `objects_of`) the user sees now: one whose area left the user's scope since
    the import (a household moved to another village) is no longer named to them."""
    by_model = defaultdict(set)
    for record in records.values():
        by_model[type(record)].add(record.pk)
    seen = set()
    for model, pks in by_model.items():
        manager = model._default_manager
        if hasattr(manager, "visible_to"):
            pks = manager.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True)
        seen.update((model, pk) for pk in pks)
    return {key: record for key, record in records.items() if (type(record), record.pk) in seen}


def _changed_records(entries, user) -> list[tuple]:
    """(entry, what its record is called now, the record's page or None) for a page of entries."""
    records = _seen_records(user, objects_of(entries))
    rows = []
    for entry in entries:
        record = records.get((entry.object_type, entry.object_id))
        page = RECORD_PAGES.get(entry.object_type)
        name = str(record) if record else f"#{entry.object_id}"
        rows.append((entry, name, page(record) if record and page else None))
    return rows


@login_required
def import_job(request, pk):
    services.import_jobs_sweep()
    job = get_import_job_for_user(request.user, pk=pk)
    template = "imports/_job.html" if request.headers.get("HX-Request") else "imports/job.html"
    context = {"job": job, "label": kind_label(job.kind), "examples": examples(job)}
    if job.errors:
        columns = [column.header for column in importer_for(job.kind, user=request.user).columns]
        context["errors"] = sorted_errors(job.errors, columns)
    if job.warnings:
        columns = [column.header for column in importer_for(job.kind, user=request.user).columns]
        context["warnings"] = sorted_errors(job.warnings, columns)
    if job.status == JobStatus.COMMITTED:
        # What the import created and changed, record by record, as each record's own history shows it.
        context["changes"] = Paginator(entries_of_source(job.audit_source), 50).get_page(request.GET.get("page"))
        context["records"] = _changed_records(context["changes"], request.user)
    return render(request, template, context)


@login_required
@require_POST
def import_commit(request, pk):
    job = get_import_job_for_user(request.user, pk=pk)
    try:
        services.import_commit_request(
            actor=request.user, job=job, warnings_confirmed=request.POST.get("warnings_confirmed") == "1"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports:job", pk=job.pk)
