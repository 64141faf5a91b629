"""The change dispatcher: announced records reach their subscribers synchronously, in order, once."""

from dataclasses import dataclass

import pytest

from core import changes


@dataclass(frozen=True)
class Planted:
    trees: int


@dataclass(frozen=True)
class Felled:
    trees: int


@pytest.fixture
def isolated(monkeypatch):
    monkeypatch.setattr(changes, "_handlers", changes.defaultdict(list))


def test_a_change_reaches_the_handlers_of_its_type_only(isolated):
    seen = []
    changes.subscribe(Planted, lambda change: seen.append(("first", change.trees)))
    changes.subscribe(Planted, lambda change: seen.append(("second", change.trees)))
    changes.subscribe(Felled, lambda change: seen.append(("felled", change.trees)))
    changes.announce(Planted(3))
    assert seen == [("first", 3), ("second", 3)]


def test_subscribing_twice_calls_once(isolated):
    seen = []

    def handler(change):
        seen.append(change)

    changes.subscribe(Planted, handler)
    changes.subscribe(Planted, handler)
    changes.announce(Planted(1))
    assert seen == [Planted(1)]


def test_a_handlers_error_reaches_the_announcer(isolated):
    """So that the announcing service's transaction rolls back with it."""

    def broken(change):
        raise RuntimeError("figures could not be kept")

    changes.subscribe(Felled, broken)
    with pytest.raises(RuntimeError):
        changes.announce(Felled(2))


def test_a_change_nobody_subscribed_to_is_nothing(isolated):
    changes.announce(Planted(5))
