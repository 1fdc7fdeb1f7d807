"""Charts of the monthly analysis, laid out once and drawn as SVG (the page) or PNG (the DOCX and
PDF files), in plain Python with Pillow — no Django.

The report is printed in black and white and signed, so nothing relies on colour: series are told
apart by fill and hatching (bars) or by markers and dashes (lines), and every bar and point
carries its number. A chart is laid out as a few primitives (rectangles, lines, markers, text)
measured with the same font the PNG uses, so the two drawings agree; a layout takes well under a
millisecond, which keeps the report page fast without a chart cache.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

WIDTH = 700
FONT_SIZE = 12
TITLE_SIZE = 14
INK = "#1a1a1a"
GREY = "#d9d9d9"
DARK = "#404040"


@dataclass(frozen=True)
class Bars:
    """Horizontal bars: one row per label, one bar per series."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    unit: str = ""


@dataclass(frozen=True)
class Line:
    """A line per series over the same x labels (months); None leaves a gap."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[float | None]]]
    unit: str = ""


# --- primitives -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    style: int  # 0: dark fill, 1: white with hatching, 2: white


@dataclass(frozen=True)
class Path_:
    points: tuple[tuple[float, float], ...]
    width: float = 1.0
    dashed: bool = False
    colour: str = INK


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    filled: bool
    square: bool


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: int = FONT_SIZE
    anchor: str = "start"  # start, middle, end
    bold: bool = False


@dataclass
class Layout:
    title: str
    width: int
    height: int
    items: list = field(default_factory=list)


# --- fonts and numbers -------------------------------------------------------------------------


def _font_path(bold=False):
    import font_source_sans_pro

    name = "SourceSansPro-Bold.ttf" if bold else "SourceSansPro-Regular.ttf"
    return str(Path(font_source_sans_pro.font_directory) / name)


@lru_cache(maxsize=16)
def _font(size, bold=False):
    from PIL import ImageFont

    return ImageFont.truetype(_font_path(bold), size)


def text_width(text, size=FONT_SIZE, bold=False):
    return _font(size, bold).getlength(text)


def number(value, unit=""):
    if value is None:
        return ""
    text = f"{value:g}".replace(".", ",")
    return f"{text}{unit}"


def nice_step(raw):
    """The round step (1, 2, 2.5 or 5 times a power of ten) at or above ``raw``; 1 for nothing."""
    if raw <= 0:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _fit(text, limit, size=FONT_SIZE):
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + "…", size) > limit:
        text = text[:-1]
    return text.rstrip() + "…"


# --- layouts -----------------------------------------------------------------------------------


def layout_bars(chart: Bars) -> Layout:
    count = max(1, len(chart.series))
    bar, gap = 18, 10
    top = 34
    label_width = min(260, max([text_width(label) for label in chart.labels] + [40]) + 12)
    left, right = label_width, WIDTH - 70
    row_height = count * bar + gap
    legend = 24 if count > 1 else 0
    height = int(top + row_height * len(chart.labels) + 12 + legend)
    layout = Layout(chart.title, WIDTH, height)
    layout.items.append(Text(0, 20, chart.title, TITLE_SIZE, bold=True))
    peak = max([v for _name, values in chart.series for v in values if v is not None] + [0])
    scale = (right - left) / peak if peak else 0
    for row, label in enumerate(chart.labels):
        y = top + row * row_height
        layout.items.append(
            Text(left - 8, y + count * bar / 2 + 4, _fit(label, label_width - 8), anchor="end")
        )
        for index, (_name, values) in enumerate(chart.series):
            value = values[row]
            y_bar = y + index * bar
            length = max((value or 0) * scale, 0)
            layout.items.append(Rect(left, y_bar + 1, length, bar - 2, index % 3))
            layout.items.append(Text(left + length + 5, y_bar + bar - 5, number(value, chart.unit)))
    axis_bottom = top + row_height * len(chart.labels)
    layout.items.append(Path_(((left, top - 4), (left, axis_bottom))))
    if count > 1:
        x = left
        for index, (name, _values) in enumerate(chart.series):
            layout.items.append(Rect(x, height - 18, 14, 12, index % 3))
            layout.items.append(Text(x + 20, height - 8, name, 11))
            x += 40 + text_width(name, 11)
    return layout


def layout_line(chart: Line) -> Layout:
    height = 250
    left, right, top, bottom = 46, WIDTH - 16, 40, height - 44
    layout = Layout(chart.title, WIDTH, height)
    layout.items.append(Text(0, 20, chart.title, TITLE_SIZE, bold=True))
    values = [v for _name, series in chart.series for v in series if v is not None]
    tick = nice_step(max(values + [0]) * 1.1 / 4)
    steps = 4
    while tick * (steps - 1) >= max(values + [0]) * 1.1 and steps > 2:
        steps -= 1
    peak = tick * steps
    for step in range(steps + 1):
        level = tick * step
        y = bottom - (bottom - top) * step / steps
        layout.items.append(Path_(((left, y), (right, y)), 1, colour=GREY if step else INK))
        layout.items.append(Text(left - 6, y + 4, number(round(level, 2)), 11, anchor="end"))
    count = max(1, len(chart.labels))
    spacing = (right - left) / count

    def x_of(index):
        return left + spacing * (index + 0.5)

    for index, label in enumerate(chart.labels):
        layout.items.append(Text(x_of(index), bottom + 16, label, 11, anchor="middle"))
    for number_of_series, (_name, series) in enumerate(chart.series):
        segment = []
        for index, value in enumerate([*series, None]):
            if value is None:
                if len(segment) > 1:
                    layout.items.append(Path_(tuple(segment), 2, dashed=bool(number_of_series % 2)))
                segment = []
                continue
            point = (x_of(index), bottom - (bottom - top) * value / peak)
            segment.append(point)
            layout.items.append(
                Marker(*point, filled=number_of_series % 2 == 0, square=number_of_series % 2 == 1)
            )
            layout.items.append(
                Text(point[0], point[1] - 8, number(value, chart.unit), 11, anchor="middle")
            )
    if len(chart.series) > 1:
        x = left
        for index, (name, _values) in enumerate(chart.series):
            layout.items.append(Marker(x + 6, height - 12, index % 2 == 0, index % 2 == 1))
            layout.items.append(Text(x + 16, height - 8, name, 11))
            x += 40 + text_width(name, 11)
    return layout


def layout(chart) -> Layout:
    return layout_bars(chart) if isinstance(chart, Bars) else layout_line(chart)


# --- SVG ---------------------------------------------------------------------------------------


def svg(chart) -> str:
    """The chart as an inline SVG element with its title for screen readers."""
    drawn = layout(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawn.width} {drawn.height}" '
        f'width="{drawn.width}" height="{drawn.height}" role="img" '
        f'font-family="Source Sans Pro, Arial, sans-serif" font-size="{FONT_SIZE}">',
        f"<title>{escape(drawn.title)}</title>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" '
        f'stroke="{INK}" stroke-width="1.5"/></pattern></defs>',
    ]
    for item in drawn.items:
        if isinstance(item, Rect):
            fill = {0: DARK, 1: "url(#hatch)", 2: "#fff"}[item.style]
            parts.append(
                f'<rect x="{item.x:.1f}" y="{item.y:.1f}" width="{item.w:.1f}" '
                f'height="{item.h:.1f}" fill="{fill}" stroke="{INK}"/>'
            )
        elif isinstance(item, Path_):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in item.points)
            dash = ' stroke-dasharray="6 4"' if item.dashed else ""
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{item.colour}" '
                f'stroke-width="{item.width}"{dash}/>'
            )
        elif isinstance(item, Marker):
            fill = INK if item.filled else "#fff"
            if item.square:
                parts.append(
                    f'<rect x="{item.x - 4:.1f}" y="{item.y - 4:.1f}" width="8" height="8" '
                    f'fill="{fill}" stroke="{INK}"/>'
                )
            else:
                parts.append(
                    f'<circle cx="{item.x:.1f}" cy="{item.y:.1f}" r="4" fill="{fill}" '
                    f'stroke="{INK}"/>'
                )
        elif isinstance(item, Text):
            weight = ' font-weight="bold"' if item.bold else ""
            parts.append(
                f'<text x="{item.x:.1f}" y="{item.y:.1f}" font-size="{item.size}" '
                f'text-anchor="{item.anchor}" fill="{INK}"{weight}>{escape(item.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


# --- PNG ---------------------------------------------------------------------------------------


def png(chart, scale=2) -> bytes:
    """The chart as a PNG, ``scale`` times the layout's size (sharp when printed)."""
    from PIL import Image, ImageDraw

    drawn = layout(chart)
    image = Image.new("RGB", (drawn.width * scale, drawn.height * scale), "white")
    draw = ImageDraw.Draw(image)

    def s(value):
        return value * scale

    for item in drawn.items:
        if isinstance(item, Rect):
            if item.w <= 0:
                continue
            box = (s(item.x), s(item.y), s(item.x + item.w), s(item.y + item.h))
            draw.rectangle(box, fill=DARK if item.style == 0 else "white", outline=INK, width=scale)
            if item.style == 1:
                _hatch(draw, box, scale)
        elif isinstance(item, Path_):
            points = [(s(x), s(y)) for x, y in item.points]
            if item.dashed:
                for start, end in zip(points, points[1:], strict=False):
                    _dashed(draw, start, end, s(item.width), item.colour)
            else:
                draw.line(points, fill=item.colour, width=int(s(item.width)))
        elif isinstance(item, Marker):
            box = (s(item.x - 4), s(item.y - 4), s(item.x + 4), s(item.y + 4))
            fill = INK if item.filled else "white"
            if item.square:
                draw.rectangle(box, fill=fill, outline=INK, width=scale)
            else:
                draw.ellipse(box, fill=fill, outline=INK, width=scale)
        elif isinstance(item, Text):
            font = _font(item.size * scale, item.bold)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[item.anchor]
            draw.text((s(item.x), s(item.y)), item.text, font=font, fill=INK, anchor=anchor)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _hatch(draw, box, scale):
    x0, y0, x1, y1 = box
    step = 6 * scale
    offset = 0
    while x0 + offset - (y1 - y0) < x1:
        # A 45° line from the bottom edge up, clipped to the box.
        start_x, start_y = x0 + offset - (y1 - y0), y1
        end_x, end_y = x0 + offset, y0
        if start_x < x0:
            start_y -= x0 - start_x
            start_x = x0
        if end_x > x1:
            end_y += end_x - x1
            end_x = x1
        if start_x <= end_x:
            draw.line([(start_x, start_y), (end_x, end_y)], fill=INK, width=max(1, scale))
        offset += step


def _dashed(draw, start, end, width, colour, dash=12, gap=8):
    (x0, y0), (x1, y1) = start, end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    if not length:
        return
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    position = 0.0
    while position < length:
        stop = min(position + dash, length)
        draw.line(
            [(x0 + dx * position, y0 + dy * position), (x0 + dx * stop, y0 + dy * stop)],
            fill=colour,
            width=int(width),
        )
        position = stop + gap
