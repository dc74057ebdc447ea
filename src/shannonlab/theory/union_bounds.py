r"""Bounds on the maximum-likelihood error rates of a linear code from its weight spectrum
(BPSK on AWGN with Es = R·Eb per coded bit, or the BSC), and the union bound of a
convolutional code from its distance spectrum.

* **Union bound, AWGN**: :math:`P_B \le \sum_{w\ge1} A_w\,Q\big(\sqrt{2wR\,E_b/N_0}\big)`,
  :math:`P_b \le \sum_{w}\sum_i \tfrac ik A_{i,w}\,Q\big(\sqrt{2wR\,E_b/N_0}\big)`.
* **Union bound, BSC(p)**: pairwise error of a weight-w codeword under ML (ties split),
  :math:`P_w = \sum_{t > w/2}\binom wt p^t(1-p)^{w-t} + \tfrac12\binom w{w/2}(p(1-p))^{w/2}`.
* **Tangential-sphere bound** (Poltyrev, IEEE Trans. IT 40(4), 1994; Sason and Shamai,
  *Performance Analysis of Linear Codes under ML Decoding: A Tutorial*, 2006, sec. 3.2.1):
  with the transmitted point at distance :math:`\sqrt{nE_s}` from the origin, noise
  :math:`\sigma^2 = N_0/2`, z₁ the noise along the radial axis and a cone of radius r at
  the codeword, :math:`r_{z_1} = r(1 - z_1/\sqrt{nE_s})`, a weight-w competitor at distance
  :math:`\delta_w = 2\sqrt{wE_s}` and
  :math:`\beta_w(z_1) = \frac{\sqrt{nE_s} - z_1}{\sqrt{nE_s - \delta_w^2/4}}\,\frac{\delta_w}2`,

  .. math::  P_B \le \int \frac{e^{-z_1^2/2\sigma^2}}{\sqrt{2\pi}\sigma}\Big[\sum_{w:\,\beta_w<r_{z_1}} A_w
             \int_{\beta_w(z_1)}^{r_{z_1}} \frac{e^{-z_2^2/2\sigma^2}}{\sqrt{2\pi}\sigma}\,
             \bar\gamma\Big(\frac{n-2}2, \frac{r_{z_1}^2 - z_2^2}{2\sigma^2}\Big)dz_2
             + 1 - \bar\gamma\Big(\frac{n-1}2, \frac{r_{z_1}^2}{2\sigma^2}\Big)\Big]dz_1,

  γ̄ the regularised lower incomplete gamma function; the bracket is capped at 1 and r is
  minimised numerically (the bound holds for every r). Gauss–Hermite in z₁ (64 nodes),
  Gauss–Legendre in z₂ (48 nodes).
* **Convolutional codes**: :math:`P_b \le \sum_{d \ge d_{free}} c_d\,Q(\sqrt{2dR\,E_b/N_0})`
  (soft) with c_d the information-bit multiplicities per trellis step, and the first-event
  error bound :math:`\sum_d a_d\,Q(\cdot)`; spectra from ``codes/convolutional/trellis.py``.

Example
-------
>>> a = [1, 0, 0, 7, 7, 0, 0, 1]                                   # Hamming (7,4)
>>> f"{union_bound_awgn(a, 4, 6.0):.3e}", f"{tangential_sphere_bound(a, 4, 6.0):.3e}"
('8.407e-04', '8.068e-04')
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special

from ..errors import ShannonlabError
from .units import db_to_linear, q_function


def _spectrum(a) -> tuple[np.ndarray, int]:
    a = np.asarray([float(v) for v in a])
    if a.ndim != 1 or len(a) < 2 or np.any(a < 0):
        raise ShannonlabError("spectrum: must be A_w for w = 0..n, nonnegative")
    return a, len(a) - 1


def union_bound_awgn(spectrum, k: int, ebn0_db: float, bit_multiplicity=None) -> float:
    r"""Union bound on the ML block error rate (or, given ``bit_multiplicity`` = Σ_i (i/k) A_{i,w}
    per w, the bit error rate) of BPSK on AWGN: :math:`\sum_w A_w Q(\sqrt{2wR E_b/N_0})`.

    >>> f"{union_bound_awgn([1, 0, 0, 0, 14, 0, 0, 0, 1], 4, 4.0):.3e}"
    '1.068e-02'
    """
    a, n = _spectrum(spectrum)
    esn0 = k / n * db_to_linear(ebn0_db)
    weights = np.arange(n + 1)
    mult = a if bit_multiplicity is None else np.asarray(bit_multiplicity, dtype=float)
    return float(np.sum(mult[1:] * q_function(np.sqrt(2.0 * weights[1:] * esn0))))


def bit_multiplicity(iowe: np.ndarray) -> np.ndarray:
    """Σ_i (i/k) A_{i,w} for each w, from an input–output weight enumerator (k+1) × (n+1)."""
    iowe = np.asarray(iowe, dtype=float)
    k = iowe.shape[0] - 1
    return (np.arange(k + 1)[:, None] / k * iowe).sum(axis=0)


def pairwise_bsc(w: int, p: float) -> float:
    """ML pairwise error probability against a codeword at Hamming distance w on BSC(p)."""
    t = np.arange(w // 2 + 1, w + 1)
    total = float(np.sum(np.exp(special.gammaln(w + 1) - special.gammaln(t + 1) - special.gammaln(w - t + 1)
                                + special.xlogy(t, p) + special.xlog1py(w - t, -p))))
    if w % 2 == 0:
        total += 0.5 * math.comb(w, w // 2) * (p * (1 - p)) ** (w // 2)
    return total


def union_bound_bsc(spectrum, p: float, bit_multiplicity=None) -> float:
    """Union bound Σ_w A_w P_w on the ML block (or bit) error rate on BSC(p).

    >>> round(union_bound_bsc([1, 0, 0, 7, 7, 0, 0, 1], 0.01), 6)
    0.004172
    """
    if not 0.0 <= p <= 0.5:
        raise ShannonlabError(f"p: must lie in [0, 0.5], got {p}")
    a, n = _spectrum(spectrum)
    mult = a if bit_multiplicity is None else np.asarray(bit_multiplicity, dtype=float)
    return float(sum(mult[w] * pairwise_bsc(w, p) for w in range(1, n + 1) if mult[w] > 0))


_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(64)        # ∫ f(x) e^{-x²/2} dx
_GL_X, _GL_W = np.polynomial.legendre.leggauss(48)


def _tsb_at_radius(a: np.ndarray, n: int, esn0: float, radius: float) -> float:
    sigma = math.sqrt(1.0 / (2.0 * esn0))                    # Es = 1
    root = math.sqrt(n)
    z1 = sigma * _GH_X
    weight1 = _GH_W / math.sqrt(2.0 * math.pi)
    rz = radius * (1.0 - z1 / root)                           # (Z1,)
    inside = rz > 0
    outside = 1.0 - special.gammainc((n - 1) / 2.0, np.where(inside, rz, 0.0) ** 2 / (2 * sigma ** 2))
    total = np.where(inside, outside, 1.0)
    ws = np.flatnonzero(a[1:]) + 1
    for w in ws:
        delta = 2.0 * math.sqrt(w)
        if delta * delta / 4.0 >= n:
            continue
        beta = (root - z1) / math.sqrt(n - delta * delta / 4.0) * delta / 2.0
        ok = inside & (beta < rz)
        if not ok.any():
            continue
        lo, hi = beta[ok], rz[ok]
        mid, half = 0.5 * (hi + lo), 0.5 * (hi - lo)
        z2 = mid[:, None] + half[:, None] * _GL_X[None, :]
        dens = np.exp(-z2 ** 2 / (2 * sigma ** 2)) / (math.sqrt(2 * math.pi) * sigma)
        inner = special.gammainc((n - 2) / 2.0, np.maximum(hi[:, None] ** 2 - z2 ** 2, 0.0) / (2 * sigma ** 2))
        term = np.zeros_like(z1)
        term[ok] = half * (dens * inner * _GL_W[None, :]).sum(axis=1)
        total = total + a[w] * term
    return float(np.sum(weight1 * np.minimum(total, 1.0)))


def tangential_sphere_bound(spectrum, k: int, ebn0_db: float) -> float:
    """Poltyrev's tangential-sphere bound on the ML block error rate of BPSK on AWGN, minimised
    over the cone radius; never above the union bound (nor 1).

    >>> tangential_sphere_bound([1, 0, 0, 7, 7, 0, 0, 1], 4, 0.0) < 1
    True
    """
    a, n = _spectrum(spectrum)
    if n < 3:
        raise ShannonlabError(f"spectrum: the tangential-sphere bound needs n >= 3, got n = {n}")
    esn0 = k / n * db_to_linear(ebn0_db)
    f = lambda log_r: _tsb_at_radius(a, n, esn0, math.exp(log_r))
    root = math.sqrt(n)
    best = optimize.minimize_scalar(f, bounds=(math.log(0.05 * root), math.log(20.0 * root)), method="bounded",
                                    options={"xatol": 1e-4})
    return float(min(best.fun, union_bound_awgn(a, k, ebn0_db), 1.0))


def convolutional_union_bound(spectrum: dict, rate: float, ebn0_db: float | None = None, p: float | None = None,
                              kind: str = "bit") -> float:
    r"""Union bound of a convolutional code from ``spectrum`` = {d: (a_d, c_d)} (the project's
    ``ConvolutionalCode.distance_spectrum``): bit error rate Σ c_d P_d (``kind="bit"``) or
    first-event error rate Σ a_d P_d (``"event"``), with P_d = Q(√(2dR Eb/N0)) or the BSC
    pairwise error.

    >>> spec = {5: (1, 1), 6: (2, 4), 7: (4, 12)}                         # (7,5) code, first terms
    >>> f"{convolutional_union_bound(spec, 0.5, ebn0_db=6.0):.3e}"
    '6.892e-06'
    """
    if kind not in ("bit", "event"):
        raise ShannonlabError(f"kind: must be 'bit' or 'event', got {kind!r}")
    if (ebn0_db is None) == (p is None):
        raise ShannonlabError("give exactly one of ebn0_db or p")
    total = 0.0
    for d, (a_d, c_d) in spectrum.items():
        pd = q_function(math.sqrt(2.0 * d * rate * db_to_linear(ebn0_db))) if p is None else pairwise_bsc(int(d), p)
        total += (c_d if kind == "bit" else a_d) * pd
    return float(total)
