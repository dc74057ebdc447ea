r"""Finite-length bounds on the best frame-error rate of any (n, k) code: the random-coding
union (RCU) and dependence-testing (DT) achievability bounds and the meta-converse, after
Polyanskiy, Poor and Verdú, "Channel coding rate in the finite blocklength regime",
IEEE Trans. IT 56(5), 2010 (PPV below).

M = 2^k codewords (k may be fractional, k = n·R), information density
:math:`i(x;y) = \log \frac{P_{Y|X}(y|x)}{P_Y(y)}` in nats under equiprobable inputs.

* **RCU** (PPV Thm. 16): :math:`\varepsilon \le \mathbb E\big[\min\{1, (M-1)
  \Pr[i(\bar X;Y) \ge i(X;Y) \mid X, Y]\}\big]`.
* **DT** (PPV Thm. 17): :math:`\varepsilon \le \mathbb E\big[\exp\{-[\,i(X;Y) -
  \log\tfrac{M-1}{2}]^+\}\big]`.
* **Meta-converse** (PPV Thm. 27 with an auxiliary output Q): every code has
  :math:`1/M \ge \beta_{1-\varepsilon}(P_{Y|X=x}, Q_Y)`, the smallest Q-probability of a test
  that accepts P with probability 1 − ε (Neyman–Pearson); the bound is the ε where equality holds.

Where they are evaluated exactly
--------------------------------
* **BSC** (crossover p <= 1/2; PPV Thms. 33–35): with t flips of n,
  RCU :math:`=\sum_t \binom nt p^t(1-p)^{n-t}\min\{1,(M-1)2^{-n}\sum_{s\le t}\binom ns\}`;
  DT :math:`=\sum_t \binom nt p^t(1-p)^{n-t}\min\{1, \tfrac{M-1}{2}\,2^{-n}p^{-t}(1-p)^{t-n}\}`;
  meta-converse with Q uniform: the randomised Hamming-ball test,
  :math:`\varepsilon = (1-\lambda)P_r + \sum_{t>r}P_t` where
  :math:`\sum_{t<r}\binom nt + \lambda\binom nr = 2^{n}/M`.
* **BEC** (PPV Thms. 36–38), t erasures: RCU :math:`\min\{1,(M-1)2^{t-n}\}`, DT
  :math:`\min\{1,\tfrac{M-1}{2}2^{t-n}\}` per term; meta-converse
  :math:`\varepsilon \ge \sum_{t > n-k}\binom nt\epsilon^t(1-\epsilon)^{n-t}(1 - 2^{n-t}/M)`.

  All sums run in log space (log-binomials by lgamma, logsumexp), so n = 10 000 takes
  milliseconds and FERs down to 1e-300 keep their relative precision.

Where they are approximated (saddlepoint)
-----------------------------------------
For the AWGN channels the information density is a sum of n i.i.d. letters, and each bound
is a combination of tail probabilities :math:`\Pr[S \le \gamma]` and
:math:`\mathbb E[e^{-S}\mathbb 1\{S>\gamma\}]`, evaluated by Lugannani–Rice
(:mod:`.saddlepoint`; relative error O(1/n), measured below 1 % at n >= 64 against exact
numerical convolution in ``tests/test_theory_bounds.py``):

* **BI-AWGN** (BPSK, equiprobable inputs, Es/N0 = R·Eb/N0): per letter
  :math:`i = \log 2 - \log(1 + e^{-L})`, L ~ N(4 Es/N0, 8 Es/N0). The *RCU* is evaluated
  as its Markov relaxation RCUs (Martinez and Guillén i Fàbregas, ITA 2011):
  :math:`\mathbb E[\min\{1,(M-1)e^{-i_s(X;Y)}\}]` with the generalised density
  :math:`i_s = \log 2 - \log(1 + e^{-sL})`, minimised over s in (0, 1]; it upper-bounds
  the RCU, so it is still an achievability bound (the exact RCU needs the pairwise
  probability given y, an n-dimensional object). The *meta-converse* uses Q = the
  capacity-achieving output law, under which the test statistic is the same for every
  binary codeword (symmetry), so the bound holds for every binary code.
* **AWGN** (real, SNR P = 2 Es/N0 = 2R Eb/N0): *RCU* (RCUs) and *DT* for i.i.d. Gaussian
  codebooks, :math:`i_s = \tfrac12\log(1+sP) - \tfrac s2 z^2 + \tfrac{s(x+z)^2}{2(1+sP)}`, a
  quadratic form with a closed-form CGF; *meta-converse* for codes on the power sphere
  (every codeword of energy nP, Shannon's spherical codes) with the Gaussian auxiliary
  output Q = N(0, (1+P)I) (PPV Thm. 41): per letter
  :math:`i = \tfrac12\log(1+P) + \tfrac12 - \tfrac{P}{2(1+P)}(Z - 1/\sqrt P)^2`, a
  noncentral chi-square. (For codes under a maximal power constraint, PPV Lemma 39: evaluate
  the bound at n + 1.)

The normal approximation of every channel (second order, and the ½ log₂ n third-order term
where it is known: BSC, AWGN; for the BI-AWGN it is the customary choice; BEC: O(1), none)
is in :mod:`.finite_length`. :func:`fer_bound` chooses by name; :func:`fer_curve` gives a
bound against Eb/N0 (or p, ε) for a code's (n, k); :func:`min_ebn0_db` the smallest Eb/N0 at
which a bound reaches a target FER.

Example
-------
>>> round(fer_bound("rcu", "bsc", 100, 50, p=0.11), 4), round(fer_bound("metaconverse", "bsc", 100, 50, p=0.11), 4)
(0.4411, 0.3141)
>>> f"{fer_bound('rcu', 'biawgn', 128, 64, ebn0_db=3.0):.3e}"
'5.939e-04'
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special

from ..errors import ShannonlabError
from . import finite_length
from .saddlepoint import CGF, gaussian_grid_cgf, log_lower_tail, log_tilted_upper_tail
from .units import LN2, db_to_linear

BOUNDS = ("rcu", "dt", "metaconverse", "normal")
CHANNELS = ("bsc", "bec", "biawgn", "awgn")


# ---- checks --------------------------------------------------------------------------------
def _check_nk(n: int, k: float) -> tuple[int, float]:
    if not float(n).is_integer() or n < 1:
        raise ShannonlabError(f"n: must be a positive integer, got {n}")
    if not k > 0:
        raise ShannonlabError(f"k: must be positive, got {k}")
    if k > n:
        raise ShannonlabError(f"k: must be at most n = {n} (rate <= 1), got k = {k:g}")
    return int(n), float(k)


def _check_probability(value: float, name: str, upper: float = 1.0) -> float:
    if value is None or not 0.0 <= value <= upper:
        raise ShannonlabError(f"{name}: must lie in [0, {upper:g}], got {value}")
    return float(value)


def _log_binomials(n: int) -> np.ndarray:
    t = np.arange(n + 1)
    return special.gammaln(n + 1) - special.gammaln(t + 1) - special.gammaln(n - t + 1)


def _log_binomial_pmf(n: int, q: float) -> np.ndarray:
    """log C(n,t) q^t (1-q)^(n-t), t = 0..n (q in [0, 1])."""
    t = np.arange(n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _log_binomials(n) + special.xlogy(t, q) + special.xlogy(n - t, 1.0 - q)
    return out


def _log_m_minus_1(k: float) -> float:
    """log(2^k - 1) in nats."""
    return float(np.log(np.expm1(k * LN2))) if k * LN2 < 700 else k * LN2 + math.log1p(-2.0 ** -k)


def _fer(log_value: float) -> float:
    return float(min(1.0, math.exp(min(log_value, 0.0))))


# ---- BSC -----------------------------------------------------------------------------------
def bsc_rcu(n: int, k: float, p: float) -> float:
    r"""RCU bound for the BSC (PPV Thm. 33), exact:

    .. math::  \varepsilon \le \sum_{t=0}^n \binom nt p^t(1-p)^{n-t}
               \min\Big\{1, (M-1)\,2^{-n}\sum_{s=0}^t \binom ns\Big\}.

    >>> round(bsc_rcu(1000, 500, 0.11), 4)
    0.4506
    """
    n, k = _check_nk(n, k)
    p = min(_check_probability(p, "p"), 1.0 - p)
    log_pmf = _log_binomial_pmf(n, p)
    ball = np.logaddexp.accumulate(_log_binomials(n))
    terms = log_pmf + np.minimum(0.0, _log_m_minus_1(k) + ball - n * LN2)
    return _fer(special.logsumexp(terms))


def bsc_dt(n: int, k: float, p: float) -> float:
    r"""DT bound for the BSC (PPV Thm. 34), exact:

    .. math::  \varepsilon \le \sum_{t=0}^n \binom nt p^t(1-p)^{n-t}
               \min\Big\{1, \tfrac{M-1}{2}\,2^{-n}p^{-t}(1-p)^{-(n-t)}\Big\}.

    >>> round(bsc_dt(1000, 500, 0.11), 4)
    0.4963
    """
    n, k = _check_nk(n, k)
    p = min(_check_probability(p, "p"), 1.0 - p)
    if p == 0.0:
        return 0.0
    t = np.arange(n + 1)
    density = n * LN2 + t * math.log(p) + (n - t) * math.log1p(-p)
    terms = _log_binomial_pmf(n, p) + np.minimum(0.0, _log_m_minus_1(k) - LN2 - density)
    return _fer(special.logsumexp(terms))


def bsc_metaconverse(n: int, k: float, p: float) -> float:
    r"""Meta-converse for the BSC with Q uniform on {0,1}^n (PPV Thm. 35), exact: the
    Neyman–Pearson test accepts the r − 1 nearest shells and shell r with probability λ,

    .. math::  \sum_{t<r}\binom nt + \lambda\binom nr = 2^{n-k}, \qquad
               \varepsilon \ge (1-\lambda)\binom nr p^r(1-p)^{n-r} + \sum_{t>r}\binom nt p^t(1-p)^{n-t}.

    It is the sphere-packing bound, met by perfect codes: Hamming (7,4) at p = 0.1 has
    FER 1 − 0.9^7 − 7·0.1·0.9^6:

    >>> round(bsc_metaconverse(7, 4, 0.1), 6), round(1 - 0.9 ** 7 - 0.7 * 0.9 ** 6, 6)
    (0.149694, 0.149694)
    """
    n, k = _check_nk(n, k)
    p = min(_check_probability(p, "p"), 1.0 - p)
    log_c = _log_binomials(n)
    ball = np.logaddexp.accumulate(log_c)          # log sum_{t<=r} C(n,t)
    target = (n - k) * LN2
    r = int(np.searchsorted(ball, target, side="right"))
    if r > n:
        return 0.0
    below = ball[r - 1] if r > 0 else -np.inf     # log sum_{t<r}
    gap = target + math.log1p(-math.exp(below - target)) if below > -np.inf else target
    lam = min(1.0, math.exp(gap - log_c[r]))
    log_pmf = _log_binomial_pmf(n, p)
    parts = [log_pmf[r] + math.log1p(-lam) if lam < 1.0 else -np.inf]
    if r < n:
        parts.append(special.logsumexp(log_pmf[r + 1:]))
    return _fer(special.logsumexp(parts))


# ---- BEC -----------------------------------------------------------------------------------
def bec_rcu(n: int, k: float, epsilon: float) -> float:
    r"""RCU bound for the BEC, exact (ties counted as errors):

    .. math::  \varepsilon \le \sum_{t=0}^n \binom nt \epsilon^t(1-\epsilon)^{n-t}\min\{1,(M-1)2^{t-n}\}.

    >>> round(bec_rcu(500, 250, 0.45), 4)
    0.0183
    """
    n, k = _check_nk(n, k)
    epsilon = _check_probability(epsilon, "epsilon")
    t = np.arange(n + 1)
    terms = _log_binomial_pmf(n, epsilon) + np.minimum(0.0, _log_m_minus_1(k) + (t - n) * LN2)
    return _fer(special.logsumexp(terms))


def bec_dt(n: int, k: float, epsilon: float) -> float:
    r"""DT bound for the BEC (PPV Thm. 36), exact:

    .. math::  \varepsilon \le \sum_{t=0}^n \binom nt \epsilon^t(1-\epsilon)^{n-t}
               \min\{1, \tfrac{M-1}{2}\,2^{t-n}\}.

    >>> round(bec_dt(500, 250, 0.45), 4)
    0.0147
    """
    n, k = _check_nk(n, k)
    epsilon = _check_probability(epsilon, "epsilon")
    t = np.arange(n + 1)
    terms = _log_binomial_pmf(n, epsilon) + np.minimum(0.0, _log_m_minus_1(k) - LN2 + (t - n) * LN2)
    return _fer(special.logsumexp(terms))


def bec_metaconverse(n: int, k: float, epsilon: float) -> float:
    r"""Meta-converse for the BEC (PPV Thm. 38), exact: with t erasures at most 2^(n−t) of the
    M messages can be told apart,

    .. math::  \varepsilon \ge \sum_{t > n-k}\binom nt \epsilon^t(1-\epsilon)^{n-t}\big(1 - 2^{n-t-k}\big).

    >>> round(bec_metaconverse(500, 250, 0.45), 4)
    0.0091
    """
    n, k = _check_nk(n, k)
    epsilon = _check_probability(epsilon, "epsilon")
    t = np.arange(n + 1)
    keep = t > n - k
    if not keep.any():
        return 0.0
    with np.errstate(divide="ignore"):
        terms = _log_binomial_pmf(n, epsilon)[keep] + np.log(-np.expm1((n - t[keep] - k) * LN2))
    return _fer(special.logsumexp(terms))


# ---- BI-AWGN -------------------------------------------------------------------------------
def biawgn_density_cgf(esn0: float, s: float = 1.0) -> CGF:
    r"""CGF of the (generalised) information density of BPSK on AWGN, per letter, in nats:
    :math:`i_s = \log 2 - \log(1 + e^{-sL})`, L = 4 Es/N0 + sqrt(8 Es/N0)·Z. At s = 1,
    :math:`\kappa(-1) = \log\mathbb E[e^{-i}] = 0` and κ'(0) is the capacity in nats:

    >>> from shannonlab.theory import biawgn_capacity
    >>> cgf = biawgn_density_cgf(1.0)
    >>> round(abs(cgf(-1.0)[0]), 9), round(cgf(0.0)[1] / LN2, 6), round(biawgn_capacity(1.0), 6)
    (0.0, 0.721452, 0.721452)
    """
    mean = 4.0 * esn0
    std = math.sqrt(2.0 * mean)
    return gaussian_grid_cgf(lambda z: LN2 - np.logaddexp(0.0, -s * (mean + std * z)))


def _check_esn0(ebn0_db: float, rate: float) -> float:
    if ebn0_db is None or not math.isfinite(ebn0_db):
        raise ShannonlabError(f"ebn0_db: must be a finite number in dB, got {ebn0_db}")
    return rate * db_to_linear(ebn0_db)


def _rcus(cgf_of_s, n: int, k: float) -> float:
    """min over s of E[min(1, (M-1) e^{-S_s})] = P[S_s <= g] + (M-1) E[e^{-S_s} 1{S_s > g}]."""
    gamma = _log_m_minus_1(k)

    def log_value(s: float) -> float:
        cgf = cgf_of_s(s)
        return np.logaddexp(log_lower_tail(cgf, n, gamma), gamma + log_tilted_upper_tail(cgf, n, gamma, -1.0))

    # any s gives a valid bound, so a coarse minimisation costs tightness only, never validity
    best = optimize.minimize_scalar(log_value, bounds=(0.05, 1.0), method="bounded", options={"xatol": 1e-2})
    return _fer(min(best.fun, log_value(1.0)))


def _dt(cgf: CGF, n: int, k: float) -> float:
    gamma = _log_m_minus_1(k) - LN2
    return _fer(np.logaddexp(log_lower_tail(cgf, n, gamma), gamma + log_tilted_upper_tail(cgf, n, gamma, -1.0)))


def _metaconverse(cgf: CGF, n: int, k: float, top: float) -> float:
    """P[S <= g*] where Q[S > g*] = E_P[e^{-S} 1{S > g*}] = 2^-k (threshold test; S continuous)."""
    target = -k * LN2
    q_tail = lambda g: log_tilted_upper_tail(cgf, n, g, -1.0) - target
    lo = n * cgf(-1.0)[1]
    if q_tail(lo) <= 0.0:
        return _fer(log_lower_tail(cgf, n, lo)) if k <= 1.0 else 1.0
    hi = lo
    for theta in (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0):
        hi = n * cgf(theta)[1]
        if hi >= top * n or q_tail(hi) < 0.0:
            break
    gamma = optimize.brentq(q_tail, lo, hi, xtol=1e-10 * max(1.0, abs(hi)), rtol=1e-12)
    return _fer(log_lower_tail(cgf, n, gamma))


def biawgn_rcu(n: int, k: float, ebn0_db: float) -> float:
    r"""RCU bound of BPSK on AWGN, evaluated as RCUs (min over s, saddlepoint tails):

    .. math::  \varepsilon \le \min_s \Pr[S_s \le \gamma] + (M-1)\,\mathbb E[e^{-S_s}\mathbb 1\{S_s>\gamma\}],
               \quad \gamma = \log(M-1),\ S_s = \textstyle\sum_j i_s(x_j;y_j).

    >>> f"{biawgn_rcu(128, 64, 3.0):.3e}"
    '5.939e-04'
    """
    n, k = _check_nk(n, k)
    esn0 = _check_esn0(ebn0_db, k / n)
    return _rcus(lambda s: biawgn_density_cgf(esn0, s), n, k)


def biawgn_dt(n: int, k: float, ebn0_db: float) -> float:
    r"""DT bound of BPSK on AWGN (saddlepoint): :math:`\Pr[S\le\gamma] +
    \tfrac{M-1}{2}\,\mathbb E[e^{-S}\mathbb 1\{S>\gamma\}]`, γ = log((M−1)/2).

    >>> f"{biawgn_dt(128, 64, 3.0):.3e}"
    '2.325e-03'
    """
    n, k = _check_nk(n, k)
    return _dt(biawgn_density_cgf(_check_esn0(ebn0_db, k / n)), n, k)


def biawgn_metaconverse(n: int, k: float, ebn0_db: float) -> float:
    r"""Meta-converse of BPSK on AWGN with Q the capacity-achieving output law (saddlepoint):
    :math:`\varepsilon \ge \Pr[S \le \gamma^*]` with :math:`\mathbb E[e^{-S}\mathbb 1\{S>\gamma^*\}] = 2^{-k}`.

    >>> f"{biawgn_metaconverse(128, 64, 3.0):.3e}"
    '1.182e-05'
    """
    n, k = _check_nk(n, k)
    return _metaconverse(biawgn_density_cgf(_check_esn0(ebn0_db, k / n)), n, k, LN2)


# ---- AWGN ----------------------------------------------------------------------------------
class _QuadraticCGF:
    r"""CGF of c + vᵀAv, v ~ N(0, I) (A symmetric, eigenvalues λ): τc − ½Σ log(1 − 2τλ)."""

    def __init__(self, constant: float, matrix: np.ndarray, linear: np.ndarray | None = None):
        self.constant = constant
        self.eigen, vectors = np.linalg.eigh(matrix)
        # A linear term bᵀv rotates with the eigenvectors: b_i' = (Vᵀb)_i.
        self.linear = vectors.T @ linear if linear is not None else np.zeros(len(self.eigen))

    def __call__(self, tau: float) -> tuple[float, float, float]:
        lam, b = self.eigen, self.linear
        one = 1.0 - 2.0 * tau * lam
        if np.any(one <= 0.0):
            raise ValueError("outside the CGF's domain")
        kappa = tau * self.constant - 0.5 * np.log(one).sum() + (tau * tau * b * b / (2.0 * one)).sum()
        d1 = self.constant + (lam / one).sum() + (tau * b * b / one + tau * tau * b * b * lam / one ** 2).sum()
        d2 = (2.0 * lam * lam / one ** 2).sum() + (b * b / one ** 3).sum()
        return float(kappa), float(d1), float(d2)


def _domain_safe(cgf: _QuadraticCGF) -> CGF:
    """Clamp the saddle search inside the domain: κ' -> ±inf at its edges, so mapping τ
    to the open interval through tanh keeps brentq's bracket growth legal."""
    lam = cgf.eigen
    lo = 1.0 / (2.0 * lam.min()) if lam.min() < 0 else -np.inf
    hi = 1.0 / (2.0 * lam.max()) if lam.max() > 0 else np.inf

    def safe(tau: float) -> tuple[float, float, float]:
        return cgf(min(max(tau, lo * (1 - 1e-12)), hi * (1 - 1e-12)))

    return safe


def awgn_gaussian_cgf(snr: float, s: float = 1.0) -> CGF:
    r"""CGF of :math:`i_s = \tfrac12\log(1+sP) - \tfrac s2 z^2 + \tfrac{s(\sqrt P g + z)^2}{2(1+sP)}`,
    g, z ~ N(0, 1) independent (i.i.d. Gaussian codebook of power P = ``snr``).

    >>> cgf = awgn_gaussian_cgf(1.0)     # C = 1/2 ln 2 nats at P = 1
    >>> round(cgf(0.0)[1], 9) == round(0.5 * math.log(2.0), 9), round(abs(cgf(-1.0)[0]), 12)
    (True, 0.0)
    """
    root = math.sqrt(snr)
    scale = s / (2.0 * (1.0 + s * snr))
    matrix = np.array([[scale * snr, scale * root], [scale * root, scale - 0.5 * s]])
    return _domain_safe(_QuadraticCGF(0.5 * math.log1p(s * snr), matrix))


def awgn_sphere_cgf(snr: float) -> CGF:
    r"""CGF of the meta-converse statistic of a power-sphere codeword against
    Q = N(0, 1+P): :math:`i = \tfrac12\log(1+P) + \tfrac12 - \tfrac{P}{2(1+P)}(Z - 1/\sqrt P)^2`.

    >>> cgf = awgn_sphere_cgf(1.0)
    >>> round(cgf(0.0)[1], 9) == round(0.5 * math.log(2.0), 9), round(abs(cgf(-1.0)[0]), 12)
    (True, 0.0)
    """
    b = snr / (2.0 * (1.0 + snr))
    delta = 1.0 / math.sqrt(snr)
    # c - b (Z - δ)² = c - bδ² + 2bδ Z - b Z²
    quadratic = _QuadraticCGF(0.5 * math.log1p(snr) + 0.5 - b * delta * delta, np.array([[-b]]),
                              np.array([2.0 * b * delta]))
    return _domain_safe(quadratic)


def _awgn_snr(ebn0_db: float, rate: float) -> float:
    return 2.0 * _check_esn0(ebn0_db, rate)


def awgn_rcu(n: int, k: float, ebn0_db: float) -> float:
    r"""RCU (RCUs, min over s) of an i.i.d. Gaussian codebook on the real AWGN channel,
    P = 2 R Eb/N0 (saddlepoint).

    >>> f"{awgn_rcu(128, 64, 2.0):.3e}"
    '3.126e-02'
    """
    n, k = _check_nk(n, k)
    snr = _awgn_snr(ebn0_db, k / n)
    return _rcus(lambda s: awgn_gaussian_cgf(snr, s), n, k)


def awgn_dt(n: int, k: float, ebn0_db: float) -> float:
    """DT bound of an i.i.d. Gaussian codebook on the real AWGN channel (saddlepoint).

    >>> f"{awgn_dt(128, 64, 2.0):.3e}"
    '3.553e-02'
    """
    n, k = _check_nk(n, k)
    return _dt(awgn_gaussian_cgf(_awgn_snr(ebn0_db, k / n)), n, k)


def awgn_metaconverse(n: int, k: float, ebn0_db: float) -> float:
    r"""Meta-converse (PPV Thm. 41) for codes on the power sphere ‖x‖² = nP with
    Q = N(0, (1+P) I): :math:`\varepsilon \ge \Pr[S \le \gamma^*]`,
    :math:`\mathbb E[e^{-S}\mathbb 1\{S > \gamma^*\}] = 2^{-k}` (saddlepoint; the exact law
    is noncentral chi-square, which the tests compare with).

    >>> f"{awgn_metaconverse(128, 64, 2.0):.3e}"
    '1.841e-03'
    """
    n, k = _check_nk(n, k)
    snr = _awgn_snr(ebn0_db, k / n)
    return _metaconverse(awgn_sphere_cgf(snr), n, k, 0.5 * math.log1p(snr) + 0.5)


# ---- dispatch ------------------------------------------------------------------------------
_TABLE = {
    ("rcu", "bsc"): bsc_rcu, ("dt", "bsc"): bsc_dt, ("metaconverse", "bsc"): bsc_metaconverse,
    ("rcu", "bec"): bec_rcu, ("dt", "bec"): bec_dt, ("metaconverse", "bec"): bec_metaconverse,
    ("rcu", "biawgn"): biawgn_rcu, ("dt", "biawgn"): biawgn_dt, ("metaconverse", "biawgn"): biawgn_metaconverse,
    ("rcu", "awgn"): awgn_rcu, ("dt", "awgn"): awgn_dt, ("metaconverse", "awgn"): awgn_metaconverse,
    ("normal", "bsc"): lambda n, k, p: finite_length.bsc_normal_approximation_fer(min(p, 1 - p), n, k),
    ("normal", "bec"): lambda n, k, e: finite_length.bec_normal_approximation_fer(e, n, k),
    ("normal", "biawgn"): lambda n, k, db: finite_length.biawgn_normal_approximation_fer(k / n * db_to_linear(db), n, k),
    ("normal", "awgn"): lambda n, k, db: finite_length.awgn_normal_approximation_fer(2 * k / n * db_to_linear(db), n, k),
}

#: The parameter each channel is given by.
PARAMETER = {"bsc": "p", "bec": "epsilon", "biawgn": "ebn0_db", "awgn": "ebn0_db"}


def fer_bound(bound: str, channel: str, n: int, k: float, *, p: float | None = None,
              epsilon: float | None = None, ebn0_db: float | None = None) -> float:
    """The FER bound ``bound`` (rcu, dt, metaconverse, normal) of an (n, k) code on
    ``channel`` (bsc with ``p``, bec with ``epsilon``, biawgn or awgn with ``ebn0_db``).

    >>> round(fer_bound("dt", "bec", 500, 250, epsilon=0.45), 4)
    0.0147
    >>> fer_bound("rcu", "bsc", 50, 100, p=0.1)
    Traceback (most recent call last):
    ...
    shannonlab.errors.ShannonlabError: k: must be at most n = 50 (rate <= 1), got k = 100
    """
    if bound not in BOUNDS:
        raise ShannonlabError(f"bound: must be one of {', '.join(BOUNDS)}, got {bound!r}")
    if channel not in CHANNELS:
        raise ShannonlabError(f"channel: must be one of {', '.join(CHANNELS)}, got {channel!r}")
    n, k = _check_nk(n, k)
    value = {"p": p, "epsilon": epsilon, "ebn0_db": ebn0_db}[PARAMETER[channel]]
    if value is None:
        raise ShannonlabError(f"{PARAMETER[channel]}: channel {channel} needs it")
    if channel == "bsc":
        _check_probability(value, "p")
    if channel == "bec":
        _check_probability(value, "epsilon")
    return float(_TABLE[bound, channel](n, k, value))


def fer_curve(bound: str, channel: str, n: int, k: float, values) -> np.ndarray:
    """``fer_bound`` at each channel parameter in ``values`` (Eb/N0 in dB, p or ε).

    >>> [f"{v:.2e}" for v in fer_curve("normal", "biawgn", 128, 64, [1.0, 3.0])]
    ['1.03e-01', '6.17e-05']
    """
    key = PARAMETER.get(channel, "p")
    return np.array([fer_bound(bound, channel, n, k, **{key: float(v)}) for v in np.atleast_1d(values)])


def min_ebn0_db(bound: str, channel: str, n: int, k: float, fer: float, lo: float = -2.0, hi: float = 20.0) -> float:
    r"""The Eb/N0 (dB) at which ``bound`` reaches ``fer`` for an (n, k) code on biawgn or awgn:
    for the meta-converse, no (n, k) code reaches that FER below it; for RCU/DT some code does
    at it. Bisection on log FER (every bound decreases with Eb/N0).

    >>> round(min_ebn0_db("normal", "biawgn", 1024, 512, 1e-3), 3)
    1.125
    """
    if channel not in ("biawgn", "awgn"):
        raise ShannonlabError(f"channel: min_ebn0_db needs biawgn or awgn, got {channel!r}")
    if not 0.0 < fer < 1.0:
        raise ShannonlabError(f"fer: must lie in (0, 1), got {fer}")
    f = lambda db: math.log(max(fer_bound(bound, channel, n, k, ebn0_db=db), 1e-300)) - math.log(fer)
    if f(hi) > 0.0:
        # e.g. the RCU of i.i.d. BPSK codebooks never drops below about (M - 1) 2^-n (codeword collisions)
        raise ShannonlabError(f"fer: the {bound} bound of ({n}, {k:g}) stays above {fer:g} up to {hi:g} dB")
    if f(lo) < 0.0:
        return float(lo)
    return float(optimize.brentq(f, lo, hi, xtol=1e-4))
