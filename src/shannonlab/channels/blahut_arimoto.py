r"""Capacity of a discrete memoryless channel by Blahut–Arimoto, with certified bounds.

The channel is a row-stochastic matrix :math:`W[x, y] = P(y \mid x)` (rows are inputs).
For an input distribution p with output distribution :math:`q = pW`, let

.. math::  D_x(p) = D\big(W(\cdot\mid x)\,\|\,q\big) = \sum_y W_{xy}\log\frac{W_{xy}}{q_y}.

Then :math:`I(p; W) = \sum_x p_x D_x(p)` and, for *every* p,

.. math::  I(p; W) \;\le\; C \;\le\; \max_x D_x(p)

(the left side because C is a maximum over p, the right side by the minimax
characterisation :math:`C = \min_q \max_x D(W_x\|q)`). Both sides meet at the
capacity-achieving distribution, so ``upper - lower`` is a proof of accuracy: the
iteration stops when it is below ``tol``.

Methods
-------
``"plain"``: the textbook update :math:`p_x \leftarrow p_x e^{D_x(p)} / \sum_{x'} p_{x'} e^{D_{x'}(p)}`
(Blahut 1972, Arimoto 1972), which increases I(p; W) at every step but converges
sublinearly when an unused input's :math:`D_x` is close to C (typical of dense channels).

``"accelerated"`` (default): the same update over-relaxed as in Matz & Duhamel (2004),
:math:`p_x \propto p_x e^{\mu D_x(p)}` with μ grown while I(p; W) increases and reset to 1 (the
plain, provably monotone step) when it would not; then, at iterations 16, 32, 64, ..., a
Newton polish on the inputs the iteration has singled out: maximise I(p; W) over
:math:`\{p : \sum p = 1,\ p_x = 0 \text{ off } S\}` with the exact Hessian
:math:`-W_S\,\mathrm{diag}(1/q)\,W_S^\top`, dropping inputs whose probability the step drives
to zero and adding inputs whose :math:`D_x` exceeds the support's (the KKT conditions
:math:`D_x = C` on the support, :math:`D_x \le C` off it). A Newton step is kept only if
I(p; W) does not decrease; if the polish does not certify the gap, the iteration resumes from
where it was. Lower and upper are the best certificates met on the way, so both are monotone.

All logarithms are natural inside and converted to bits on output. Zero entries of W follow
:math:`0\log 0 = 0`; outputs no input can produce are dropped; the update works on log p so
that inputs whose optimal probability is 0 decay without underflow trouble.

Example
-------
>>> import numpy as np
>>> r = blahut_arimoto(np.array([[0.9, 0.1], [0.1, 0.9]]))
>>> round(r.capacity, 6), r.upper - r.lower < 1e-9
(0.531004, True)
>>> round(mutual_information([0.5, 0.5], [[1.0, 0.0], [0.0, 1.0]]), 12)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp, xlogy

from ..errors import ShannonlabError

LN2 = math.log(2.0)
#: How far a row sum may stray from 1 (rounding in a CSV file) before the matrix is refused.
ROW_SUM_TOLERANCE = 1e-6
METHODS = ("accelerated", "plain")
#: The smallest gap that double-precision sums of a few thousand terms can certify.
MIN_TOL = 1e-13


@dataclass(frozen=True)
class CapacityResult:
    """Capacity of a DMC with its certificate, everything in bits.

    ``lower = I(p; W)`` for the returned ``input_distribution`` p and
    ``upper = max_x D(W(.|x) || pW)``; the capacity lies in ``[lower, upper]`` and
    ``capacity`` is the midpoint. ``converged`` says whether ``upper - lower < tol``.
    """

    capacity: float
    lower: float
    upper: float
    input_distribution: np.ndarray
    output_distribution: np.ndarray
    iterations: int
    converged: bool
    method: str

    @property
    def gap(self) -> float:
        return self.upper - self.lower


def validate_channel(W, name: str = "W") -> np.ndarray:
    """``W`` as a float64 row-stochastic matrix, or a one-line :class:`ShannonlabError`.

    Rows must be non-negative, finite and sum to 1 within 1e-6 (they are then renormalised).

    >>> validate_channel([[0.5, 0.5], [0.3, 0.6]])
    Traceback (most recent call last):
    ...
    shannonlab.errors.ShannonlabError: W: row 1 sums to 0.9, every row must sum to 1
    """
    try:
        W = np.array(W, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ShannonlabError(f"{name}: must be a matrix of numbers ({exc})") from None
    if W.ndim != 2:
        raise ShannonlabError(f"{name}: must be a 2-D matrix (rows are inputs), got {W.ndim} dimension(s)")
    if W.size == 0:
        raise ShannonlabError(f"{name}: is empty, it needs at least one input row and one output column")
    bad = ~np.isfinite(W)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ShannonlabError(f"{name}: entry [{r}, {c}] is {W[r, c]}, every entry must be a finite number")
    if (W < 0).any():
        r, c = np.argwhere(W < 0)[0]
        raise ShannonlabError(f"{name}: entry [{r}, {c}] is {W[r, c]:.6g}, entries must be probabilities >= 0")
    sums = W.sum(axis=1)
    off = np.abs(sums - 1.0) > ROW_SUM_TOLERANCE
    if off.any():
        r = int(np.argmax(off))
        raise ShannonlabError(f"{name}: row {r} sums to {sums[r]:.6g}, every row must sum to 1")
    return W / sums[:, None]


def _validate_distribution(p, n: int, name: str = "p") -> np.ndarray:
    try:
        p = np.array(p, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ShannonlabError(f"{name}: must be a vector of probabilities ({exc})") from None
    if p.shape != (n,):
        raise ShannonlabError(f"{name}: must have one probability per input row ({n}), got shape {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any():
        i = int(np.argmax(~np.isfinite(p) | (p < 0)))
        raise ShannonlabError(f"{name}: entry {i} is {p[i]}, probabilities must be finite and >= 0")
    if abs(p.sum() - 1.0) > ROW_SUM_TOLERANCE:
        raise ShannonlabError(f"{name}: sums to {p.sum():.6g}, must sum to 1")
    return p / p.sum()


def _divergences(W: np.ndarray, neg_entropy: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """D_x(p) = sum_y W_xy log(W_xy / q_y) in nats for every input x, and q = pW."""
    q = p @ W
    if (q > 0).all():
        return neg_entropy - W @ np.log(q), q
    with np.errstate(divide="ignore"):
        log_q = np.log(q)
    with np.errstate(invalid="ignore"):
        cross = np.where(W > 0, W * np.where(q > 0, log_q, -np.inf), 0.0).sum(axis=1)
    return neg_entropy - cross, q


def mutual_information(p, W) -> float:
    r"""I(X; Y) in bits for input distribution ``p`` over the channel ``W``:
    :math:`\sum_{x,y} p_x W_{xy}\log_2\frac{W_{xy}}{(pW)_y}`.

    >>> round(mutual_information([0.5, 0.5], [[0.9, 0.1], [0.1, 0.9]]), 6)
    0.531004
    """
    W = validate_channel(W)
    p = _validate_distribution(p, W.shape[0])
    d, _ = _divergences(W, xlogy(W, W).sum(axis=1), p)
    used = p > 0
    return float(max(0.0, p[used] @ d[used]) / LN2)


class _Certificate:
    """The best lower and upper bounds met so far (nats), with the p that gave the lower."""

    def __init__(self, n: int):
        self.lower, self.upper = -math.inf, math.inf
        self.p = np.full(n, 1.0 / n)

    def offer(self, p: np.ndarray, d: np.ndarray) -> float:
        used = p > 0
        lower = float(p[used] @ d[used])
        upper = float(d.max())
        if lower > self.lower:
            self.lower, self.p = lower, p.copy()
        self.upper = min(self.upper, upper)
        return lower

    @property
    def gap(self) -> float:
        return self.upper - self.lower


def _newton_polish(W, neg_entropy, p, support, cert: _Certificate, tol: float, max_steps: int = 60) -> int:
    """Newton's method for max I(p; W) on the face of the simplex spanned by ``support``,
    growing and shrinking the support by the KKT conditions; offers every iterate to
    ``cert``. Returns the number of Newton steps taken."""
    n = W.shape[0]
    p = np.where(np.isin(np.arange(n), support), p, 0.0)
    p /= p.sum()
    S = np.flatnonzero(p > 0)
    d, q = _divergences(W, neg_entropy, p)
    value = cert.offer(p, d)
    steps = 0
    while steps < max_steps and cert.gap >= tol:
        spread = d[S].max() - d[S].min()
        settled = spread < max(1e-3 * tol, 1e-13)
        outside = np.setdiff1d(np.arange(n), S)
        violators = outside[d[outside] > d[S].max() + 1e-15] if outside.size else outside
        if violators.size and (settled or d[violators].max() - d[S].max() > spread):
            # optimal on this face but some input would raise I: bring it in with a little mass
            steps += 1
            p = p.copy()
            p[violators] = 1e-3 / violators.size
            p /= p.sum()
            S = np.flatnonzero(p > 0)
            d, q = _divergences(W, neg_entropy, p)
            value = cert.offer(p, d)
            continue
        if settled:
            break  # nothing left to gain on this face and no input outside it would help
        steps += 1
        columns = q > 0
        A = W[np.ix_(S, columns)] / np.sqrt(q[columns])
        k = S.size
        kkt = np.zeros((k + 1, k + 1))
        gram = A @ A.T
        # a little Levenberg damping: near-duplicate rows make the Hessian singular, and
        # moving mass between them changes nothing, so the step should not try to
        gram[np.diag_indices(k)] += 1e-10 * max(float(gram.diagonal().max()), 1e-300)
        kkt[:k, :k] = gram
        kkt[:k, k] = kkt[k, :k] = 1.0
        rhs = np.append(d[S], 0.0)
        try:
            step = np.linalg.solve(kkt, rhs)[:k]
            if not np.isfinite(step).all():
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:k]
        current = p[S]
        trials = []
        full = current + step
        if (full < 0).any():
            trials.append(np.maximum(full, 0.0))  # drop every input the full step empties
        shrinking = step < 0
        reach = float(np.min(-current[shrinking] / step[shrinking])) if shrinking.any() else math.inf
        alpha = 1.0
        while alpha > 1e-9:
            a = min(alpha, reach)
            trial = np.maximum(current + a * step, 0.0)
            if a == reach:
                trial[np.argmin(np.where(shrinking, -current / np.where(shrinking, step, 1.0), math.inf))] = 0.0
            trials.append(trial)
            alpha *= 0.5
        accepted = False
        for trial in trials:
            candidate = np.zeros(n)
            candidate[S] = trial
            candidate /= candidate.sum()
            d_new, q_new = _divergences(W, neg_entropy, candidate)
            new_value = float(candidate[candidate > 0] @ d_new[candidate > 0])
            if new_value >= value - 1e-15 * max(1.0, abs(value)) and math.isfinite(d_new.max()):
                accepted = True
                break
        if not accepted:
            break
        p, d, q = candidate, d_new, q_new
        value = cert.offer(p, d)
        S = np.flatnonzero(p > 0)
    return steps


def blahut_arimoto(W, tol: float = 1e-9, max_iterations: int = 1_000_000, method: str = "accelerated") -> CapacityResult:
    r"""Capacity of the DMC ``W`` (rows: inputs, ``W[x, y] = P(y|x)``) in bits per use, with
    certified bounds ``lower <= C <= upper`` and ``upper - lower < tol`` on convergence.

    ``method="plain"`` is the textbook Blahut–Arimoto iteration; ``"accelerated"`` (default)
    adds over-relaxed steps and a Newton polish on the support (see the module docstring).
    If ``max_iterations`` runs out first the result has ``converged=False``; its bounds
    still hold.

    >>> import numpy as np
    >>> Z = np.array([[1.0, 0.0], [0.5, 0.5]])
    >>> r = blahut_arimoto(Z)
    >>> round(r.capacity, 9), [round(float(v), 4) for v in r.input_distribution]
    (0.321928095, [0.6, 0.4])
    >>> r.lower <= r.capacity <= r.upper
    True
    """
    W_full = validate_channel(W)
    if method not in METHODS:
        raise ShannonlabError(f"method: must be one of {', '.join(METHODS)}, got {method!r}")
    if not tol > 0 or not math.isfinite(tol):
        raise ShannonlabError(f"tol: must be a positive number, got {tol}")
    if tol < MIN_TOL:
        raise ShannonlabError(f"tol: must be at least {MIN_TOL:g} (double-precision rounding), got {tol:g}")
    if max_iterations < 1:
        raise ShannonlabError(f"max_iterations: must be a positive integer, got {max_iterations}")
    n = W_full.shape[0]
    W = W_full[:, W_full.sum(axis=0) > 0]  # outputs that never occur carry no information
    neg_entropy = xlogy(W, W).sum(axis=1)
    tol_nats = tol * LN2
    cert = _Certificate(n)
    log_p = np.full(n, -math.log(n))
    p = np.exp(log_p)
    d, _ = _divergences(W, neg_entropy, p)
    value = cert.offer(p, d)
    iterations, mu, next_polish = 0, 1.0, 16
    while cert.gap >= tol_nats and iterations < max_iterations:
        if method == "accelerated" and iterations >= next_polish:
            next_polish *= 2
            support = np.flatnonzero(d >= value)
            iterations += _newton_polish(W, neg_entropy, p, support, cert, tol_nats)
            if cert.gap < tol_nats:
                break
        iterations += 1
        while True:
            step = log_p + mu * d
            step -= logsumexp(step)
            p_new = np.exp(step)
            d_new, _ = _divergences(W, neg_entropy, p_new)
            new_value = cert.offer(p_new, d_new)
            if mu == 1.0 or new_value >= value:
                break
            mu = 1.0  # the over-relaxed step lost ground: take the plain (monotone) step
        if method == "accelerated" and new_value >= value:
            mu = min(mu * 1.25, 8.0)
        log_p, p, d, value = step, p_new, d_new, new_value
    p_best = cert.p
    lower = max(0.0, cert.lower) / LN2
    upper = max(lower, cert.upper / LN2)
    return CapacityResult(
        capacity=0.5 * (lower + upper),
        lower=lower,
        upper=upper,
        input_distribution=p_best,
        output_distribution=p_best @ W_full,
        iterations=iterations,
        converged=cert.gap < tol_nats,
        method=method,
    )
