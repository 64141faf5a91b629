from django import template

from audit import wording
from audit.actions import ACTION_LABELS

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def changes(entry) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field the change touched, in words (audit.wording)."""
    return wording.changes(entry)
