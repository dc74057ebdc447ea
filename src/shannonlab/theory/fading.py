r"""Flat fading with the gain known at the receiver: the gain distributions, the ergodic
capacity of Gaussian input on Rayleigh fading, and averages over the fading of anything
that depends on the instantaneous SNR.

A symbol is received as :math:`y = h x + n` with :math:`E|h|^2 = 1`, so the average
received :math:`E_s/N_0` is :math:`\bar\gamma` and the instantaneous one :math:`\bar\gamma g`,
:math:`g = |h|^2`:

* Rayleigh: :math:`h \sim \mathcal{CN}(0, 1)`, g exponential with mean 1;
* Rician with K-factor K (ratio of line-of-sight to scattered power):
  :math:`h = \sqrt{K/(K+1)} + \mathcal{CN}(0, 1/(K+1))`, g non-central :math:`\chi^2` with
  density :math:`(1+K)e^{-K-(1+K)g} I_0\big(2\sqrt{K(1+K)g}\big)`.

The moment-generating function :math:`\mathcal M(s) = E[e^{-s\bar\gamma g}]` is
:math:`1/(1+s\bar\gamma)` (Rayleigh) and :math:`\frac{1+K}{1+K+s\bar\gamma}
\exp\!\big(-\frac{K s\bar\gamma}{1+K+s\bar\gamma}\big)` (Rician); with Craig's form of Q,
:math:`E\,Q(c\sqrt{\bar\gamma g}) = \frac1\pi\int_0^{\pi/2}\mathcal M\big(\tfrac{c^2}{2\sin^2\theta}\big)d\theta`
(Simon & Alouini, Digital Communication over Fading Channels, ch. 5).

Ergodic capacity with Gaussian input on Rayleigh fading (Lee 1990):
:math:`C = E\log_2(1+\bar\gamma g) = \log_2(e)\, e^{1/\bar\gamma} E_1(1/\bar\gamma)`.

Example
-------
>>> round(rayleigh_ergodic_capacity(10.0), 6)  # 10 dB: 0.55 bit below log2(11) on AWGN
2.906515
>>> round(q_average(1.0, 10.0, "rayleigh"), 6), round(0.5 * (1 - (5 / 6) ** 0.5), 6)
(0.043565, 0.043565)
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, special, stats

from .units import db_to_linear

FADINGS = ("awgn", "rayleigh", "rician")


def check_fading(fading: str, k_factor: float | None) -> None:
    if fading not in FADINGS:
        raise ValueError(f"fading must be one of {', '.join(FADINGS)}, got {fading!r}")
    if fading == "rician" and (k_factor is None or not k_factor >= 0 or not math.isfinite(k_factor)):
        raise ValueError(f"k_factor must be a finite number >= 0 for Rician fading, got {k_factor}")


def mgf(s, snr: float, fading: str, k_factor: float | None = None):
    """E[exp(-s·snr·g)] for the power gain g of ``fading`` (``awgn``: g = 1)."""
    s = np.asarray(s, dtype=float)
    x = s * snr
    if fading == "awgn":
        return np.exp(-x)
    if fading == "rayleigh":
        return 1.0 / (1.0 + x)
    K = float(k_factor)
    return (1.0 + K) / (1.0 + K + x) * np.exp(-K * x / (1.0 + K + x))


def q_average(c: float, snr: float, fading: str = "rayleigh", k_factor: float | None = None) -> float:
    r"""E[Q(c·sqrt(snr·g))] over the fading: Q itself on AWGN, the closed form
    :math:`\frac12\big(1 - \sqrt{\frac{c^2\bar\gamma/2}{1 + c^2\bar\gamma/2}}\big)` on Rayleigh,
    Craig's integral of the MGF on Rician fading."""
    check_fading(fading, k_factor)
    if fading == "awgn":
        return float(special.ndtr(-c * math.sqrt(snr)))
    if fading == "rayleigh":
        a = 0.5 * c * c * snr
        return 0.5 * (1.0 - math.sqrt(a / (1.0 + a)))
    f = lambda t: float(mgf(c * c / (2.0 * math.sin(t) ** 2), snr, fading, k_factor))
    return integrate.quad(f, 0.0, math.pi / 2, epsabs=0.0, epsrel=1e-12, limit=200)[0] / math.pi


def gain_pdf(g, fading: str, k_factor: float | None = None):
    """Density of the power gain g = |h|^2 (mean 1)."""
    g = np.asarray(g, dtype=float)
    if fading == "rayleigh":
        return np.exp(-g)
    K = float(k_factor)
    # g (1+K)*2 is non-central chi-square with 2 degrees of freedom and non-centrality 2K
    return 2.0 * (1.0 + K) * stats.ncx2.pdf(2.0 * (1.0 + K) * g, 2, 2.0 * K)


def gain_cdf(g, fading: str, k_factor: float | None = None):
    """P(|h|^2 <= g)."""
    g = np.asarray(g, dtype=float)
    if fading == "rayleigh":
        return -np.expm1(-g)
    K = float(k_factor)
    return stats.ncx2.cdf(2.0 * (1.0 + K) * g, 2, 2.0 * K)


def fading_average(f, snr: float, fading: str = "rayleigh", k_factor: float | None = None,
                   tol: float = 1e-10) -> float:
    """E[f(snr·g)] over the power gain g by adaptive quadrature (f of an instantaneous SNR,
    e.g. an AWGN error rate or capacity); on ``awgn`` simply f(snr)."""
    check_fading(fading, k_factor)
    if fading == "awgn":
        return float(f(snr))
    pdf = lambda g: float(f(snr * g)) * float(gain_pdf(g, fading, k_factor))
    # split where the density has its mass so quad sees it: [0, 1], [1, 1+K...], tail
    edges = [0.0, 0.05, 0.3, 1.0, 3.0, 10.0, 40.0, 200.0]
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        total += integrate.quad(pdf, a, b, epsabs=tol * 1e-2, epsrel=tol, limit=200)[0]
    return total


def _exp_e1(x: float) -> float:
    """e^x E1(x) without overflow (asymptotic series beyond x = 50, 20 terms: error < 1e-17)."""
    if x < 50.0:
        return math.exp(x) * float(special.exp1(x))
    term, total = 1.0 / x, 0.0
    for k in range(20):
        total += term
        term *= -(k + 1) / x
    return total


def rayleigh_ergodic_capacity(snr: float) -> float:
    """E[log2(1 + snr·g)], g exponential: log2(e)·e^(1/snr)·E1(1/snr), bits per complex symbol."""
    if snr <= 0:
        return 0.0
    return _exp_e1(1.0 / snr) / math.log(2.0)


def gaussian_ergodic_capacity(snr: float, fading: str = "rayleigh", k_factor: float | None = None) -> float:
    """E[log2(1 + snr·g)] with Gaussian input, bits per complex symbol: log2(1 + snr) on
    ``awgn``, the closed form on Rayleigh, quadrature over the gain on Rician."""
    check_fading(fading, k_factor)
    if fading == "rayleigh":
        return rayleigh_ergodic_capacity(snr)
    return fading_average(lambda s: math.log2(1.0 + s), snr, fading, k_factor)


def channel_fading(channel) -> tuple[str, float | None]:
    """(fading, linear K-factor or None) of a ``channel:`` mapping (``type: rayleigh``, or
    ``type: rician`` with ``k_factor_db`` or ``k_factor``); any other type is ``awgn``."""
    kind = channel.get("type", "awgn")
    if kind != "rician":
        return ("rayleigh" if kind == "rayleigh" else "awgn"), None
    k_db = channel.get("k_factor_db")
    return "rician", (db_to_linear(k_db) if k_db is not None else float(channel["k_factor"]))


def gaussian_outage_probability(rate: float, snr: float, fading: str = "rayleigh", k_factor: float | None = None) -> float:
    """P(log2(1 + snr·g) < rate): a codeword seeing one gain (block fading) with Gaussian
    input; Rayleigh: 1 - exp(-(2^R - 1)/snr)."""
    check_fading(fading, k_factor)
    threshold = (2.0**rate - 1.0) / snr
    if fading == "awgn":
        return float(1.0 < threshold)
    return float(gain_cdf(threshold, fading, k_factor))
