r"""Closed-form capacities and the Shannon limits that plots and channels draw on.

Every channel's ``capacity()`` calls into this module, so a capacity is computed in one
place only. Units: capacities in bits per channel use unless the name says per second;
SNRs in linear units unless the name ends in ``_db``.

Formulas
--------
* Binary entropy  :math:`H_2(p) = -p\log_2 p - (1-p)\log_2(1-p)`.
* BSC             :math:`C = 1 - H_2(f)`.
* BEC             :math:`C = 1 - \epsilon`.
* Gaussian input, real AWGN with SNR = P/sigma^2: :math:`C = \tfrac12\log_2(1+\mathrm{SNR})`;
  with unit-energy BPSK symbols SNR = 2 Es/N0.
* Binary-input AWGN (BPSK): with the LLR :math:`L \sim \mathcal N(m, 2m)`, m = 4 Es/N0,
  :math:`C = 1 - \mathbb E\,\log_2(1 + e^{-L})`.
* Shannon–Hartley :math:`C = W\log_2(1 + P/(N_0 W))` bits per second.
* Shannon limit of rate R on Eb/N0: Gaussian input :math:`(2^{2R}-1)/(2R)`; binary input
  solved numerically from :math:`C_{\mathrm{BI}}(R\,E_b/N_0) = R`.
* Smallest bit-error rate reachable at rate R over a channel of capacity C (rate–distortion
  with Hamming distortion): :math:`R\,(1 - H_2(p_b)) = C`.

Example
-------
>>> round(bsc_capacity(0.11), 4)
0.5
>>> round(shannon_limit_ebn0_db(0.5, "gaussian"), 3)
0.0
>>> round(shannon_limit_ebn0_db(0.5, "binary"), 3)
0.187
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import integrate, optimize, special

LN2 = math.log(2.0)


def binary_entropy(p):
    r"""H2(p) in bits, elementwise, with H2(0) = H2(1) = 0.

    >>> float(binary_entropy(0.5))
    1.0
    """
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -special.xlogy(p, p) - special.xlogy(1.0 - p, 1.0 - p)
    h = h / LN2
    return float(h) if h.ndim == 0 else h


def inverse_binary_entropy(h: float) -> float:
    """The p in [0, 1/2] with H2(p) = h, for h in [0, 1].

    >>> round(inverse_binary_entropy(0.5), 6)
    0.110028
    """
    if not 0.0 <= h <= 1.0:
        raise ValueError(f"binary entropy must lie in [0, 1], got {h}")
    if h == 0.0:
        return 0.0
    if h == 1.0:
        return 0.5
    return optimize.brentq(lambda p: binary_entropy(p) - h, 0.0, 0.5, xtol=1e-15, rtol=1e-15)


def q_function(x):
    """Gaussian tail probability Q(x) = P(N(0,1) > x), elementwise."""
    return special.ndtr(-np.asarray(x, dtype=float))


def db_to_linear(db):
    return 10.0 ** (np.asarray(db, dtype=float) / 10.0)


def bsc_capacity(f: float) -> float:
    """1 - H2(f) bits per use of a binary symmetric channel with crossover f."""
    return 1.0 - binary_entropy(f)


def bec_capacity(epsilon: float) -> float:
    """1 - epsilon bits per use of a binary erasure channel."""
    return 1.0 - float(epsilon)


def gaussian_capacity(snr: float) -> float:
    """1/2 log2(1 + SNR) bits per real channel use with Gaussian input."""
    return 0.5 * math.log2(1.0 + snr)


def shannon_hartley(bandwidth_hz: float, power_w: float, n0_w_per_hz: float) -> float:
    """W log2(1 + P/(N0 W)) bits per second; as W grows it tends to P/(N0 ln 2)."""
    if bandwidth_hz <= 0 or power_w < 0 or n0_w_per_hz <= 0:
        raise ValueError("shannon_hartley needs bandwidth_hz > 0, power_w >= 0, n0_w_per_hz > 0")
    return bandwidth_hz * math.log2(1.0 + power_w / (n0_w_per_hz * bandwidth_hz))


@lru_cache(maxsize=4096)
def biawgn_capacity(esn0: float) -> float:
    """Capacity of BPSK on the real AWGN channel at linear Es/N0, bits per use.

    Adaptive quadrature of 1 - E[log2(1 + exp(-L))] with L ~ N(4 Es/N0, 8 Es/N0);
    absolute error below 1e-12.

    >>> round(biawgn_capacity(10 ** (0.187 / 10) * 0.5), 3)
    0.5
    """
    if esn0 <= 0.0:
        return 0.0
    mean = 4.0 * esn0
    std = math.sqrt(2.0 * mean)

    def integrand(z):
        llr = mean + std * z
        return math.exp(-0.5 * z * z) * np.logaddexp(0.0, -llr)

    # The integrand is smooth; split at the point where the LLR crosses zero so quad sees
    # the change of regime, and stop where the Gaussian weight is below 1e-40.
    knee = -mean / std
    edges = sorted({-14.0, min(max(knee, -14.0), 14.0), 14.0})
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        if b > a:
            total += integrate.quad(integrand, a, b, epsabs=1e-15, epsrel=1e-13, limit=200)[0]
    expected_nats = total / math.sqrt(2.0 * math.pi)
    return float(min(1.0, max(0.0, 1.0 - expected_nats / LN2)))


def shannon_limit_ebn0(rate: float, inputs: str = "gaussian") -> float:
    """Smallest linear Eb/N0 at which rate ``rate`` (bits per real dimension) is reliable.

    ``inputs="gaussian"``: (2^(2R) - 1)/(2R); ``inputs="binary"``: BPSK, from the BI-AWGN
    capacity. As R -> 0 both tend to ln 2 (-1.59 dB).
    """
    if not 0.0 < rate:
        raise ValueError(f"rate must be positive, got {rate}")
    if inputs == "gaussian":
        return (2.0 ** (2.0 * rate) - 1.0) / (2.0 * rate)
    if inputs == "binary":
        if rate >= 1.0:
            return math.inf
        f = lambda db: biawgn_capacity(rate * 10 ** (db / 10)) - rate
        return 10 ** (optimize.brentq(f, -1.6, 60.0, xtol=1e-12) / 10)
    raise ValueError(f"inputs must be 'gaussian' or 'binary', got {inputs!r}")


def shannon_limit_ebn0_db(rate: float, inputs: str = "gaussian") -> float:
    """:func:`shannon_limit_ebn0` in dB."""
    return 10.0 * math.log10(shannon_limit_ebn0(rate, inputs))


def shannon_limit_esn0_db(rate: float, inputs: str = "gaussian") -> float:
    """The Es/N0 (per coded BPSK symbol) in dB at which capacity equals ``rate``."""
    return shannon_limit_ebn0_db(rate, inputs) + 10.0 * math.log10(rate)


def bsc_threshold(rate: float) -> float:
    """The crossover f* with 1 - H2(f*) = R: the noisiest BSC a rate-R code can beat."""
    return inverse_binary_entropy(1.0 - rate)


def min_ber(rate: float, capacity: float) -> float:
    """Smallest bit-error rate reachable at rate R on a channel of capacity C:
    the p_b solving R (1 - H2(p_b)) = C, or 0 when C >= R."""
    if capacity >= rate:
        return 0.0
    return inverse_binary_entropy(1.0 - capacity / rate)
