"""The rules of the evaluation year on a page: which level approves each title, and the deadlines.
Everyone signed in reads them; province officers change them, through `evaluations.rules`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Level, Tree, tree_for_year
from core.access import has_perm, require_perm
from core.forms import add_service_errors, perform
from core.versions import StaleVersion, VersionField

from . import rules
from .forms import TITLE_CHOICES
from .models import ApproverRule, Deadline, DeadlineKind
from .rule_scope import manages_national, may_change, own_province, visible_rules

TITLE_ORDER = {value: position for position, (value, _label) in enumerate(TITLE_CHOICES)}
TREE_ORDER = {value: position for position, value in enumerate(Tree.values)}
KIND_ORDER = {value: position for position, value in enumerate(DeadlineKind.values)}


class ProvinceField(forms.ModelChoiceField):
    """A system administrator's choice of whose rule it is: empty for the national default."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=AdministrativeUnit.objects.filter(level=Level.PROVINCE).order_by("tree", "name"),
            required=False,
            label=gettext_lazy("Province"),
            empty_label=gettext_lazy("National default"),
            help_text=gettext_lazy(
                "Leave empty for the national default; a province's own rule applies there instead."
            ),
            **kwargs,
        )


def _form_for_user(form_class, user, data, initial):
    form = form_class(data, initial=initial)
    if manages_national(user):
        form.fields["area"] = ProvinceField()
    return form


def _target_area(user, form, record):
    """Whose rule a change is: a system administrator's choice; a province officer's own province
    (a national default they change is copied for it)."""
    if manages_national(user):
        return form.cleaned_data.pop("area", None)
    return own_province(user)


def _source(record) -> str:
    if record.area_id is None:
        return _("National default")
    return _("Own rule of %(province)s") % {"province": record.area.name}


class ApproverRuleForm(forms.Form):
    title = forms.ChoiceField(label=gettext_lazy("Title"), choices=TITLE_CHOICES)
    tree = forms.ChoiceField(label=gettext_lazy("Tree"), choices=Tree.choices)
    from_year = forms.IntegerField(label=gettext_lazy("From year"))
    to_year = forms.IntegerField(
        label=gettext_lazy("To year"), required=False, help_text=gettext_lazy("Leave empty while the rule has no end.")
    )
    level = forms.TypedChoiceField(label=gettext_lazy("Approved at level"), coerce=int, choices=Level.choices)
    version = VersionField()  # of the rule the form changes


class DeadlineForm(forms.Form):
    title = forms.ChoiceField(label=gettext_lazy("Title"), choices=TITLE_CHOICES)
    year = forms.IntegerField(label=gettext_lazy("Year evaluated"))
    kind = forms.ChoiceField(label=gettext_lazy("What"), choices=DeadlineKind.choices)
    due = forms.DateField(label=gettext_lazy("By"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    version = VersionField()  # of the deadline the form changes


def _stale(request, error, model, record, edit_url: str):
    """Nothing was saved: the form again with the values someone else saved (the list when they
    removed the record meanwhile)."""
    messages.error(request, error.messages[0])
    if record is not None and model.objects.filter(pk=record.pk).exists():
        return redirect(edit_url, pk=record.pk)
    return redirect("evaluations:rules")


def _title_position(title: str) -> int:
    return TITLE_ORDER.get(title, len(TITLE_ORDER))


def _level_words(level: int) -> str:
    return Level(level).label if level in Level.values else str(level)


def _require_rule_editor(user) -> None:
    """Province officers (their own province's rules) and system administrators (all)."""
    require_perm(user, Perm.MANAGE_CRITERIA)
    if not manages_national(user) and own_province(user) is None:
        raise PermissionDenied


@login_required
def rule_list(request):
    approver_rules = sorted(
        visible_rules(ApproverRule.objects.select_related("area"), request.user),
        key=lambda r: (_title_position(r.title), TREE_ORDER.get(r.tree, 0), r.from_year),
    )
    deadlines = sorted(
        visible_rules(Deadline.objects.select_related("area"), request.user),
        key=lambda d: (-d.year, _title_position(d.title), KIND_ORDER[d.kind]),
    )
    context = {
        "approver_rows": [
            {
                "rule": rule,
                "tree": Tree(rule.tree).label if rule.tree in Tree.values else rule.tree,
                "level": _level_words(rule.level),
                "source": _source(rule),
                "may_change": may_change(request.user, rule.area),
            }
            for rule in approver_rules
        ],
        "deadline_rows": [
            {"deadline": d, "source": _source(d), "may_change": may_change(request.user, d.area)} for d in deadlines
        ],
        "can_change": has_perm(request.user, Perm.MANAGE_CRITERIA)
        and (manages_national(request.user) or own_province(request.user) is not None),
    }
    return render(request, "evaluations/rules.html", context)


def _rule_page(request, *, record, model, form_class, fields, blank_initial, save, edit_url, saved, headings):
    """Add or change one rule (an approving level, a deadline) of a province or, for a system
    administrator, of the country. `headings`: (a province's copy of a national rule, edit, add)."""
    initial = {field: getattr(record, field) for field in fields} if record is not None else blank_initial
    form = _form_for_user(form_class, request.user, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        area = _target_area(request.user, form, record)
        try:
            save(area=area, **form.cleaned_data)
        except StaleVersion as error:
            return _stale(request, error, model, record, edit_url)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect("evaluations:rules")
    copy_heading, edit_heading, add_heading = headings
    if record is not None and not may_change(request.user, record.area):
        heading = copy_heading
    else:
        heading = edit_heading if record is not None else add_heading
    return render(request, "evaluations/rules_form.html", {"form": form, "heading": heading})


@login_required
def approver_rule_edit(request, pk=None):
    _require_rule_editor(request.user)
    rule = get_object_or_404(visible_rules(ApproverRule.objects.all(), request.user), pk=pk) if pk else None
    year = timezone.localdate().year
    return _rule_page(
        request,
        record=rule,
        model=ApproverRule,
        form_class=ApproverRuleForm,
        fields=("title", "tree", "from_year", "to_year", "level", "area", "version"),
        blank_initial={"tree": tree_for_year(year), "from_year": year},
        save=lambda **values: rules.approver_rule_save(actor=request.user, rule=rule, **values),
        edit_url="evaluations:approver_rule",
        saved=_("The approving level was saved."),
        headings=(
            _("Set your province's own approving level (the national default stays as it is)"),
            _("Edit an approving level"),
            _("Add an approving level"),
        ),
    )


@login_required
@require_POST
def approver_rule_delete(request, pk):
    require_perm(request.user, Perm.MANAGE_CRITERIA)
    rule = get_object_or_404(visible_rules(ApproverRule.objects.all(), request.user), pk=pk)
    # A stale version is refused: nothing deleted, the list shows the rule as stored now.
    perform(
        request,
        lambda: rules.approver_rule_delete(actor=request.user, rule=rule, version=request.POST.get("version")),
        done=_("The approving level was deleted."),
    )
    return redirect("evaluations:rules")


@login_required
def deadline_edit(request, pk=None):
    _require_rule_editor(request.user)
    deadline = get_object_or_404(visible_rules(Deadline.objects.all(), request.user), pk=pk) if pk else None
    return _rule_page(
        request,
        record=deadline,
        model=Deadline,
        form_class=DeadlineForm,
        fields=("title", "year", "kind", "due", "area", "version"),
        blank_initial={"year": timezone.localdate().year},
        save=lambda **values: rules.deadline_save(actor=request.user, deadline=deadline, **values),
        edit_url="evaluations:deadline",
        saved=_("The deadline was saved."),
        headings=(
            _("Set your province's own deadline (the national default stays as it is)"),
            _("Edit a deadline"),
            _("Add a deadline"),
        ),
    )


@login_required
@require_POST
def deadline_delete(request, pk):
    require_perm(request.user, Perm.MANAGE_CRITERIA)
    deadline = get_object_or_404(visible_rules(Deadline.objects.all(), request.user), pk=pk)
    perform(
        request,
        lambda: rules.deadline_delete(actor=request.user, deadline=deadline, version=request.POST.get("version")),
        done=_("The deadline was deleted."),
    )
    return redirect("evaluations:rules")
