r"""Rate–distortion function of a discrete memoryless source by Blahut's algorithm, with
certified bounds.

Source distribution :math:`p_x`, distortion matrix :math:`d[x, \hat x] \ge 0`,
:math:`R(D) = \min\{I(X;\hat X) : \mathbb E\,d(X,\hat X) \le D\}`. For a slope s < 0 and an
output distribution q, Blahut (1972) iterates

.. math::  Q(\hat x|x) = \frac{q_{\hat x} e^{s d(x,\hat x)}}{Z_x},\quad Z_x = \sum_{\hat x} q_{\hat x} e^{s d(x,\hat x)},
           \qquad q_{\hat x} \leftarrow \sum_x p_x Q(\hat x|x),

a test channel of distortion :math:`D_s = \sum p_x Q(\hat x|x) d(x,\hat x)`. Two bounds hold for
*every* q and s < 0, so their gap certifies the answer:

* upper: :math:`R(D) \le I(p, Q)` whenever :math:`D_s \le D` (Q is a feasible test channel);
* lower: :math:`R(D) \ge sD - \sum_x p_x \ln Z_x - \ln\max_{\hat x} c_{\hat x}`,
  :math:`c_{\hat x} = \sum_x p_x e^{s d(x,\hat x)}/Z_x` (the dual of the convex program, with
  :math:`\lambda_x = 1/(Z_x \max c)` feasible; Blahut 1972, Thm. 8; Csiszár 1974).

:func:`rate_distortion` bisects on s until :math:`D_s \le D` is close enough to D that the gap
is below ``tol``. Everything is computed in log space (large :math:`|s|` near
:math:`D_{\min}` would underflow otherwise) and reported in bits.

Example: Bernoulli(0.2) source with Hamming distortion, :math:`R(D) = H_2(0.2) - H_2(D)`.

>>> r = rate_distortion([0.8, 0.2], [[0, 1], [1, 0]], 0.05)
>>> round(r.rate, 8), r.upper - r.lower < 1e-9
(0.43553114, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp, xlogy

from ..errors import ShannonlabError
from .blahut_arimoto import MIN_TOL, validate_distribution
from .units import LN2


@dataclass(frozen=True)
class RateDistortionResult:
    """R(D) in bits with its certificate ``lower <= R(D) <= upper``; ``rate`` is the midpoint.

    ``test_channel[x, x̂]`` reaches ``achieved_distortion <= D`` at rate ``upper``;
    ``slope`` is s/ln 2, the slope dR/dD of the curve in bits per unit distortion.
    """

    rate: float
    lower: float
    upper: float
    distortion: float
    achieved_distortion: float
    slope: float
    test_channel: np.ndarray
    output_distribution: np.ndarray
    iterations: int
    converged: bool


def _validate(source, distortion, D) -> tuple[np.ndarray, np.ndarray, float]:
    p = validate_distribution(source, "source")
    try:
        d = np.array(distortion, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ShannonlabError(f"distortion: must be a matrix of numbers ({exc})") from None
    if d.ndim != 2 or d.shape[0] != p.size or d.shape[1] == 0:
        raise ShannonlabError(f"distortion: must have one row per source letter ({p.size}) and at least one "
                              f"column, got shape {d.shape}")
    if not np.isfinite(d).all() or (d < 0).any():
        r, c = np.argwhere(~np.isfinite(d) | (d < 0))[0]
        raise ShannonlabError(f"distortion: entry [{r}, {c}] is {d[r, c]}, distortions must be finite and >= 0")
    if not math.isfinite(D):
        raise ShannonlabError(f"D: must be a finite number, got {D}")
    return p, d, float(D)


def _blahut(log_p, d, s, log_q, tol, max_iterations):
    """Blahut iterations at slope s from output distribution exp(log_q) until the gap at
    D_s is below ``tol`` (nats). Returns (log_q, log_Q, iterations)."""
    iterations = 0
    while True:
        log_A = log_q[None, :] + s * d
        log_Z = logsumexp(log_A, axis=1)
        log_Q = log_A - log_Z[:, None]
        log_c = logsumexp(log_p[:, None] + s * d - log_Z[:, None], axis=0)  # q'/q
        log_q_new = log_q + log_c
        log_q_new -= logsumexp(log_q_new)
        used = np.isfinite(log_q)
        gap = log_c[used].max() - float(np.exp(log_q_new[used]) @ log_c[used])
        log_q = log_q_new
        if gap < tol or iterations >= max_iterations:
            return log_q, log_Q, iterations
        iterations += 1


def _bounds(p, log_p, d, s, log_q, D):
    """(upper, lower, D_s, Q, q') in nats for the test channel built from q at slope s."""
    log_A = log_q[None, :] + s * d
    log_Z = logsumexp(log_A, axis=1)
    log_Q = log_A - log_Z[:, None]
    Q = np.exp(log_Q)
    q_out = p @ Q
    D_s = float(np.sum(p[:, None] * Q * d))
    joint = p[:, None] * Q
    with np.errstate(divide="ignore", invalid="ignore"):
        info = float(np.sum(xlogy(joint, Q)) - np.sum(xlogy(q_out, q_out)))
    log_c = logsumexp(log_p[:, None] + s * d - log_Z[:, None], axis=0)
    used = np.isfinite(log_q)
    lower = s * D - float(p @ log_Z) - float(log_c[used].max())
    return max(info, 0.0), lower, D_s, Q, q_out


def rate_distortion(source, distortion, D: float, tol: float = 1e-9, max_iterations: int = 100_000) -> RateDistortionResult:
    r"""R(D) in bits of the source ``source`` (probabilities) under the distortion matrix
    ``distortion[x, x̂]``, with certified bounds (see the module docstring).

    :math:`D \ge D_{\max} = \min_{\hat x}\sum_x p_x d(x,\hat x)` gives R = 0 exactly; D below
    :math:`D_{\min} = \sum_x p_x \min_{\hat x} d(x,\hat x)` is unreachable and refused.

    >>> r = rate_distortion([0.5, 0.5], [[0, 1], [1, 0]], 0.11)  # 1 - H2(0.11)
    >>> round(r.rate, 6), round(r.achieved_distortion, 6)
    (0.500084, 0.11)
    """
    p, d, D = _validate(source, distortion, D)
    if not tol >= MIN_TOL:
        raise ShannonlabError(f"tol: must be at least {MIN_TOL:g}, got {tol}")
    d_min = float(p @ d.min(axis=1))
    column_means = p @ d
    d_max = float(column_means.min())
    if D < d_min - 1e-12:
        raise ShannonlabError(f"D: must be at least D_min = {d_min:.6g} (the smallest reachable distortion), got {D:g}")
    if D >= d_max:
        best = int(np.argmin(column_means))
        Q = np.zeros_like(d)
        Q[:, best] = 1.0
        return RateDistortionResult(0.0, 0.0, 0.0, D, d_max, 0.0, Q, Q[0].copy(), 0, True)
    with np.errstate(divide="ignore"):
        log_p = np.log(p)
    tol_nats = tol * LN2
    inner_tol = 0.1 * tol_nats
    log_q = np.full(d.shape[1], -math.log(d.shape[1]))
    iterations = 0

    def evaluate(t, log_q):
        nonlocal iterations
        log_q, _, used = _blahut(log_p, d, -t, log_q, inner_tol, max_iterations)
        iterations += used + 1
        return log_q, _bounds(p, log_p, d, -t, log_q, D)

    # bracket the slope: D_s <= D at t_low... the curve's distortion falls as t = -s grows
    t_feasible, t_infeasible = 1.0, None
    state = evaluate(t_feasible, log_q)
    while state[1][2] > D and t_feasible < 1e6:
        t_infeasible, t_feasible = t_feasible, t_feasible * 4.0
        state = evaluate(t_feasible, state[0])
    if t_infeasible is None:
        t_infeasible = t_feasible
        while True:
            t_infeasible /= 4.0
            trial = evaluate(t_infeasible, state[0])
            if trial[1][2] > D or t_infeasible < 1e-9:
                break
            t_feasible, state = t_infeasible, trial
    best = state
    # bisection in log t: keep D_s <= D at the feasible end, stop when the certificate closes
    for _ in range(200):
        upper, lower = best[1][0], best[1][1]
        if upper - lower < tol_nats or iterations >= max_iterations:
            break
        t_mid = math.sqrt(t_feasible * t_infeasible)
        if not t_feasible > t_mid > t_infeasible:
            break
        trial = evaluate(t_mid, best[0])
        if trial[1][2] <= D:
            t_feasible, best = t_mid, trial
        else:
            t_infeasible = t_mid
    upper, lower, D_s, Q, q_out = best[1]
    upper, lower = upper / LN2, max(0.0, lower / LN2)
    lower = min(lower, upper)
    return RateDistortionResult(
        rate=0.5 * (upper + lower), lower=lower, upper=upper, distortion=D, achieved_distortion=D_s,
        slope=-t_feasible / LN2, test_channel=Q, output_distribution=q_out, iterations=iterations,
        converged=upper - lower < tol,
    )
