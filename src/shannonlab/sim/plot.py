"""Plots of a results directory: BER and FER against the sweep parameter next to the
limits of information theory, and the capacity plane.

* ``ber.png``: BER with its 95 % interval per code; for each code rate R, vertical lines at
  the parameter value where capacity equals R (Shannon limit with Gaussian input and the
  binary-input limit on an Eb/N0 axis; 1 - H2(p) = R on a BSC; 1 - epsilon = R on a BEC) and
  the rate-distortion bound on BER itself: the smallest p_b with R (1 - H2(p_b)) = C.
* ``fer.png``: FER with its interval and the same vertical limits, and, when the channel spec
  has ``normal_approximation_fer``, the finite-length limit of each (n, k) (PPV, dashed).
* ``capacity.png``: rate against the parameter with each input model's capacity curve, every
  code placed where its BER reaches ``plot.target_ber``.

A point with no error is drawn as an open triangle at its upper bound, never at zero.
Channels supply their capacities and thresholds, so this module knows none by name.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from .registry import parse_channel_spec
from .results import load_results

LINESTYLES = ("--", ":", "-.", (0, (5, 1, 1, 1)))


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _by_code(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    codes: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        codes.setdefault(row["code"], []).append(row)
    for points in codes.values():
        points.sort(key=lambda r: r["value"])
    return codes


def crossing(values: np.ndarray, rates: np.ndarray, target: float) -> float | None:
    """Where a measured error-rate curve crosses ``target`` (log-linear interpolation),
    or None if it never does within the measured points."""
    for i in range(len(values) - 1):
        a, b = rates[i], rates[i + 1]
        if a > 0 and b > 0 and (a - target) * (b - target) <= 0 and a != b:
            t = (math.log(target) - math.log(a)) / (math.log(b) - math.log(a))
            return float(values[i] + t * (values[i + 1] - values[i]))
    return None


def _limit_lines(ax, channel, parameter, rates, colors):
    for rate, color in zip(rates, colors):
        for (name, x), style in zip(channel.thresholds(parameter, rate).items(), LINESTYLES):
            if math.isfinite(x):
                ax.axvline(x, color=color, linestyle=style, linewidth=1.0, alpha=0.8,
                           label=f"{name} limit, R={rate:.3g} ({x:.2f})")


def _ber_bound(ax, channel, parameter, rate, x_grid, color):
    from ..theory.limits import min_ber

    name = None
    bound = []
    for x in x_grid:
        capacities = channel.capacities(parameter, float(x), rate)
        name, capacity = next(iter(capacities.items()))
        bound.append(min_ber(rate, capacity))
    bound = np.array(bound)
    visible = bound > 0
    if visible.any():
        ax.plot(x_grid[visible], bound[visible], color=color, linewidth=1.2, alpha=0.6,
                label=f"min BER at R={rate:.3g} ({name})")


def normal_approximation_curves(channel, parameter, codes, x_grid) -> dict[tuple[int, int], np.ndarray]:
    """For each distinct (n, k) among the codes, the channel's finite-length limit (best FER of
    any (n, k) code, PPV normal approximation) over ``x_grid``; empty if the channel has none."""
    curves: dict[tuple[int, int], np.ndarray] = {}
    for points in codes.values():
        n, k = int(points[0]["n"]), int(points[0]["k"])
        if (n, k) not in curves:
            fer = [channel.normal_approximation_fer(parameter, float(x), n, k) for x in x_grid]
            if all(f is not None for f in fer):
                curves[(n, k)] = np.array(fer, dtype=float)
    return curves


def _normal_approximation(ax, channel, parameter, codes, x_grid):
    curves = normal_approximation_curves(channel, parameter, codes, x_grid)
    for ((n, k), fer), style in zip(curves.items(), ("--", "-.", ":", (0, (5, 1, 1, 1))) * len(curves)):
        visible = fer > 1e-15
        ax.plot(x_grid[visible], fer[visible], color="dimgray", linestyle=style, linewidth=1.1,
                label=f"normal approx. ({n},{k})")


def legend(ax, crowded: int = 12) -> None:
    """A legend inside the axes, or beside them (on a wider figure) when it is crowded."""
    if len(ax.get_legend_handles_labels()[1]) > crowded:
        width, height = ax.figure.get_size_inches()
        ax.figure.set_size_inches(width + 4.5, height)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    else:
        ax.legend(fontsize=7, loc="best")
    ax.figure.tight_layout()


def _errorbar(ax, points, key, color, label):
    x = np.array([p["value"] for p in points])
    y = np.array([p[key] for p in points])
    low = np.array([p[f"{key}_low"] for p in points])
    high = np.array([p[f"{key}_high"] for p in points])
    measured = y > 0
    if measured.any():
        ax.errorbar(x[measured], y[measured], yerr=[y[measured] - low[measured], high[measured] - y[measured]],
                    color=color, marker="o", markersize=4, capsize=2, linewidth=1.4, label=label)
    if (~measured).any():
        ax.plot(x[~measured], high[~measured], linestyle="none", marker="v", markerfacecolor="none", color=color,
                label=f"{label}: no error (95 % upper bound)")


def plot_directory(directory: str | Path) -> list[Path]:
    """Draw ``ber.png``, ``fer.png`` and ``capacity.png`` in ``directory`` from its results."""
    directory = Path(directory)
    data = load_results(directory)
    rows = data["rows"]
    config = data["config"]
    channel = parse_channel_spec(config["channel"])
    parameter = config["sweep"]["parameter"]
    target = config.get("plot", {}).get("target_ber", 1e-4)
    name = config.get("name", directory.name)
    plt = _pyplot()
    codes = _by_code(rows)
    cmap = plt.get_cmap("tab10" if len(codes) <= 10 else "tab20")
    colors = {label: cmap(i % cmap.N) for i, label in enumerate(codes)}
    # Limits are drawn once per rate to two decimals: zero-tail codes of rate 0.496..0.499
    # share the R = 0.5 lines (their limits differ by less than 0.02 dB).
    rates = sorted({round(points[0]["rate"], 2) for points in codes.values()})
    rate_colors = [plt.get_cmap("Dark2")(i % 8) for i in range(len(rates))]
    values = np.array(config["sweep"]["values"], dtype=float)
    span = values.max() - values.min() if values.size > 1 else 1.0
    x_grid = np.linspace(values.min() - 0.05 * span, values.max() + 0.05 * span, 200)
    if channel.improves(parameter) < 0:
        x_grid = x_grid[x_grid > 0]
    xlabel = channel.parameter_label(parameter)
    written = []

    for key, title in (("ber", "Bit-error rate"), ("fer", "Frame-error rate")):
        fig, ax = plt.subplots(figsize=(8, 5.5))
        for label, points in codes.items():
            _errorbar(ax, points, key, colors[label], label)
            theory = [(p["value"], p.get("ber_theory")) for p in points if p.get("ber_theory")]
            if key == "ber" and theory:
                ax.plot(*zip(*theory), color=colors[label], linestyle=(0, (2, 2)), linewidth=1.0, alpha=0.8,
                        label=f"{label}: {points[0].get('ber_theory_name', 'exact')}")
        _limit_lines(ax, channel, parameter, rates, rate_colors)
        if key == "fer":
            _normal_approximation(ax, channel, parameter, codes, x_grid)
        if key == "ber":
            for rate, color in zip(rates, rate_colors):
                _ber_bound(ax, channel, parameter, rate, x_grid, color)
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(f"{key.upper()} ({title.lower()})")
        ax.set_title(f"{title}: {name}")
        lows = [p[key] for pts in codes.values() for p in pts if p[key] > 0] + [p[f"{key}_high"] for pts in codes.values() for p in pts]
        ax.set_ylim(max(min(lows) / 3, 1e-12) if lows else 1e-7, 1.0)
        ax.set_xlim(x_grid.min(), x_grid.max())
        if channel.improves(parameter) < 0:
            ax.invert_xaxis()
        ax.grid(True, which="both", alpha=0.3)
        legend(ax)
        path = directory / f"{key}.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        written.append(path)

    written.append(_capacity_plane(plt, directory, channel, parameter, codes, colors, target, xlabel, name, x_grid))
    if any("info_spectral_efficiency" in row for row in rows):  # a link in physical units (bandlimited)
        from .plot_bandlimited import plot_spectral_efficiency

        written.append(plot_spectral_efficiency(directory, data))
    if config.get("plot", {}).get("kind") == "rate-vs-ber":
        from .plot_rate_vs_ber import plot_rate_vs_ber

        written.append(plot_rate_vs_ber(directory, data))
    return written


def _capacity_plane(plt, directory, channel, parameter, codes, colors, target, xlabel, name, x_grid) -> Path:
    fig, ax = plt.subplots(figsize=(8, 5.5))
    grid = np.linspace(0.01, 0.99, 99)
    curves: dict[str, list[tuple[float, float]]] = {}
    for rate in grid:
        for kind, x in channel.thresholds(parameter, float(rate)).items():
            if math.isfinite(x):
                curves.setdefault(kind, []).append((x, rate))
    for (kind, pts), style in zip(curves.items(), ("-", "--", ":", "-.")):
        xs, rs = zip(*pts)
        ax.plot(xs, rs, color="black", linestyle=style, linewidth=1.3, label=f"capacity ({kind})")
    placed = []
    for label, points in codes.items():
        x = crossing(np.array([p["value"] for p in points]), np.array([p["ber"] for p in points]), target)
        rate = points[0]["rate"]
        if x is None:
            ax.plot([], [], linestyle="none", marker="x", color=colors[label], label=f"{label}: BER {target:g} not reached")
            continue
        placed.append(x)
        ax.plot([x], [rate], linestyle="none", marker="o", markersize=7, color=colors[label], label=f"{label} ({x:.2f})")
    curve_x = [x for pts in curves.values() for x, _ in pts]
    ax.set_xlim(min([x_grid.min(), *placed, *curve_x]), max([x_grid.max(), *placed]))
    if channel.improves(parameter) < 0:
        ax.invert_xaxis()
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("rate R (information bits per channel use)")
    ax.set_title(f"Capacity plane at BER {target:g}: {name}")
    ax.grid(True, alpha=0.3)
    legend(ax)
    path = directory / "capacity.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
