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
from contextlib import contextmanager
from contextvars import ContextVar

_handlers: dict[type, list[Callable]] = defaultdict(list)
_waiting: ContextVar[list | None] = ContextVar("khuyenhoc_waiting_changes", default=None)


def subscribe(change_type: type, handler: Callable) -> None:
    """Call `handler(change)` for every announced change of `change_type` (once, however often the
    app registry is set up)."""
    if handler not in _handlers[change_type]:
        _handlers[change_type].append(handler)


def announce(change) -> None:
    waiting = _waiting.get()
    if waiting is not None:
        waiting.append(change)
        return
    _tell(change)


def _tell(change) -> None:
    for handler in _handlers.get(type(change), ()):
        handler(change)


@contextmanager
def gathered():
    """Inside, announcements wait; at the block's end they are made in order, each run of one type
    that can be joined (a `joined(changes)` classmethod) made as one: a meeting's 600 registrations
    walk the tree once, not 600 times. Call it inside the transaction, so the figures still change
    with the records; if the block raises, nothing is announced (the transaction is rolled back).
    A block inside another waits with the outer."""
    if _waiting.get() is not None:
        yield
        return
    waiting = []
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    runs: list[list] = []
    for change in waiting:
        if runs and type(runs[-1][0]) is type(change) and hasattr(change, "joined"):
            runs[-1].append(change)
        else:
            runs.append([change])
    for run in runs:
        _tell(type(run[0]).joined(run) if len(run) > 1 else run[0])
