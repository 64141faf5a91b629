"""Public pages that a browser or a proxy may keep: every answer carries an ETag and a Last-Modified
taken from the newest audit entry (audit.versions: nothing shown can change without one), `Cache-Control:
public` with a max-age, and a request that names the current ETag is answered 304 after one indexed
query. The rendered body is kept in
the cache under that ETag, so a new visitor is served without reading the figures again.

Logged-in users' answers are still `private, no-store` (khuyenhoc.middleware), as everywhere."""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from audit.versions import data_version

MAX_AGE = 300
KEEP_SECONDS = 3600


def _etag(request, version: int) -> str:
    # The host too: the sitemap names the site by the address it was asked at.
    key = f"{version}|{get_language()}|{request.get_host()}|{request.get_full_path()}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def public(view):
    """Answer a GET from the ETag (304) or the kept body when the data has not changed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        version, changed_at = data_version()
        etag = _etag(request, version)
        last_modified = int(changed_at.timestamp()) if changed_at else None
        request.portal_data_date = changed_at
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if conditional is None:
            kept = cache.get(f"portal:{etag}") if request.method == "GET" else None
            if kept is not None:
                status, content_type, body, headers = kept
                conditional = HttpResponse(body, status=status, content_type=content_type)
                for name, value in headers.items():
                    conditional[name] = value
            else:
                conditional = view(request, *args, **kwargs)
                if request.method == "GET" and conditional.status_code in (200, 404):
                    headers = {k: v for k, v in conditional.items() if k == "Content-Disposition"}
                    cache.set(
                        f"portal:{etag}",
                        (conditional.status_code, conditional["Content-Type"], conditional.content, headers),
                        KEEP_SECONDS,
                    )
        conditional["ETag"] = etag
        if last_modified:
            conditional["Last-Modified"] = http_date(last_modified)
        patch_cache_control(conditional, public=True, max_age=MAX_AGE)
        return conditional

    return wrapper
