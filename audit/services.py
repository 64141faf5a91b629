from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils import timezone

from core.bulk import insert, json_values

from .models import AuditEntry

# The larger change the entries written now belong to (e.g. "import:42"), for services that do not
# know they are called by an import: the import pipeline sets it around its save.
_source: ContextVar[str] = ContextVar("audit_source", default="")

# The columns `audit_many` writes, in the order of its rows.
BULK_COLUMNS = ["actor", "action", "object_type", "object_id", "before", "after", "reason", "source", "created_at"]


@contextmanager
def audit_source(source: str):
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def _actor_or_none(actor):
    return actor if actor is not None and actor.is_authenticated else None


def audit_record(*, actor, action: str, obj, before=None, after=None, reason: str = "", source: str = "") -> AuditEntry:
    """Write one audit row; called inside the service's transaction so both land or neither."""
    return AuditEntry.objects.create(
        actor=_actor_or_none(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        reason=reason,
        source=source or _source.get(),
    )


def audit_many(*, actor, action: str, model, changes, reason: str = "", source: str = "") -> int:
    """One audit row per (record id, before, after) of `changes`, all records of `model` changed by
    one larger change (an import): the same entries `audit_record` writes, streamed in one COPY on
    PostgreSQL, for the millions of records a national file creates. `before` and `after` are values
    or their JSON already written (core.bulk.JsonText). Inside the caller's transaction; returns how
    many were written."""
    actor = _actor_or_none(actor)
    actor_id = actor.pk if actor is not None else None
    object_type = model._meta.label_lower
    source = source or _source.get()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    json_value = json_values()

    def rows():
        for pk, before, after in changes:
            yield (
                actor_id,
                action,
                object_type,
                str(pk),
                None if before is None else json_value(before),
                None if after is None else json_value(after),
                reason,
                source,
                now,
            )

    return insert(AuditEntry, BULK_COLUMNS, rows())


def history_of(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


RECENT_CHANGES = 30  # the changes a page of a record's history shows


def recent(entries, limit: int = RECENT_CHANGES, *, page=None) -> Page:
    """Page `page` (as the address gives it: text, or None for the first) of `entries`, a history newest
    first, `limit` changes a page. As every list of the site: a page number that is not a number gives
    the first page, one out of range the last."""
    return Paginator(entries, limit).get_page(page)


def entries_of_source(source: str):
    """The entries of one larger change (an import's records), in the order they were written."""
    return AuditEntry.objects.filter(source=source).select_related("actor").order_by("id")


def objects_of(entries) -> dict[tuple[str, str], object]:
    """(object type, object id) → the record as it is now, for a page of entries: one query per
    kind of record (with the records they belong to, which their names and pages show), not one
    per entry. Records deleted since are left out."""
    wanted = defaultdict(set)
    for entry in entries:
        wanted[entry.object_type].add(entry.object_id)
    found = {}
    for object_type, ids in wanted.items():
        model = apps.get_model(object_type)
        records = model._default_manager.select_related().in_bulk([model._meta.pk.to_python(i) for i in ids])
        for pk, obj in records.items():
            found[(object_type, str(pk))] = obj
    return found
