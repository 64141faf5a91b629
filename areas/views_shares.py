"""The shares of divided old communes: the list a province officer works through, and one commune's
form (areas.shares holds every rule)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import history_of, recent
from core.access import has_perm, require_perm
from core.forms import add_service_errors
from core.text import nfc

from . import shares
from .forms_shares import SharesForm
from .permissions import AreaPerm


def _grouped(number: int) -> str:
    """1001 as an officer writes it (1.001), which the form reads back."""
    return f"{number:,}".replace(",", ".")


@login_required
def share_list(request):
    require_perm(request.user, AreaPerm.VIEW)
    query = nfc(request.GET.get("q", ""))
    communes = shares.divided_communes(request.user, query)
    page = Paginator(communes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "areas/share_list.html",
        {"page": page, "query": query, "can_manage": has_perm(request.user, AreaPerm.MANAGE_SHARES)},
    )


@login_required
def share_edit(request, code):
    commune = shares.get_divided_commune_for_user(request.user, code=code)
    require_perm(request.user, AreaPerm.VIEW)
    pieces = shares.pieces_of(commune)
    entered = shares.entered_shares(pieces)
    can_manage = has_perm(request.user, AreaPerm.MANAGE_SHARES)
    form = None
    if can_manage:
        initial = {}
        if entered:
            initial = {"basis": entered["basis"], "whole": _grouped(entered["whole"])}
            initial.update({f"count_{c}": _grouped(n) for c, n in entered["pieces"].items()})
        form = SharesForm(request.POST or None, pieces=pieces, initial=initial)
    if request.method == "POST":
        require_perm(request.user, AreaPerm.MANAGE_SHARES)
        if form.is_valid():
            try:
                shares.divided_shares_save(
                    actor=request.user,
                    old_commune=commune,
                    basis=form.cleaned_data["basis"],
                    whole=form.cleaned_data["whole"],
                    counts=form.counts(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The shares of %(commune)s were saved: its figures before 2025 are split by them.")
                    % {"commune": commune.name},
                )
                return redirect("areas:share", code=commune.code)
    context = {
        "commune": commune,
        "pieces": pieces,
        "entered": entered,
        "form": form,
        "can_manage": can_manage,
        "history": recent(history_of(commune), page=request.GET.get("history")),
    }
    return render(request, "areas/share_form.html", context)


@login_required
@require_POST
def share_clear(request, code):
    commune = shares.get_divided_commune_for_user(request.user, code=code)
    require_perm(request.user, AreaPerm.MANAGE_SHARES)
    shares.divided_shares_clear(actor=request.user, old_commune=commune)
    messages.success(
        request,
        _("The shares of %(commune)s were taken away: its figures go to its default new commune again.")
        % {"commune": commune.name},
    )
    return redirect("areas:share", code=commune.code)
