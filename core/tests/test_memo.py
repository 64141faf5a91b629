"""Lookups a batch makes once (`core.memo`): remembered inside a batch, asked afresh outside one."""

import pytest

from core.memo import batch_memo, remembered


class Asked:
    def __init__(self):
        self.times = 0

    def __call__(self):
        self.times += 1
        return f"answer {self.times}"


def test_outside_a_batch_every_lookup_is_asked():
    ask = Asked()
    assert [remembered("rule", ask), remembered("rule", ask)] == ["answer 1", "answer 2"]


def test_inside_a_batch_a_key_is_asked_once_and_other_keys_apart():
    ask, other = Asked(), Asked()
    with batch_memo():
        assert [remembered("rule", ask) for _ in range(3)] == ["answer 1"] * 3
        assert remembered("another rule", other) == "answer 1"
    assert ask.times == 1 and other.times == 1


def test_what_a_batch_remembered_is_forgotten_when_it_ends():
    """The next request, or a single change after the batch, reads the database as it stands."""
    ask = Asked()
    with batch_memo():
        remembered("rule", ask)
    with batch_memo():
        assert remembered("rule", ask) == "answer 2"
    assert remembered("rule", ask) == "answer 3"


def test_a_batch_inside_another_shares_its_memory():
    ask = Asked()
    with batch_memo():
        remembered("rule", ask)
        with batch_memo():
            assert remembered("rule", ask) == "answer 1"
        assert remembered("rule", ask) == "answer 1"


def test_a_lookup_that_raises_is_asked_again():
    """So that every row meeting a refusal is told, not only the first."""
    calls = []

    def refuse():
        calls.append(1)
        raise ValueError("closed")

    with batch_memo():
        for _ in range(2):
            with pytest.raises(ValueError):
                remembered("closed", refuse)
    assert len(calls) == 2
