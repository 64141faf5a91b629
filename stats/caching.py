"""Figures read for a request, kept while the data they come from has not changed: the dashboard's
panel and map data, and the figures API's answers.

The whole country's dashboard panel (charts, tables, ranking, map, warnings) cost about 200 ms of
Python, and the API's figures of the country 9 ms; with 20 users asking at once on two cores, they
waited for each other. What they show depends on the data, on what the user may see (their scope: two
officers of one province see the same sub-areas), on the language and on the day (the reports'
deadlines), and on nothing else of the user: it is kept under those, so the next user of the same scope
gets it at the cost of one indexed query.

The data's version is the newest audit entry (audit.versions), so a change, a publication or an import
shows at once. One case is seen late: a transaction that wrote its audit entry before another that
committed first (a long import beside a quick change) keeps the newest id the other's; its rows show with
the next change or after KEEP_SECONDS, whichever comes first."""

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from areas.scope import scope_of
from audit.versions import data_version

from . import mapping

KEEP_SECONDS = 300


def kept(request, name: str, make):
    """`make()`'s value for this request's data version, scope, language, day and query; made once."""
    version, changed_at = data_version()
    query = sorted((key, values) for key, values in request.GET.lists())
    scope = scope_of(request.user)
    described = f"{name}|{version}|{changed_at}|{get_language()}|{timezone.localdate()}|{scope!r}|{query!r}"
    key = "figures:" + hashlib.sha256(described.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        with mapping.reading_once():
            value = make()
        cache.set(key, value, KEEP_SECONDS)
    return value
