"""What the national generator's phases share: the villages it made, bounded writes and progress."""

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.bulk import insert

CHUNK = 20_000  # rows per insert where there is no COPY
PEOPLE_PER_HOUSEHOLD = (3.5, 4.3)


@dataclass
class Villages:
    """The generated villages in generation order, with what later phases need of them."""

    ids: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    communes: list[int] = field(default_factory=list)  # the pre-reform commune
    successors: list[int] = field(default_factory=list)  # the commune from the reform year
    households: list[int] = field(default_factory=list)
    first_household: int = 0  # households are written in village order with consecutive ids


def growth(year: int, evaluated_year: int) -> float:
    """Households grow about 1% a year."""
    return 1 + 0.01 * (year - evaluated_year)


def next_id(model) -> int:
    return (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1


def reset_sequence(model) -> None:
    """Rows were written with their ids: the next row saved normally takes the id after them."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def write_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """One COPY stream on PostgreSQL; inserts of CHUNK rows elsewhere, so memory stays bounded."""
    if connection.vendor == "postgresql":
        return insert(model, columns, rows)
    rows, written = iter(rows), 0
    while chunk := list(islice(rows, CHUNK)):
        written += insert(model, columns, chunk)
    return written


def progress(rows: Iterable, total: int, what: str, report) -> Iterator:
    step = max(100_000, total // 10)
    started = time.perf_counter()
    for number, row in enumerate(rows, start=1):
        yield row
        if number % step == 0 or number == total:
            elapsed = time.perf_counter() - started
            report(
                _("%(what)s: %(done)s of %(total)s (%(rate)s rows/s)")
                % {
                    "what": what,
                    "done": number_format(number, force_grouping=True),
                    "total": number_format(total, force_grouping=True),
                    "rate": number_format(round(number / elapsed), force_grouping=True),
                }
            )
