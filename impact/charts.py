"""Bar charts drawn on the server as SVG: no script, readable without
JavaScript, and each beside a table holding the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from impact.selectors import Dataset

WIDTH = 640
# Room on the right of the longest bar for its value.
VALUE_ROOM = 110
ROW_HEIGHT = 44
BAR_HEIGHT = 16
MAX_LABEL = 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal
    label_y: int
    bar_y: int
    width: int

    @property
    def value_x(self) -> int:
        return self.width + 6

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 3


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int
    # False when some rows of the table have no figure, hence no bar.
    complete: bool


def bar_chart(dataset: Dataset) -> BarChart:
    """A bar for each row of `dataset` that has a figure, in its order: for
    a dataset built with a limit, so that the chart stays legible."""
    column = dataset.value_column
    shown = [row for row in dataset.rows if row[column] is not None]
    top = max((row[column] for row in shown), default=0) or 1
    bars = [
        Bar(
            label=_shorten(str(row[0])),
            value=row[column],
            label_y=index * ROW_HEIGHT + 14,
            bar_y=index * ROW_HEIGHT + 20,
            width=max(1, round(row[column] / top * (WIDTH - VALUE_ROOM))),
        )
        for index, row in enumerate(shown)
    ]
    return BarChart(
        bars=bars,
        width=WIDTH,
        height=max(ROW_HEIGHT, len(bars) * ROW_HEIGHT),
        bar_height=BAR_HEIGHT,
        complete=len(shown) == len(dataset.rows),
    )


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
