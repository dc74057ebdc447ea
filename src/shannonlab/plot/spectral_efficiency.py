r"""The rate-versus-SNR picture of a link in physical units (``spectral_efficiency.png``).

The Shannon–Hartley curve :math:`C/W = \log_2(1 + P/(N_0W))` in bit/s/Hz against the in-band
SNR :math:`P/(N_0W)`, the modulation-constrained curve of the simulated modulation at its
symbol rate, :math:`(m R_s/W)\,C_{\mathrm{BI}}(E_c/N_0)` with
:math:`E_c/N_0 = (P/(N_0W))\,W/(m R_s)` for BPSK and Gray QPSK (binary inputs), and
:math:`(R_s/W)\,C_{\mathrm{BICM}}(E_s/N_0)` with :math:`E_s/N_0 = (P/(N_0W))\,W/R_s` for M-QAM
(the BICM capacity of its Gray constellation, bits per symbol), and every code placed at its information bit rate per
Hz, :math:`R_b/W = R\,m\,R_s/W`, and at the SNR where its BER reaches ``plot.target_ber``.
The horizontal distance from a code to the Shannon–Hartley curve, :math:`\mathrm{SNR} -
(2^{R_b/W} - 1)` in dB, is its gap to capacity
(:func:`shannonlab.theory.limits.gap_to_capacity_db`).

Everything is read from the rows: they carry what the channel's ``report`` added
(``snr_db``, ``info_spectral_efficiency``, ``symbol_rate_hz``, ``bits_per_symbol``,
``bandwidth_hz``), so this module knows no channel class.

Example
-------
>>> has_link_budget([{"snr_db": 3.0, "info_spectral_efficiency": 0.8}]), has_link_budget([{"ber": 0.1}])
(True, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..theory.capacity import biawgn_capacity
from ..theory.limits import gap_to_capacity_db
from ..theory.units import db_to_linear
from .crossing import find_crossing
from .style import LIMIT_COLOR, NothingToShow, PlotOptions, by_code, code_colors, new_figure, place_legend

MODULATION_NAMES = {1: "BPSK", 2: "QPSK"}


def has_link_budget(rows: list[dict[str, Any]]) -> bool:
    """Whether the rows describe a link in physical units (the band-limited channel's report)."""
    return any("info_spectral_efficiency" in row and "snr_db" in row for row in rows)


def operating_point(points: list[dict[str, Any]], target: float) -> tuple[float, float, bool] | None:
    """(SNR dB, information bit/s/Hz, exact) where the BER curve reaches ``target``, both read
    at the crossing along the sweep; ``exact`` is False where it is only an upper bound."""
    values = np.array([p["value"] for p in points], dtype=float)
    found = find_crossing(points, target, "ber")
    if found is None:
        return None
    snr = np.interp(found.x, values, [p["snr_db"] for p in points])
    eta = np.interp(found.x, values, [p["info_spectral_efficiency"] for p in points])
    return float(snr), float(eta), found.exact


def draw_spectral_efficiency(rows: list[dict[str, Any]], options: PlotOptions, name: str) -> Figure:
    """The spectral-efficiency figure; :class:`NothingToShow` when no code reaches the target."""
    rows = [r for r in rows if "info_spectral_efficiency" in r and "snr_db" in r]
    target = options.target_ber
    codes = by_code(rows)
    points = {label: operating_point(pts, target) for label, pts in codes.items()}
    if not any(points.values()):
        raise NothingToShow(f"no code reaches BER {target:g} within the sweep")
    colors = code_colors(codes)
    fig, ax = new_figure(options)
    placed = [pt for pt in points.values() if pt is not None]
    snrs = [r["snr_db"] for r in rows] + [p[0] for p in placed]
    lo = min(min(snrs) - 3.0, -5.0)
    hi = max(max(snrs) + 3.0, 5.0)
    if options.x_range:
        lo, hi = options.x_range
    grid = np.linspace(lo, hi, 300)
    linear = db_to_linear(grid)
    ax.plot(grid, np.log2(1.0 + linear), color="black", linewidth=1.6, label="Shannon–Hartley C/W = log2(1 + P/(N0 W))")
    first = rows[0]
    m, w = int(first["bits_per_symbol"]), float(first["bandwidth_hz"])
    rates = {round(r["symbol_rate_hz"], 6) for r in rows}
    rs = first.get("nyquist_symbol_rate_hz", first["symbol_rate_hz"]) if len(rates) > 1 else first["symbol_rate_hz"]
    occupancy = m * rs / w  # coded bit/s/Hz
    if m <= 2:  # BPSK, Gray QPSK: m binary inputs at Ec/N0 each
        modulation = MODULATION_NAMES[m]
        constrained = [occupancy * biawgn_capacity(float(s * w / (m * rs))) for s in linear]
        ax.plot(grid, constrained, color=LIMIT_COLOR, linestyle="--", linewidth=1.1,
                label=f"{modulation} at Rs = {rs:.4g} Bd (binary input, no ISI)")
    else:  # M-QAM: m bits share a symbol, and m binary channels at Ec/N0 would overstate it
        modulation = str(first.get("modulation") or f"{m} bit/symbol")
        if "modulation" in first:
            from ..modulation import Constellation
            from ..theory.coded_modulation import bicm_capacity

            constellation = Constellation.from_name(modulation)
            coarse = np.linspace(lo, hi, 120)  # quadrature per point: a smooth curve needs fewer
            constrained = [rs / w * bicm_capacity(constellation, float(s * w / rs)) for s in db_to_linear(coarse)]
            ax.plot(coarse, constrained, color=LIMIT_COLOR, linestyle="--", linewidth=1.1,
                    label=f"{modulation} BICM at Rs = {rs:.4g} Bd (Gray, no ISI)")
    ax.axhline(occupancy, color=LIMIT_COLOR, linestyle=":", linewidth=1.0,
               label=f"uncoded {modulation}: {occupancy:.3g} bit/s/Hz")
    top = 1.0
    missing = []
    for label, point in points.items():
        color = colors[label]
        if point is None:
            missing.append(label)
            continue
        snr, eta, exact = point
        gap = gap_to_capacity_db(snr, eta)
        rb = eta * float(codes[label][0]["bandwidth_hz"])
        bound = "" if exact else "≤ "
        ax.plot([snr], [eta], linestyle="none", marker="o" if exact else "<", markersize=7, color=color,
                markerfacecolor=color if exact else "none",
                label=f"{label}: {rb:.4g} bit/s at {bound}{snr:.2f} dB (gap {bound}{gap:.2f} dB)")
        ax.annotate("", xy=(snr - gap, eta), xytext=(snr, eta),
                    arrowprops=dict(arrowstyle="-", color=color, linestyle=(0, (2, 2)), linewidth=1.0))
        top = max(top, eta)
    ax.set_xlim(lo, hi)
    ax.set_ylim(*(options.y_range or (0.0, max(top * 1.6, float(np.log2(1.0 + db_to_linear(min(hi, 15.0))))))))
    ax.set_xlabel("in-band SNR P/(N0 W) (dB)")
    ax.set_ylabel("information rate per hertz Rb/W (bit/s/Hz)")
    ax.set_title(f"Rate vs SNR at BER {target:g}: {name}")
    ax.grid(True, alpha=0.3)
    if missing:
        names = ", ".join(missing) if len(missing) <= 4 else f"{len(missing)} codes"
        ax.text(0.99, 0.01, f"not reaching BER {target:g}: {names}", transform=ax.transAxes, fontsize=7,
                color=LIMIT_COLOR, va="bottom", ha="right")
    place_legend(fig, ax)
    return fig
