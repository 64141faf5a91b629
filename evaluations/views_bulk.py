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
from core.access import require_perm
from core.parsing import whole_number_or

from . import batch, selectors, services
from .access import approvable
from .forms import TITLE_CHOICES, BulkDecisionForm, YearForm
from .models import ClosedYear, Evaluation, EvaluationState
from .selectors import SUBJECTS
from .views import list_filters, result_label


def _waiting(request):
    filters, chosen = list_filters(request, ("title", "year", "area"))
    evaluations = selectors.evaluations_for(request.user, **chosen, state=EvaluationState.SUBMITTED)
    if filters["area_error"]:
        evaluations = evaluations.none()
    evaluations = approvable(request.user, evaluations)
    return evaluations.order_by("area__sort_key", "title", "year", "pk"), filters


@login_required
def approve_many(request):
    require_perm(request.user, Perm.APPROVE)
    evaluations, filters = _waiting(request)
    form = BulkDecisionForm(request.POST or None)
    picked = {pk for value in request.POST.getlist("pick") if (pk := whole_number_or(value)) is not None}
    errors = []
    if request.method == "POST":
        chosen = list(
            Evaluation.objects.visible_to(request.user).filter(pk__in=picked).select_related("area", *SUBJECTS)
        )
        if not form.is_valid():
            errors = [message for messages_ in form.errors.values() for message in messages_]
        elif not chosen:
            errors = [_("Tick the evaluations first.")]
        else:
            items = [(e, whole_number_or(request.POST.get(f"v-{e.pk}", ""), 0)) for e in chosen]
            approve = form.cleaned_data["action"] == "approve"
            try:
                done = batch.evaluations_decide(
                    actor=request.user, items=items, approve=approve, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                errors = error.messages
            else:
                text = _("%(count)d approved.") if approve else _("%(count)d returned for revision.")
                messages.success(request, text % {"count": done})
                return redirect(request.get_full_path())
    page = Paginator(evaluations, 100).get_page(request.GET.get("page"))
    labels = {}
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **filters,
        "page": page,
        "rows": [(e, result_label(e, labels)) for e in page],
        "titles": TITLE_CHOICES,
        "form": form,
        "picked": picked,
        "errors": errors,
        "querystring": query.urlencode(),
    }
    return render(request, "evaluations/approve.html", context)


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
