"""Charts of the review report as PNG images (matplotlib, drawn without a display). Word shows a
picture the same everywhere and keeps it when the text is edited; a chart drawn in the document's
own XML would need Word's chart parts, which python-docx does not write. The font is matplotlib's
own DejaVu Sans, which covers Vietnamese."""

import io

from .numbers import percent

COLOURS = ["#2F6690", "#3A7D44", "#D9A400", "#9C4F96", "#C2553D"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def rates_by_year(series: dict[str, dict[int, float | None]], years: list[int], title: str) -> bytes | None:
    """Grouped bars: for each title (label), its rate of base per year. None when there is nothing to draw."""
    series = {label: values for label, values in series.items() if any(v is not None for v in values.values())}
    if not series:
        return None
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(6.3, 3.2), dpi=150)
    width = 0.8 / len(series)
    for index, (label, values) in enumerate(series.items()):
        xs = [position + index * width - 0.4 + width / 2 for position in range(len(years))]
        heights = [values.get(year) or 0 for year in years]
        axes.bar(xs, heights, width, label=label, color=COLOURS[index % len(COLOURS)])
    axes.set_xticks(range(len(years)), [str(year) for year in years])
    axes.set_ylabel("%")
    axes.set_ylim(0, 100)
    axes.set_title(title, fontsize=10)
    axes.legend(fontsize=7, loc="upper left", ncols=2, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(pyplot, figure)


def ranked_bars(ranked: list[tuple[str, float]], title: str) -> bytes | None:
    """Horizontal bars of the sub-areas' rates, highest on top."""
    if len(ranked) < 2:
        return None
    pyplot = _pyplot()
    height = min(8.5, 0.8 + 0.22 * len(ranked))
    figure, axes = pyplot.subplots(figsize=(6.3, height), dpi=150)
    names = [name for name, _rate in reversed(ranked)]
    values = [float(rate) for _name, rate in reversed(ranked)]
    axes.barh(range(len(values)), values, color=COLOURS[0])
    axes.set_yticks(range(len(values)), names, fontsize=7)
    for position, value in enumerate(values):
        axes.text(value + 0.5, position, percent(value), va="center", fontsize=6)
    axes.set_xlim(0, 105)
    axes.set_xlabel("%")
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(pyplot, figure)


def _png(pyplot, figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    return buffer.getvalue()
