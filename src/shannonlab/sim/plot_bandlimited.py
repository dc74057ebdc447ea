r"""The rate-versus-SNR picture of a link in physical units (``spectral_efficiency.png``).

The Shannon–Hartley curve :math:`C/W = \log_2(1 + P/(N_0W))` in bit/s/Hz against the in-band
SNR :math:`P/(N_0W)`, the modulation-constrained curve of the simulated modulation at its
symbol rate, :math:`(m R_s/W)\,C_{\mathrm{BI}}(E_c/N_0)` with
:math:`E_c/N_0 = (P/(N_0W))\,W/(m R_s)`, and every code placed at its information bit rate per
Hz, :math:`R_b/W = R\,m\,R_s/W`, and at the SNR where its BER reaches ``plot.target_ber``.
The horizontal distance from a code to the Shannon–Hartley curve, :math:`\mathrm{SNR} -
(2^{R_b/W} - 1)` in dB, is its gap to capacity.

Everything is read from ``results.json``: the rows carry what the channel's ``report``
added (``snr_db``, ``info_spectral_efficiency``, ``symbol_rate_hz``, ``bits_per_symbol``,
``bandwidth_hz``), so this module knows no channel class.

Example
-------
>>> gap_to_capacity_db(snr_db=7.4, efficiency=0.8) > 8.5
True
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ..theory.capacity import biawgn_capacity
from .plot import _by_code, _pyplot, crossing


def gap_to_capacity_db(snr_db: float, efficiency: float) -> float:
    """SNR (dB) used minus the Shannon–Hartley minimum 10 log10(2^eta - 1) for eta bit/s/Hz.

    >>> round(gap_to_capacity_db(0.0, 1.0), 6)
    0.0
    """
    return snr_db - 10.0 * math.log10(2.0**efficiency - 1.0)


def _operating_point(points: list[dict[str, Any]], target: float) -> tuple[float, float] | None:
    """(SNR dB, information bit/s/Hz) where the BER curve crosses ``target``, interpolated
    along the sweep in the same proportion as the log-BER."""
    values = np.array([p["value"] for p in points], dtype=float)
    x = crossing(values, np.array([p["ber"] for p in points], dtype=float), target)
    if x is None:
        return None
    snr = np.interp(x, values, [p["snr_db"] for p in points])
    eta = np.interp(x, values, [p["info_spectral_efficiency"] for p in points])
    return float(snr), float(eta)


def plot_spectral_efficiency(directory: str | Path, data: dict[str, Any]) -> Path:
    """Draw ``spectral_efficiency.png`` in ``directory`` from loaded results ``data``."""
    directory = Path(directory)
    rows = [r for r in data["rows"] if "info_spectral_efficiency" in r and "snr_db" in r]
    config = data["config"]
    target = config.get("plot", {}).get("target_ber", 1e-4)
    name = config.get("name", directory.name)
    plt = _pyplot()
    codes = _by_code(rows)
    cmap = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(8, 5.5))

    placed = [pt for pt in (_operating_point(pts, target) for pts in codes.values()) if pt is not None]
    snrs = [r["snr_db"] for r in rows] + [p[0] for p in placed]
    lo = min(min(snrs, default=0.0) - 3.0, -5.0)
    hi = max(max(snrs, default=10.0) + 3.0, 5.0)
    grid = np.linspace(lo, hi, 300)
    linear = 10.0 ** (grid / 10.0)
    ax.plot(grid, np.log2(1.0 + linear), color="black", linewidth=1.6, label="Shannon–Hartley C/W = log2(1 + P/(N0 W))")

    first = rows[0] if rows else None
    if first is not None:
        m, w = int(first["bits_per_symbol"]), float(first["bandwidth_hz"])
        rates = {round(r["symbol_rate_hz"], 6) for r in rows}
        rs = first.get("nyquist_symbol_rate_hz", first["symbol_rate_hz"]) if len(rates) > 1 else first["symbol_rate_hz"]
        occupancy = m * rs / w  # coded bit/s/Hz
        modulation = {1: "BPSK", 2: "QPSK"}.get(m, f"{m} bit/symbol")
        constrained = [occupancy * biawgn_capacity(float(s * w / (m * rs))) for s in linear]
        ax.plot(grid, constrained, color="black", linestyle="--", linewidth=1.1,
                label=f"{modulation} at Rs = {rs:.4g} Bd (binary input, no ISI)")
        ax.axhline(occupancy, color="grey", linestyle=":", linewidth=1.0,
                   label=f"uncoded {modulation}: {occupancy:.3g} bit/s/Hz")

    top = 1.0
    for i, (label, points) in enumerate(codes.items()):
        color = cmap(i % 10)
        point = _operating_point(points, target)
        if point is None:
            ax.plot([], [], linestyle="none", marker="x", color=color, label=f"{label}: BER {target:g} not reached")
            continue
        snr, eta = point
        gap = gap_to_capacity_db(snr, eta)
        rb = eta * float(points[0]["bandwidth_hz"])
        ax.plot([snr], [eta], linestyle="none", marker="o", markersize=7, color=color,
                label=f"{label}: {rb:.4g} bit/s at {snr:.2f} dB (gap {gap:.2f} dB)")
        ax.annotate("", xy=(snr - gap, eta), xytext=(snr, eta),
                    arrowprops=dict(arrowstyle="-", color=color, linestyle=(0, (2, 2)), linewidth=1.0))
        top = max(top, eta)
    ax.set_xlim(lo, hi)
    ax.set_ylim(0.0, max(top * 1.6, float(np.log2(1.0 + 10 ** (min(hi, 15.0) / 10.0)))))
    ax.set_xlabel("in-band SNR P/(N0 W) (dB)")
    ax.set_ylabel("information rate per hertz Rb/W (bit/s/Hz)")
    ax.set_title(f"Rate vs SNR at BER {target:g}: {name}")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    path = directory / "spectral_efficiency.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
