"""Award decision pages: the list, drafting one from the nominations a unit selected for a kind of award,
the decision with publishing, revoking and printing. Every change goes through `decisions`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import AdministrativeUnit
from areas.widgets import UnitField
from audit.services import history_of, recent
from core.access import has_perm, require_perm
from core.forms import add_service_errors, perform

from . import decisions, services
from .forms import AwardDecisionForm, kind_label
from .models import AwardDecision, AwardDecisionStatus, AwardKind, Nomination


class DecisionScopeForm(forms.Form):
    """What the decision grants and who issues it."""

    kind = forms.ModelChoiceField(
        label=gettext_lazy("Award"),
        queryset=AwardKind.objects.filter(is_active=True),
        empty_label=gettext_lazy("Pick an award"),
    )
    area = UnitField(label=gettext_lazy("Issuing unit"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].queryset = AdministrativeUnit.objects.visible_to(user)
        self.fields["kind"].label_from_instance = kind_label

    def clean(self):
        cleaned = super().clean()
        kind, area = cleaned.get("kind"), cleaned.get("area")
        if kind and area:
            if area.level != kind.issuer_level:
                self.add_error("area", _("%(area)s does not issue %(kind)s.") % {"area": area.name, "kind": kind.name})
            elif not services.may_review(self.user, area):
                self.add_error("area", _("Only the officers of %(area)s issue its decisions.") % {"area": area.name})
        return cleaned


@login_required
def decision_list(request):
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    status = request.GET.get("status", "")
    found = AwardDecision.objects.visible_to(request.user).select_related("kind", "issuing_area")
    if status in AwardDecisionStatus.values:
        found = found.filter(status=status)
    found = found.annotate(recipients=Count("nominations", distinct=True)).order_by("-date", "-id")
    context = {
        "page": Paginator(found, 50).get_page(request.GET.get("page")),
        "status": status,
        "statuses": AwardDecisionStatus.choices,
        "can_create": has_perm(request.user, Perm.DECIDE_AWARDS),
    }
    return render(request, "awards/decision_list.html", context)


def _chosen(form, user) -> list[Nomination]:
    ids = [int(pk) for pk in form.cleaned_data["nominations"]]
    return list(Nomination.objects.visible_to(user).filter(pk__in=ids))


@login_required
def decision_create(request):
    """Step one names the kind and the issuing unit; step two lists what that unit selected."""
    require_perm(request.user, Perm.DECIDE_AWARDS)
    initial = {"area": request.user.unit}
    scope_form = DecisionScopeForm(request.GET or None, user=request.user, initial=initial)
    context = {"scope_form": scope_form, "form": None}
    if scope_form.is_bound and scope_form.is_valid():
        kind, area = scope_form.cleaned_data["kind"], scope_form.cleaned_data["area"]
        candidates = decisions.selectable(kind=kind, issuing_area=area)
        form = AwardDecisionForm(
            request.POST or None,
            candidates=candidates,
            initial={
                "nominations": [str(n.pk) for n in candidates],
                "date": timezone.localdate(),
                "issuing_body": _("Study Promotion Association of %(unit)s")
                % {"unit": area.name[:1].lower() + area.name[1:]},
                "signer_title": _("Chairman"),
            },
        )
        if request.method == "POST" and form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "nominations"}
            try:
                decision = decisions.award_decision_create(
                    actor=request.user,
                    kind=kind,
                    issuing_area=area,
                    nominations=_chosen(form, request.user),
                    **values,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The draft decision %(number)s was saved.") % {"number": decision.number})
                return redirect("awards:decision", pk=decision.pk)
        context.update(form=form, kind=kind, area=area, candidates=candidates)
    return render(request, "awards/decision_form.html", context)


@login_required
def decision_edit(request, pk):
    decision = decisions.get_award_decision_for_user(request.user, pk=pk, perm=Perm.DECIDE_AWARDS)
    if decision.status != AwardDecisionStatus.DRAFT:
        messages.error(request, _("Only a draft decision can be changed."))
        return redirect("awards:decision", pk=decision.pk)
    candidates = decisions.selectable(kind=decision.kind, issuing_area=decision.issuing_area, decision=decision)
    initial = {name: getattr(decision, name) for name in ("number", "date", "issuing_body", "signer", "signer_title")}
    initial["nominations"] = [str(pk) for pk in decision.nominations.values_list("pk", flat=True)]
    form = AwardDecisionForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "nominations"}
        try:
            decisions.award_decision_update(
                actor=request.user, decision=decision, nominations=_chosen(form, request.user), **values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft decision was saved."))
            return redirect("awards:decision", pk=decision.pk)
    context = {"decision": decision, "form": form, "kind": decision.kind, "area": decision.issuing_area}
    return render(request, "awards/decision_form.html", context)


@login_required
def decision_detail(request, pk):
    decision = decisions.get_award_decision_for_user(request.user, pk=pk)
    recipients = decision.nominations.select_related("area", *decisions.RECIPIENT_RELATED).order_by(
        "area__path", "recipient", "id"
    )
    context = {
        "decision": decision,
        "recipients": recipients,
        "can_manage": decisions.can_manage(request.user, decision),
        "can_print": has_perm(request.user, Perm.VIEW_STATISTICS)
        and scope_for(request.user).contains_path(decision.issuing_area.path),
        "history": recent(history_of(decision), page=request.GET.get("history")),
    }
    return render(request, "awards/decision_detail.html", context)


def _act(request, pk, change, done: str):
    decision = decisions.get_award_decision_for_user(request.user, pk=pk, perm=Perm.DECIDE_AWARDS)
    perform(request, lambda: change(decision), done=done)
    return redirect("awards:decision", pk=decision.pk)


@login_required
@require_POST
def decision_publish(request, pk):
    return _act(
        request,
        pk,
        lambda d: decisions.award_decision_publish(actor=request.user, decision=d),
        _("The decision was published: its certificates of merit can be printed."),
    )


@login_required
@require_POST
def decision_revoke(request, pk):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda d: decisions.award_decision_revoke(actor=request.user, decision=d, reason=reason),
        _("The decision was revoked: its awards no longer stand."),
    )
