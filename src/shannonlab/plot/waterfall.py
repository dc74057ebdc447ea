r"""Waterfall figures: ``ber.png`` and ``fer.png``, error rate against the swept parameter.

Each code is a curve in its own colour with its 95 % intervals; a point without errors is an
open triangle at its upper bound, never a point at zero; a code's theory curve
(``ber_theory``: exact BER or a bound, named in the legend) is dashed in the code's colour.
Beneath them, in a quiet grey, the limits that apply to all codes of a rate R, once per
distinct rate and labelled with it (``plot.limits``):

* ``capacity``: the parameter value where each input model's capacity equals R (on an Eb/N0
  axis the binary-input and Gaussian-input Shannon limits; on a BSC 1 − H2(p) = R; on a BEC
  1 − ε = R), vertical lines;
* ``min-ber`` (on ``ber.png``): the smallest BER any rate-R code can reach,
  :math:`R\,(1 - H_2(p_b)) = C` (rate–distortion with Hamming distortion).

Per code, in the code's colour (``plot.bounds``, on ``fer.png``), where they mean something
(a rate below 1, a channel that offers them through ``finite_length_fer``; n >= 100 for the
normal approximation, which is no bound, any n >= 8 for the bounds): the
best FER of any (n, k) code by the ``normal`` approximation, the ``rcu`` and ``dt``
achievability bounds and the ``metaconverse`` converse (:mod:`shannonlab.theory.bounds`);
and ``union``, the ML union bound of the code itself from its weight spectrum (computed per
point by the run, ``fer_union`` in results.json).

Example
-------
>>> from shannonlab.channels.awgn import AWGNSpec
>>> rows = [{"code": "c", "value": v, "rate": 0.5, "n": 256, "k": 128, "ber": b, "ber_low": b / 2,
...          "ber_high": 2 * b, "bit_errors": 10, "fer": 10 * b, "fer_low": 5 * b, "fer_high": 20 * b,
...          "frame_errors": 10} for v, b in ((0.0, 1e-2), (2.0, 1e-4))]
>>> figure = draw_waterfall(rows, AWGNSpec(), "ebn0_db", [0.0, 2.0], "fer", PlotOptions(), "demo")
>>> sorted(line.get_label() for line in figure.axes[0].get_lines() if not line.get_label().startswith("_"))[:2]
['BI-AWGN limit (vertical, per code rate)', 'Gaussian input limit (vertical, per code rate)']
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..theory.limits import min_ber
from .style import (
    BOUND_DASHES,
    NothingToShow,
    LIMIT_DASHES,
    LIMIT_STYLE,
    PlotOptions,
    by_code,
    code_colors,
    db_like_range,
    new_figure,
    place_legend,
    rate_label,
)

#: Finite-length curves are drawn for codes at least this long (shorter: the approximation means little).
FINITE_LENGTH_MIN_N = 100
#: Beyond this many code rates the min-BER curves crowd the figure: drawn only when ``plot.limits`` asks.
MIN_BER_MAX_RATES = 4
TITLES = {"ber": "Bit-error rate", "fer": "Frame-error rate"}


def distinct_rates(codes: dict[str, list[dict[str, Any]]]) -> list[float]:
    """Code rates to two decimals (zero-tail rates 0.496..0.499 share the R = 0.5 limits:
    theirs differ by less than 0.02 dB)."""
    return sorted({round(points[0]["rate"], 2) for points in codes.values()})


def normal_approximation_curves(channel, parameter, codes, x_grid) -> dict[tuple[int, int], np.ndarray]:
    """For each distinct (n, k) among the codes, the channel's finite-length limit (best FER of
    any (n, k) code, normal approximation) over ``x_grid``; none where the channel offers none."""
    curves: dict[tuple[int, int], np.ndarray] = {}
    for points in codes.values():
        n, k = int(points[0]["n"]), int(points[0]["k"])
        if (n, k) not in curves:
            fer = [channel.normal_approximation_fer(parameter, float(x), n, k) for x in x_grid]
            if all(f is not None for f in fer):
                curves[(n, k)] = np.array(fer, dtype=float)
    return curves


def _x_grid(values: list[float], improves: int, options: PlotOptions) -> np.ndarray:
    lo, hi = options.x_range or db_like_range(np.asarray(values, dtype=float), improves)
    if options.x_scale == "log" and lo > 0:
        return np.geomspace(lo, hi, 200)
    grid = np.linspace(lo, hi, 200)
    return grid[grid > 0] if improves < 0 else grid


def _errorbar(ax, points, key, color, label) -> None:
    x = np.array([p["value"] for p in points], dtype=float)
    y = np.array([p[key] for p in points], dtype=float)
    low = np.array([p[f"{key}_low"] for p in points], dtype=float)
    high = np.array([p[f"{key}_high"] for p in points], dtype=float)
    measured = y > 0
    if measured.any():
        ax.errorbar(x[measured], y[measured], yerr=[y[measured] - low[measured], high[measured] - y[measured]],
                    color=color, marker="o", markersize=4, capsize=2, linewidth=1.4, label=label, zorder=3)
    if (~measured).any():
        ax.plot(x[~measured], high[~measured], linestyle="none", marker="v", markerfacecolor="none", color=color,
                markersize=6, zorder=3, label=None if measured.any() else label)


def _capacity_limits(ax, channel, parameter, rates, x_lo, x_hi) -> None:
    """Vertical lines where capacity = R, quiet grey, one dash per input model, one legend entry
    per model, the rate written beside each line."""
    named = set()
    for rate in rates:
        try:
            thresholds = channel.thresholds(parameter, rate)
        except ValueError:
            continue
        for i, (model, x) in enumerate(thresholds.items()):
            if not (math.isfinite(x) and min(x_lo, x_hi) <= x <= max(x_lo, x_hi)):
                continue
            label = f"{model} limit (vertical, per code rate)" if model not in named else None
            named.add(model)
            ax.axvline(x, linestyle=LIMIT_DASHES[i % len(LIMIT_DASHES)], label=label, **LIMIT_STYLE)
            if i == 0:  # at the foot of the line, where waterfalls leave room
                ax.text(x, 0.015, f"{rate_label(rate)} ", transform=ax.get_xaxis_transform(), rotation=90,
                        fontsize=6.5, color=LIMIT_STYLE["color"], va="bottom", ha="right")


def _min_ber_curves(ax, channel, parameter, rates, x_grid) -> None:
    """The smallest BER any rate-R code can reach at each x (first input model's capacity)."""
    labelled = False
    for rate in rates:
        bound = []
        for x in x_grid:
            capacity = next(iter(channel.capacities(parameter, float(x), rate).values()))
            bound.append(min_ber(rate, capacity))
        bound = np.array(bound)
        visible = bound > 0
        if visible.any():
            ax.plot(x_grid[visible], bound[visible], linestyle="-", label=None if labelled else
                    "smallest BER at rate R: R(1 − H2(pb)) = C", **{**LIMIT_STYLE, "linewidth": 0.8, "alpha": 0.6})
            labelled = True


#: What each finite-length curve means, for its legend entry.
BOUND_LABELS = {
    "normal": "normal approximation",
    "rcu": "RCU bound (achievable; RCUs on AWGN)",
    "dt": "DT bound (achievable)",
    "metaconverse": "meta-converse (no code does better)",
    "union": "ML union bound",
}
#: RCU, DT and the meta-converse are bounds at every length; drawn from this n on.
BOUND_MIN_N = 8
#: Grid points of the costlier bounds (saddlepoint per point); drawn through them on a log scale.
BOUND_POINTS = 25


def finite_length_curves(channel, parameter, codes, x_grid, bound: str) -> dict[tuple[int, int], np.ndarray]:
    """For each distinct (n, k) among ``codes``, ``bound`` over ``x_grid`` from the channel's
    ``finite_length_fer`` (interpolated in log FER between BOUND_POINTS points for the bounds
    other than the normal approximation); none where the channel offers none."""
    if bound == "normal":
        return normal_approximation_curves(channel, parameter, codes, x_grid)
    coarse = x_grid[np.linspace(0, len(x_grid) - 1, min(BOUND_POINTS, len(x_grid))).round().astype(int)]
    curves: dict[tuple[int, int], np.ndarray] = {}
    for points in codes.values():
        n, k = int(points[0]["n"]), int(points[0]["k"])
        if (n, k) in curves:
            continue
        fer = [channel.finite_length_fer(bound, parameter, float(x), n, k) for x in coarse]
        if any(f is None for f in fer):
            continue
        log_fer = np.log(np.maximum(np.array(fer, dtype=float), 1e-300))
        order = np.argsort(coarse)
        curves[(n, k)] = np.exp(np.interp(x_grid, coarse[order], log_fer[order]))
    return curves


def _finite_length(ax, channel, parameter, codes, colors, x_grid, bounds: tuple[str, ...]) -> float:
    """Draw the finite-length curves; returns the smallest FER drawn (inf if none)."""
    lowest = math.inf
    for bound in bounds:
        if bound == "union":
            _union_curves(ax, codes, colors)
            continue
        # the normal approximation means little for short codes; the bounds hold at every n
        shortest = FINITE_LENGTH_MIN_N if bound == "normal" else BOUND_MIN_N
        meaningful = {label: pts for label, pts in codes.items()
                      if int(pts[0]["n"]) >= shortest and 0 < int(pts[0]["k"]) < int(pts[0]["n"])}
        curves = finite_length_curves(channel, parameter, meaningful, x_grid, bound)
        drawn = False
        for label, points in meaningful.items():
            fer = curves.get((int(points[0]["n"]), int(points[0]["k"])))
            if fer is None:
                continue
            visible = np.isfinite(fer) & (fer > 1e-15)
            ax.plot(x_grid[visible], fer[visible], color=colors[label], linestyle=BOUND_DASHES[bound], linewidth=1.0,
                    alpha=0.85, zorder=2, gid=f"{bound}:{label}")
            drawn = drawn or bool(visible.any())
            lowest = min([lowest, *fer[visible]])
        if drawn:
            ax.add_line(Line2D([], [], color="black", linestyle=BOUND_DASHES[bound], linewidth=1.0,
                               label=f"{BOUND_LABELS[bound]}, best (n, k) code (each code's colour)"))
    return lowest


def _union_curves(ax, codes, colors) -> None:
    """The ML union bound of each code from its weight spectrum (``fer_union`` of the rows)."""
    drawn = False
    for label, points in codes.items():
        pts = [(p["value"], p["fer_union"]) for p in points if p.get("fer_union")]
        if pts:
            ax.plot(*zip(*sorted(pts)), color=colors[label], linestyle=BOUND_DASHES["union"], linewidth=1.0,
                    alpha=0.85, zorder=2, marker=".", markersize=3, gid=f"union:{label}")
            drawn = True
    if drawn:
        ax.add_line(Line2D([], [], color="black", linestyle=BOUND_DASHES["union"], linewidth=1.0, marker=".",
                           markersize=3, label=f"{BOUND_LABELS['union']} of the code (its colour)"))


def draw_waterfall(rows: list[dict[str, Any]], channel, parameter: str, values: list[float], key: str,
                   options: PlotOptions, name: str) -> Figure:
    """The BER (``key = "ber"``) or FER figure of ``rows`` over ``channel`` swept on ``parameter``."""
    codes = by_code(rows)
    if len({row["value"] for row in rows}) < 2:
        raise NothingToShow(f"a single value of {parameter} has been simulated: no curve to draw")
    colors = code_colors(codes)
    improves = channel.improves(parameter)
    # the sweep as far as it was simulated: values a sweep ended before would leave the axes empty
    lo, hi = min(row["value"] for row in rows), max(row["value"] for row in rows)
    x_grid = _x_grid(sorted({lo, hi, *(v for v in values if lo <= v <= hi)}), improves, options)
    fig, ax = new_figure(options)
    for label, points in codes.items():
        _errorbar(ax, points, key, colors[label], label)
        theory = [(p["value"], p.get("ber_theory")) for p in points if p.get("ber_theory")]
        if key == "ber" and len(theory) >= 2:
            ax.plot(*zip(*theory), color=colors[label], linestyle=BOUND_DASHES["theory"], linewidth=1.0, alpha=0.8,
                    zorder=2, label=f"{label}: {points[0].get('ber_theory_name', 'exact')}")
    rates = distinct_rates(codes)
    if "capacity" in options.limits:
        _capacity_limits(ax, channel, parameter, rates, x_grid.min(), x_grid.max())
    if key == "ber" and "min-ber" in options.limits and (len(rates) <= MIN_BER_MAX_RATES or options.explicit("limits")):
        _min_ber_curves(ax, channel, parameter, rates, x_grid)
    lowest_bound = math.inf
    if key == "fer":
        lowest_bound = _finite_length(ax, channel, parameter, codes, colors, x_grid, options.bounds)
    ax.set_yscale("log")
    if options.x_scale == "log":
        ax.set_xscale("log")
    ax.set_xlabel(channel.parameter_label(parameter))
    ax.set_ylabel(f"{key.upper()} ({TITLES[key].lower()})")
    ax.set_title(f"{TITLES[key]}: {name}")
    if options.y_range:
        ax.set_ylim(*options.y_range)
    else:
        shown = [p[key] for pts in codes.values() for p in pts if p[key] > 0]
        shown += [p[f"{key}_high"] for pts in codes.values() for p in pts if not p[key] > 0]
        low = min(shown) / 3 if shown else 1e-7
        # bounds may reach lower than the data: show them down to three decades below it
        low = max(min(low, lowest_bound), low * 1e-3)
        ax.set_ylim(max(low, 1e-12), 1.0)
    ax.set_xlim(x_grid.min(), x_grid.max())
    if improves < 0:
        ax.invert_xaxis()
    ax.grid(True, which="both", alpha=0.3)
    if any(not p[key] > 0 for pts in codes.values() for p in pts):
        ax.plot([], [], linestyle="none", marker="v", markerfacecolor="none", color="black",
                label="no error: 95 % upper bound")
    place_legend(fig, ax)
    return fig


def waterfall_has_data(rows: list[dict[str, Any]]) -> bool:
    """A waterfall means something once a point has been simulated."""
    return any(row.get("frames", 0) > 0 for row in rows)


def plot_waterfalls(directory: Path, rows, channel, parameter, values, options: PlotOptions, name: str) -> list[Path]:
    """Write ``ber.png`` and ``fer.png`` (and the other formats asked for)."""
    from .style import save

    written = []
    for key in ("ber", "fer"):
        fig = draw_waterfall(rows, channel, parameter, values, key, options, name)
        written += save(fig, directory, key, options)
    return written
