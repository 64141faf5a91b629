"""Checks on a year's figures that catch typing and counting errors before a report goes up.

Two kinds of warning, per unit:
- figures that contradict each other: more recognised than registered, more registered (or
  recognised: a yearly rate over 100%) than the base, more association members than people;
- anomalies: a figure that grows or shrinks by more than `settings.KHUYENHOC_ANOMALY_FACTOR`
  from the year before. Small numbers jump by large factors without anything being wrong (3 → 8
  clans), so a change is ignored when both years are below `settings.KHUYENHOC_ANOMALY_MIN`
  (default 20; read with getattr so that the setting is optional).

A figure that is missing (never entered nor counted, or not available on the tree) is unknown, not
zero: no check uses it. Warnings do not block anything; they are shown beside the figures.

Like is compared with like across the 2025 reform: the year before it is read on the 2025 tree,
mapped from the old units, so a merged province's 2024 is the sum of the provinces it was made of.
Counts of the communes themselves still fall (280 old communes became 92 new ones): the merger, not
a typing error, so those are not compared across the reform.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from areas.models import tree_for_year
from criteria.models import Title

from .figures import FigureKey, for_units
from .models import COUNTED_TITLES, NETWORK, TITLE_MEASURES, Measure

RECOGNISED_OVER_REGISTERED = "recognised_over_registered"
REGISTERED_OVER_BASE = "registered_over_base"
RECOGNISED_OVER_BASE = "recognised_over_base"
MEMBERS_OVER_POPULATION = "members_over_population"
ANOMALY_RISE = "anomaly_rise"
ANOMALY_FALL = "anomaly_fall"

POPULATION = (NETWORK, Measure.POPULATION.value)
MEMBERS = (NETWORK, Measure.MEMBERS.value)
# The figures watched from year to year: each title's base, registered and recognised; members; population.
WATCHED = [(title.value, measure.value) for title in COUNTED_TITLES for measure in TITLE_MEASURES] + [
    MEMBERS,
    POPULATION,
]


MESSAGES = {
    RECOGNISED_OVER_REGISTERED: gettext_lazy(
        "%(title)s: %(recognised)s recognised, more than the %(registered)s registered."
    ),
    REGISTERED_OVER_BASE: gettext_lazy("%(title)s: %(registered)s registered, more than the total of %(base)s."),
    RECOGNISED_OVER_BASE: gettext_lazy(
        "%(title)s: %(recognised)s recognised out of a total of %(base)s, a rate of %(rate)s%%."
    ),
    MEMBERS_OVER_POPULATION: gettext_lazy(
        "%(members)s association members, more than the population of %(population)s."
    ),
    ANOMALY_RISE: gettext_lazy(
        "%(figure)s rose from %(previous)s in %(previous_year)d to %(current)s in %(year)d, "
        "more than %(factor)s times: check the figure."
    ),
    ANOMALY_FALL: gettext_lazy(
        "%(figure)s fell from %(previous)s in %(previous_year)d to %(current)s in %(year)d, "
        "to less than 1/%(factor)s: check the figure."
    ),
}
RECOGNISED_OVER_NO_BASE = gettext_lazy("%(title)s: %(recognised)s recognised out of a total of 0.")


def anomaly_factor() -> float:
    return float(getattr(settings, "KHUYENHOC_ANOMALY_FACTOR", 2.0))


def anomaly_minimum() -> int:
    return int(getattr(settings, "KHUYENHOC_ANOMALY_MIN", 20))


def figure_label(key: FigureKey) -> str:
    title, measure = key
    if title == NETWORK:
        return str(Measure(measure).label)
    return f"{Title(title).label} — {Measure(measure).label}"


def _number(value) -> str:
    return number_format(value, force_grouping=True)


@dataclass(frozen=True)
class FigureWarning:
    """One warning: `figures` are the (title, measure) pairs involved, `numbers` their values and
    whatever else the message quotes. The message is worded when read, in the reader's language."""

    code: str
    year: int
    figures: tuple[FigureKey, ...]
    numbers: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        values = {key: _number(value) for key, value in self.numbers.items()}
        values.update(figure=figure_label(self.figures[0]), year=self.year, previous_year=self.year - 1)
        if self.figures[0][0] != NETWORK:
            values["title"] = Title(self.figures[0][0]).label
        wording = MESSAGES[self.code]
        if self.code == RECOGNISED_OVER_BASE and "rate" not in values:
            wording = RECOGNISED_OVER_NO_BASE
        return str(wording) % values


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _plain(factor: float) -> int | Decimal:
    """2.0 → 2 and 2.5 → 2.5, for the message."""
    return int(factor) if factor == int(factor) else Decimal(str(factor))


def _known(figures, key: FigureKey) -> int | None:
    figure = figures.figures.get(key)
    return figure.value if figure is not None else None


def consistency_warnings(figures) -> list[FigureWarning]:
    """Figures of one area and year that contradict each other."""
    warnings = []
    for title in COUNTED_TITLES:
        keys = {measure: (title.value, measure.value) for measure in TITLE_MEASURES}
        base, registered, recognised = (_known(figures, keys[m]) for m in TITLE_MEASURES)
        if recognised is not None and registered is not None and recognised > registered:
            warnings.append(
                FigureWarning(
                    RECOGNISED_OVER_REGISTERED,
                    figures.year,
                    (keys[Measure.RECOGNISED], keys[Measure.REGISTERED]),
                    {"recognised": recognised, "registered": registered},
                )
            )
        if registered is not None and base is not None and registered > base:
            warnings.append(
                FigureWarning(
                    REGISTERED_OVER_BASE,
                    figures.year,
                    (keys[Measure.REGISTERED], keys[Measure.BASE]),
                    {"registered": registered, "base": base},
                )
            )
        if recognised is not None and base is not None and recognised > base:
            numbers = {"recognised": recognised, "base": base}
            if base:
                numbers["rate"] = _rate(recognised, base)
            warnings.append(
                FigureWarning(
                    RECOGNISED_OVER_BASE, figures.year, (keys[Measure.RECOGNISED], keys[Measure.BASE]), numbers
                )
            )
    members, population = _known(figures, MEMBERS), _known(figures, POPULATION)
    if members is not None and population is not None and members > population:
        warnings.append(
            FigureWarning(
                MEMBERS_OVER_POPULATION,
                figures.year,
                (MEMBERS, POPULATION),
                {"members": members, "population": population},
            )
        )
    return warnings


# Titles held by the administrative units themselves, whose number the reform changed.
RESTRUCTURED_TITLES = {Title.COMMUNE.value}


def across_reform(year: int) -> bool:
    """Whether `year` is the first of the 2025 tree, compared with the last of the old one."""
    return tree_for_year(year) != tree_for_year(year - 1)


def anomaly_warnings(
    figures, previous_figures, *, factor: float, minimum: int, reform: bool = False
) -> list[FigureWarning]:
    """Figures of one area that changed from the year before by more than `factor`, up or down;
    across the reform (`reform`), not the counts of the units the reform merged."""
    warnings = []
    for key in WATCHED:
        if reform and key[0] in RESTRUCTURED_TITLES:
            continue
        current, previous = _known(figures, key), _known(previous_figures, key)
        if current is None or previous is None or (current < minimum and previous < minimum):
            continue
        if current > previous * factor:
            code = ANOMALY_RISE
        elif previous > current * factor:
            code = ANOMALY_FALL
        else:
            continue
        numbers = {"previous": previous, "current": current, "factor": _plain(factor)}
        warnings.append(FigureWarning(code, figures.year, (key,), numbers))
    return warnings


def warnings_for(units, year: int, tree: str) -> dict[int, list[FigureWarning]]:
    """{unit id: warnings} for several units of `tree` in `year`: two reads of the facts in all (the
    year and the year before), whatever the number of units."""
    units = list(units)
    this_year = for_units(units, year, tree)
    last_year = for_units(units, year - 1, tree)
    return {unit.pk: warnings_of(this_year[unit.pk], last_year[unit.pk]) for unit in units}


def warnings_of(this_year, last_year) -> list[FigureWarning]:
    """The warnings of one area's figures (`figures.AreaFigures`) of a year, against the year before,
    for a caller that has read both already."""
    factor, minimum, reform = anomaly_factor(), anomaly_minimum(), across_reform(this_year.year)
    return consistency_warnings(this_year) + anomaly_warnings(
        this_year, last_year, factor=factor, minimum=minimum, reform=reform
    )
