"""History in the words of the people who read it.

An entry's before and after are the snapshots its service wrote: keys that are mostly the model's own
field names, values that are codes, choice keys, booleans and ISO dates. Shown as they are they read
`kind: residential_group`. This module turns them into the field's label and a human value, from two
sources: the changed model's own field metadata (reached through the entry's own object type, so the
audit layer names no app above it), and what the app that writes the entries says about the rest in
its `AppConfig.ready()` with `describe_records` (keys that are not fields, how a record it owns is named
when another record refers to it by code, nested values such as a village's placements).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.signals import request_finished, request_started
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EMPTY = "—"
# A list of more records than this reads as a count: a decision of 300 evaluations is not 300 names.
NAMED_AT_MOST = 10


@dataclass(frozen=True)
class Key:
    """How one key of a snapshot reads: its label, and either the model field it stands for (whose
    metadata then words the value) or a function of (value, whole snapshot) giving the text."""

    label: object = None
    field: str | None = None
    text: Callable[[object, dict], str] | None = None
    hidden: bool = False


@dataclass
class RecordWording:
    name: Callable[[models.Model], str] | None = None
    keys: dict[str, Key] = field(default_factory=dict)
    # Keys of one action's entries, where the same key means something else: a criterion's "name"
    # in its set's history is the criterion's text, not the set's name.
    action_keys: dict[str, dict[str, Key]] = field(default_factory=dict)
    # Keys that name no field and are not listed, e.g. the criterion codes of an evaluation's marks.
    other_key: Callable[[str], Key | None] | None = None


_wordings: dict[str, RecordWording] = {}


def describe_records(
    model_label: str,
    *,
    name: Callable[[models.Model], str] | None = None,
    keys: dict[str, Key] | None = None,
    other_key: Callable[[str], Key | None] | None = None,
    action: str = "",
) -> None:
    """What an app says about the history of `model_label`'s records ("app_label.modelname"): the app
    owning the model, or one that writes entries about it (evaluations close a year on an area)."""
    wording = _wordings.setdefault(model_label.lower(), RecordWording())
    (wording.action_keys.setdefault(action, {}) if action else wording.keys).update(keys or {})
    if name is not None:
        wording.name = name
    if other_key is not None:
        wording.other_key = other_key


def record_key(model, label) -> Key:
    """A key whose value names a record of `model` by id or code, which no field of the changed
    record holds (the set a criteria set was copied from)."""
    return Key(label=label, text=lambda value, snapshot: referenced_name(model, value, snapshot))


def field_key(model, name: str, label=None) -> Key:
    """A key worded as a field of another model: the criterion's fields in its set's history."""
    model_field = model._meta.get_field(name)
    return Key(
        label=label or model_field.verbose_name,
        text=lambda value, snapshot: field_value(model_field, value, snapshot),
    )


def _wording(model) -> RecordWording:
    return _wordings.get(model._meta.label_lower, RecordWording())


# Records named by code in a page of entries are looked up once per request, not once per entry:
# an import's page lists fifty households of the same village.
_names: ContextVar[dict | None] = ContextVar("audit_wording_names", default=None)


def _open_cache(**kwargs):
    _names.set({})


def _close_cache(**kwargs):
    _names.set(None)


request_started.connect(_open_cache, dispatch_uid="audit_wording_open")
request_finished.connect(_close_cache, dispatch_uid="audit_wording_close")


def record_name(obj) -> str:
    """How a record is named in a history: as its app words it, else as the record names itself."""
    wording = _wording(obj)
    return wording.name(obj) if wording.name else str(obj)


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _find(model, value, snapshot: dict):
    """The record a snapshot names by id, by code, or by "tree:code" (a unit's code is unique only
    within its tree; a snapshot gives the tree beside the code or in front of it)."""
    if isinstance(value, bool):
        return None
    manager = model._default_manager
    if isinstance(value, int):
        return manager.filter(pk=value).first()
    value = str(value)
    if not _has_field(model, "code"):
        return manager.filter(pk=value).first() if value.isdigit() else None
    lookup = {"code": value}
    if _has_field(model, "tree"):
        tree, _colon, code = value.rpartition(":")
        tree = tree or snapshot.get("tree")
        lookup = {"code": code, **({"tree": tree} if tree else {})}
    return manager.filter(**lookup).first()


def referenced_name(model, value, snapshot: dict) -> str:
    cache = _names.get()
    key = (model._meta.label_lower, value if isinstance(value, int) else str(value), snapshot.get("tree"))
    if cache is not None and key in cache:
        return cache[key]
    found = _find(model, value, snapshot)
    # A record deleted since is still named by what the entry holds.
    name = record_name(found) if found is not None else str(value)
    if cache is not None:
        cache[key] = name
    return name


def number(value) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def _is_year(name: str) -> bool:
    return name == "year" or name.endswith("_year")


def _plain(value, name: str = "") -> str:
    """A value with no field to word it: by its kind."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float | Decimal):
        return str(value) if _is_year(name) else number(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v, k)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_plain(item) for item in value)
    return _date_text(str(value)) or str(value)


def _date_text(value: str) -> str:
    if len(value) == 10 and (day := parse_date(value)) is not None:
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    try:
        moment = parse_datetime(value)
    except ValueError:
        return ""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def _choice(model_field, value) -> str | None:
    for key, label in model_field.flatchoices:
        if key == value or str(key) == str(value):
            return str(label)
    return None


def field_value(model_field, value, snapshot: dict) -> str:
    """A value of `model_field` as its label, name, number or date reads."""
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field.is_relation and model_field.related_model is not None:
        target = model_field.related_model
        many = model_field.many_to_many or model_field.one_to_many
        if many and isinstance(value, int) and not isinstance(value, bool):
            return number(value)  # how many were chosen, written in place of the list
        if isinstance(value, list):
            if len(value) > NAMED_AT_MOST:
                return number(len(value))
            return "; ".join(referenced_name(target, item, snapshot) for item in value)
        if isinstance(value, dict):
            return _plain(value)
        return referenced_name(target, value, snapshot)
    if getattr(model_field, "choices", None):
        label = _choice(model_field, value)
        if label is not None:
            return label
    if isinstance(model_field, models.BooleanField):
        return yes_no(value)
    if isinstance(model_field, models.DateTimeField | models.DateField) and isinstance(value, str):
        return _date_text(value) or value
    if isinstance(model_field, models.DecimalField | models.FloatField) and isinstance(value, str | int | float):
        try:
            amount = Decimal(str(value))
        except ArithmeticError:
            return str(value)
        # Written as "85.00" in the snapshot, read as 85 (and 2,5 for 2.50).
        return number(amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize())
    return _plain(value, model_field.name)


def _label_of(model_field) -> str:
    if hasattr(model_field, "verbose_name"):
        return capfirst(str(model_field.verbose_name))
    # A reverse relation (a village's placements) is named by the records it holds.
    return capfirst(str(model_field.related_model._meta.verbose_name_plural))


def _key(model, key: str, snapshot: dict, action: str = "") -> tuple[str, Callable[[object], str]] | None:
    """(label, value → text) for a key of `model`'s snapshots; None for a key that only qualifies
    another (the tree beside a unit's code, the name kept beside a record's id)."""
    wording = _wording(model)
    described = wording.action_keys.get(action, {}).get(key) or wording.keys.get(key)
    if described is None and wording.other_key is not None and not _has_field(model, key):
        described = wording.other_key(key)
    if described is not None and described.hidden:
        return None
    name = described.field if described and described.field else key
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        model_field = None
    if described is None and model_field is None and _qualifies(model, key, snapshot):
        return None
    if described is not None and described.label is not None:
        label = capfirst(str(described.label))
    elif model_field is not None:
        label = _label_of(model_field)
    else:
        label = capfirst(key.replace("_", " "))
    if described is not None and described.text is not None:
        return label, lambda value: described.text(value, snapshot) if value not in (None, "", []) else EMPTY
    if model_field is not None:
        return label, lambda value: field_value(model_field, value, snapshot)
    return label, lambda value: _plain(value, key)


def _qualifies(model, key: str, snapshot: dict) -> bool:
    """A key that is not a field of the model but says more about another key: "tree" beside the
    code of a record on one of the two trees, "area_name" beside the area's id."""
    if key == "tree":
        return True
    base = key.removesuffix("_name")
    return base != key and base in snapshot and _has_field(model, base)


def model_of(entry):
    """The model an entry's record belongs to, from the entry's own object type; None if gone."""
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def changes(entry) -> list[tuple[str, str, str]]:
    """(label, before, after) for each key the change touched, in the words of its app."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", _plain(entry.before), _plain(entry.after))]
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    model = model_of(entry)
    if model is not None:
        # PostgreSQL keeps a JSON object's keys in its own order: list them in the model's.
        fields = [*model._meta.concrete_fields, *model._meta.many_to_many, *model._meta.get_fields()]
        order = {}
        for model_field in fields:
            order.setdefault(model_field.name, len(order))
        keys.sort(key=lambda k: order.get(k, len(order)))
    rows = []
    for key in keys:
        if model is None:
            rows.append((key, _plain(before.get(key), key), _plain(after.get(key), key)))
            continue
        described = _key(model, key, after if key in after else before, entry.action)
        if described is None:
            continue
        label, text = described
        # Each side is worded with its own snapshot: the tree beside a code may have changed too.
        _label, text_before = _key(model, key, before, entry.action) or described
        rows.append((label, text_before(before.get(key)) if key in before else EMPTY, text(after.get(key))))
    return rows
