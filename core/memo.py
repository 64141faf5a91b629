"""Lookups a batch makes once.

A village meeting's grid saves hundreds of evaluations in one transaction, each through the
single-evaluation services, and each service asks again what is the same for every row: the
criteria set's definition, whether the year is closed, which commune holds the village. Inside
`batch_memo()`, `remembered(key, compute)` computes such a value the first time and returns it after;
outside one it always computes, so a single change reads the database as it stands.

Only what the batch itself cannot change may be remembered: the rules (sets, closed years, approver
rules) and the tree. The one row a batch does change is a set's "in use" and "frozen" marks, and then
only through the one remembered row, which every evaluation of the batch holds, so it stays true. A
lookup that raises is not remembered, so each row that meets it is told.
"""

from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("khuyenhoc_batch_memo", default=None)


@contextmanager
def batch_memo():
    """Remember lookups until the block ends; a block inside another keeps the outer's memory."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
