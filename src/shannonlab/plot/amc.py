"""``throughput.png`` of a ``kind: amc`` experiment: every scheme's throughput R·m·(1 − FER)
against the SNR, the envelope that adaptive modulation and coding rides, the Gaussian-input
capacity (log2(1 + SNR); on fading also the ergodic capacity), the CM capacity of each
constellation used, and below it the gap of the envelope to capacity in dB.

Example
-------
>>> data = {"config": {"name": "t", "channel": {"type": "awgn"}, "target_fer": 0.1},
...         "schemes": [{"label": "QPSK 1/2", "modulation": "qpsk", "bits_per_symbol": 2, "info_bits_per_symbol": 1.0}],
...         "rows": [{"snr_db": s, "chosen": "QPSK 1/2" if s > 1 else "", "throughput": 1.0 if s > 1 else 0.0,
...                   "capacity": 0.0, "gap_db": 2.0 if s > 1 else None, "fer[QPSK 1/2]": 0.0 if s > 1 else 1.0}
...                  for s in (0.0, 2.0, 4.0)]}
>>> fig = draw_throughput(data, PlotOptions(size=(7, 6)))
>>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:2]
['QPSK 1/2', 'AMC envelope (FER ≤ 0.1)']
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..theory.fading import channel_fading, gaussian_ergodic_capacity
from ..theory.units import db_to_linear
from .style import LIMIT_DASHES, LIMIT_STYLE, NothingToShow, PlotOptions, code_colors, new_figure, place_legend


def _gaussian(channel: dict[str, Any], snr_db: np.ndarray) -> tuple[np.ndarray, str]:
    fading, k = channel_fading(channel)
    capacity = np.array([gaussian_ergodic_capacity(s, fading, k) for s in db_to_linear(snr_db)])
    if fading == "awgn":
        return capacity, "Shannon–Hartley log2(1 + SNR)"
    return capacity, f"ergodic capacity, Gaussian input ({fading.capitalize()})"


def draw_throughput(data: dict[str, Any], options: PlotOptions):
    """The figure (see the module docstring); :class:`NothingToShow` without any throughput."""
    from ..modulation import Constellation
    from ..theory.coded_modulation import capacities

    config, schemes, rows = data["config"], data["schemes"], data["rows"]
    if not rows or not any(r["throughput"] > 0 for r in rows):
        raise NothingToShow("no scheme met the target FER at any SNR of the sweep")
    channel = config.get("channel", {})
    fading, k_factor = channel_fading(channel)
    block = channel.get("fading") == "block"
    snr = np.array([r["snr_db"] for r in rows], dtype=float)
    grid = np.linspace(snr.min(), snr.max(), 121)
    fig, (ax, gap_ax) = _two_panels(options)
    colors = code_colors([s["label"] for s in schemes])
    for s in schemes:
        fers = np.array([r.get(f"fer[{s['label']}]") for r in rows], dtype=float)
        eta = s["info_bits_per_symbol"] * (1 - fers)
        ax.plot(snr, eta, color=colors[s["label"]], linewidth=1.0, marker=".", markersize=3, alpha=0.85,
                label=s["label"])
    throughput = np.array([r["throughput"] for r in rows])
    ax.step(snr, throughput, where="post", color="black", linewidth=2.2,
            label=f"AMC envelope (FER ≤ {config.get('target_fer', 0.1):g})", zorder=4)
    gaussian, name = _gaussian(channel, grid)
    ax.plot(grid, gaussian, linestyle=LIMIT_DASHES[0], label=name, **{**LIMIT_STYLE, "linewidth": 1.4})
    if fading != "awgn":
        ax.plot(grid, np.log2(1 + db_to_linear(grid)), linestyle=LIMIT_DASHES[2], label="log2(1 + SNR), AWGN",
                **LIMIT_STYLE)
    seen = []
    for s in schemes:
        if s["modulation"] in seen:
            continue
        seen.append(s["modulation"])
        try:
            c = Constellation.from_name(s["modulation"].split(" ")[0])
        except Exception:  # a custom constellation: no name to rebuild it from
            continue
        coarse = np.linspace(snr.min(), snr.max(), 31)
        cm = [capacities(c, db_to_linear(x), fading, k_factor)[0] for x in coarse]
        ax.plot(coarse, cm, linestyle=LIMIT_DASHES[1], **{**LIMIT_STYLE, "linewidth": 0.8},
                label="CM capacity of each constellation" if len(seen) == 1 else None)
        ax.text(coarse[-1], cm[-1], f" {s['modulation']}", fontsize=6.5, color=LIMIT_STYLE["color"], va="center")
    ax.set_ylabel("throughput (bit/s/Hz)")
    ax.set_ylim(0, max(float(gaussian.max()), float(throughput.max())) * 1.05)
    ax.grid(True, alpha=0.3)
    fading_text = {"awgn": "AWGN", "rayleigh": "Rayleigh", "rician": "Rician"}[fading]
    if fading != "awgn":
        fading_text += " block fading" if block else " fast fading"
    ax.set_title(f"{config.get('name', '')}: adaptive modulation and coding on {fading_text}", fontsize=10)
    ax.legend(fontsize=7, loc="upper left", framealpha=0.9)
    gaps = np.array([np.nan if r["gap_db"] is None else r["gap_db"] for r in rows], dtype=float)
    gap_ax.plot(snr, gaps, color="black", marker="o", markersize=3, linewidth=1.2)
    gap_ax.set_xlabel("SNR = Es/N0 per complex symbol (dB)")
    gap_ax.set_ylabel("gap to capacity (dB)")
    gap_ax.grid(True, alpha=0.3)
    finite = gaps[np.isfinite(gaps)]
    if finite.size:
        gap_ax.set_ylim(0, max(1.0, float(finite.max()) * 1.15))
    for a in (ax, gap_ax):
        a.set_xlim(snr.min(), snr.max() + 0.06 * (snr.max() - snr.min()))
    return fig


def _two_panels(options: PlotOptions):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=options.size, layout="constrained")
    FigureCanvasAgg(fig)
    ax, gap_ax = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    return fig, (ax, gap_ax)


def draw_scheme_fer(data: dict[str, Any], options: PlotOptions):
    """``fer.png`` of an AMC experiment: each scheme's frame-error rate against the SNR, with
    the SNR where the CM capacity (dashed) and the BICM capacity (dotted) of its constellation
    reach its k/S information bits per symbol, in its colour: a coded-modulation waterfall
    beside its limits. On block fading the limits are ergodic ones the frames cannot reach."""
    from ..modulation import Constellation
    from ..theory.coded_modulation import esn0_for_rate

    config, schemes, rows = data["config"], data["schemes"], data["rows"]
    snr = np.array([r["snr_db"] for r in rows], dtype=float)
    channel = config.get("channel", {})
    fading, k_factor = channel_fading(channel)
    fig, ax = new_figure(options)
    colors = code_colors([s["label"] for s in schemes])
    drawn = False
    for s in schemes:
        fers = np.array([np.nan if r.get(f"fer[{s['label']}]") is None else r[f"fer[{s['label']}]"] for r in rows])
        shown = fers > 0
        if shown.any():
            ax.semilogy(snr[shown], fers[shown], marker="o", markersize=3.5, color=colors[s["label"]], label=s["label"])
            drawn = True
        try:
            c = Constellation.from_name(s["modulation"].split(" ")[0])
        except Exception:
            continue
        for style, what in ((LIMIT_DASHES[0], "cm"), (LIMIT_DASHES[1], "bicm")):
            esn0 = esn0_for_rate(c, s["info_bits_per_symbol"], what, fading, k_factor)
            if math.isfinite(esn0):
                ax.axvline(10 * math.log10(esn0), color=colors[s["label"]], linestyle=style, linewidth=0.9, alpha=0.8)
    if not drawn:
        raise NothingToShow("no scheme made a frame error")
    ax.plot([], [], color="0.3", linestyle=LIMIT_DASHES[0], linewidth=0.9, label="CM limit (scheme's colour)")
    ax.plot([], [], color="0.3", linestyle=LIMIT_DASHES[1], linewidth=0.9, label="BICM limit (scheme's colour)")
    target = config.get("target_fer", 0.1)
    ax.axhline(target, color="0.5", linewidth=0.8, label=f"target FER {target:g}")
    ax.set_xlabel("SNR = Es/N0 per complex symbol (dB)")
    ax.set_ylabel("frame-error rate")
    ax.set_xlim(snr.min(), snr.max())
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title(f"{config.get('name', '')}: FER of each scheme beside its CM and BICM limits", fontsize=10)
    place_legend(fig, ax)
    return fig
