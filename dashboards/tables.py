"""The numbers behind a chart: the page shows them under it, the CSV route writes them and the chart
script draws from them, so the three cannot disagree."""

from dataclasses import dataclass, field


@dataclass
class Table:
    """`rows` hold plain values (text, int, Decimal or None); years are text, written as they are
    (2024, never 2.024)."""

    key: str
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
