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


def test_gathered_changes_wait_for_the_end_and_a_run_of_one_joinable_type_is_told_once(isolated):
    """A meeting's hundreds of registrations walk the figures' tree once."""

    @dataclass(frozen=True)
    class Sown:
        fields: list

        @classmethod
        def joined(cls, changes):
            return cls([field for change in changes for field in change.fields])

    seen = []
    changes.subscribe(Sown, lambda change: seen.append(("sown", change.fields)))
    changes.subscribe(Planted, lambda change: seen.append(("planted", change.trees)))
    with changes.gathered():
        changes.announce(Sown(["a"]))
        changes.announce(Sown(["b", "c"]))
        changes.announce(Planted(1))
        changes.announce(Planted(2))
        changes.announce(Sown(["d"]))
        assert seen == []
    # In order; Planted has no way to be joined, so each is told.
    assert seen == [("sown", ["a", "b", "c"]), ("planted", 1), ("planted", 2), ("sown", ["d"])]


def test_a_gathered_block_that_raises_tells_nothing(isolated):
    seen = []
    changes.subscribe(Planted, seen.append)
    with pytest.raises(RuntimeError), changes.gathered():
        changes.announce(Planted(1))
        raise RuntimeError("the batch failed")
    assert seen == []
    changes.announce(Planted(2))
    assert seen == [Planted(2)]


def test_a_gathered_block_inside_another_waits_for_the_outer(isolated):
    seen = []
    changes.subscribe(Planted, seen.append)
    with changes.gathered():
        with changes.gathered():
            changes.announce(Planted(1))
        assert seen == []
    assert seen == [Planted(1)]
