from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps

from .models import AuditEntry

# The larger change the entries written now belong to (e.g. "import:42"), for services that do not
# know they are called by an import: the import pipeline sets it around its save.
_source: ContextVar[str] = ContextVar("audit_source", default="")


@contextmanager
def audit_source(source: str):
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def audit_record(*, actor, action: str, obj, before=None, after=None, reason: str = "", source: str = "") -> AuditEntry:
    """Write one audit row; called inside the service's transaction so both land or neither."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        reason=reason,
        source=source or _source.get(),
    )


def history_of(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


def describe_objects(entries) -> dict[tuple[str, str], str]:
    """(object type, object id) → what the record is called now, for a page of entries: one query
    per kind of record, not one per entry."""
    wanted = defaultdict(set)
    for entry in entries:
        wanted[entry.object_type].add(entry.object_id)
    names = {}
    for object_type, ids in wanted.items():
        model = apps.get_model(object_type)
        for pk, obj in model._default_manager.in_bulk([model._meta.pk.to_python(i) for i in ids]).items():
            names[(object_type, str(pk))] = str(obj)
    return names
