"""Evaluation pages: the list, registration, and one evaluation's page with its criteria, marks,
evidence, deadlines, the transitions the user may make, and its history. Every change goes through
`evaluations.services`, naming the version the page showed."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.search import pick_villages, picker_choices
from areas.widgets import NOT_FOUND, SEVERAL
from audit.services import history_of, recent
from core.access import has_perm, require_perm
from core.parsing import query_year, whole_number_or, year_range
from core.text import nfc
from criteria.models import Scoring, Title
from criteria.scoring import clean_mark
from criteria.services import definition_of, result_codes

from . import selectors, services
from .access import get_evaluation_for_user, get_evidence_for_user, may_approve
from .forms import TITLE_CHOICES, EvidenceForm, RegisterForm
from .models import Evaluation, EvaluationState
from .parsing import mark_input, parse_mark
from .rule_scope import deadlines_for


def result_label(evaluation: Evaluation, labels: dict | None = None) -> str:
    """The result in words; `labels` caches each set's (code → label) across a page of rows."""
    if not evaluation.result:
        return ""
    if labels is None:
        labels = {}
    if evaluation.criteria_set_id not in labels:
        labels[evaluation.criteria_set_id] = dict(result_codes(evaluation.criteria_set))
    return labels[evaluation.criteria_set_id].get(evaluation.result, evaluation.result)


def posted_version(request) -> int:
    """The version the page showed; a missing or garbled one is refused as stale by the service."""
    value = request.POST.get("version", "")
    return whole_number_or(value, 0)


# The list ----------------------------------------------------------------------------------------


def list_filters(request, names=("year", "title", "state", "area"), *, default_year=None) -> tuple[dict, dict]:
    """The list's parameters as typed (for the form) and as the selector takes them. A title not known
    is ignored; an area that names no unit is shown as `area_error` (and the list is then empty)."""
    typed = {name: request.GET.get(name, "").strip() for name in names}
    typed["query"] = nfc(request.GET.get("q", ""))
    if default_year is not None and "year" not in request.GET:
        typed["year"] = str(default_year)
    chosen = {"query": typed["query"], "year": query_year(request) if "year" in request.GET else None}
    if "year" not in request.GET and typed.get("year"):
        chosen["year"] = whole_number_or(typed["year"])
    if typed.get("title") in Title.values:
        chosen["title"] = typed["title"]
    typed["area_error"] = ""
    if typed.get("area"):
        try:
            chosen["area"] = selectors.evaluation_area(typed["area"], year=chosen["year"])
        except ValidationError as error:
            typed["area_error"] = error.messages[0]
    return typed, chosen


@login_required
def evaluation_list(request):
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    default_year = None
    if "year" not in request.GET:
        # First visit: the latest year evaluated in the user's area; an empty year field means all years.
        latest = Evaluation.objects.visible_to(request.user).aggregate(latest=Max("year"))["latest"]
        default_year = latest or timezone.now().year
    filters, chosen = list_filters(request, default_year=default_year)
    # The counts per state ignore the state chosen.
    evaluations = selectors.evaluations_for(request.user, **chosen)
    if filters["area_error"]:
        evaluations = evaluations.none()
    counts = selectors.counts_by_state(evaluations)
    if filters["state"] in EvaluationState.values:
        evaluations = evaluations.filter(state=filters["state"])
    page = Paginator(evaluations, 50).get_page(request.GET.get("page"))
    labels = {}
    rows = [(e, result_label(e, labels)) for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    without_state = query.copy()
    without_state.pop("state", None)
    context = {
        **filters,
        "page": page,
        "rows": rows,
        "querystring": query.urlencode(),
        "state_querystring": without_state.urlencode(),
        "counts": [(value, label, counts.get(value, 0)) for value, label in EvaluationState.choices],
        "total": sum(counts.values()),
        "titles": TITLE_CHOICES,
        "can_evaluate": has_perm(request.user, Perm.EVALUATE),
        "can_approve": has_perm(request.user, Perm.APPROVE),
        "current_year": timezone.now().year,
        "own_village": request.user.village,
    }
    return render(request, "evaluations/list.html", context)


# Registration ------------------------------------------------------------------------------------


@login_required
def evaluation_register(request):
    require_perm(request.user, Perm.EVALUATE)
    initial = {
        "title": request.GET.get("title", Title.HOUSEHOLD),
        "year": timezone.now().year,
        "code": request.GET.get("code", ""),
    }
    form = RegisterForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.evaluation_register(
                actor=request.user,
                title=data["title"],
                year=data["year"],
                subject=data["subject"],
                criteria_set=data["criteria_set"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(None, ValidationError(_("You cannot register it: it is not in your area."), code="scope"))
        else:
            messages.success(request, _("%(subject)s is registered.") % {"subject": evaluation.subject})
            return redirect("evaluations:detail", pk=evaluation.pk)
    return render(request, "evaluations/register.html", {"form": form})


# One evaluation ----------------------------------------------------------------------------------


@dataclass
class CriterionRow:
    node: object
    depth: int
    is_leaf: bool
    mark: object = None
    value: str = ""  # the self-assessment field
    note: str = ""
    adjusted: str = ""  # the approver's field: the mark in force
    evidence: list = field(default_factory=list)

    @property
    def mark_field(self) -> str:
        return f"mark-{self.node.pk}"

    @property
    def note_field(self) -> str:
        return f"note-{self.node.pk}"

    @property
    def adjust_field(self) -> str:
        return f"adjust-{self.node.pk}"


def own_mark(mark, scoring):
    """The self-assessed mark."""
    if mark is None:
        return None
    return mark.passed if scoring == Scoring.PASS_FAIL else mark.points


def mark_in_force(mark, scoring):
    """The mark in force: the approver's where they adjusted it."""
    if mark is None:
        return None
    adjusted = mark.adjusted_passed if scoring == Scoring.PASS_FAIL else mark.adjusted_points
    return adjusted if adjusted is not None else own_mark(mark, scoring)


def _adjusted(mark) -> bool:
    return mark is not None and (mark.adjusted_points is not None or mark.adjusted_passed is not None)


def leaves_of(criteria_set) -> list:
    nodes = list(criteria_set.nodes.all())
    parents = {n.parent_id for n in nodes}
    return [n for n in nodes if n.pk not in parents]


def _criterion_rows(evaluation: Evaluation, posted=None) -> list[CriterionRow]:
    """The set's tree, depth first, each leaf with its marks (or what was just typed) and files."""
    nodes = list(evaluation.criteria_set.nodes.all())
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    marks = {m.node_id: m for m in evaluation.marks.all()}
    evidence = defaultdict(list)
    for item in evaluation.evidence.order_by("uploaded_at", "pk"):
        evidence[item.node_id].append(item)
    rows = []

    def walk(parent_id, depth):
        for node in sorted(children[parent_id], key=lambda n: (n.position, n.pk)):
            mark = marks.get(node.pk)
            row = CriterionRow(node, depth, not children[node.pk], mark, evidence=evidence[node.pk])
            if row.is_leaf:
                row.value = mark_input(node.scoring, own_mark(mark, node.scoring))
                row.note = mark.note if mark else ""
                row.adjusted = mark_input(node.scoring, mark_in_force(mark, node.scoring))
                if posted is not None:
                    row.value = posted.get(row.mark_field, row.value)
                    row.note = posted.get(row.note_field, row.note)
                    row.adjusted = posted.get(row.adjust_field, row.adjusted)
            rows.append(row)
            walk(node.pk, depth + 1)

    walk(None, 0)
    return rows


def _detail_page(request, evaluation: Evaluation, *, errors=(), posted=None, status=200):
    user = request.user
    closed = services.closed_message(evaluation)
    editable = not closed and evaluation.state in services.OWNER_EDITABLE and services.can_edit(user, evaluation)
    approving = not closed and may_approve(user, evaluation)
    deciding = approving and evaluation.state == EvaluationState.SUBMITTED
    rows = _criterion_rows(evaluation, posted)
    context = {
        "evaluation": evaluation,
        "criteria_set": evaluation.criteria_set,
        "rows": rows,
        "show_adjusted": deciding or any(_adjusted(r.mark) for r in rows),
        "result": result_label(evaluation),
        "deadlines": deadlines_for(evaluation.title, evaluation.year, evaluation.area),
        "closed": closed,
        "editable": editable,
        "deciding": deciding,
        "unlocking": approving and evaluation.state == EvaluationState.APPROVED,
        "evidence_form": EvidenceForm(evaluation=evaluation) if editable else None,
        "errors": errors,
        "reason": posted.get("reason", "") if posted is not None else "",
        "history": recent(history_of(evaluation), 50, page=request.GET.get("history")),
    }
    return render(request, "evaluations/detail.html", context, status=status)


def _leaf_values(request, evaluation: Evaluation, prefix: str) -> dict:
    return {
        n.code: parse_mark(n.scoring, request.POST.get(f"{prefix}-{n.pk}")) for n in leaves_of(evaluation.criteria_set)
    }


def _save(request, evaluation, version):
    marks = _leaf_values(request, evaluation, "mark")
    leaves = leaves_of(evaluation.criteria_set)
    notes = {n.code: request.POST[f"note-{n.pk}"].strip() for n in leaves if f"note-{n.pk}" in request.POST}
    return services.evaluation_marks_save(
        actor=request.user, evaluation=evaluation, version=version, marks=marks, notes=notes
    )


def _action_save(request, evaluation, version):
    _save(request, evaluation, version)
    return _("The marks were saved.")


def _action_submit(request, evaluation, version):
    """The marks on the page are saved first, so that what was typed is what is submitted."""
    evaluation = _save(request, evaluation, version)
    services.evaluation_submit(actor=request.user, evaluation=evaluation, version=evaluation.version)
    return _("The evaluation was submitted for approval.")


def _action_adjust(request, evaluation, version):
    """Only the marks the approver changed from those in force are adjustments."""
    leaves = {leaf.key: leaf for leaf in definition_of(evaluation.criteria_set).leaves}
    in_force = {m.node.code: mark_in_force(m, m.node.scoring) for m in evaluation.marks.select_related("node")}
    changed = {}
    for code, value in _leaf_values(request, evaluation, "adjust").items():
        try:
            same = clean_mark(leaves[code], value) == in_force.get(code)
        except ValidationError:
            same = False
        if not same:
            changed[code] = value
    if not changed:
        raise ValidationError(_("Change at least one mark to adjust it."), code="nothing")
    services.evaluation_adjust(
        actor=request.user, evaluation=evaluation, version=version, marks=changed, reason=request.POST.get("reason", "")
    )
    return _("The marks were adjusted.")


def _action_approve(request, evaluation, version):
    services.evaluation_approve(actor=request.user, evaluation=evaluation, version=version)
    return _("The evaluation was approved.")


def _action_return(request, evaluation, version):
    services.evaluation_return(
        actor=request.user, evaluation=evaluation, version=version, reason=request.POST.get("reason", "")
    )
    return _("The evaluation was returned for revision.")


def _action_unlock(request, evaluation, version):
    services.evaluation_unlock(
        actor=request.user, evaluation=evaluation, version=version, reason=request.POST.get("reason", "")
    )
    return _("The evaluation was unlocked.")


def _action_evidence(request, evaluation, version):
    form = EvidenceForm(request.POST, request.FILES, evaluation=evaluation)
    if not form.is_valid():
        raise ValidationError([message for messages_ in form.errors.values() for message in messages_])
    services.evidence_add(
        actor=request.user,
        evaluation=evaluation,
        version=version,
        node=form.cleaned_data["node"],
        file=form.cleaned_data["file"],
    )
    return _("The file was added.")


ACTIONS = {
    "save": _action_save,
    "submit": _action_submit,
    "adjust": _action_adjust,
    "approve": _action_approve,
    "return": _action_return,
    "unlock": _action_unlock,
    "evidence": _action_evidence,
}


@login_required
def evaluation_detail(request, pk):
    evaluation = get_evaluation_for_user(request.user, pk=pk)
    if request.method != "POST":
        return _detail_page(request, evaluation)
    if not (has_perm(request.user, Perm.EVALUATE) or has_perm(request.user, Perm.APPROVE)):
        raise PermissionDenied
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponseBadRequest()
    version = posted_version(request)
    try:
        message = action(request, evaluation, version)
    except ValidationError as error:
        # A refused change rolled back: the page shows the evaluation as it now is. What was typed
        # is shown again only over the version it was typed on, so that saving it loses nothing.
        fresh = get_evaluation_for_user(request.user, pk=pk)
        if getattr(error, "code", None) == "stale":
            return _detail_page(request, fresh, errors=error.messages, status=409)
        posted = request.POST if fresh.version == version else None
        return _detail_page(request, fresh, errors=error.messages, posted=posted)
    messages.success(request, message)
    return redirect("evaluations:detail", pk=evaluation.pk)


@login_required
def evidence_download(request, pk, evidence_pk):
    evidence = get_evidence_for_user(request.user, evaluation_pk=pk, pk=evidence_pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


@login_required
def grid_open(request):
    """The grid of the village and year typed in the list page's form."""
    code, year = request.GET.get("village", "").strip(), request.GET.get("year", "").strip()
    first, last = year_range()
    year = whole_number_or(year, min_value=first, max_value=last)
    if not code or year is None:
        messages.error(request, _("Enter a village code and a year."))
        return redirect("evaluations:list")
    # The picker sends the village's code; typed without it, a whole name is read too.
    found = pick_villages(code, picker_choices(request.user, "village"))
    if len(found) != 1:
        messages.error(request, (SEVERAL if found else NOT_FOUND["village"]) % {"text": code})
        return redirect("evaluations:list")
    return redirect(reverse("evaluations:grid", args=[found[0].code, year]))
