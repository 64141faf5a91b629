"""Changing a set on its pages: its fields, its criteria and its ratings, each through a service.

A change to a set used by an approved evaluation lands in a new version (see `editable_set`): the
page says so and goes on to that version, the old one staying as it was.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Perm
from core.access import require_perm
from core.forms import add_service_errors

from . import editing, services
from .forms import BandForm, CriteriaSetForm, NodeForm
from .models import CriteriaSet
from .validation import SET_VALIDATORS
from .views import get_set_for_user


def _set_to_change(request, pk) -> CriteriaSet:
    require_perm(request.user, Perm.MANAGE_CRITERIA)
    return get_set_for_user(request.user, pk)


def _refusal(request, criteria_set: CriteriaSet):
    """Back to the set's page, saying why, when it is not the one to change (the services refuse too)."""
    if criteria_set.is_default:
        messages.error(request, _("A shipped default is not edited: make a copy."))
        return redirect("criteria:detail", pk=criteria_set.pk)
    newest = editing.latest_version(criteria_set)
    if newest.pk != criteria_set.pk:
        messages.error(
            request, _("Version %(version)d of this set exists: change that one.") % {"version": newest.version}
        )
        return redirect("criteria:detail", pk=newest.pk)
    return None


def _done(request, criteria_set: CriteriaSet, target: CriteriaSet, message: str):
    """Say what was done, and where: in the province's own copy of a national set, or in a new
    version when the set was frozen."""
    if target.area_id != criteria_set.area_id:
        messages.warning(
            request,
            _(
                "The change was made in a copy of this set for %(province)s, made now: it is used in your "
                "province instead of the national set, which stays as it was."
            )
            % {"province": target.area.name},
        )
    elif target.pk != criteria_set.pk:
        messages.warning(
            request,
            _(
                "This set is used by an approved evaluation, so the change was made in a new version, "
                "version %(new)d; version %(old)d stays as it was."
            )
            % {"new": target.version, "old": criteria_set.version},
        )
    else:
        messages.success(request, message)
    return redirect("criteria:detail", pk=target.pk)


def _refused(request, criteria_set: CriteriaSet, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return redirect("criteria:detail", pk=criteria_set.pk)


def _form_page(request, criteria_set: CriteriaSet, form, heading: str):
    context = {
        "criteria_set": criteria_set,
        "form": form,
        "heading": heading,
        "frozen": services.is_frozen(criteria_set),
    }
    return render(request, "criteria/form.html", context)


@login_required
def set_edit(request, pk):
    criteria_set = _set_to_change(request, pk)
    if refusal := _refusal(request, criteria_set):
        return refusal
    initial = {field: getattr(criteria_set, field) for field in SET_VALIDATORS}
    form = CriteriaSetForm(request.POST or None, initial=initial, criteria_set=criteria_set)
    if request.method == "POST" and form.is_valid():
        try:
            target = editing.criteria_set_update(actor=request.user, criteria_set=criteria_set, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, criteria_set, target, _("The set was saved."))
    return _form_page(request, criteria_set, form, _("Edit the set"))


@login_required
def node_edit(request, pk, node_pk=None):
    criteria_set = _set_to_change(request, pk)
    if refusal := _refusal(request, criteria_set):
        return refusal
    node = get_object_or_404(criteria_set.nodes, pk=node_pk) if node_pk else None
    if node is not None:
        initial = {
            "code": node.code,
            "parent_code": node.parent.code if node.parent_id else "",
            "kind": node.kind,
            "name": node.name,
            "scoring": node.scoring,
            "max_points": node.max_points,
            "min_points": node.min_points,
            "level": node.level,
        }
    else:
        initial = {"parent_code": request.GET.get("parent", ""), "kind": "indicator", "scoring": "points"}
    form = NodeForm(request.POST or None, initial=initial, criteria_set=criteria_set, node=node)
    if request.method == "POST" and form.is_valid():
        try:
            saved = editing.node_change(actor=request.user, criteria_set=criteria_set, node=node, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("%(code)s was saved.") % {"code": saved.code}
            return _done(request, criteria_set, saved.criteria_set, message)
    heading = _("Edit %(code)s") % {"code": node.code} if node else _("Add a criterion")
    return _form_page(request, criteria_set, form, heading)


@login_required
def node_delete(request, pk, node_pk):
    criteria_set = _set_to_change(request, pk)
    if refusal := _refusal(request, criteria_set):
        return refusal
    node = get_object_or_404(criteria_set.nodes, pk=node_pk)
    if request.method == "POST":
        try:
            target = editing.node_delete(actor=request.user, criteria_set=criteria_set, node=node)
        except ValidationError as error:
            return _refused(request, criteria_set, error)
        return _done(request, criteria_set, target, _("%(code)s was deleted.") % {"code": node.code})
    parts = len(editing.node_with_parts(criteria_set, node)) - 1
    context = {"criteria_set": criteria_set, "node": node, "parts": parts}
    return render(request, "criteria/node_delete.html", context)


@login_required
@require_POST
def node_move(request, pk, node_pk):
    criteria_set = _set_to_change(request, pk)
    if refusal := _refusal(request, criteria_set):
        return refusal
    node = get_object_or_404(criteria_set.nodes, pk=node_pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        target = editing.node_move(actor=request.user, criteria_set=criteria_set, node=node, step=step)
    except ValidationError as error:
        return _refused(request, criteria_set, error)
    return _done(request, criteria_set, target, _("%(code)s was moved.") % {"code": node.code})


@login_required
def band_edit(request, pk, band_pk=None):
    criteria_set = _set_to_change(request, pk)
    if refusal := _refusal(request, criteria_set):
        return refusal
    band = get_object_or_404(criteria_set.bands, pk=band_pk) if band_pk else None
    initial = {"code": band.code, "label": band.label, "min_total": band.min_total} if band else {}
    form = BandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = editing.band_save(actor=request.user, criteria_set=criteria_set, band=band, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("The rating “%(label)s” was saved.") % {"label": saved.label}
            return _done(request, criteria_set, saved.criteria_set, message)
    heading = _("Edit the rating “%(label)s”") % {"label": band.label} if band else _("Add a rating")
    return _form_page(request, criteria_set, form, heading)


@login_required
@require_POST
def band_delete(request, pk, band_pk):
    criteria_set = _set_to_change(request, pk)
    if refusal := _refusal(request, criteria_set):
        return refusal
    band = get_object_or_404(criteria_set.bands, pk=band_pk)
    try:
        target = editing.band_delete(actor=request.user, criteria_set=criteria_set, band=band)
    except ValidationError as error:
        return _refused(request, criteria_set, error)
    return _done(request, criteria_set, target, _("The rating “%(label)s” was deleted.") % {"label": band.label})
