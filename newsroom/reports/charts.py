"""Charts of the monthly analysis, drawn on the server with matplotlib (no Django).

The report is printed in black and white and signed, so nothing here relies on colour: bars are
told apart by hatching, lines by markers and dashes, and every bar carries its number. The same
chart is written as SVG for the screen and as PNG for the DOCX and PDF files.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

# matplotlib's pyplot state is not thread-safe; figures are built without it, but font caches
# and the Agg renderer share state, so drawing is serialised (a chart takes tens of ms).
_LOCK = threading.Lock()
FONT = {"family": "DejaVu Sans", "size": 9}
HATCHES = ("", "///", "xx", "...", "\\\\", "++")


@dataclass(frozen=True)
class Bars:
    """Horizontal bars: one row per label, one bar per series."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    unit: str = ""


@dataclass(frozen=True)
class Line:
    """A line per series over the same x labels (months)."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[float | None]]]
    unit: str = ""


def _figure(height):
    figure = Figure(figsize=(7.0, height), dpi=100)
    figure.patch.set_facecolor("white")
    return figure


def _draw_bars(chart: Bars) -> Figure:
    rows = max(1, len(chart.labels))
    count = max(1, len(chart.series))
    figure = _figure(1.0 + 0.32 * rows * count)
    axes = figure.add_subplot()
    height = 0.8 / count
    top = 0
    for index, (name, values) in enumerate(chart.series):
        positions = [row + index * height for row in range(len(chart.labels))]
        bars = axes.barh(
            positions,
            values,
            height=height * 0.92,
            color="white" if index else "0.25",
            edgecolor="black",
            hatch=HATCHES[index % len(HATCHES)],
            label=name,
        )
        axes.bar_label(bars, labels=[_number(v, chart.unit) for v in values], padding=3, **FONT)
        top = max([top, *values])
    axes.set_yticks([row + height * (count - 1) / 2 for row in range(len(chart.labels))])
    axes.set_yticklabels([_short(label) for label in chart.labels], **FONT)
    axes.invert_yaxis()
    axes.set_xlim(0, (top or 1) * 1.18)
    axes.tick_params(axis="x", labelsize=FONT["size"])
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(chart.title, loc="left", fontsize=10, fontweight="bold")
    if count > 1:
        axes.legend(fontsize=8, frameon=False, loc="lower right")
    figure.tight_layout()
    return figure


def _draw_line(chart: Line) -> Figure:
    figure = _figure(2.6)
    axes = figure.add_subplot()
    markers, styles = ("o", "s", "^"), ("-", "--", ":")
    for index, (name, values) in enumerate(chart.series):
        points = [(x, v) for x, v in enumerate(values) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        axes.plot(
            xs,
            ys,
            color="black",
            marker=markers[index % 3],
            linestyle=styles[index % 3],
            markerfacecolor="white" if index else "black",
            label=name,
        )
        for x, y in points:
            axes.annotate(
                _number(y, chart.unit), (x, y), textcoords="offset points", xytext=(0, 5),
                ha="center", fontsize=7,
            )  # fmt: skip
    axes.set_xticks(range(len(chart.labels)))
    axes.set_xticklabels(chart.labels, fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.set_ylim(bottom=0)
    axes.margins(y=0.2)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="0.85")
    axes.set_title(chart.title, loc="left", fontsize=10, fontweight="bold")
    if len(chart.series) > 1:
        axes.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    return figure


def _number(value, unit=""):
    if value is None:
        return ""
    text = f"{value:g}".replace(".", ",")
    return f"{text}{unit}"


def _short(label, limit=38):
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _draw(chart):
    return _draw_bars(chart) if isinstance(chart, Bars) else _draw_line(chart)


def svg(chart) -> str:
    """The chart as an SVG document (text kept as text, so the page stays sharp and searchable)."""
    with _LOCK, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "report"}):
        buffer = io.StringIO()
        _draw(chart).savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def png(chart, dpi=150) -> bytes:
    with _LOCK:
        buffer = io.BytesIO()
        _draw(chart).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


__all__ = ["Bars", "Line", "png", "svg"]
