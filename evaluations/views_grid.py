"""The village meeting: every active household of a village as a row, every leaf of the household
set as a column. Saving registers the households that got a mark, saves every row's marks in one
transaction (all or nothing, errors shown by household) and shows each household's result."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.access import get_village_for_user
from core.access import has_perm, require_perm
from core.parsing import whole_number_or
from criteria.models import Title
from criteria.services import definition_of, result_codes
from registry.models import Household

from . import batch, services
from .models import Evaluation, Mark
from .parsing import mark_input, parse_mark
from .selectors import complete_sets
from .views import leaves_of, mark_in_force, own_mark, result_label


@dataclass
class GridRow:
    household: Household
    evaluation: Evaluation | None
    editable: bool
    version: str = ""
    cells: list = field(default_factory=list)  # (field name, value, leaf)
    result: str = ""
    errors: list = field(default_factory=list)
    typed: bool = False  # shows marks typed before a refused save, not the saved ones


def _chosen_set(request, sets: list, year: int, area):
    """The set asked for among the complete ones, else the default for the year in the village's
    commune (its province's own set where it has one; None if there is none)."""
    wanted = request.POST.get("set") or request.GET.get("set") or ""
    for criteria_set in sets:
        if str(criteria_set.pk) == wanted:
            return criteria_set
    try:
        return services.criteria_set_for(Title.HOUSEHOLD, year, area)
    except ValidationError:
        return None


def _rows(request, village, year, criteria_set, leaves, *, may_mark: bool, posted=None, errors=None) -> list[GridRow]:
    households = Household.objects.visible_to(request.user).filter(village=village, is_active=True)
    evaluations = {
        e.household_id: e
        for e in Evaluation.objects.visible_to(request.user)
        .filter(title=Title.HOUSEHOLD, year=year, household__village=village)
        .select_related("criteria_set")
    }
    marks = {
        (m.evaluation_id, m.node.code): m
        for m in Mark.objects.filter(evaluation__in=list(evaluations.values())).select_related("node")
    }
    labels = {}
    rows = []
    for household in households.order_by("sort_key", "code"):
        evaluation = evaluations.get(household.pk)
        editable = may_mark and (
            evaluation is None
            or (evaluation.criteria_set_id == criteria_set.pk and evaluation.state in services.OWNER_EDITABLE)
        )
        row = GridRow(household, evaluation, editable, version=str(evaluation.version) if evaluation else "")
        # What was typed is shown again over the version it was typed on (or on a new row) only.
        keep_typed = posted is not None and posted.get(f"v-{household.pk}", "") == row.version
        for leaf in leaves:
            name = f"m-{household.pk}-{leaf.pk}"
            mark = marks.get((evaluation.pk, leaf.code)) if evaluation else None
            # Typed in: the self-assessment; shown only: the mark in force after any verification.
            text = mark_input(leaf.scoring, (own_mark if editable else mark_in_force)(mark, leaf.scoring))
            if keep_typed and name in posted:
                text = posted[name]
                row.typed = True
            row.cells.append((name, text, leaf))
        if evaluation is not None:
            row.result = result_label(evaluation, labels)
        row.errors = (errors or {}).get(household.code, [])
        rows.append(row)
    return rows


def _scoring(criteria_set, leaves) -> tuple[dict, list]:
    """The set's rule as the page's script reads it to add up marks as they are typed, and each
    column with the codes of the criteria above it (whose minimums its points count towards). The
    values are the set's data; the server scores again when the marks are saved."""
    definition = definition_of(criteria_set)
    groups = {leaf.key: ",".join(leaf.groups) for leaf in definition.leaves}
    scoring = {
        "rule": definition.rule,
        "pass_total": definition.pass_total,
        "bands": definition.bands,
        "minimums": sorted(definition.minimums.items()),
        "labels": result_codes(criteria_set),
    }
    return scoring, [(leaf, groups.get(leaf.code, "")) for leaf in leaves]


@login_required
def grid(request, village_code, year):
    user = request.user
    village = get_village_for_user(user, code=village_code, perm=Perm.VIEW_REGISTRIES)
    if request.method == "POST":
        require_perm(user, Perm.EVALUATE)
    placement = village.placement_in(year)
    commune = placement.commune if placement is not None else None
    sets = complete_sets(title=Title.HOUSEHOLD, year=year, user=user, area=commune)
    criteria_set = _chosen_set(request, sets, year, commune)
    context = {"village": village, "year": year, "sets": sets, "criteria_set": criteria_set}
    if placement is None:
        context["problem"] = _("The village has no commune in %(year)d.") % {"year": year}
    elif criteria_set is None:
        context["problem"] = _(
            "No complete criteria set for learning households covers %(year)d: a province officer completes one."
        ) % {"year": year}
    if "problem" in context:
        return render(request, "evaluations/grid.html", context)
    closed = services.closed_message(Evaluation(title=Title.HOUSEHOLD, year=year, area=placement.commune))
    may_mark = has_perm(user, Perm.EVALUATE) and not closed
    leaves = leaves_of(criteria_set)
    posted = errors = None
    if request.method == "POST":
        submitted = []
        for household in Household.objects.visible_to(user).filter(village=village):
            names = {leaf.code: (leaf, f"m-{household.pk}-{leaf.pk}") for leaf in leaves}
            if not any(name in request.POST for _leaf, name in names.values()):
                continue
            marks = {code: parse_mark(leaf.scoring, request.POST.get(name)) for code, (leaf, name) in names.items()}
            version = request.POST.get(f"v-{household.pk}", "")
            submitted.append((household, whole_number_or(version), marks))
        try:
            counts = batch.evaluations_mark_many(
                actor=user,
                year=year,
                criteria_set=criteria_set,
                rows=submitted,
                submit_complete=request.POST.get("action") == "submit",
            )
        except ValidationError as error:
            posted = request.POST
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            context["errors"] = [] if errors else error.messages
        else:
            messages.success(
                request,
                _("Saved: %(registered)d registered, %(saved)d with changed marks, %(submitted)d submitted.") % counts,
            )
            return redirect(f"{reverse('evaluations:grid', args=[village.code, year])}?set={criteria_set.pk}")
    scoring, columns = _scoring(criteria_set, leaves)
    context.update(
        scoring=scoring,
        columns=columns,
        commune=placement.commune,
        closed=closed,
        may_mark=may_mark,
        leaves=leaves,
        rows=_rows(request, village, year, criteria_set, leaves, may_mark=may_mark, posted=posted, errors=errors),
    )
    return render(request, "evaluations/grid.html", context)
