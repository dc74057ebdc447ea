r"""EXIT charts: ``exit_chart.png``, the variable- and check-node transfer curves of an LDPC
ensemble (J-function, :mod:`shannonlab.theory.exit`) with the decoding trajectory measured
on the code (``trajectory:`` in the experiment), and optionally measured transfer curves of
other decoders (a convolutional code's BCJR) in a second panel.

Axes: :math:`I_{A,V} = I_{E,C}` across, :math:`I_{E,V} = I_{A,C}` up; the check-node curve is
drawn inverted, so decoding converges where the variable-node curve stays above it, and the
measured trajectory climbs the staircase between them: iteration l goes across to the
information of the check-to-variable messages, then up to that of the variable-to-check ones.

Example
-------
>>> from shannonlab.theory.ensembles import Ensemble
>>> from shannonlab.plot.style import PlotOptions
>>> fig = draw_exit_chart([ExitPanel(Ensemble.regular(3, 6), 1.5, [0.6, 0.8, 0.95], [0.2, 0.5, 0.9])], PlotOptions())
>>> [line.get_label() for line in fig.axes[0].get_lines()][:2]
['variable nodes (3,6), Eb/N0 = 1.5 dB', 'check nodes (inverted)']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..theory.ensembles import Ensemble
from ..theory.exit import ldpc_exit_curves
from .style import NothingToShow, PlotOptions, code_colors, new_figure, place_legend

#: Points of a sweep whose trajectories are drawn (spread over the sweep).
MAX_TRAJECTORIES = 3


@dataclass
class ExitPanel:
    """An ensemble at one Eb/N0 with (optionally) a measured trajectory: the information of
    variable-to-check and check-to-variable messages per iteration."""

    ensemble: Ensemble
    ebn0_db: float
    variable_to_check: list[float] = field(default_factory=list)
    check_to_variable: list[float] = field(default_factory=list)
    label: str = ""


def _staircase(iv, ic) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [0.0], [iv[0]]
    for l in range(len(ic)):
        xs.append(ic[l])
        ys.append(ys[-1])
        if l + 1 < len(iv):
            xs.append(ic[l])
            ys.append(iv[l + 1])
    return np.array(xs), np.array(ys)


def draw_exit_chart(panels: list[ExitPanel], options: PlotOptions, transfer: list[tuple[Any, Any, str]] = (),
                    title: str = "EXIT chart") -> Figure:
    """The chart of ``panels`` (curves and trajectories in one axes, a colour per panel), and a
    second axes with the measured ``transfer`` curves (x, y, label) when given."""
    if not panels and not transfer:
        raise NothingToShow("no ensemble and no transfer curve to draw")
    ncols = 2 if transfer and panels else 1
    fig, axes = new_figure(options, ncols=ncols)
    axes = list(np.atleast_1d(axes))
    ax = axes[0]
    colors = code_colors([str(i) for i in range(max(len(panels), 1))])
    grid = np.linspace(0.0, 1.0, 201)
    for i, panel in enumerate(panels):
        color = colors[str(i)]
        vn, _ = ldpc_exit_curves(panel.ensemble, panel.ebn0_db, grid)
        _, cn = ldpc_exit_curves(panel.ensemble, panel.ebn0_db, grid)
        tag = panel.label or f"{panel.ensemble.name}, Eb/N0 = {panel.ebn0_db:g} dB"
        ax.plot(grid, vn, color=color, linewidth=1.4, label=f"variable nodes {tag}")
        if i == 0 or panel.ensemble.rho != panels[0].ensemble.rho:   # the same for every Eb/N0
            ax.plot(cn, grid, color="0.3" if i == 0 else color, linewidth=1.2, linestyle=(0, (5, 2)),
                    label="check nodes (inverted)" if i == 0 else f"check nodes {panel.ensemble.name}")
        if panel.variable_to_check:
            xs, ys = _staircase(panel.variable_to_check, panel.check_to_variable)
            ax.plot(xs, ys, color=color, linewidth=0.9, marker=".", markersize=3, alpha=0.9,
                    label=f"measured trajectory ({len(panel.check_to_variable)} iterations)")
    if panels:
        ax.plot([0, 1], [0, 1], color="0.8", linewidth=0.6, zorder=0)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.set_xlabel("$I_{A,V} = I_{E,C}$ (bits)")
        ax.set_ylabel("$I_{E,V} = I_{A,C}$ (bits)")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        place_legend(fig, ax)
    if transfer:
        tx = axes[-1]
        tcolors = code_colors([label for _, _, label in transfer])
        for x, y, label in transfer:
            tx.plot(x, y, marker="o", markersize=3, linewidth=1.3, color=tcolors[label], label=label)
        tx.plot([0, 1], [0, 1], color="0.8", linewidth=0.6, zorder=0)
        tx.set_xlim(0, 1)
        tx.set_ylim(0, 1.01)
        tx.set_xlabel("$I_A$, a-priori information (bits)")
        tx.set_ylabel("$I_E$, extrinsic information (bits)")
        tx.set_title("measured transfer curves")
        tx.grid(True, alpha=0.3)
        place_legend(fig, tx)
    return fig


def ebn0_of_row(row: dict, parameter: str) -> float | None:
    """Eb/N0 (dB) of a row swept on ebn0_db or esn0_db; None otherwise."""
    import math

    if parameter == "ebn0_db":
        return float(row["value"])
    if parameter == "esn0_db":
        return float(row["value"]) - 10.0 * math.log10(float(row["rate"]))
    return None


def draw_trajectories(rows: list[dict], parameter: str, options: PlotOptions, name: str) -> Figure:
    """exit_chart.png of a run with ``trajectory:``: for each code with trajectories, up to
    three points of its sweep, the ensemble of its graph at each point's Eb/N0 and the
    measured staircase."""
    panels = []
    for row in rows:
        t = row.get("trajectory")
        ebn0 = ebn0_of_row(row, parameter)
        if not t or ebn0 is None:
            continue
        ensemble = Ensemble({int(d): v for d, v in t["lambda"].items()}, {int(d): v for d, v in t["rho"].items()})
        panels.append(ExitPanel(ensemble, round(ebn0, 3), t["variable_to_check"], t["check_to_variable"],
                                f"{row['code']}, Eb/N0 = {ebn0:.3g} dB"))
    if not panels:
        raise NothingToShow("no row has a trajectory on an Eb/N0 or Es/N0 axis (set trajectory: in the experiment)")
    if len(panels) > MAX_TRAJECTORIES:
        keep = np.linspace(0, len(panels) - 1, MAX_TRAJECTORIES).round().astype(int)
        panels = [panels[i] for i in keep]
    return draw_exit_chart(panels, options, title=f"EXIT chart: {name}")


def draw_threshold_figure(rows: list[dict], channel, parameter: str, options: PlotOptions, name: str,
                          method: str = "de") -> Figure:
    """threshold.png (``plot.kind: threshold``): left, the FER of each code against Eb/N0 with
    the BP threshold of their ensemble (density evolution, from the degree distributions the
    run recorded with ``trajectory:``) and the BI-AWGN Shannon limit of the rate; right, the
    EXIT chart of the ensemble with the trajectories measured on the longest code at the
    point nearest below the threshold, the nearest above it and the highest one."""
    from ..theory.density_evolution import biawgn_threshold
    from .style import by_code
    from .waterfall import _errorbar

    with_trajectory = [r for r in rows if r.get("trajectory") and ebn0_of_row(r, parameter) is not None]
    if not with_trajectory:
        raise NothingToShow("plot.kind threshold needs trajectory: and an Eb/N0 or Es/N0 sweep")
    t = with_trajectory[0]["trajectory"]
    ensemble = Ensemble({int(d): v for d, v in t["lambda"].items()}, {int(d): v for d, v in t["rho"].items()})
    threshold = biawgn_threshold(ensemble, method)
    fig, (ax, chart) = new_figure(PlotOptions(**{**options.__dict__, "size": (options.size[0] * 1.6, options.size[1])}),
                                  ncols=2)
    codes = by_code(rows)
    colors = code_colors(codes)
    for label, points in codes.items():
        shifted = [{**p, "value": ebn0_of_row(p, parameter)} for p in points]
        _errorbar(ax, shifted, "fer", colors[label], label)
    ax.axvline(threshold.ebn0_db, color="black", linewidth=1.2, linestyle=(0, (5, 2)),
               label=f"BP threshold of the {ensemble.name} ensemble ({threshold.method}): {threshold.ebn0_db:.2f} dB")
    limits = channel.thresholds("ebn0_db", ensemble.rate) if hasattr(channel, "thresholds") else {}
    if "BI-AWGN" in limits:
        ax.axvline(limits["BI-AWGN"], color="0.5", linewidth=0.9, linestyle=(0, (1.5, 2)),
                   label=f"BI-AWGN Shannon limit at R = {ensemble.rate:g}: {limits['BI-AWGN']:.2f} dB")
    ax.set_yscale("log")
    ax.set_xlabel("Eb/N0 (dB)")
    ax.set_ylabel("FER (frame-error rate)")
    ax.set_title(f"FER approaching the threshold: {name}")
    ax.grid(True, which="both", alpha=0.3)
    shown = [p["fer"] for pts in codes.values() for p in pts if p["fer"] > 0]
    # a decade and a half of room below the lowest point: the legend sits there, off the curves
    ax.set_ylim(max(min(shown) / 30, 1e-8) if shown else 1e-6, 1.0)
    ax.legend(fontsize=7.5, loc="lower left", framealpha=0.9)
    longest = max(with_trajectory, key=lambda r: int(r["n"]))["code"]
    own = sorted((r for r in with_trajectory if r["code"] == longest), key=lambda r: ebn0_of_row(r, parameter))
    # just below the threshold (stalls in the tunnel), just above it, and the highest point
    # (the staircase through the open tunnel, averaged over frames of which few fail)
    below = [r for r in own if ebn0_of_row(r, parameter) < threshold.ebn0_db][-1:]
    above = [r for r in own if ebn0_of_row(r, parameter) > threshold.ebn0_db]
    above = above[:1] + above[-1:] if len(above) > 1 else above
    grid = np.linspace(0.0, 1.0, 201)
    _, cn = ldpc_exit_curves(ensemble, 0.0, grid)
    chart.plot(cn, grid, color="0.3", linewidth=1.2, linestyle=(0, (5, 2)), label="check nodes (inverted)")
    pcolors = code_colors([str(i) for i in range(3)])
    for i, row in enumerate(below + above):
        ebn0 = ebn0_of_row(row, parameter)
        vn, _ = ldpc_exit_curves(ensemble, ebn0, grid)
        chart.plot(grid, vn, color=pcolors[str(i)], linewidth=1.4, label=f"variable nodes, {ebn0:g} dB")
        tr = row["trajectory"]
        xs, ys = _staircase(tr["variable_to_check"], tr["check_to_variable"])
        chart.plot(xs, ys, color=pcolors[str(i)], linewidth=0.8, marker=".", markersize=2.5, alpha=0.9,
                   label=f"measured on {longest}, {ebn0:g} dB")
    chart.plot([0, 1], [0, 1], color="0.8", linewidth=0.6, zorder=0)
    chart.set_xlim(0, 1)
    chart.set_ylim(0, 1.01)
    chart.set_xlabel("$I_{A,V} = I_{E,C}$ (bits)")
    chart.set_ylabel("$I_{E,V} = I_{A,C}$ (bits)")
    chart.set_title(f"EXIT chart of the {ensemble.name} ensemble")
    chart.grid(True, alpha=0.3)
    place_legend(fig, chart)
    return fig
