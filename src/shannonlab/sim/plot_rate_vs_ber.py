r"""The rate against bit-error probability plane (``plot: {kind: rate-vs-ber}``):
``rate_vs_ber.png``.

Every code is a point (measured BER p_b with its 95 % interval as a horizontal error bar,
rate R), next to the Shannon limit for the channel at the swept value: by the
rate-distortion theorem with Hamming distortion, rate R is achievable with bit-error
probability p_b exactly when

.. math:: R\,(1 - H_2(p_b)) \le C \quad\Longleftrightarrow\quad R \le \frac{C}{1 - H_2(p_b)},

C the capacity per channel use (on a BSC with crossover f, :math:`C = 1 - H_2(f)`). The
achievable region, below the curve, is shaded; the curve tends to R = C as p_b -> 0 and
reaches R = 1 at p_b = f (MacKay, *Information Theory, Inference, and Learning Algorithms*,
fig. 1.18 and sec. 10.4). Where the capacity per use depends on the rate (an Eb/N0 axis),
the limit solves :math:`R\,(1 - H_2(p_b)) = C(R)` for R at each p_b.

A code with no bit error is drawn as an open left-pointing triangle at its 95 % upper
bound; a code's exact BER (``ber_theory``), when known, as a small cross.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize

from ..theory.capacity import binary_entropy
from .registry import parse_channel_spec

STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "D", "^", "v", "P", "X")


def rate_limit(capacity, pb: float) -> float:
    """The largest rate R <= 1 with R (1 - H2(pb)) <= C(R); ``capacity`` maps a rate to the
    capacity per use at that rate (a constant on a BSC or BEC).

    >>> round(rate_limit(lambda r: 1 - binary_entropy(0.1), 1e-3), 4)
    0.5371
    >>> rate_limit(lambda r: 1 - binary_entropy(0.1), 0.2)
    1.0
    """
    h = 1.0 - float(binary_entropy(pb))
    gap = lambda r: capacity(r) - r * h
    if gap(1.0) >= 0:
        return 1.0
    low = 1e-9
    if gap(low) < 0:
        return 0.0
    return float(optimize.brentq(gap, low, 1.0, xtol=1e-12))


def plot_rate_vs_ber(directory: str | Path, data: dict[str, Any]) -> Path:
    """Draw ``rate_vs_ber.png`` in ``directory`` from its results (``data`` as loaded)."""
    from .plot import _by_code, _pyplot

    directory = Path(directory)
    config = data["config"]
    channel = parse_channel_spec(config["channel"])
    parameter = config["sweep"]["parameter"]
    values = sorted({float(v) for v in config["sweep"]["values"]})
    name = config.get("name", directory.name)
    codes = _by_code(data["rows"])
    plt = _pyplot()
    cmap = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(8.5, 6))

    lows = [p["ber_low"] for pts in codes.values() for p in pts if p["ber_low"] > 0]
    lows += [p["ber_high"] for pts in codes.values() for p in pts]
    left = min([1e-6, *(x / 10 for x in lows)]) if lows else 1e-6
    pb = np.logspace(math.log10(left), math.log10(0.5), 400)
    label_of = channel.parameter_label(parameter)
    for i, value in enumerate(values):
        def capacity(rate, value=value):
            return next(iter(channel.capacities(parameter, value, float(rate)).values()))

        limit = np.array([rate_limit(capacity, float(x)) for x in pb])
        style = STYLES[i % len(STYLES)]
        ax.plot(pb, limit, color="black", linestyle=style, linewidth=1.4,
                label=f"Shannon limit R = C/(1 - H2(pb)), {parameter} = {value:g} (C = {capacity(0.5):.4g})")
        ax.fill_between(pb, 0.0, limit, color="tab:green", alpha=0.12 / len(values) + 0.05,
                        label="achievable" if i == 0 else None, linewidth=0)

    placed: list[tuple[float, float]] = []
    for c, (label, points) in enumerate(codes.items()):
        color = cmap(c % 10)
        for point in points:
            marker = MARKERS[values.index(point["value"]) % len(MARKERS)] if point["value"] in values else "o"
            rate = point["rate"]
            suffix = f" ({parameter} = {point['value']:g})" if len(values) > 1 else ""
            if point["bit_errors"] > 0:
                ber = point["ber"]
                ax.errorbar([ber], [rate], xerr=[[ber - point["ber_low"]], [point["ber_high"] - ber]],
                            color=color, marker=marker, markersize=6, capsize=3, linestyle="none",
                            label=f"{label}{suffix}: pb = {ber:.3g}")
                x = ber
            else:
                x = point["ber_high"]
                ax.plot([x], [rate], marker="<", markerfacecolor="none", color=color, markersize=7, linestyle="none",
                        label=f"{label}{suffix}: no error, pb < {x:.2g}")
            theory = point.get("ber_theory")
            if theory:
                ax.plot([theory], [rate], marker="x", color="black", markersize=4, linestyle="none", zorder=5)
            # codes at the same spot (R3 and Hamming(3,1)) get their names on separate lines
            twins = sum(1 for (xx, rr) in placed if abs(rr - rate) < 0.02 and abs(math.log(x / xx)) < 0.3)
            placed.append((x, rate))
            ax.annotate(label, (x, rate), textcoords="offset points", xytext=(6, 3 - 9 * twins), fontsize=7, color=color)
    if any(p.get("ber_theory") for pts in codes.values() for p in pts):
        ax.plot([], [], marker="x", color="black", markersize=4, linestyle="none", label="exact pb (theory)")

    ax.set_xscale("log")
    ax.set_xlim(pb[0], 0.5)
    ax.set_ylim(0.0, 1.05)
    ax.set_xlabel("bit-error probability pb")
    ax.set_ylabel("rate R (information bits per channel use)")
    ax.set_title(f"Rate vs bit-error probability: {name} ({label_of})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6.5, loc="upper left", ncol=1 if len(codes) < 8 else 2)
    fig.tight_layout()
    path = directory / "rate_vs_ber.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
