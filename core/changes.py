"""One door for the changes other parts keep figures of.

The apps that hold records (areas, registry, evaluations) announce what changed as typed change
records (`announce(VillagePlaced(...))`); the statistics app subscribes its handlers in its
`AppConfig.ready()`. Announcing is synchronous: every handler runs in the caller's transaction, so
figures change with the records or not at all, and a handler's error rolls the change back.

This is the one place logic runs on an event rather than by a direct call, and it is called by the
services only, never by `save()` or a model signal: the lower apps must not know the statistics
exist, yet every change they make must reach them.
"""

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[type, list[Callable]] = defaultdict(list)


def subscribe(change_type: type, handler: Callable) -> None:
    """Call `handler(change)` for every announced change of `change_type` (once, however often the
    app registry is set up)."""
    if handler not in _handlers[change_type]:
        _handlers[change_type].append(handler)


def announce(change) -> None:
    for handler in _handlers.get(type(change), ()):
        handler(change)
