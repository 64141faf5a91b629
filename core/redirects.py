"""Where a page may send the browser after a form: back to a page of the site that the form names
(`next`), never to another site. A `next` taken from a request is checked with Django's
`url_has_allowed_host_and_scheme` (this host only; HTTPS kept when the request came over HTTPS);
anything else — another host, a scheme-relative `//host`, `javascript:`, or a relative one such as
`x`, which `redirect` would take for the name of a route and fail on — falls back to the default."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default, *, field: str = "next") -> str:
    """The `next` of the form (or of the query) when it is a page of this site, else `default`
    (a URL, a URL name or a model with get_absolute_url)."""
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)
