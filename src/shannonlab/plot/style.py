"""What every figure of the project shares: a figure that never touches pyplot's state, the
colours of codes and the quiet style of limits, a legend that stays inside the figure, the
options of the ``plot:`` section, and saving in the formats asked for.

Figures are built with matplotlib's object API (:class:`~matplotlib.figure.Figure` on a
:class:`~matplotlib.backends.backend_agg.FigureCanvasAgg`), so calling a plot function from a
notebook never switches the user's backend or leaves figures open in pyplot.

Example
-------
>>> fig, ax = new_figure(PlotOptions())
>>> ax.plot([0, 1], [0, 1], label="a line")[0].get_label()
'a line'
>>> legend = place_legend(fig, ax)
>>> bool(legend_inside_figure(fig, legend))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend

#: Limits that apply to several curves (capacities, thresholds): quiet grey, thin, beneath the codes.
LIMIT_COLOR = "0.35"
LIMIT_STYLE = {"color": LIMIT_COLOR, "linewidth": 0.9, "alpha": 0.9, "zorder": 1}
#: One dash pattern per input model (Gaussian input, binary input, ...) of a channel's limits.
LIMIT_DASHES = ((0, (6, 3)), (0, (1.5, 2)), (0, (6, 2, 1.5, 2)), (0, (3, 1, 1, 1, 1, 1)))
#: Per-code finite-length curves (normal approximation, bounds), drawn in the code's colour.
BOUND_DASHES = {"normal": (0, (5, 2, 1, 2)), "rcu": (0, (4, 2)), "dt": (0, (2, 2)), "metaconverse": (0, (1, 1.5)),
                "union": (0, (2, 2)), "theory": (0, (2, 2))}
#: A legend with more entries than this goes beside the axes.
LEGEND_INSIDE_MAX = 12
#: Beside the axes, a legend column holds about this many entries before a second column starts.
LEGEND_COLUMN_ENTRIES = 26


class NothingToShow(Exception):
    """A figure that would be empty or meaningless: it is not written, and the message says why."""


@dataclass(frozen=True)
class PlotOptions:
    """The ``plot:`` section of an experiment, as the figures read it (defaults for a missing key)."""

    target_ber: float = 1e-4
    kind: str = "waterfall"
    limits: tuple[str, ...] = ("capacity", "min-ber")
    bounds: tuple[str, ...] = ("normal",)
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    x_scale: str = "linear"
    formats: tuple[str, ...] = ("png",)
    size: tuple[float, float] = (8.0, 5.5)
    dpi: int = 150
    extra: dict[str, Any] = field(default_factory=dict)
    #: The keys the user wrote (the rest are defaults).
    given: tuple[str, ...] = ()

    def explicit(self, key: str) -> bool:
        """Whether the user set ``key`` in the ``plot:`` section (rather than the default)."""
        return key in self.given

    @classmethod
    def from_config(cls, plot: dict[str, Any] | None) -> "PlotOptions":
        """From the ``plot`` mapping stored in results.json (validated when the run started)."""
        plot = dict(plot or {})
        given = tuple(plot.pop("given", ()))
        known = {name for name in cls.__dataclass_fields__ if name not in ("extra", "given")}
        values = {key: plot.pop(key) for key in list(plot) if key in known and plot[key] is not None}
        for key in ("limits", "bounds", "formats", "x_range", "y_range", "size"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values, extra=plot, given=given)


def new_figure(options: PlotOptions, width_extra: float = 0.0, ncols: int = 1) -> tuple[Figure, Any]:
    """A figure of ``options.size`` (plus ``width_extra`` inches) with constrained layout, on
    its own Agg canvas, and its axes (an array of ``ncols`` axes when ``ncols > 1``)."""
    width, height = options.size
    fig = Figure(figsize=(width + width_extra, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=True)
    return fig, axes


def code_colors(labels: Iterable[str]) -> dict[str, tuple]:
    """A colour per code: tab10 up to ten codes, tab20 beyond (never the limits' grey)."""
    from matplotlib import colormaps

    labels = list(labels)
    cmap = colormaps["tab10" if len(labels) <= 10 else "tab20"]
    return {label: to_rgba(cmap(i % cmap.N)) for i, label in enumerate(labels)}


def place_legend(fig: Figure, ax, fontsize: float = 7.5) -> Legend | None:
    """A legend inside the axes when it is short, beside them (in the figure, never cut off)
    when it is crowded; None when nothing is labelled."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    if len(labels) <= LEGEND_INSIDE_MAX:
        legend = ax.legend(handles, labels, fontsize=fontsize, loc="best", framealpha=0.9)
        # "best" only minimises the overlap; a legend that still hides a curve goes beside
        # the axes (in a one-panel figure, where "beside" cannot be read as the other panel's)
        if len(fig.axes) > 1 or not legend_covers_curves(fig, ax, legend):
            return legend
        legend.remove()
    ncol = max(1, math.ceil(len(labels) / LEGEND_COLUMN_ENTRIES))
    width, height = fig.get_size_inches()
    longest = max(len(label) for label in labels)
    fig.set_size_inches(width + ncol * min(0.055 * longest * fontsize / 7.5 + 0.6, 4.5), height)
    return fig.legend(handles, labels, fontsize=fontsize * (0.9 if ncol > 1 else 1.0), loc="outside right upper",
                      ncol=ncol, framealpha=0.9)


def legend_covers_curves(fig: Figure, ax, legend: Legend) -> bool:
    """Whether ``legend``, where it was placed, hides part of a curve of ``ax``: a point of a
    line (its vertices and the segments between them) inside the legend's box. Reference lines
    drawn across the whole axes (``axvline``, ``axhline``) do not count: a legend may sit on them."""
    fig.canvas.draw()
    box = legend.get_window_extent().padded(-2)
    for line in ax.get_lines():
        xy = np.asarray(line.get_xydata(), dtype=float)
        if len(xy) == 0 or (len(xy) == 2 and (xy[0, 0] == xy[1, 0] or xy[0, 1] == xy[1, 1])):
            continue
        with np.errstate(all="ignore"):
            points = line.get_transform().transform(xy)
        points = points[np.all(np.isfinite(points), axis=1)]
        if line.get_linestyle() not in ("None", "none", "", " ") and len(points) > 1:
            steps = np.linspace(0.0, 1.0, 17)[:, None, None]
            points = (points[:-1] + steps * (points[1:] - points[:-1])).reshape(-1, 2)
        inside = ((points[:, 0] > box.x0) & (points[:, 0] < box.x1) & (points[:, 1] > box.y0) & (points[:, 1] < box.y1))
        if inside.any():
            return True
    return False


def legend_inside_figure(fig: Figure, legend: Legend | None) -> bool:
    """Whether ``legend`` lies within the figure's bounds once drawn (tests check every figure)."""
    if legend is None:
        return True
    fig.canvas.draw()
    box, frame = legend.get_window_extent(), fig.bbox
    return bool(box.x0 >= frame.x0 - 1 and box.y0 >= frame.y0 - 1 and box.x1 <= frame.x1 + 1 and box.y1 <= frame.y1 + 1)


def save(fig: Figure, directory: Path, stem: str, options: PlotOptions) -> list[Path]:
    """Write ``stem.<format>`` for every format asked for; the PNG (or the first) comes first."""
    written = []
    for fmt in options.formats:
        path = Path(directory) / f"{stem}.{fmt}"
        fig.savefig(path, dpi=options.dpi)
        written.append(path)
    return written


def by_code(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by code label (in order of first appearance), each sorted by the swept value."""
    codes: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        codes.setdefault(row["code"], []).append(row)
    for points in codes.values():
        points.sort(key=lambda r: r["value"])
    return codes


def rate_label(rate: float) -> str:
    """``R=1/2`` for the common fractions, ``R=0.57`` otherwise."""
    for den in range(1, 13):
        num = round(rate * den)
        if num and abs(rate - num / den) < 5e-3:
            return f"R={num}/{den}" if den > 1 else "R=1"
    return f"R={rate:.2f}"


def db_like_range(values: np.ndarray, improves: int) -> tuple[float, float]:
    """The x range of a sweep with a 5 % margin (kept positive on a probability axis)."""
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    lo, hi = lo - 0.05 * span, hi + 0.05 * span
    if improves < 0:
        lo = max(lo, float(values.min()) * 0.5)
    return lo, hi
