"""The approver's pages: the submitted evaluations they approve, decided many at once (all or
nothing), and closing or reopening a title's year at their unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import Village
from core.access import require_perm
from core.parsing import whole_number_or

from . import batch, selectors, services
from .forms import TITLE_CHOICES, BulkDecisionForm, YearForm
from .models import ClosedYear, Evaluation
from .selectors import SUBJECTS
from .views import list_filters, result_label


def _waiting(request):
    """The submitted evaluations the user approves, as the page's filters narrow them, and the
    filters as typed (an area or village that names nothing empties the list and says so)."""
    filters, chosen = list_filters(request, ("title", "year", "area"))
    filters["village"] = request.GET.get("village", "").strip()
    filters["village_error"] = ""
    village = None
    if filters["village"]:
        village = Village.objects.visible_to(request.user).filter(code=filters["village"]).first()
        if village is None:
            filters["village_error"] = _("No village in your area has the code “%(code)s”.") % {
                "code": filters["village"]
            }
    chosen.pop("query", None)
    evaluations = selectors.awaiting_approval(request.user, **chosen, village=village)
    if filters["area_error"] or filters["village_error"]:
        evaluations = evaluations.none()
    return evaluations, filters


def _decide_picked(request, form, picked) -> int:
    chosen = list(Evaluation.objects.visible_to(request.user).filter(pk__in=picked).select_related("area", *SUBJECTS))
    if not chosen:
        raise ValidationError(_("Tick the evaluations first."))
    items = [(e, whole_number_or(request.POST.get(f"v-{e.pk}", ""), 0)) for e in chosen]
    return batch.evaluations_decide(
        actor=request.user,
        items=items,
        approve=form.cleaned_data["action"] == "approve",
        reason=form.cleaned_data["reason"],
    )


@login_required
def approve_many(request):
    """The ticked evaluations, or every one that matches the filters (on every page, after the
    approver confirmed how many), are all approved or all returned."""
    require_perm(request.user, Perm.APPROVE)
    evaluations, filters = _waiting(request)
    # The buttons for everything that matches send `all`; those for the ticked ones send `action`.
    every = request.POST.get("all", "")
    data = {"action": every, "reason": request.POST.get("reason", "")} if every else request.POST
    form = BulkDecisionForm(data if request.method == "POST" else None)
    picked = {pk for value in request.POST.getlist("pick") if (pk := whole_number_or(value)) is not None}
    errors = []
    confirming = None
    if request.method == "POST":
        approve = request.POST.get("all", request.POST.get("action")) == "approve"
        try:
            if not form.is_valid():
                raise ValidationError([message for messages_ in form.errors.values() for message in messages_])
            if every and not request.POST.get("confirm"):
                # The approver is asked first how many this is: “Duyệt 99 hồ sơ?”.
                confirming = {
                    "action": form.cleaned_data["action"],
                    "count": evaluations.count(),
                    "seen": batch.fingerprint(evaluations.values_list("pk", "version")),
                    "reason": form.cleaned_data["reason"],
                }
                if not confirming["count"]:
                    confirming = None
                    raise ValidationError(_("No evaluation matches the filters."))
            elif every:
                done = batch.evaluations_decide_matching(
                    actor=request.user,
                    evaluations=evaluations,
                    seen=request.POST["confirm"],
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                )
            else:
                done = _decide_picked(request, form, picked)
        except ValidationError as error:
            errors = error.messages
        else:
            if confirming is None:
                text = _("%(count)d approved.") if approve else _("%(count)d returned for revision.")
                messages.success(request, text % {"count": done})
                return redirect(request.get_full_path())
    page = Paginator(evaluations, 100).get_page(request.GET.get("page"))
    labels = {}
    rows = [(e, result_label(e, labels), e.subject_village) for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **filters,
        "page": page,
        "rows": rows,
        "titles": TITLE_CHOICES,
        "villages": selectors.villages_of(evaluations),
        "page_villages": _page_villages(rows),
        "form": form,
        "picked": picked,
        "errors": errors,
        "confirming": confirming,
        "querystring": query.urlencode(),
    }
    return render(request, "evaluations/approve.html", context)


def _page_villages(rows) -> list[tuple]:
    """The villages of the rows on the page, each with its commune and how many rows, for ticking a
    village's rows at once."""
    found = {}
    for evaluation, _result, village in rows:
        if village is not None:
            key = (village.pk, evaluation.area_id)
            found.setdefault(key, [village, evaluation.area, 0])[2] += 1
    return sorted(found.values(), key=lambda row: (row[1].sort_key, row[0].sort_key, row[0].code))


@login_required
def years(request):
    """A title's year closed at the user's unit: its evaluations there change only after reopening."""
    require_perm(request.user, Perm.APPROVE)
    unit = request.user.unit
    form = YearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        closing = request.POST.get("action") == "close"
        try:
            if unit is None:
                raise PermissionDenied
            if closing:
                services.year_close(actor=request.user, title=data["title"], year=data["year"], area=unit)
            else:
                services.year_reopen(
                    actor=request.user, title=data["title"], year=data["year"], area=unit, reason=data["reason"]
                )
        except PermissionDenied:
            form.add_error(None, _("Only an officer of the unit that approves this title in that year may do this."))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            text = _("%(year)d is closed for this title.") if closing else _("%(year)d is open again for this title.")
            messages.success(request, text % {"year": data["year"]})
            return redirect("evaluations:years")
    if scope_for(request.user).everything:
        closed = ClosedYear.objects.all()
    else:
        closed = ClosedYear.objects.filter(area__in=[unit, *unit.ancestors()] if unit else [])
    closed = closed.select_related("area", "closed_by").order_by("-year", "title")
    return render(request, "evaluations/years.html", {"form": form, "unit": unit, "closed": closed})
