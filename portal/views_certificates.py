"""The public check of a printed certificate, opened from its QR code without logging in.

Reached only by the certificate's random code: no list, no search, no id, and never in the sitemap;
marked noindex (meta and header) so that a code that leaks onto a web page is still not indexed, and
the address is not passed on to another site (no referrer). It confirms what the paper says — the
title, the name as printed, the year, the decision and the issuing body — and that the decision has
been revoked, once it has; nothing else about the subject is shown."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations.certificates import certificate_for_token, decision_number
from evaluations.models import DecisionStatus

HIDDEN_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow, noarchive",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _hidden(response):
    for name, value in HIDDEN_HEADERS.items():
        response[name] = value
    return response


@require_safe
def certificate_check(request, token):
    certificate = certificate_for_token(token)
    if certificate is None:
        message = _(
            "No certificate has this check code. Check that the address was copied whole, or scan the code "
            "on the certificate again."
        )
        return _hidden(render(request, "portal/certificate_unknown.html", {"message": message}, status=404))
    decision = certificate.decision
    context = {
        "certificate": certificate,
        "decision": decision,
        "number": decision_number(decision.number),
        "revoked": decision.status == DecisionStatus.REVOKED,
    }
    return _hidden(render(request, "portal/certificate.html", context))
