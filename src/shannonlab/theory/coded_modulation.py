r"""Capacity of coded modulation: what a constellation and its labels allow, per complex
symbol, on AWGN and on fast fading with the gain known at the receiver.

With equally likely points :math:`x_1..x_M` (M = 2^m, :math:`E_s = 1`), :math:`y = x + z`,
:math:`z \sim \mathcal{CN}(0, N_0)`, :math:`E_s/N_0 = 1/N_0`:

* **CM** (constellation-constrained, coded modulation with a receiver that uses the
  symbol likelihoods):

  .. math:: C_{CM} = m - \frac1M\sum_i E_z\log_2\sum_j
            \exp\!\Big(-\frac{|x_i - x_j + z|^2 - |z|^2}{N_0}\Big);

* **BICM** (the generalised mutual information of a receiver that decodes the bits'
  LLRs as if independent; Caire, Taricco & Biglieri 1998):

  .. math:: C_{BICM} = \sum_{k=1}^{m}I(b_k; y) = m - \frac1M\sum_i\sum_k E_z\log_2
            \frac{\sum_j e^{-|x_i - x_j + z|^2/N_0}}{\sum_{j:\,b_k(x_j)=b_k(x_i)}e^{-|x_i - x_j + z|^2/N_0}}.

  :math:`C_{BICM} \le C_{CM}`, with a gap that Gray labels keep small and set-partition
  labels make large.

The expectation over z is a Gauss–Hermite product rule (one dimension per rail when the
constellation is a product of PAM rails, as square QAM with Gray labels, whose capacities
are twice those of a :math:`\sqrt M`-PAM rail at the same N0; two dimensions otherwise) of
growing order until two orders agree to ``tol`` (default 1e-8 bit) after a change already
below 100 tol (at least 1e-6 bit is certified, or the call fails). On fast fading with the
gain known, :math:`C = E_g\,C_{AWGN}(\bar\gamma g)`: composite Gauss–Legendre rules on
panels of g against the exponential (Rayleigh) or non-central :math:`\chi^2` (Rician)
density (:mod:`.fading`), two orders compared. :func:`monte_carlo` estimates the same numbers from
simulated symbols and the demapper, with their standard errors.

Example
-------
>>> from shannonlab.modulation import Constellation
>>> qpsk = Constellation.from_name("qpsk")
>>> from shannonlab.theory.capacity import biawgn_capacity
>>> abs(cm_capacity(qpsk, 2.0) - 2 * biawgn_capacity(1.0)) < 1e-9  # QPSK = two BPSK rails at Es/2
True
>>> c16 = Constellation.from_name("16qam")
>>> round(cm_capacity(c16, 10.0), 4), round(bicm_capacity(c16, 10.0), 4)
(3.1639, 3.1636)
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numba import njit
from scipy.special import roots_hermite

from ..errors import ShannonlabError
from .fading import check_fading, gain_pdf
from .units import LN2, db_to_linear

#: Gauss–Hermite orders tried in turn, per dimension (each doubling the last: the error of
#: an order is far below its difference to the previous one, measured against the BI-AWGN
#: capacity's adaptive quadrature in the tests).
ORDERS_1D = (64, 128, 256, 512, 1024)
ORDERS_2D = (32, 64, 128, 256)
#: Quadrature that stops short of ``tol`` is refused beyond this (bits): the issue's 1e-6.
CERTIFIED = 1e-6
_TINY = 1e-250


@njit(cache=True)
def _loss_kernel(zr, zi, w, pr, pi, bitsf, cm_loss, bicm_loss):
    """For each noise sample k (z_k, precision w_k = 1/N0 or g/N0): the CM and BICM losses
    in nats averaged over the transmitted points: mean_i [lse_j d_ij - d_ii] and
    mean_i sum_k [lse_j d_ij - lse_{j: b_k(j) = b_k(i)} d_ij], d_ij = -w |x_i - x_j + z|^2."""
    K = zr.shape[0]
    M, m = bitsf.shape
    d = np.empty(M)
    s0 = np.empty(m)
    s1 = np.empty(m)
    for s in range(K):
        wk = w[s] if w.shape[0] > 1 else w[0]
        cm = 0.0
        bicm = 0.0
        for i in range(M):
            yr = pr[i] + zr[s]
            yi = pi[i] + zi[s]
            best = -np.inf
            for j in range(M):
                a = yr - pr[j]
                b = yi - pi[j]
                v = -wk * (a * a + b * b)
                d[j] = v
                if v > best:
                    best = v
            total = 0.0
            for k in range(m):
                s0[k] = 0.0
                s1[k] = 0.0
            for j in range(M):
                e = math.exp(d[j] - best)
                total += e
                for k in range(m):
                    f = bitsf[j, k]
                    s1[k] += e * f
                    s0[k] += e - e * f
            lse = best + math.log(total)
            cm += lse - d[i]
            for k in range(m):
                same = s1[k] if bitsf[i, k] > 0.5 else s0[k]
                if same > _TINY:
                    bicm += lse - (best + math.log(same))
                else:  # the subset's terms underflow against the best point: its own maximum
                    mx = -np.inf
                    for j in range(M):
                        if (bitsf[j, k] > 0.5) == (bitsf[i, k] > 0.5) and d[j] > mx:
                            mx = d[j]
                    t = 0.0
                    for j in range(M):
                        if (bitsf[j, k] > 0.5) == (bitsf[i, k] > 0.5):
                            t += math.exp(d[j] - mx)
                    bicm += lse - (mx + math.log(t))
        cm_loss[s] = cm / M
        bicm_loss[s] = bicm / M


@lru_cache(maxsize=32)
def _hermite(order: int) -> tuple[np.ndarray, np.ndarray]:
    t, w = roots_hermite(order)  # stable at high orders, unlike numpy's hermgauss
    return t, w / math.sqrt(math.pi)


def _losses(points: np.ndarray, bits: np.ndarray, zr, zi, w) -> tuple[np.ndarray, np.ndarray]:
    cm = np.empty(zr.shape[0])
    bicm = np.empty(zr.shape[0])
    _loss_kernel(np.ascontiguousarray(zr, dtype=np.float64), np.ascontiguousarray(zi, dtype=np.float64),
                 np.ascontiguousarray(w, dtype=np.float64), np.ascontiguousarray(points.real),
                 np.ascontiguousarray(points.imag), bits.astype(np.float64), cm, bicm)
    return cm, bicm


def _quadrature(points, bits, n0: float, dims: int, order: int) -> tuple[float, float]:
    """(CM, BICM) losses in nats by a Gauss–Hermite rule of ``order`` nodes per dimension;
    noise N(0, N0/2) per real dimension."""
    t, wt = _hermite(order)
    scale = math.sqrt(n0)
    if dims == 1:
        zr, zi, weight = t * scale, np.zeros_like(t), wt
    else:
        zr = np.repeat(t, order) * scale
        zi = np.tile(t, order) * scale
        weight = np.repeat(wt, order) * np.tile(wt, order)
    cm, bicm = _losses(points, bits, zr, zi, np.array([1.0 / n0]))
    return float(weight @ cm), float(weight @ bicm)


@lru_cache(maxsize=4096)
def _awgn_pair_cached(key: tuple, esn0: float, tol: float) -> tuple[float, float]:
    points, bits, dims, factor, m = _unpack(key)
    n0 = 1.0 / esn0
    orders = ORDERS_1D if dims == 1 else ORDERS_2D
    previous, last_change = None, math.inf
    for order in orders:
        cm, bicm = _quadrature(points, bits, n0, dims, order)
        if previous is not None:
            change = max(abs(cm - previous[0]), abs(bicm - previous[1])) / LN2
            # two orders that agree by chance are not convergence: the change before must
            # already have been small (Gauss–Hermite converges geometrically once it resolves
            # the integrand, and erratically before)
            if change < tol and last_change < 100 * tol:
                break
            last_change = change
        previous = (cm, bicm)
    else:
        if change > CERTIFIED:
            raise ShannonlabError(f"esn0: the capacity quadrature did not reach {CERTIFIED:g} bit at Es/N0 = "
                                  f"{esn0:g} (order {orders[-1]} per dimension)")
    cm_bits = factor * (m - cm / LN2)
    bicm_bits = factor * (m - bicm / LN2)
    return min(max(cm_bits, 0.0), factor * m), min(max(bicm_bits, 0.0), factor * m)


_REGISTRY: dict[tuple, tuple] = {}


def _key(constellation) -> tuple:
    """A hashable key of the constellation's quadrature problem (its rail when it has one:
    the noise per rail is N(0, N0/2), the rail's points keep their amplitude)."""
    if constellation.rail is not None:
        amplitudes, rail_bits, rails = constellation.rail
        points = np.asarray(amplitudes, dtype=np.complex128)
        bits = np.asarray(rail_bits, dtype=np.uint8)
        dims, factor = 1, rails
    else:
        points, bits, dims, factor = constellation.points, constellation.bits, 2, 1
    key = (points.tobytes(), bits.tobytes(), bits.shape, dims, factor)
    _REGISTRY[key] = (points, bits, dims, factor, bits.shape[1])
    return key


def _unpack(key: tuple):
    return _REGISTRY[key]


def _esn0_of(esn0: float) -> float:
    if not (esn0 >= 0 and math.isfinite(esn0)):
        raise ShannonlabError(f"esn0: must be a finite linear Es/N0 >= 0, got {esn0}")
    return float(esn0)


def awgn_capacities(constellation, esn0: float, tol: float = 1e-8) -> tuple[float, float]:
    """(CM, BICM) capacity in bits per complex symbol on AWGN at linear Es/N0."""
    esn0 = _esn0_of(esn0)
    if esn0 == 0.0:
        return 0.0, 0.0
    return _awgn_pair_cached(_key(constellation), esn0, tol)


#: Panels of the gain integral (g = |h|^2, mean 1): log-spaced, with Gauss–Legendre rules of
#: two orders on each; more edges every 5 dB of instantaneous Es/N0 (where the capacity turns
#: from 0 to m bits) and, for Rician fading, around its peak at g ~ 1.
_GAIN_EDGES = (0.0, 1 / 256, 1 / 64, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 72.0)
_GAIN_ORDERS = (12, 20)


#: The AWGN capacities of a product (rail) constellation tabulated on this grid of Es/N0 in dB
#: and interpolated by cubic splines inside fading integrals (interpolation error below 1e-8
#: bit: the curves are smooth in dB and the step is 0.1 dB); outside it, direct quadrature.
_TABLE_DB = np.round(np.arange(-60.0, 60.0 + 1e-9, 0.1), 10)


@lru_cache(maxsize=32)
def _table(key: tuple):
    from scipy.interpolate import CubicSpline

    values = np.array([_awgn_pair_cached(key, db_to_linear(db), 1e-10) for db in _TABLE_DB])
    return CubicSpline(_TABLE_DB, values[:, 0]), CubicSpline(_TABLE_DB, values[:, 1])


def _awgn_many(constellation, esn0: np.ndarray, tol: float) -> np.ndarray:
    """(len, 2) CM and BICM capacities at many linear Es/N0 values: interpolated from the
    table for rail constellations, direct quadrature otherwise."""
    esn0 = np.asarray(esn0, dtype=float)
    if constellation.rail is None:
        return np.array([awgn_capacities(constellation, float(x), tol) for x in esn0])
    key = _key(constellation)
    cm_spline, bicm_spline = _table(key)
    with np.errstate(divide="ignore"):
        db = 10 * np.log10(esn0)
    out = np.empty((esn0.size, 2))
    inside = (db >= _TABLE_DB[0]) & (db <= _TABLE_DB[-1])
    out[inside, 0] = cm_spline(db[inside])
    out[inside, 1] = bicm_spline(db[inside])
    for i in np.flatnonzero(~inside):
        out[i] = awgn_capacities(constellation, float(esn0[i]), tol)
    return out


def _fading_capacities(constellation, esn0: float, fading: str, k_factor: float | None, tol: float) -> tuple[float, float]:
    """E_g of the AWGN capacities at Es/N0·g: composite Gauss–Legendre on panels of g, two
    orders per panel (the higher one is returned; their difference must be below ``tol``).
    Beyond g = 72 the Rayleigh density is below 1e-31; for Rician fading the last panel
    reaches far enough that the tail mass is below 1e-12."""
    edges = list(_GAIN_EDGES)
    # and every 5 dB of instantaneous Es/N0, where the capacity turns from 0 to m bits
    edges += [db_to_linear(db) / esn0 for db in range(-30, 35, 5) if 0 < db_to_linear(db) / esn0 < _GAIN_EDGES[-1]]
    if fading == "rician":
        K = float(k_factor)
        width = 1.0 / math.sqrt(1.0 + K)
        edges += [1.0 + j * 0.5 * width for j in range(-8, 9) if 1.0 + j * 0.5 * width > 0]
        edges.append(max(72.0, 1.0 + 30 * width))
    edges = sorted(set(edges))
    results = []
    for order in _GAIN_ORDERS:
        x, w = np.polynomial.legendre.leggauss(order)
        total = np.zeros(2)
        for a, b in zip(edges[:-1], edges[1:]):
            g = 0.5 * (b - a) * x + 0.5 * (a + b)
            density = gain_pdf(g, fading, k_factor)
            total += 0.5 * (b - a) * (w * density) @ _awgn_many(constellation, esn0 * g, tol * 0.1)
        results.append(total)
    if np.max(np.abs(results[1] - results[0])) > max(tol * 100, CERTIFIED):
        raise ShannonlabError(f"esn0: the fading capacity quadrature did not reach {CERTIFIED:g} bit at Es/N0 = {esn0:g}")
    return float(results[1][0]), float(results[1][1])


def cm_capacity(constellation, esn0: float, fading: str = "awgn", k_factor: float | None = None,
                tol: float = 1e-8) -> float:
    """Constellation-constrained capacity in bits per complex symbol at linear (average)
    Es/N0 on ``awgn``, ``rayleigh`` or ``rician`` (K-factor, linear) fast fading."""
    return capacities(constellation, esn0, fading, k_factor, tol)[0]


def bicm_capacity(constellation, esn0: float, fading: str = "awgn", k_factor: float | None = None,
                  tol: float = 1e-8) -> float:
    """BICM capacity (GMI) in bits per complex symbol, as :func:`cm_capacity`."""
    return capacities(constellation, esn0, fading, k_factor, tol)[1]


def capacities(constellation, esn0: float, fading: str = "awgn", k_factor: float | None = None,
               tol: float = 1e-8) -> tuple[float, float]:
    """(CM, BICM) capacity in bits per complex symbol."""
    try:
        check_fading(fading, k_factor)
    except ValueError as exc:
        raise ShannonlabError(str(exc)) from None
    esn0 = _esn0_of(esn0)
    if fading == "awgn" or esn0 == 0.0:
        return awgn_capacities(constellation, esn0, tol)
    return _fading_capacities(constellation, esn0, fading, k_factor, tol)


def esn0_for_rate(constellation, rate: float, kind: str = "cm", fading: str = "awgn",
                  k_factor: float | None = None) -> float:
    """The linear Es/N0 at which the CM (``kind="cm"``) or BICM capacity equals ``rate``
    bits per symbol (inf when rate >= m): the Shannon limit of a rate-R code on this
    constellation is at Es/N0 = that, Eb/N0 = Es/N0 / rate."""
    from scipy.optimize import brentq

    if not 0.0 < rate:
        raise ShannonlabError(f"rate: must be positive bits per symbol, got {rate}")
    if rate >= constellation.m:
        return math.inf
    which = 0 if kind == "cm" else 1
    f = lambda db: capacities(constellation, db_to_linear(db), fading, k_factor)[which] - rate
    low, high = -30.0, 20.0
    while f(high) < 0:
        high += 10.0
        if high > 80:
            return math.inf
    return db_to_linear(brentq(f, low, high, xtol=1e-7))


def monte_carlo(constellation, esn0: float, samples: int, rng: np.random.Generator, fading: str = "awgn",
                k_factor: float | None = None) -> dict[str, float]:
    """CM and BICM capacity estimated from ``samples`` simulated symbols (random points,
    noise and gains), with standard errors: CM from the symbol likelihoods, BICM as
    :math:`m - \\sum_k E\\log_2(1 + e^{-(1-2b_k)L_k})` with the exact demapper's LLRs."""
    from scipy.special import logsumexp

    check_fading(fading, k_factor)
    c = constellation
    i = rng.integers(0, c.M, samples)
    x = c.points[i]
    n0 = 1.0 / esn0
    if fading == "awgn":
        h = np.ones(samples, dtype=np.complex128)
    else:
        scatter = (rng.standard_normal(samples) + 1j * rng.standard_normal(samples)) / math.sqrt(2.0)
        K = 0.0 if fading == "rayleigh" else float(k_factor)
        h = math.sqrt(K / (K + 1.0)) + scatter * math.sqrt(1.0 / (K + 1.0))
    z = (rng.standard_normal(samples) + 1j * rng.standard_normal(samples)) * math.sqrt(n0 / 2.0)
    y = h * x + z
    metric = -np.abs(y[:, None] - h[:, None] * c.points[None, :]) ** 2 / n0
    cm_loss = (logsumexp(metric, axis=1) - metric[np.arange(samples), i]) / LN2
    llr = c.demap(y[None, :], n0, "exact", h=h[None, :]).reshape(samples, c.m)
    signs = 1.0 - 2.0 * c.bits[i].astype(float)
    bicm_loss = np.logaddexp(0.0, -signs * llr).sum(axis=1) / LN2
    return {"cm": c.m - cm_loss.mean(), "cm_se": cm_loss.std(ddof=1) / math.sqrt(samples),
            "bicm": c.m - bicm_loss.mean(), "bicm_se": bicm_loss.std(ddof=1) / math.sqrt(samples)}


def outage_probability(constellation, rate: float, esn0: float, fading: str = "rayleigh",
                       k_factor: float | None = None, kind: str = "cm") -> float:
    r"""Outage probability of block fading with one gain per codeword: the probability that
    the codeword's instantaneous capacity falls below ``rate`` bits per symbol,
    :math:`P\big(C(\bar\gamma g) < R\big) = P(g < \gamma^*/\bar\gamma)`, :math:`\gamma^*` the
    Es/N0 where the CM (or BICM) capacity of the constellation (or, with ``constellation``
    None, Gaussian input: :math:`2^R - 1`) equals R. It bounds the FER of long codes from below
    (Ozarow, Shamai & Wyner 1994); Rayleigh: :math:`1 - e^{-\gamma^*/\bar\gamma}`.

    >>> from shannonlab.modulation import Constellation
    >>> round(outage_probability(None, 1.0, 10.0), 6)  # 1 - exp(-1/10)
    0.095163
    """
    from .fading import gain_cdf

    check_fading(fading, k_factor)
    if fading == "awgn":
        raise ShannonlabError("fading: outage needs a fading channel (rayleigh or rician)")
    threshold = 2.0**rate - 1.0 if constellation is None else esn0_for_rate(constellation, rate, kind)
    if not math.isfinite(threshold):
        return 1.0
    return float(gain_cdf(threshold / esn0, fading, k_factor))
