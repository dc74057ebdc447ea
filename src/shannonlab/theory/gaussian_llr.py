r"""Functions of a *consistent* Gaussian LLR, L ~ N(m, 2m) (the LLR of BPSK on AWGN and the
model behind the Gaussian approximation and EXIT charts):

* ten Brink's J-function, the mutual information between the bit and L as a function of
  σ = sqrt(2m):  :math:`J(\sigma) = 1 - \mathbb E\big[\log_2(1 + e^{-L})\big]`;
* Chung's φ-function (Chung, Richardson, Urbanke 2001, Def. 1):
  :math:`\varphi(m) = 1 - \mathbb E[\tanh(L/2)]` (φ(0) = 1), the quantity the check-node
  rule of the Gaussian approximation propagates.

Both are computed once (about a second, on first use) on 1500 log-spaced means in [1e-7, 4000] by the trapezoid rule over
L in log space (so φ ~ 1e-430 and 1 − J ~ 1e-430 keep their relative precision), then
interpolated by cubic splines of logit(value) against log m — relative error below 1e-8
over the table (checked against direct quadrature in the tests). Their inverses use the
same splines the other way round.

Example
-------
>>> round(float(j_function(1.0)), 6), round(float(j_inverse(j_function(1.0))), 6)
(0.160747, 1.0)
>>> round(float(phi(1.0)), 6), round(float(phi_inverse(phi(1.0))), 6)
(0.649887, 1.0)
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import special
from scipy.interpolate import CubicSpline

from .units import LN2

_M_MIN, _M_MAX, _POINTS = 1e-7, 4000.0, 1500


def _expectations(m: np.ndarray) -> np.ndarray:
    """Rows (log J, log(1 − J), log φ, log(1 − φ)) at means m (vector), by the trapezoid
    rule over z with L = m + sqrt(2m) z, all in log space."""
    m = np.asarray(m, dtype=float)[:, None]
    s = np.sqrt(2.0 * m)
    u = np.linspace(0.0, 1.0, 2401)[None, :]
    z = (-s - 40.0) + (s + 80.0) * u
    L = m + s * z
    logw = -0.5 * z * z + np.log((s + 80.0) / 2400.0) - 0.5 * math.log(2.0 * math.pi)
    # log ln(1 + e^-L): for large L, ln(1 + e^-L) = e^-L (1 - e^-L/2 + ...) underflows, so use -L.
    big = L > 30.0
    log_softplus = np.where(big, -L - 0.5 * np.exp(-np.where(big, L, 30.0)),
                            np.log(np.logaddexp(0.0, -np.where(big, 0.0, L))))
    log_one_minus_j = special.logsumexp(log_softplus + logw, axis=1) - math.log(LN2)
    # J = E[1 - H2(1/(1+e^|L|))] for a consistent density: nonnegative terms, no cancellation
    # at small m (near a = 0, 1 - H2(1/2 - t) ~ 2t^2/ln 2 with t = tanh(a/2)/2).
    a = np.abs(L)
    p = special.expit(-a)
    h = (special.xlogy(p, p) + special.xlogy(1 - p, 1 - p)) / -LN2
    near = 2.0 * (0.5 * np.tanh(a / 2)) ** 2 / LN2
    j_terms = np.log(np.maximum(np.where(a < 1e-2, near, 1.0 - h), 1e-300))
    log_j = special.logsumexp(j_terms + logw, axis=1)
    log_phi = math.log(2.0) + special.logsumexp(-np.logaddexp(0.0, L) + logw, axis=1)       # E[2/(1+e^L)]
    # 1 - φ = E[tanh(L/2)] = E[tanh²(L/2)] for a consistent density (nonnegative terms).
    log_one_minus_phi = special.logsumexp(2.0 * np.log(np.maximum(np.abs(np.tanh(L / 2.0)), 1e-300)) + logw, axis=1)
    return np.stack([log_j, log_one_minus_j, log_phi, log_one_minus_phi], axis=1)


@lru_cache(maxsize=1)
def _tables():
    log_m = np.linspace(math.log(_M_MIN), math.log(_M_MAX), _POINTS)
    values = np.concatenate([_expectations(np.exp(chunk)) for chunk in np.array_split(log_m, 10)])
    logit_j = values[:, 0] - values[:, 1]
    logit_phi = values[:, 2] - values[:, 3]
    return {
        "j": CubicSpline(log_m, logit_j), "j_inv": CubicSpline(logit_j, log_m),
        "phi": CubicSpline(log_m, logit_phi), "phi_inv": CubicSpline(logit_phi[::-1], log_m[::-1]),
        "range_j": (logit_j[0], logit_j[-1]), "range_phi": (logit_phi[-1], logit_phi[0]),
    }


def _from_logit(x):
    return special.expit(x)


def j_of_mean(m):
    """J as a function of the mean m = σ²/2 (elementwise; J(0) = 0, J(inf) = 1)."""
    m = np.asarray(m, dtype=float)
    t = _tables()
    lm = np.log(np.clip(m, _M_MIN, _M_MAX))
    out = _from_logit(t["j"](lm))
    out = np.where(m <= 0, 0.0, out)
    return np.where(m >= _M_MAX, 1.0, out)


def j_function(sigma):
    r"""ten Brink's :math:`J(\sigma)`: the mutual information of L ~ N(σ²/2, σ²) with the bit."""
    sigma = np.asarray(sigma, dtype=float)
    return j_of_mean(0.5 * sigma * sigma)


def mean_of_j(information):
    """The mean m with J = ``information`` (0 -> 0, 1 -> the table's end, 4000)."""
    i = np.clip(np.asarray(information, dtype=float), 0.0, 1.0)
    t = _tables()
    lo, hi = t["range_j"]
    with np.errstate(divide="ignore"):
        logit = np.log(i) - np.log1p(-i)
    m = np.exp(t["j_inv"](np.clip(logit, lo, hi)))
    m = np.where(logit <= lo, _M_MIN * np.exp(logit - lo), m)   # J ~ c·m near 0
    return np.where(logit >= hi, _M_MAX, m)


def j_inverse(information):
    """σ = J⁻¹(I)."""
    return np.sqrt(2.0 * mean_of_j(information))


def phi(m):
    r"""Chung's :math:`\varphi(m) = 1 - \mathbb E\tanh(L/2)`, L ~ N(m, 2m); φ(0) = 1."""
    m = np.asarray(m, dtype=float)
    t = _tables()
    out = _from_logit(t["phi"](np.log(np.clip(m, _M_MIN, _M_MAX))))
    # Beyond the table: phi(m) ~ sqrt(pi/m) e^{-m/4} (1 - 10/(7m)) (Chung et al. 2001, eq. (8)).
    out = np.where(m > _M_MAX, np.exp(log_phi(np.maximum(m, _M_MAX))), out)
    return np.where(m <= 0, 1.0, out)


def log_phi(m):
    """log φ(m), finite far beyond where φ underflows."""
    m = np.asarray(m, dtype=float)
    t = _tables()
    logit = t["phi"](np.log(np.clip(m, _M_MIN, _M_MAX)))
    inside = -np.logaddexp(0.0, -logit)
    mm = np.maximum(m, 1.0)
    outside = 0.5 * np.log(np.pi / mm) - mm / 4.0 + np.log1p(-10.0 / (7.0 * np.maximum(mm, 2.0)))
    return np.where(m > _M_MAX, outside, np.where(m <= 0, 0.0, inside))


def phi_inverse_from_log(log_value):
    """The m with log φ(m) = ``log_value`` (<= 0)."""
    log_value = np.minimum(np.asarray(log_value, dtype=float), 0.0)
    t = _tables()
    lo, hi = t["range_phi"]
    logit = log_value - np.log(-np.expm1(np.minimum(log_value, -1e-300)))
    m = np.atleast_1d(np.exp(t["phi_inv"](np.clip(logit, lo, hi))))
    logit = np.atleast_1d(logit)
    # Far tail: invert the asymptote -m/4 + log(sqrt(pi/m)(1 - 10/(7m))) = log_value by Newton.
    far = logit < lo
    if np.any(far):
        target = np.broadcast_to(log_value, far.shape)[far]
        x = np.maximum(-4.0 * target, _M_MAX)
        for _ in range(40):
            x = np.maximum(x, _M_MAX)
            f = -x / 4.0 + 0.5 * np.log(np.pi / x) + np.log1p(-10.0 / (7.0 * x)) - target
            x = x - f / (-0.25 - 0.5 / x)
        m = np.where(far, 0.0, m)
        m[far] = x
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.where(logit >= hi, _M_MIN * np.exp(np.minimum(hi - logit, 0.0)), m)
    out = np.where(np.atleast_1d(log_value) >= 0.0, 0.0, out)
    return out if np.ndim(log_value) else float(out[0])


def phi_inverse(value):
    """φ⁻¹(value) for value in (0, 1]."""
    with np.errstate(divide="ignore"):
        return phi_inverse_from_log(np.log(np.asarray(value, dtype=float)))


# Chung, Richardson and Urbanke (2001), eqs. (8)-(9): the closed-form φ their published
# Gaussian-approximation thresholds were computed with (e.g. σ* = 0.8747 for (3,6); the
# exact φ gives 0.8719).
_CHUNG_A, _CHUNG_B, _CHUNG_C, _CHUNG_SPLIT = 0.4527, 0.86, 0.0218, 10.0


def log_phi_chung(m):
    r"""log of Chung's approximation :math:`\varphi(x) \approx e^{-0.4527x^{0.86} + 0.0218}`
    (0 < x < 10), :math:`\sqrt{\pi/x}\,e^{-x/4}(1 - \tfrac{10}{7x})` (x >= 10), φ(0) = 1.

    >>> round(float(np.exp(log_phi_chung(1.0))), 4), round(float(phi(1.0)), 4)
    (0.6499, 0.6499)
    """
    m = np.asarray(m, dtype=float)
    mm = np.maximum(m, 1e-300)
    small = -_CHUNG_A * mm ** _CHUNG_B + _CHUNG_C
    big = 0.5 * np.log(np.pi / np.maximum(mm, 1.0)) - mm / 4.0 + np.log1p(-10.0 / (7.0 * np.maximum(mm, 2.0)))
    out = np.where(m < _CHUNG_SPLIT, small, big)
    return np.where(m <= 0, 0.0, out)


def phi_inverse_chung_from_log(log_value):
    """The m with :func:`log_phi_chung` (m) = ``log_value`` (each branch inverted; Newton on the
    asymptote).

    >>> round(float(phi_inverse_chung_from_log(log_phi_chung(3.0))), 9), round(float(phi_inverse_chung_from_log(log_phi_chung(50.0))), 9)
    (3.0, 50.0)
    """
    v = np.atleast_1d(np.asarray(log_value, dtype=float))
    edge = -_CHUNG_A * _CHUNG_SPLIT ** _CHUNG_B + _CHUNG_C             # value just below x = 10
    out = np.empty_like(v)
    small = v > edge
    out[small] = (np.maximum(_CHUNG_C - v[small], 0.0) / _CHUNG_A) ** (1.0 / _CHUNG_B)
    if np.any(~small):
        target = v[~small]
        x = np.maximum(-4.0 * target, _CHUNG_SPLIT)
        for _ in range(50):
            x = np.maximum(x, _CHUNG_SPLIT)
            f = 0.5 * np.log(np.pi / x) - x / 4.0 + np.log1p(-10.0 / (7.0 * x)) - target
            x = x - f / (-0.25 - 0.5 / x + 10.0 / (7.0 * x * x - 10.0 * x))
        out[~small] = x
    return out if np.ndim(log_value) else float(out[0])
