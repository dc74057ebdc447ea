"""The capacity plane (``capacity.png``): rate against the swept parameter, with the capacity
curve of each input model of the channel and every code placed where its BER reaches
``plot.target_ber`` (the picture of Costello & Forney, Proc. IEEE 2007).

A code whose BER is only known to be below the target at a point (the next point had no
error) is drawn as an open marker with a left arrow: it reaches the target there or before.
Codes that do not reach the target within the sweep are named in a footnote; when none
does, there is nothing to show and the figure is not written (:class:`NothingToShow`).

Example
-------
>>> from shannonlab.channels.bsc import BSCSpec
>>> rows = [{"code": "c", "value": p, "rate": 0.5, "ber": b, "ber_high": 2 * b, "bit_errors": 9}
...         for p, b in ((0.1, 0.05), (0.02, 0.001))]
>>> draw_capacity_plane(rows, BSCSpec(), "p", [0.1, 0.02], PlotOptions(target_ber=1e-4), "demo")
Traceback (most recent call last):
...
shannonlab.plot.style.NothingToShow: no code reaches BER 0.0001 within the sweep
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .crossing import find_crossing
from .style import LIMIT_COLOR, NothingToShow, PlotOptions, by_code, code_colors, new_figure, place_legend

__all__ = ["draw_capacity_plane", "NothingToShow"]

#: Line styles of the capacity curves of a channel's input models.
CURVE_STYLES = ("-", "--", ":", "-.")


def draw_capacity_plane(rows: list[dict[str, Any]], channel, parameter: str, values: list[float],
                        options: PlotOptions, name: str) -> Figure:
    """The capacity plane of ``rows``; raises :class:`NothingToShow` when no code reaches the target."""
    target = options.target_ber
    improves = channel.improves(parameter)
    codes = by_code(rows)
    placed, missing = {}, []
    for label, points in codes.items():
        ordered = sorted(points, key=lambda r: improves * r["value"])
        found = find_crossing(ordered, target, "ber")
        if found is None:
            missing.append(label)
        else:
            placed[label] = (found, points[0]["rate"])
    if not placed:
        raise NothingToShow(f"no code reaches BER {target:g} within the sweep")
    colors = code_colors(codes)
    fig, ax = new_figure(options)
    grid = np.linspace(0.01, 0.99, 99)
    curves: dict[str, list[tuple[float, float]]] = {}
    for rate in grid:
        for model, x in channel.thresholds(parameter, float(rate)).items():
            if math.isfinite(x):
                curves.setdefault(model, []).append((x, rate))
    for (model, pts), style in zip(curves.items(), CURVE_STYLES):
        xs, rs = zip(*pts)
        ax.plot(xs, rs, color=LIMIT_COLOR, linestyle=style, linewidth=1.3, label=f"capacity ({model})", zorder=1)
    unit = channel.parameter_label(parameter)
    for label, (found, rate) in placed.items():
        marker = dict(marker="o", markersize=7) if found.exact else dict(marker="<", markersize=8, markerfacecolor="none")
        text = f"{label} ({found.x:.2f})" if found.exact else f"{label} (≤ {found.x:.2f})"
        ax.plot([found.x], [rate], linestyle="none", color=colors[label], label=text, zorder=3, **marker)
    xs = [found.x for found, _ in placed.values()] + [x for pts in curves.values() for x, _ in pts]
    lo, hi = options.x_range or (min(min(xs), min(values)), max(max(found.x for found, _ in placed.values()), max(values)))
    pad = 0.03 * (hi - lo if hi > lo else 1.0)
    ax.set_xlim(lo - pad, hi + pad)
    if improves < 0:
        ax.invert_xaxis()
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(unit)
    ax.set_ylabel("rate R (information bits per channel use)")
    ax.set_title(f"Capacity plane at BER {target:g}: {name}")
    ax.grid(True, alpha=0.3)
    if missing:
        names = ", ".join(missing) if len(missing) <= 4 else f"{len(missing)} codes"
        ax.text(0.01, 0.01, f"not reaching BER {target:g} in the sweep: {names}", transform=ax.transAxes,
                fontsize=7, color=LIMIT_COLOR, va="bottom", ha="left")
    place_legend(fig, ax)
    return fig
