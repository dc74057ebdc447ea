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
* Z-channel (W = [[1, 0], [p, 1-p]]) :math:`C = \log_2(1 + (1-p)p^{p/(1-p)})`.
* Finite length (Polyanskiy–Poor–Verdú normal approximation): the best FER of an (n, k)
  code is about :math:`Q((nC - k + \tfrac12\log_2 n)/\sqrt{nV})`, V the channel dispersion.
* Smallest bit-error rate reachable at rate R over a channel of capacity C (rate–distortion
  with Hamming distortion): :math:`R\,(1 - H_2(p_b)) = C`.

Example
-------
>>> round(bsc_capacity(0.11), 3)
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


def _biawgn_softplus_moments(esn0: float) -> tuple[float, float]:
    """E[s] and E[s^2] in nats for s = ln(1 + exp(-L)), L ~ N(4 Es/N0, 8 Es/N0) (the LLR of
    a BPSK symbol sent as +1), by adaptive quadrature split where L crosses 0."""
    mean = 4.0 * esn0
    std = math.sqrt(2.0 * mean)

    def softplus(z):
        return np.logaddexp(0.0, -(mean + std * z))

    # The integrand is smooth; split at the point where the LLR crosses zero so quad sees
    # the change of regime, and stop where the Gaussian weight is below 1e-40.
    knee = -mean / std
    edges = sorted({-14.0, min(max(knee, -14.0), 14.0), 14.0})
    first = second = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        if b > a:
            first += integrate.quad(lambda z: math.exp(-0.5 * z * z) * softplus(z), a, b,
                                    epsabs=1e-15, epsrel=1e-13, limit=200)[0]
            second += integrate.quad(lambda z: math.exp(-0.5 * z * z) * softplus(z) ** 2, a, b,
                                     epsabs=1e-15, epsrel=1e-13, limit=200)[0]
    norm = math.sqrt(2.0 * math.pi)
    return first / norm, second / norm


@lru_cache(maxsize=4096)
def biawgn_capacity(esn0: float) -> float:
    """Capacity of BPSK on the real AWGN channel at linear Es/N0, bits per use.

    Adaptive quadrature of 1 - E[log2(1 + exp(-L))] with L ~ N(4 Es/N0, 8 Es/N0);
    absolute error below 1e-12 (checked against 30-digit mpmath quadrature in the tests).

    >>> round(biawgn_capacity(10 ** (0.187 / 10) * 0.5), 3)
    0.5
    """
    if esn0 <= 0.0:
        return 0.0
    expected_nats, _ = _biawgn_softplus_moments(esn0)
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


def z_channel_capacity(p: float) -> float:
    r"""Capacity of the Z-channel in bits: input 0 is received as 0, input 1 is received as 0
    with probability p and as 1 otherwise (W = [[1, 0], [p, 1-p]]):

    .. math::  C = \log_2\big(1 + (1-p)\,p^{p/(1-p)}\big),

    reached with P(X=1) = 1/((1-p)(1 + 2^{H_2(p)/(1-p)})) (Golomb 1980).

    >>> round(z_channel_capacity(0.5), 9)  # log2(5/4)
    0.321928095
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if p == 1.0:
        return 0.0
    return math.log2(1.0 + (1.0 - p) * p ** (p / (1.0 - p))) if p > 0 else 1.0


def z_channel_input_distribution(p: float) -> tuple[float, float]:
    """The capacity-achieving (P(X=0), P(X=1)) of :func:`z_channel_capacity`'s channel.

    >>> tuple(round(v, 6) for v in z_channel_input_distribution(0.5))
    (0.6, 0.4)
    """
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got {p}")
    one = 1.0 / ((1.0 - p) * (1.0 + 2.0 ** (binary_entropy(p) / (1.0 - p))))
    return 1.0 - one, one


# --- finite blocklength: the normal approximation of Polyanskiy, Poor and Verdu (2010) ---

def bsc_dispersion(p: float) -> float:
    r"""Channel dispersion of the BSC in bits²: :math:`V = p(1-p)\log_2^2\frac{1-p}{p}`
    (PPV 2010, Thm. 52), the variance of the information density i(X;Y).

    >>> round(bsc_dispersion(0.11), 6)
    0.890702
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if p in (0.0, 1.0):
        return 0.0
    return p * (1.0 - p) * math.log2((1.0 - p) / p) ** 2


@lru_cache(maxsize=4096)
def biawgn_dispersion(esn0: float) -> float:
    r"""Dispersion of the binary-input AWGN channel in bits², equiprobable inputs:
    :math:`V = \mathrm{Var}\,[1 - \log_2(1 + e^{-L})]`, L ~ N(4 Es/N0, 8 Es/N0).

    >>> round(biawgn_dispersion(1.0), 4)  # Es/N0 = 0 dB, where C = 0.7215
    0.5333
    """
    if esn0 <= 0.0:
        return 0.0
    first, second = _biawgn_softplus_moments(esn0)
    return max(0.0, (second - first * first) / (LN2 * LN2))


def normal_approximation_fer(n: int, k: float, capacity: float, dispersion: float, log_term: bool = True) -> float:
    r"""Smallest frame-error rate of any (n, k) code by the normal approximation

    .. math::  k \approx nC - \sqrt{nV}\,Q^{-1}(\varepsilon) + \tfrac12\log_2 n
    \;\Longleftrightarrow\;
    \varepsilon \approx Q\!\left(\frac{nC - k + \tfrac12\log_2 n}{\sqrt{nV}}\right)

    (Polyanskiy, Poor, Verdú 2010, eq. (1) with the third-order term; C in bits per use,
    V in bits²). ``log_term=False`` drops the ½ log2 n term.

    >>> round(normal_approximation_fer(1000, 500, bsc_capacity(0.11), bsc_dispersion(0.11)), 4)
    0.4326
    """
    if n < 1 or not 0 < k:
        raise ValueError(f"need n >= 1 and k > 0, got n={n}, k={k}")
    margin = n * capacity - k + (0.5 * math.log2(n) if log_term else 0.0)
    if dispersion <= 0.0:
        return 0.0 if margin >= 0 else 1.0
    return float(q_function(margin / math.sqrt(n * dispersion)))


def bsc_normal_approximation_fer(p: float, n: int, k: float) -> float:
    """:func:`normal_approximation_fer` for the BSC with crossover p.

    >>> round(bsc_normal_approximation_fer(0.11, 1000, 500), 4)
    0.4326
    """
    return normal_approximation_fer(n, k, bsc_capacity(p), bsc_dispersion(p))


def biawgn_normal_approximation_fer(esn0: float, n: int, k: float) -> float:
    """:func:`normal_approximation_fer` for BPSK on AWGN at linear Es/N0 (per coded symbol).

    >>> f"{biawgn_normal_approximation_fer(0.5 * 10 ** 0.1, 1024, 512):.2e}"  # Eb/N0 = 1 dB
    '3.58e-03'
    """
    return normal_approximation_fer(n, k, biawgn_capacity(esn0), biawgn_dispersion(esn0))
