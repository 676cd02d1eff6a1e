"""Server-rendered SVG charts: horizontal bars and a line, readable without colour (every bar
and point carries its label and its value as text; series are told apart by a hatch pattern,
not a colour) and each backed by the table of its numbers. No JavaScript, no library: the
geometry is a few lines of arithmetic and the SVG is written by templates
(dashboard/_bars.svg, dashboard/_line.svg)."""

from __future__ import annotations

from dataclasses import dataclass, field

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 170  # the label column (left), in SVG units
VALUE_WIDTH = 70  # the value after the bar
WIDTH = 560
PATTERNS = ("solid", "hatch", "dots", "cross")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown ("75 %", "12")
    y: int
    width: float
    pattern: str = "solid"

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5


@dataclass
class BarChart:
    id: str
    title: str
    bars: list[Bar] = field(default_factory=list)
    label_width: int = LABEL_WIDTH
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - VALUE_WIDTH


def bars(chart_id: str, title: str, items: list[tuple[str, float, str]], *, maximum: float | None = None,
         patterns: list[str] | None = None) -> BarChart:
    """`items`: (label, value, value as text). `maximum`: the value of a full bar (default:
    the largest value)."""
    chart = BarChart(id=chart_id, title=title)
    top = maximum if maximum else max((value for _l, value, _t in items), default=0) or 1
    for n, (label, value, text) in enumerate(items):
        width = max(0.0, min(1.0, value / top)) * chart.plot_width
        pattern = patterns[n] if patterns else "solid"
        chart.bars.append(Bar(label=_short(label), value=value, text=text, y=BAR_GAP + n * (BAR_HEIGHT + BAR_GAP),
                              width=round(width, 1), pattern=pattern))
    return chart


@dataclass(frozen=True)
class Point:
    label: str
    text: str
    x: float
    y: float


@dataclass
class LineChart:
    id: str
    title: str
    points: list[Point] = field(default_factory=list)
    width: int = WIDTH
    height: int = 200
    top: int = 24
    bottom: int = 170  # the baseline (y of the value 0)
    left: int = 40
    right: int = 540

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if n == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for n, p in enumerate(self.points))

    @property
    def every_label(self) -> int:
        """Label every n-th point on the axis, so that the labels never overlap."""
        return max(1, -(-len(self.points) // 8))


def line(chart_id: str, title: str, items: list[tuple[str, float, str]], *, maximum: float = 1.0) -> LineChart:
    chart = LineChart(id=chart_id, title=title)
    span = chart.right - chart.left
    count = len(items)
    for n, (label, value, text) in enumerate(items):
        x = chart.left + (span * n / (count - 1) if count > 1 else span / 2)
        y = chart.bottom - (chart.bottom - chart.top) * max(0.0, min(1.0, value / (maximum or 1)))
        chart.points.append(Point(label=label, text=text, x=round(x, 1), y=round(y, 1)))
    return chart


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
