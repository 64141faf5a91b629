"""Recognition decision pages: the list, drafting one from the approved evaluations of a unit and
year, the decision itself with publishing and revoking. Every change goes through `decisions`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import Perm
from areas.selectors import area_key
from areas.services import check_in_force
from areas.widgets import UnitField
from core.access import has_perm, require_perm
from core.forms import ManyChoiceField, add_service_errors, perform
from core.parsing import query_year
from criteria.services import result_codes

from . import decisions, selectors
from .forms import TITLE_CHOICES
from .models import SUBJECT_FIELD, DecisionStatus, Evaluation, RecognitionDecision

ANNEX_PAGE = 100  # evaluations of a decision's list shown per page


class DecisionScopeForm(forms.Form):
    """What the decision recognises: a title, a year, and the unit issuing it (picked by name among the
    units of the officer's area)."""

    title = forms.ChoiceField(label=gettext_lazy("Title"), choices=TITLE_CHOICES)
    year = forms.IntegerField(label=gettext_lazy("Year evaluated"), min_value=2000, max_value=2100)
    area = UnitField(label=gettext_lazy("Issuing unit"), kind="unit")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["area"].queryset = units

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("area") and cleaned.get("year"):
            try:
                check_in_force(cleaned["area"], cleaned["year"])
            except ValidationError as error:
                self.add_error("area", error)
        return cleaned


class DecisionForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Number"), max_length=60)
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    issuing_body = forms.CharField(label=gettext_lazy("Issuing body"), max_length=200)
    signer = forms.CharField(label=gettext_lazy("Signed by"), max_length=120)
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evaluations = ManyChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["evaluations"].choices = [(str(e.pk), str(e.subject)) for e in candidates]

    def chosen(self) -> set[str]:
        """The evaluations ticked: as posted, or all of the initial ones."""
        if self.is_bound:
            return set(self.data.getlist("evaluations"))
        return {str(pk) for pk in self.initial.get("evaluations", [])}


def _result_labels(evaluations) -> dict:
    """(criteria set id, result code) → the result's name."""
    labels, seen = {}, set()
    for evaluation in evaluations:
        if evaluation.criteria_set_id not in seen:
            seen.add(evaluation.criteria_set_id)
            labels.update(
                {(evaluation.criteria_set_id, c): label for c, label in result_codes(evaluation.criteria_set)}
            )
    return labels


def _rows(evaluations, chosen=None) -> list[dict]:
    labels = _result_labels(evaluations)
    return [
        {
            "evaluation": e,
            "result": labels.get((e.criteria_set_id, e.result), e.result),
            "checked": chosen is not None and str(e.pk) in chosen,
        }
        for e in evaluations
    ]


def _decision_values(form, user) -> dict:
    data = form.cleaned_data
    chosen = Evaluation.objects.visible_to(user).filter(pk__in=[int(pk) for pk in data["evaluations"]])
    return {
        "number": data["number"],
        "date": data["date"],
        "issuing_body": data["issuing_body"],
        "signer": data["signer"],
        "legal_basis": data["legal_basis"],
        "evaluations": chosen,
    }


@login_required
def decision_list(request):
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    filters = {key: request.GET.get(key, "").strip() for key in ("title", "year", "status")}
    found = selectors.decisions_for(
        request.user,
        title=filters["title"] if filters["title"] in SUBJECT_FIELD else "",
        year=query_year(request),
        status=filters["status"] if filters["status"] in DecisionStatus.values else "",
    )
    # Counted per decision shown (a subquery), not by joining every decision's list before paging.
    links = RecognitionDecision.evaluations.through.objects.filter(recognitiondecision=OuterRef("pk"))
    count = links.order_by().values("recognitiondecision").annotate(n=Count("pk")).values("n")
    found = found.annotate(recognised=Coalesce(Subquery(count), 0))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {
        **filters,
        "page": page,
        "titles": TITLE_CHOICES,
        "statuses": DecisionStatus.choices,
        "can_create": has_perm(request.user, Perm.MANAGE_DECISIONS),
    }
    return render(request, "evaluations/decision_list.html", context)


@login_required
def decision_create(request):
    """Step one (GET) names the title, year and issuing unit; step two lists what may be recognised,
    every approved and recognised evaluation ticked, with the decision's fields."""
    require_perm(request.user, Perm.MANAGE_DECISIONS)
    initial = {"year": timezone.localdate().year, "area": area_key(request.user.unit) if request.user.unit else ""}
    units = selectors.decision_unit_choices(request.user)
    scope_form = DecisionScopeForm(request.GET or None, units=units, initial=initial)
    context = {"scope_form": scope_form, "form": None}
    if scope_form.is_bound and scope_form.is_valid():
        scope = {**scope_form.cleaned_data, "title_label": dict(TITLE_CHOICES)[scope_form.cleaned_data["title"]]}
        candidates = decisions.recognisable(title=scope["title"], year=scope["year"], issuing_area=scope["area"])
        form = DecisionForm(
            request.POST or None,
            candidates=candidates,
            initial={
                "evaluations": [e.pk for e in candidates],
                "date": timezone.localdate(),
                "issuing_body": _("People's Committee of %(unit)s") % {"unit": scope["area"].name},
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                values = _decision_values(form, request.user)
                decision = decisions.decision_create(
                    actor=request.user, title=scope["title"], year=scope["year"], issuing_area=scope["area"], **values
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The draft decision %(number)s was saved.") % {"number": decision.number})
                return redirect("evaluations:decision", pk=decision.pk)
        context.update(form=form, scope=scope, rows=_rows(candidates, form.chosen()))
    return render(request, "evaluations/decision_form.html", context)


@login_required
def decision_edit(request, pk):
    decision = decisions.get_decision_for_user(request.user, pk=pk, perm=Perm.MANAGE_DECISIONS)
    if decision.status != DecisionStatus.DRAFT:
        messages.error(request, _("Only a draft decision can be changed."))
        return redirect("evaluations:decision", pk=decision.pk)
    candidates = decisions.recognisable(
        title=decision.title, year=decision.year, issuing_area=decision.issuing_area, decision=decision
    )
    initial = {name: getattr(decision, name) for name in ("number", "date", "issuing_body", "signer", "legal_basis")}
    initial["evaluations"] = list(decision.evaluations.values_list("pk", flat=True))
    form = DecisionForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            values = _decision_values(form, request.user)
            decisions.decision_update(
                actor=request.user,
                decision=decision,
                title=decision.title,
                year=decision.year,
                issuing_area=decision.issuing_area,
                **values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft decision was saved."))
            return redirect("evaluations:decision", pk=decision.pk)
    scope = {"title_label": decision.get_title_display(), "year": decision.year, "area": decision.issuing_area}
    context = {"decision": decision, "form": form, "scope": scope, "rows": _rows(candidates, form.chosen())}
    return render(request, "evaluations/decision_form.html", context)


@login_required
def decision_detail(request, pk):
    decision = decisions.get_decision_for_user(request.user, pk=pk)
    # The annex as far as the user sees it (a village officer: their village's subjects), with the total.
    # A page of it at a time: a commune's household decision lists thousands (2,300 on the demo's
    # largest), 700 KB of HTML on a phone when listed whole.
    page = Paginator(selectors.recognised_in(request.user, decision), ANNEX_PAGE).get_page(request.GET.get("page"))
    context = {
        "decision": decision,
        "page": page,
        "rows": _rows(page.object_list),
        "total": selectors.recognised_total(decision),
        "history": selectors.decision_history(request.user, decision, request.GET.get("history")),
        "can_manage": decisions.can_manage(request.user, decision),
    }
    return render(request, "evaluations/decision_detail.html", context)


def _act(request, pk, change, done: str):
    decision = decisions.get_decision_for_user(request.user, pk=pk, perm=Perm.MANAGE_DECISIONS)
    perform(request, lambda: change(decision), done=done)
    return redirect("evaluations:decision", pk=decision.pk)


@login_required
@require_POST
def decision_publish(request, pk):
    return _act(
        request,
        pk,
        lambda d: decisions.decision_publish(actor=request.user, decision=d),
        _("The decision was published: its recognitions now count."),
    )


@login_required
@require_POST
def decision_revoke(request, pk):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda d: decisions.decision_revoke(actor=request.user, decision=d, reason=reason),
        _("The decision was revoked: its recognitions no longer count."),
    )
