"""Pages of documents: ask for one, follow its progress, download it; the list of those the user sees."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from accounts.roles import Perm
from core.access import require_perm
from core.forms import add_service_errors
from stats.access import visible_area

from . import selectors, services
from .access import get_document_for_user
from .forms import DocumentRequestForm
from .kinds import kind_of


@login_required
def document_list(request):
    require_perm(request.user, Perm.VIEW_STATISTICS)
    services.document_jobs_sweep()
    page = Paginator(selectors.documents_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "documents/list.html", {"page": page})


@login_required
def document_new(request):
    require_perm(request.user, Perm.VIEW_STATISTICS)
    choices = selectors.area_choices(request.user)
    initial = {"area": choices[0][0] if choices else "", "kind": "review"}
    form = DocumentRequestForm(request.POST or None, initial=initial, area_choices=choices)
    if request.method == "POST" and form.is_valid():
        # An area outside the user's scope answers 404, as everywhere: its existence is not confirmed.
        given = form.cleaned_data["area"]
        area = visible_area(request.user, given) if given else None
        try:
            period = services.parse_period(form.cleaned_data["years"])
            document = services.document_request(
                actor=request.user, kind=form.cleaned_data["kind"], area=area, period=period
            )
        except ValidationError as error:
            add_service_errors(form, ValidationError({"years": error.messages}))
        else:
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/new.html", {"form": form})


@login_required
def document_detail(request, pk):
    services.document_jobs_sweep()
    document = get_document_for_user(request.user, pk=pk)
    template = "documents/_document.html" if request.headers.get("HX-Request") else "documents/detail.html"
    return render(request, template, {"document": document})


@login_required
def document_download(request, pk):
    document = get_document_for_user(request.user, pk=pk)
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file_name,
        content_type=kind_of(document.kind).content_type,
    )
