from django import template

from audit.actions import ACTION_LABELS

register = template.Library()


def _plain(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_plain(item) for item in value)
    return str(value)


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def changes(entry) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field the change touched."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [(k, _plain(before.get(k)), _plain(after.get(k))) for k in keys if before.get(k) != after.get(k)]
