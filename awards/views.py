"""Award pages: nominations (list, proposing one, the nomination with its review), the picker's search,
and the kinds of award. Every change goes through `services` or `kinds`; decisions are in
views_decisions.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Perm
from audit.services import history_of, recent
from core.access import has_perm, require_perm
from core.forms import add_service_errors
from core.versions import is_stale
from evaluations.subjects import subject_options

from . import kinds, services
from .forms import RECIPIENT_TITLE, AwardKindForm, NominationForm, association_options, kind_label
from .models import AwardKind, Nomination, NominationState, Recipient


@login_required
def nomination_list(request):
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    found = Nomination.objects.visible_to(request.user).select_related(
        "kind",
        "area",
        "awarding_area",
        "association__area",
        "village",
        "organisation__area",
        "clan__commune",
        "household__village",
        "person_village",
    )
    if state in NominationState.values:
        found = found.filter(state=state)
    kinds = [(str(k.pk), kind_label(k)) for k in AwardKind.objects.all()]
    # Only a kind the list offers: any other text (a number past the database's integers included) shows all.
    if kind in dict(kinds):
        found = found.filter(kind_id=int(kind))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "kind": kind,
        "states": NominationState.choices,
        "kinds": kinds,
        "can_nominate": has_perm(request.user, Perm.NOMINATE_AWARDS),
        "can_decide": has_perm(request.user, Perm.DECIDE_AWARDS),
        "can_manage_kinds": has_perm(request.user, Perm.MANAGE_AWARD_KINDS),
    }
    return render(request, "awards/nomination_list.html", context)


@login_required
def recipient_search(request):
    """The picker asks here for the recipients of a kind whose name holds what was typed."""
    require_perm(request.user, Perm.NOMINATE_AWARDS)
    query = request.GET.get("q", "")
    recipient = request.GET.get("recipient", "")
    if recipient == Recipient.ASSOCIATION:
        options = association_options(request.user, query)
    elif recipient in RECIPIENT_TITLE:
        options = subject_options(request.user, RECIPIENT_TITLE[recipient], query)
    else:
        options = []
    return render(request, "areas/_picker_options.html", {"query": query, "kind": "recipient", "options": options})


def _initial_from(nomination: Nomination) -> dict:
    record = getattr(nomination, {"unit": "organisation"}.get(nomination.recipient, nomination.recipient), None)
    if nomination.recipient == Recipient.PERSON:
        record = None
    return {
        "kind": nomination.kind,
        "area": nomination.area,
        "recipient": nomination.recipient,
        "record": (str(record.pk) if nomination.recipient == Recipient.ASSOCIATION else record.code) if record else "",
        "person_name": nomination.person_name,
        "person_village": nomination.person_village,
        "first_year": nomination.first_year,
        "last_year": nomination.last_year,
        "reason": nomination.reason,
        "achievements": nomination.achievements,
    }


@login_required
def nomination_create(request):
    require_perm(request.user, Perm.NOMINATE_AWARDS)
    year = timezone.localdate().year
    initial = {
        "area": request.user.unit,
        "first_year": year - 1,
        "last_year": year - 1,
        "recipient": Recipient.HOUSEHOLD,
    }
    form = NominationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(
                actor=request.user, area=form.cleaned_data["area"], **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The nomination was saved as a draft: submit it when it is complete."))
            return redirect("awards:nomination", pk=nomination.pk)
    return render(request, "awards/nomination_form.html", {"form": form})


@login_required
def nomination_edit(request, pk):
    nomination = services.get_nomination_for_user(request.user, pk=pk, perm=Perm.NOMINATE_AWARDS)
    if nomination.state not in services.EDITABLE:
        messages.error(request, _("Only a draft or a returned nomination can be changed."))
        return redirect("awards:nomination", pk=nomination.pk)
    form = NominationForm(request.POST or None, user=request.user, initial=_initial_from(nomination))
    form.fields["area"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_update(
                actor=request.user,
                nomination=nomination,
                version=request.POST.get("version"),
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if is_stale(error):
                nomination.refresh_from_db()
        else:
            messages.success(request, _("The nomination was saved."))
            return redirect("awards:nomination", pk=nomination.pk)
    return render(request, "awards/nomination_form.html", {"form": form, "nomination": nomination})


@login_required
def nomination_detail(request, pk):
    nomination = services.get_nomination_for_user(request.user, pk=pk)
    context = {
        "nomination": nomination,
        "may_edit": nomination.state in services.EDITABLE and services.may_nominate(request.user, nomination.area),
        "may_review": nomination.state in (NominationState.SUBMITTED, NominationState.SELECTED)
        and services.may_review(request.user, nomination.awarding_area),
        "decisions": nomination.decisions.all(),
        "history": recent(history_of(nomination), page=request.GET.get("history")),
    }
    return render(request, "awards/nomination_detail.html", context)


MOVES = {
    "submit": (services.nomination_submit, _("The nomination was submitted to the awarding body.")),
    "return": (services.nomination_return, _("The nomination was returned for completion.")),
    "select": (services.nomination_select, _("The nomination was selected: it may now be listed in a decision.")),
    "reject": (services.nomination_reject, _("The nomination was set aside.")),
}


@login_required
@require_POST
def nomination_move(request, pk, move):
    nomination = services.get_nomination_for_user(request.user, pk=pk)
    change, done = MOVES[move]
    kwargs = {} if move == "submit" else {"note": request.POST.get("note", "")}
    try:
        change(nomination=nomination, actor=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(done))
    return redirect("awards:nomination", pk=nomination.pk)


# The kinds of award -----------------------------------------------------------------------------


@login_required
def kind_list(request):
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    context = {
        "kinds": AwardKind.objects.all(),
        "can_manage": has_perm(request.user, Perm.MANAGE_AWARD_KINDS),
    }
    return render(request, "awards/kind_list.html", context)


@login_required
def kind_edit(request, pk=None):
    require_perm(request.user, Perm.MANAGE_AWARD_KINDS)
    kind = get_object_or_404(AwardKind, pk=pk) if pk else None
    initial = {name: getattr(kind, name) for name in kinds.FIELDS} if kind else {"nominator_levels": [3]}
    form = AwardKindForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            kinds.award_kind_save(
                actor=request.user, kind=kind, version=request.POST.get("version"), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The kind of award was saved."))
            return redirect("awards:kinds")
    history = recent(history_of(kind), page=request.GET.get("history")) if kind else []
    return render(request, "awards/kind_form.html", {"form": form, "kind": kind, "history": history})
