from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import history_of, recent
from core.access import require_perm
from core.forms import add_service_errors
from core.text import nfc

from . import services, tokens
from .access import get_account_for_user, get_token_for_user
from .credentials import NotTheirs, credentials_take, credentials_workbook
from .forms import AccountCreateForm, AccountUpdateForm, PasswordChangeForm, TokenForm
from .lockout import forget_failures
from .roles import Perm
from .selectors import accounts_for, tokens_of


@login_required
def account_list(request):
    require_perm(request.user, Perm.MANAGE_ACCOUNTS)
    query = nfc(request.GET.get("q", ""))
    page = Paginator(accounts_for(request.user, query=query), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"page": page, "query": query})


@login_required
def account_create(request):
    require_perm(request.user, Perm.MANAGE_ACCOUNTS)
    form = AccountCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = services.account_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                unit=data["unit"],
                village=data["village"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "accounts/credentials.html", {"credentials": [(account, password)]})
    return render(request, "accounts/account_form.html", {"form": form, "creating": True})


@login_required
def account_edit(request, pk):
    account = get_account_for_user(request.user, pk=pk)
    initial = {
        "full_name": account.full_name,
        "role": account.role,
        "is_active": account.is_active,
        "tree": account.unit.tree if account.unit_id else None,
        "unit_code": account.unit.code if account.unit_id else "",
        "village_code": account.village.code if account.village_id else "",
    }
    form = AccountUpdateForm(request.POST or None, manager=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.account_update(
                actor=request.user,
                account=account,
                full_name=data["full_name"],
                role=data["role"],
                unit=data["unit"],
                village=data["village"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("accounts:list")
    return render(
        request,
        "accounts/account_form.html",
        {"form": form, "account": account, "history": recent(history_of(account), page=request.GET.get("history"))},
    )


@login_required
def account_reset_password(request, pk):
    account = get_account_for_user(request.user, pk=pk)
    if request.method != "POST":
        return render(request, "accounts/reset_confirm.html", {"account": account})
    password = services.account_reset_password(actor=request.user, account=account)
    return render(request, "accounts/credentials.html", {"credentials": [(account, password)], "reset": True})


@login_required
@require_POST
def import_credentials(request, job):
    """The temporary passwords of the accounts an import created, as a sheet, for the officer who
    imported them, once (`credentials`); 404 for anyone else."""
    require_perm(request.user, Perm.MANAGE_ACCOUNTS)
    try:
        rows = credentials_take(key=job, user=request.user)
    except NotTheirs:
        raise Http404 from None
    if rows is None:
        messages.info(
            request,
            _(
                "The temporary passwords of this import were downloaded already, or were not taken within "
                "%(days)d days and were deleted. An account whose password was lost gets a new one with "
                "“Reset the password” on its page."
            )
            % {"days": settings.KHUYENHOC_TEMPORARY_PASSWORDS_DAYS},
        )
        return redirect("imports:job", pk=job)
    response = HttpResponse(
        credentials_workbook(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="mat-khau-tam-thoi-{job}.xlsx"'
    return response


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(account=request.user, new_password=form.cleaned_data["new_password"])
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)  # where a login lands: the home page
    return render(request, "accounts/password_change.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's login page; wrong passwords are counted and locked by django-axes (`accounts.lockout`),
    and a successful login forgets the account's failures."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        forget_failures(form.get_user().get_username())
        return super().form_valid(form)


@login_required
def my_tokens(request):
    """The user's own API tokens: listed with their state, a new one issued (its key shown once)."""
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = tokens.token_issue(actor=request.user, account=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            issued = (token, key)
            form = TokenForm()
    context = {
        "account": request.user,
        "tokens": tokens_of(request.user),
        "form": form,
        "issued": issued,
        "own": True,
        "idle_days": settings.KHUYENHOC_TOKEN_IDLE_DAYS,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
def my_token_revoke(request, token_pk):
    token = get_token_for_user(request.user, account=request.user, pk=token_pk)
    if request.method == "POST":
        tokens.token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token %(prefix)s… was revoked.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")


@login_required
def account_tokens(request, pk):
    """A manager sees the API tokens of an account they manage (404 outside their area)."""
    account = get_account_for_user(request.user, pk=pk)
    context = {
        "account": account,
        "tokens": tokens_of(account),
        "own": False,
        "idle_days": settings.KHUYENHOC_TOKEN_IDLE_DAYS,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
def account_token_revoke(request, pk, token_pk):
    account = get_account_for_user(request.user, pk=pk)
    token = get_token_for_user(request.user, account=account, pk=token_pk)
    if request.method == "POST":
        tokens.token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token %(prefix)s… was revoked.") % {"prefix": token.prefix})
    return redirect("accounts:account_tokens", pk=account.pk)
