r"""Polar code construction: how reliable each synthetic bit-channel is, and the frozen set.

Bit index convention: :math:`x = u\,G_N`, :math:`G_N = F^{\otimes n}`,
:math:`F = \begin{bmatrix}1&0\\1&1\end{bmatrix}` with no bit-reversal (as in 5G NR). The
most significant bit of index i chooses the first (outermost) transform: bit 0 the "minus"
(check, worse) channel :math:`W^-`, bit 1 the "plus" (variable, better) channel :math:`W^+`.

Three methods give a reliability score per index (larger = more reliable):

* ``bhattacharyya`` -- the Bhattacharyya parameters with the BEC recursion
  :math:`Z(W^-) = 2Z - Z^2`, :math:`Z(W^+) = Z^2` started at :math:`Z_0 = e^{-E_s/N_0}`
  (the BI-AWGN Bhattacharyya parameter) or at an erasure probability; exact on the BEC
  (Arikan 2009), an upper-bound heuristic elsewhere. Computed on :math:`\ln Z`.
* ``ga`` -- Gaussian approximation of density evolution (Trifonov 2012): the mean LLR
  :math:`m_0 = 4E_s/N_0` evolves as :math:`m^- = \phi^{-1}(1-(1-\phi(m))^2)`,
  :math:`m^+ = 2m`, with Chung's :math:`\phi`.
* ``5g`` -- the 3GPP TS 38.212 Table 5.3.1.2-1 reliability sequence
  (:data:`RELIABILITY_5G`, N <= 1024), restricted to indices < N.

:func:`frozen_mask` freezes the N - K least reliable indices.

With rate matching (:mod:`.rate_matching`) the codeword positions are not alike: a
punctured one is never observed, a shortened one is known, a repeated one is observed
several times. :func:`reliability_observed` runs the same two recursions from one value per
position (mean LLR :math:`4c_jE_s/N_0`, or :math:`\ln Z = -c_jE_s/N_0`, for :math:`c_j`
observations), with the general minus rules :math:`1-(1-\phi_a)(1-\phi_b)` and
:math:`Z_a + Z_b - Z_aZ_b`; the root pairs positions j and j + N/2 (x = u G_N).

Example
-------
>>> frozen_mask(reliability_5g(8), 4).astype(int).tolist()
[1, 1, 1, 0, 1, 0, 0, 0]
>>> z = bhattacharyya(2, erasure_probability=0.5)      # N = 4 on BEC(1/2)
>>> [round(float(v), 4) for v in np.exp(-z)]
[0.9375, 0.5625, 0.4375, 0.0625]
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ...theory.units import db_to_linear


def _load_5g() -> np.ndarray:
    text = (Path(__file__).parent / "reliability_5g.txt").read_text()
    values = [int(line) for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return np.array(values, dtype=np.int64)


#: Q_0^{1023}: bit indices from least to most reliable (3GPP TS 38.212 Table 5.3.1.2-1).
RELIABILITY_5G: np.ndarray = _load_5g()


def _check_n(n_log2: int) -> int:
    if n_log2 < 0 or n_log2 > 20:
        raise ValueError(f"log2(N) must be in 0..20, got {n_log2}")
    return 1 << n_log2


def _interleave(worse: np.ndarray, better: np.ndarray) -> np.ndarray:
    """Children of index j land at 2j (minus) and 2j+1 (plus): the MSB is transformed first."""
    out = np.empty(2 * worse.size, dtype=worse.dtype)
    out[0::2], out[1::2] = worse, better
    return out


def bhattacharyya(n_log2: int, design_esn0_db: float | None = None, erasure_probability: float | None = None) -> np.ndarray:
    r"""Reliability :math:`-\ln Z_i` for i = 0..N-1 (larger = better) by the BEC recursion.

    Give the start either as an erasure probability :math:`\epsilon` (:math:`Z_0 = \epsilon`,
    then :math:`e^{-\text{score}}` is the exact erasure probability of each bit-channel under
    SC with correct past decisions) or as Es/N0 in dB (:math:`Z_0 = e^{-E_s/N_0}`).

    >>> [round(float(v), 4) for v in np.exp(-bhattacharyya(1, erasure_probability=0.5))]
    [0.75, 0.25]
    """
    _check_n(n_log2)
    if (design_esn0_db is None) == (erasure_probability is None):
        raise ValueError("bhattacharyya needs exactly one of design_esn0_db and erasure_probability")
    if erasure_probability is not None:
        if not 0.0 < erasure_probability < 1.0:
            raise ValueError(f"erasure_probability must be in (0, 1), got {erasure_probability}")
        lz = np.array([math.log(erasure_probability)])
    else:
        lz = np.array([-db_to_linear(design_esn0_db)])
    for _ in range(n_log2):
        # ln(2Z - Z^2) = ln Z + ln(2 - Z);  ln Z^2 = 2 ln Z
        lz = _interleave(lz + np.log(2.0 - np.exp(lz)), 2.0 * lz)
    return -lz


_A, _B, _C = -0.4527, 0.86, 0.0218  # Chung's fit: phi(x) = exp(A x^B + C) for x < 10


def _log_phi(x: np.ndarray) -> np.ndarray:
    r"""ln phi(x), :math:`\phi(x) = 1 - E[\tanh(L/2)]` for :math:`L \sim N(x, 2x)` (Chung's fit)."""
    x = np.asarray(x, dtype=np.float64)
    small = _A * np.power(np.maximum(x, 1e-300), _B) + _C
    xl = np.maximum(x, 10.0)
    large = 0.5 * np.log(np.pi / xl) - xl / 4.0 + np.log1p(-10.0 / (7.0 * xl))
    return np.where(x < 10.0, small, large)


def _inverse_log_phi(target: np.ndarray) -> np.ndarray:
    """x with ln phi(x) = target, by bisection (ln phi decreases in x)."""
    lo = np.zeros_like(target)
    hi = np.full_like(target, 20.0)
    while np.any(_log_phi(hi) > target):  # grow the bracket where needed
        hi = np.where(_log_phi(hi) > target, 2.0 * hi, hi)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        above = _log_phi(mid) > target
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return 0.5 * (lo + hi)


def gaussian_approximation(n_log2: int, design_esn0_db: float) -> np.ndarray:
    r"""Mean LLR of each bit-channel under the Gaussian approximation (larger = better).

    :math:`m_0 = 4E_s/N_0`; :math:`m^- = \phi^{-1}(1-(1-\phi(m))^2)`, :math:`m^+ = 2m`;
    the minus branch is evaluated as :math:`\ln\phi^{-1}` of :math:`\ln(\phi(2-\phi))`.

    >>> m = gaussian_approximation(1, 0.0)
    >>> (round(float(m[1]), 3), bool(m[0] < m[1]))
    (8.0, True)
    """
    _check_n(n_log2)
    m = np.array([4.0 * db_to_linear(design_esn0_db)])
    for _ in range(n_log2):
        lp = _log_phi(m)
        target = lp + np.log(2.0 - np.exp(lp))  # ln(1 - (1 - phi)^2)
        m = _interleave(_inverse_log_phi(target), 2.0 * m)
    return m


def _minus_log(la: np.ndarray, lb: np.ndarray) -> np.ndarray:
    """ln(a + b - ab) from ln a, ln b (a, b in [0, 1]): the minus rule of both recursions."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.minimum(np.logaddexp(la, lb + np.log1p(-np.exp(la))), 0.0)  # rounding never above ln 1


def _polarize(values: np.ndarray, minus, plus) -> np.ndarray:
    """One parameter per codeword position -> one per bit index u_i: each block of size m
    becomes (minus(lo, hi), plus(lo, hi)) of its halves, down to single indices."""
    v = np.asarray(values, dtype=np.float64).copy()
    m = v.size
    while m > 1:
        blocks = v.reshape(-1, m)
        lo, hi = blocks[:, : m // 2], blocks[:, m // 2 :]
        v = np.concatenate([minus(lo, hi), plus(lo, hi)], axis=1).reshape(-1)
        m //= 2
    return v


def _ga_minus(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):  # ln phi(inf) = -inf
        la, lb = np.minimum(_log_phi(a), 0.0), np.minimum(_log_phi(b), 0.0)  # phi <= 1 (the fit exceeds 1 near 0)
    target = _minus_log(la, lb)
    out = np.zeros_like(target)
    finite = np.isfinite(target) & (target < 0.0)  # target 0: a channel that says nothing
    out[finite] = _inverse_log_phi(target[finite])
    out[target == -np.inf] = np.inf  # both known
    return out


def reliability_observed(method: str, observations: np.ndarray, design_esn0_db: float) -> np.ndarray:
    """Scores per bit index (larger = more reliable) when codeword position j is observed
    ``observations[j]`` times at Es/N0 = ``design_esn0_db`` (0: punctured, inf: known).

    >>> c = np.ones(8)
    >>> bool(np.allclose(reliability_observed("ga", c, 1.0), gaussian_approximation(3, 1.0)))
    True
    >>> c[:2] = 0                          # x_0, x_1 punctured: u_0, u_1 learn nothing
    >>> (reliability_observed("bhattacharyya", c, 1.0)[:3] > 0).tolist()
    [False, False, True]
    """
    c = np.asarray(observations, dtype=np.float64)
    esn0 = db_to_linear(design_esn0_db)
    with np.errstate(invalid="ignore"):
        if method == "ga":
            return _polarize(4.0 * esn0 * c, _ga_minus, np.add)
        if method == "bhattacharyya":
            return -_polarize(np.where(c == 0, 0.0, -esn0 * c), _minus_log, np.add)
    raise ValueError(f"method {method!r} has no per-position form (allowed: bhattacharyya, ga)")


def reliability_5g(n: int) -> np.ndarray:
    """Score per index for N <= 1024: its rank in the 5G NR sequence restricted to < N.

    >>> reliability_5g(8).astype(int).tolist()
    [0, 1, 2, 4, 3, 5, 6, 7]
    """
    if n > RELIABILITY_5G.size:
        raise ValueError(f"the 5G reliability sequence covers n <= {RELIABILITY_5G.size}, got {n}")
    order = RELIABILITY_5G[RELIABILITY_5G < n]
    score = np.empty(n, dtype=np.float64)
    score[order] = np.arange(n, dtype=np.float64)
    return score


def reliability(method: str, n: int, design_esn0_db: float = 0.0) -> np.ndarray:
    """Scores for ``method`` in {"bhattacharyya", "ga", "5g"} (larger = more reliable)."""
    n_log2 = n.bit_length() - 1
    if method == "bhattacharyya":
        return bhattacharyya(n_log2, design_esn0_db=design_esn0_db)
    if method == "ga":
        return gaussian_approximation(n_log2, design_esn0_db)
    if method == "5g":
        return reliability_5g(n)
    raise ValueError(f"unknown construction method {method!r} (allowed: bhattacharyya, ga, 5g)")


def frozen_mask(score: np.ndarray, k: int, exclude: np.ndarray | None = None) -> np.ndarray:
    """Bool (N,): True for the N - k least reliable indices (ties broken toward lower
    index); indices in ``exclude`` (e.g. shortened ones) are frozen whatever their score.

    >>> frozen_mask(np.array([0.1, 0.5, 0.2, 0.9]), 2).astype(int).tolist()
    [1, 0, 1, 0]
    >>> frozen_mask(np.array([0.1, 0.5, 0.2, 0.9]), 2, exclude=np.array([3])).astype(int).tolist()
    [1, 0, 0, 1]
    """
    n = score.size
    allowed = np.ones(n, dtype=bool)
    if exclude is not None:
        allowed[np.asarray(exclude, dtype=np.int64)] = False
    if not 0 <= k <= int(allowed.sum()):
        raise ValueError(f"k must be in 0..{int(allowed.sum())}, got {k}")
    order = np.lexsort((np.arange(n), score))  # ascending reliability, stable
    order = order[allowed[order]]
    frozen = np.ones(n, dtype=bool)
    frozen[order[order.size - k :]] = False
    return frozen
