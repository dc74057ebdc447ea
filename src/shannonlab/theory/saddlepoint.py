r"""Tail probabilities of a sum of n i.i.d. variables from their cumulant generating
function, by the Lugannani–Rice saddlepoint formula, in log space.

Let :math:`S = \sum_{j=1}^n X_j`, the :math:`X_j` i.i.d. with CGF
:math:`\kappa(\theta) = \log \mathbb E\,e^{\theta X}`. The saddlepoint
:math:`\hat\theta` solves :math:`n\kappa'(\hat\theta) = x`; with

.. math::  w = \operatorname{sgn}(\hat\theta)\sqrt{2\,(\hat\theta x - n\kappa(\hat\theta))},
           \qquad u = \hat\theta\sqrt{n\kappa''(\hat\theta)},

.. math::  \Pr[S \ge x] \approx Q(w) + \varphi(w)\Big(\frac1u - \frac1w\Big)

(Lugannani and Rice 1980; Butler, *Saddlepoint Approximations with Applications*, 2007,
sec. 1.2). Its relative error is O(1/n) uniformly in x for a continuous X (typically below
1 % for n >= 100, far into the tails, where the central limit theorem fails by orders of
magnitude); the finite-length bounds of :mod:`.bounds` use it for the AWGN channels and the
tests measure it against exact numerical convolution. The formula is evaluated as
:math:`-w^2/2 + \log(\tfrac12\,\mathrm{erfcx}(w/\sqrt2) + (1/u - 1/w)/\sqrt{2\pi})` for w > 0
so that probabilities down to 1e-300 and below keep full relative precision.

A *tilted* law :math:`dP_\tau \propto e^{\tau X} dP` has CGF
:math:`\kappa(\theta + \tau) - \kappa(\tau)`; :func:`log_tilted_upper_tail` uses it to give
:math:`\log \mathbb E[e^{\tau S}\,\mathbb 1\{S > x\}]`, the quantity behind the RCU, DT and
meta-converse bounds (a change of measure from the sent codeword to an independent one).

Example
-------
>>> import math
>>> gauss = lambda t: (0.5 * t * t, t, 1.0)          # X ~ N(0, 1): Lugannani–Rice is exact
>>> round(math.exp(log_upper_tail(gauss, 10, 6.0)), 8), round(0.5 * math.erfc(6 / math.sqrt(20)), 8)
(0.02888979, 0.02888979)
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy import optimize, special

#: A per-letter CGF: theta -> (kappa, kappa', kappa'').
CGF = Callable[[float], tuple[float, float, float]]

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


class _OutOfRange(Exception):
    """x/n lies outside the range of kappa' (the letter's support, numerically)."""


def _solve_saddle(cgf: CGF, target: float, lo: float = -1.0, hi: float = 1.0) -> float:
    """The theta with kappa'(theta) = target (kappa' increases), bracket grown outwards."""
    f = lambda t: cgf(t)[1] - target
    for _ in range(200):
        if f(lo) <= 0.0:
            break
        lo = 2.0 * lo - 1.0
    for _ in range(200):
        if f(hi) >= 0.0:
            break
        hi = 2.0 * hi + 1.0
    if f(lo) > 0.0 or f(hi) < 0.0:
        raise _OutOfRange
    return optimize.brentq(f, lo, hi, xtol=1e-13, rtol=1e-13, maxiter=500)


def _log_lr(w: float, u: float) -> float:
    """log[Q(w) + phi(w)(1/u - 1/w)], stable for large positive w."""
    if w > 0.0:
        core = 0.5 * special.erfcx(w / math.sqrt(2.0)) + (1.0 / u - 1.0 / w) / math.sqrt(2.0 * math.pi)
        return -0.5 * w * w + math.log(max(core, 1e-300))
    value = special.ndtr(-w) + math.exp(-0.5 * w * w - _LOG_SQRT_2PI) * (1.0 / u - 1.0 / w)
    return math.log(min(max(value, 1e-300), 1.0))


def log_upper_tail(cgf: CGF, n: int, x: float) -> float:
    r"""log Pr[S >= x] for S the sum of n i.i.d. letters with CGF ``cgf`` (Lugannani–Rice).

    >>> gauss = lambda t: (0.5 * t * t, t, 1.0)
    >>> round(log_upper_tail(gauss, 100, 80.0), 3), round(math.log(0.5 * math.erfc(8 / math.sqrt(2))), 3)
    (-35.013, -35.013)
    """
    return _log_tail(cgf, n, x, upper=True)


def log_lower_tail(cgf: CGF, n: int, x: float) -> float:
    r"""log Pr[S <= x] (Lugannani–Rice with w, u -> -w, -u).

    >>> gauss = lambda t: (0.5 * t * t, t, 1.0)
    >>> round(log_lower_tail(gauss, 4, -2.0), 6) == round(math.log(0.5 * math.erfc(1 / math.sqrt(2))), 6)
    True
    """
    return _log_tail(cgf, n, x, upper=False)


def _log_tail(cgf: CGF, n: int, x: float, upper: bool) -> float:
    try:
        theta = _solve_saddle(cgf, x / n)
    except _OutOfRange:
        # Beyond the support: the tail on the far side is (numerically) empty.
        beyond_top = x / n > cgf(0.0)[1]
        return (-math.inf if beyond_top else 0.0) if upper else (0.0 if beyond_top else -math.inf)
    kappa, _, curvature = cgf(theta)
    if abs(theta) * math.sqrt(n * curvature) < 1e-5:
        # At the mean the formula is 0/0; the tail is continuous there, so average the
        # values a little to either side (the error is O(step^2)).
        step = 1e-3 * math.sqrt(n * cgf(0.0)[2])
        return 0.5 * (_log_tail(cgf, n, x - step, upper) + _log_tail(cgf, n, x + step, upper))
    w = math.copysign(math.sqrt(max(2.0 * (theta * x - n * kappa), 0.0)), theta)
    u = theta * math.sqrt(n * curvature)
    return _log_lr(w, u) if upper else _log_lr(-w, -u)


def log_tilted_upper_tail(cgf: CGF, n: int, x: float, tau: float) -> float:
    r""":math:`\log \mathbb E[e^{\tau S}\,\mathbb 1\{S > x\}]
    = n\kappa(\tau) + \log \Pr_\tau[S > x]`, the tail under the tilted law with CGF
    :math:`\kappa(\theta+\tau) - \kappa(\tau)`.

    >>> gauss = lambda t: (0.5 * t * t, t, 1.0)    # e^{-S} 1{S > 0}, S ~ N(0, 9): closed form
    >>> closed = 4.5 + math.log(0.5 * math.erfc(3 / math.sqrt(2)))
    >>> round(log_tilted_upper_tail(gauss, 9, 0.0, -1.0), 6) == round(closed, 6)
    True
    """
    base = cgf(tau)[0]

    def tilted(t: float) -> tuple[float, float, float]:
        kappa, d1, d2 = cgf(t + tau)
        return kappa - base, d1, d2

    return n * base + log_upper_tail(tilted, n, x)


def gaussian_grid_cgf(values: Callable[[np.ndarray], np.ndarray], z_min: float = -150.0, z_max: float = 40.0,
                      step: float = 0.01) -> CGF:
    r"""The CGF of X = f(Z), Z ~ N(0, 1), by the trapezoid rule on a uniform grid of z in
    log space (spectrally accurate for a smooth f; the grid must cover where the tilted
    density :math:`e^{\theta f(z) - z^2/2}` lives, which the defaults do for the LLRs of
    BPSK at Es/N0 up to about 15 dB).

    >>> cgf = gaussian_grid_cgf(lambda z: 2.0 * z + 1.0)        # N(1, 4): kappa = t + 2 t^2
    >>> [round(v, 9) for v in cgf(0.5)]
    [1.0, 3.0, 4.0]
    """
    z = np.arange(z_min, z_max + step / 2, step)
    f = values(z)
    log_weight = -0.5 * z * z - _LOG_SQRT_2PI + math.log(step)

    def cgf(theta: float) -> tuple[float, float, float]:
        exponent = theta * f + log_weight
        top = exponent.max()
        weight = np.exp(exponent - top)
        total = weight.sum()
        mean = float((weight * f).sum() / total)
        var = float((weight * (f - mean) ** 2).sum() / total)
        return float(top + math.log(total)), mean, var

    return cgf
