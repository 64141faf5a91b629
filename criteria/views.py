"""Criteria sets: the list, a set's page, copies, and the set as YAML or xlsx. Every signed-in
user reads the national sets and their province's own (another province's are not found);
changing them needs the criteria permission and the set's area (`scope`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Perm
from audit.services import history_of, recent
from core.access import get_visible_or_404, has_perm, require_perm

from . import editing, services
from .forms import CopyForm
from .models import CriteriaSet, Title
from .scope import may_change
from .selectors import criteria_sets_for
from .sheets import set_to_xlsx
from .yaml_io import set_to_yaml

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_set_for_user(user, pk: int) -> CriteriaSet:
    return get_visible_or_404(CriteriaSet.objects.all(), user=user, perm=None, pk=pk)


@login_required
def criteria_list(request):
    sets = criteria_sets_for(request.user)
    groups = []
    for title, label in Title.choices:
        members = [s for s in sets if s.title == title]
        for criteria_set in members:
            criteria_set.missing_count = len(services.criteria_set_missing(criteria_set))
        if members:
            groups.append((label, members))
    context = {"groups": groups, "can_manage": has_perm(request.user, Perm.MANAGE_CRITERIA)}
    return render(request, "criteria/list.html", context)


def tree_rows(criteria_set: CriteriaSet) -> list[dict]:
    """The tree in reading order, each node with its depth and whether it can move up or down."""
    nodes = list(criteria_set.nodes.order_by("position", "id"))
    parts = {}
    for node in nodes:
        parts.setdefault(node.parent_id, []).append(node)
    rows = []

    def walk(parent_id, depth):
        siblings = parts.get(parent_id, [])
        for index, node in enumerate(siblings):
            rows.append(
                {
                    "node": node,
                    "depth": depth,
                    "indent": f"{depth * 1.5:.1f}",
                    "has_parts": node.pk in parts,
                    "first": index == 0,
                    "last": index == len(siblings) - 1,
                }
            )
            walk(node.pk, depth + 1)

    walk(None, 0)
    return rows


@login_required
def criteria_detail(request, pk):
    criteria_set = get_set_for_user(request.user, pk)
    newest = editing.latest_version(criteria_set)
    can_manage = has_perm(request.user, Perm.MANAGE_CRITERIA)
    labels = dict(services.result_codes(criteria_set))
    context = {
        "criteria_set": criteria_set,
        "rows": tree_rows(criteria_set),
        "bands": criteria_set.bands.order_by("position", "id"),
        "missing": services.criteria_set_missing(criteria_set),
        "recognised": [labels.get(code, code) for code in criteria_set.recognised_results],
        "has_minimums": criteria_set.nodes.filter(min_points__isnull=False).exists(),
        "frozen": services.is_frozen(criteria_set),
        "newest": newest if newest.pk != criteria_set.pk else None,
        "can_manage": can_manage,
        "can_edit": can_manage and not criteria_set.is_default and newest.pk == criteria_set.pk,
        # A province officer's change of a national set makes their province's own copy.
        "makes_province_copy": can_manage and not may_change(request.user, criteria_set.area),
        "copy_form": CopyForm(initial={"name": _("%(name)s (copy)") % {"name": criteria_set.name}}),
        "history": recent(history_of(criteria_set), page=request.GET.get("history")),
    }
    return render(request, "criteria/detail.html", context)


@login_required
@require_POST
def criteria_copy(request, pk):
    criteria_set = get_set_for_user(request.user, pk)
    require_perm(request.user, Perm.MANAGE_CRITERIA)
    form = CopyForm(request.POST)
    if form.is_valid():
        copy = editing.criteria_set_copy(actor=request.user, criteria_set=criteria_set, name=form.cleaned_data["name"])
        messages.success(request, _("The copy “%(name)s” was made: complete it here.") % {"name": copy.name})
        return redirect("criteria:detail", pk=copy.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("criteria:detail", pk=criteria_set.pk)


def _filename(criteria_set: CriteriaSet, extension: str) -> str:
    return f"{slugify(criteria_set.name) or 'bo-tieu-chi'}-v{criteria_set.version}.{extension}"


@login_required
def export_yaml(request, pk):
    criteria_set = get_set_for_user(request.user, pk)
    response = HttpResponse(set_to_yaml(criteria_set), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(criteria_set, "yaml")}"'
    return response


@login_required
def export_xlsx(request, pk):
    criteria_set = get_set_for_user(request.user, pk)
    response = HttpResponse(set_to_xlsx(criteria_set), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(criteria_set, "xlsx")}"'
    return response
