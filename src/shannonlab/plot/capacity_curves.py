"""Capacity curves: capacity against a channel parameter, closed forms as lines and numerical
values (Blahut–Arimoto) as open markers, one panel per kind of axis
(``capacity_curves.png`` of a ``kind: capacity`` study; ``shannonlab capacity ... --plot``).

The capacity CLI hands in its curves; for a study's results, :func:`draw_study` samples each
model's closed form (asked of the registry) beside the Blahut–Arimoto values of the rows.

Example
-------
>>> curve = CapacityCurve("BSC", "crossover probability p", [0.0, 0.5, 1.0], [1.0, 0.0, 1.0],
...                       points=([0.5], [0.0]))
>>> figure = draw_capacity_curves([curve], "demo", PlotOptions(size=(6.0, 4.5)))
>>> [ax.get_xlabel() for ax in figure.axes]
['crossover probability p']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .style import PlotOptions, code_colors, new_figure, place_legend


@dataclass(frozen=True)
class CapacityCurve:
    """A named curve on an axis: its closed form sampled on ``xs`` and optional numerical
    ``points`` (xs, capacities) drawn as markers; curves sharing ``axis`` share a panel."""

    name: str
    axis: str
    xs: list[float]
    closed_form: list[float]
    points: tuple[list[float], list[float]] | None = None
    point_name: str = "Blahut–Arimoto"


def draw_capacity_curves(curves: list[CapacityCurve], title: str, options: PlotOptions) -> Figure:
    """One panel per distinct axis, in order of first appearance."""
    axes_names = list(dict.fromkeys(curve.axis for curve in curves))
    fig, axes = new_figure(options, width_extra=(len(axes_names) - 1) * options.size[0] * 0.8, ncols=len(axes_names))
    axes = [axes] if len(axes_names) == 1 else list(axes)
    colors = code_colors(curve.name for curve in curves)
    for ax, axis in zip(axes, axes_names):
        mine = [c for c in curves if c.axis == axis]
        for curve in mine:
            color = colors[curve.name]
            marker = "." if len(curve.xs) < 60 and curve.points is None else None
            ax.plot(curve.xs, curve.closed_form, color=color, linewidth=1.5, marker=marker, label=curve.name)
            if curve.points is not None:
                ax.plot(*curve.points, linestyle="none", marker="o", markerfacecolor="none", markersize=7, color=color)
        if any(c.points is not None for c in mine):  # what line and marker mean, once
            ax.plot([], [], color="black", linewidth=1.5, label="closed form (line)")
            ax.plot([], [], color="black", linestyle="none", marker="o", markerfacecolor="none",
                    label=f"{mine[0].point_name} (markers)")
        ax.set_xlabel(axis)
        ax.set_ylabel("capacity (bits per channel use)")
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        if len(curves) > 1 or curves[0].points is not None:
            place_legend(fig, ax)
    fig.suptitle(title)
    return fig


def draw_study(data: dict[str, Any], options: PlotOptions) -> Figure:
    """``capacity_curves.png`` of a ``kind: capacity`` study from its results.json ``data``: per
    curve the closed form on a fine grid (probabilities over [0, 1]) and the BA values."""
    from ..registry import capacity_model

    config = data["config"]
    curves = []
    for curve in config["curves"]:
        spec, model = capacity_model(curve["channel"])
        parameter, allowed = next(iter(model.parameters.items()))
        name = curve.get("label") or curve["channel"]
        mine = [r for r in data["rows"] if r["kind"] == curve["channel"] and r["channel"] == name]
        values = [r["value"] for r in mine]
        if allowed.improves < 0:  # a probability: the whole [0, 1]
            lo, hi = allowed.low, allowed.high
        else:
            lo, hi = min(values), max(values)
        grid = np.linspace(lo, hi, 301)
        closed = [spec.model_capacity(curve["channel"], parameter, float(x)) for x in grid]
        axis = "channel parameter (p or ε)" if allowed.improves < 0 else allowed.label
        curves.append(CapacityCurve(model.key if name == curve["channel"] else name, axis,
                                    grid.tolist(), closed,
                                    points=(values, [r["blahut_arimoto"] for r in mine])))
    return draw_capacity_curves(curves, f"Capacity by closed form and by Blahut–Arimoto: {config.get('name', '')}",
                                options)
