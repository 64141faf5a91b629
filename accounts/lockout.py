"""Guessing passwords is stopped by django-axes: after `KHUYENHOC_LOGIN_FAILURE_LIMIT` wrong passwords for
one account, or from one address, logging in to that account, or from that address, is refused for
`KHUYENHOC_LOGIN_LOCK_MINUTES` (the right password too), on the login page and on the API's token route.
Failures count while they come less than that period apart; a successful login forgets the account's
failures. The settings point axes at the functions here: the period, the limit, the caller's address and
the answer a locked caller gets (a page, or JSON on the API).
"""

import math
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def lock_period(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: how long failures count, and how long a lock lasts after the last one."""
    return timedelta(minutes=settings.KHUYENHOC_LOGIN_LOCK_MINUTES)


def failure_limit(request=None, credentials=None) -> int:
    """AXES_FAILURE_LIMIT."""
    return settings.KHUYENHOC_LOGIN_FAILURE_LIMIT


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the caller's address. Behind `KHUYENHOC_PROXY_COUNT` reverse proxies that each
    append the address they saw to X-Forwarded-For, the one the outermost proxy saw; otherwise the
    connection's (a forwarded header sent by the caller itself is never trusted)."""
    proxies = settings.KHUYENHOC_PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def forget_failures(username: str) -> None:
    """The account logged in with its password: its failures no longer count (the address's others do)."""
    reset(username=username)


def locked_until(request, credentials=None):
    """When the lock on this account and this address ends: a period after the last failure counted."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    period = lock_period(request)
    now = timezone.now()
    last = (
        AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address), attempt_time__gte=now - period)
        .aggregate(last=Max("attempt_time"))
        .get("last")
    )
    return (last or now) + period


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the answer to a locked caller, saying when to try again."""
    until = locked_until(request, credentials)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    message = _(
        "Too many wrong passwords for this account or from this address. Logging in is locked until %(time)s "
        "(about %(minutes)d minutes): try again then, or ask the officer who manages your account to reset "
        "your password."
    ) % {"time": date_format(timezone.localtime(until), "H:i"), "minutes": minutes}
    retry_after = str(minutes * 60)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": message, "locked_until": until.isoformat(), "retry_after": minutes * 60},
            status=429,
            headers={"Retry-After": retry_after},
        )
    response = render(request, "accounts/locked.html", {"message": message, "until": until}, status=429)
    response["Retry-After"] = retry_after
    return response
