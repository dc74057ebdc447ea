r"""The rate against bit-error probability plane (``plot: {kind: rate-vs-ber}``):
``rate_vs_ber.png``.

Every code is a point (measured BER :math:`p_b` with its 95 % interval as a horizontal error
bar, rate R), next to the Shannon limit for the channel at the swept value: by the
rate-distortion theorem with Hamming distortion, rate R is achievable with bit-error
probability :math:`p_b` exactly when :math:`R \le C/(1 - H_2(p_b))`
(:func:`shannonlab.theory.limits.rate_limit`). The achievable region, below the curve, is
shaded; the curve tends to R = C as :math:`p_b \to 0` and reaches R = 1 at :math:`p_b = f` on a
BSC with crossover f (MacKay, ITILA, fig. 1.18 and sec. 10.4).

A code with no bit error is drawn as an open left-pointing triangle at its 95 % upper
bound; a code's exact BER (``ber_theory``), when known, as a small black cross. Codes are
named beside their points; the legend holds the limits and one entry per code.

Example
-------
>>> from shannonlab.channels.bsc import BSCSpec
>>> rows = [{"code": "R3", "value": 0.1, "rate": 1 / 3, "ber": 0.028, "ber_low": 0.02, "ber_high": 0.035,
...          "bit_errors": 90}]
>>> figure = draw_rate_vs_ber(rows, BSCSpec(), "p", [0.1], PlotOptions(), "demo")
>>> figure.axes[0].get_xscale()
'log'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..theory.limits import rate_limit
from .style import LIMIT_COLOR, PlotOptions, by_code, code_colors, new_figure, place_legend

STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "D", "^", "v", "P", "X")


def draw_rate_vs_ber(rows: list[dict[str, Any]], channel, parameter: str, values: list[float],
                     options: PlotOptions, name: str) -> Figure:
    """The rate-vs-pb figure of ``rows`` (one limit curve per swept value)."""
    values = sorted({float(v) for v in values})
    codes = by_code(rows)
    colors = code_colors(codes)
    fig, ax = new_figure(options)
    lows = [p["ber_low"] for pts in codes.values() for p in pts if p["ber_low"] > 0]
    lows += [p["ber_high"] for pts in codes.values() for p in pts]
    left = min([1e-6, *(x / 10 for x in lows)]) if lows else 1e-6
    if options.x_range:
        left = options.x_range[0]
    pb = np.logspace(math.log10(left), math.log10(0.5), 400)
    for i, value in enumerate(values):
        def capacity(rate, value=value):
            return next(iter(channel.capacities(parameter, value, float(rate)).values()))

        limit = np.array([rate_limit(capacity, float(x)) for x in pb])
        label = (f"Shannon limit R = C/(1 − H2(pb)), {parameter} = {value:g} (C = {capacity(0.5):.3g})"
                 if len(values) > 1 else f"Shannon limit R = C/(1 − H2(pb)), C = {capacity(0.5):.3g}")
        ax.plot(pb, limit, color=LIMIT_COLOR, linestyle=STYLES[i % len(STYLES)], linewidth=1.4, label=label, zorder=1)
        ax.fill_between(pb, 0.0, limit, color="tab:green", alpha=0.12 / len(values) + 0.05,
                        label="achievable" if i == 0 else None, linewidth=0, zorder=0)
    placed: list[tuple[float, float]] = []
    for label, points in codes.items():
        color = colors[label]
        first = True
        for point in points:
            marker = MARKERS[values.index(point["value"]) % len(MARKERS)] if point["value"] in values else "o"
            rate = point["rate"]
            legend = label if first else None
            first = False
            if point["bit_errors"] > 0:
                x = point["ber"]
                ax.errorbar([x], [rate], xerr=[[x - point["ber_low"]], [point["ber_high"] - x]], color=color,
                            marker=marker, markersize=6, capsize=3, linestyle="none", label=legend, zorder=3)
            else:
                x = point["ber_high"]
                ax.plot([x], [rate], marker="<", markerfacecolor="none", color=color, markersize=7, linestyle="none",
                        label=legend, zorder=3)
            if point.get("ber_theory"):
                ax.plot([point["ber_theory"]], [rate], marker="x", color="black", markersize=4, linestyle="none",
                        zorder=4)
            # codes at the same spot (R3 and Hamming(3,1)) get their names on separate lines
            twins = sum(1 for (xx, rr) in placed if abs(rr - rate) < 0.02 and abs(math.log(x / xx)) < 0.3)
            placed.append((x, rate))
            ax.annotate(label, (x, rate), textcoords="offset points", xytext=(6, 3 - 9 * twins), fontsize=7,
                        color=color)
    if any(p.get("ber_theory") for pts in codes.values() for p in pts):
        ax.plot([], [], marker="x", color="black", markersize=4, linestyle="none", label="exact pb (theory)")
    if any(p["bit_errors"] == 0 for pts in codes.values() for p in pts):
        ax.plot([], [], marker="<", markerfacecolor="none", color="black", linestyle="none",
                label="no error: 95 % upper bound")
    if len(values) > 1:
        for i, value in enumerate(values):
            ax.plot([], [], marker=MARKERS[i % len(MARKERS)], color="black", linestyle="none",
                    label=f"{parameter} = {value:g}")
    ax.set_xscale("log")
    ax.set_xlim(pb[0], options.x_range[1] if options.x_range else 0.5)
    ax.set_ylim(*(options.y_range or (0.0, 1.05)))
    ax.set_xlabel("bit-error probability pb")
    ax.set_ylabel("rate R (information bits per channel use)")
    ax.set_title(f"Rate vs bit-error probability: {name} ({channel.parameter_label(parameter)})")
    ax.grid(True, which="both", alpha=0.3)
    place_legend(fig, ax)
    return fig
