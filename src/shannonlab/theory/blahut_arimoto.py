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
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import logsumexp, xlogy

from ..errors import ShannonlabError
from .units import LN2

#: How far a row sum may stray from 1 (rounding in a CSV file) before the matrix is refused.
ROW_SUM_TOLERANCE = 1e-6
METHODS = ("accelerated", "plain")
#: The smallest gap that double-precision sums of a few thousand terms can certify.
MIN_TOL = 1e-13


@dataclass(frozen=True)
class CapacityResult:
    r"""Capacity of a DMC with its certificate, everything in bits.

    ``lower = I(p; W)`` for the returned ``input_distribution`` p and ``upper`` a proven upper
    bound (:math:`\max_x D(W(\cdot|x)\,\|\,pW)`, or with a cost constraint
    :math:`sP + \max_x (D_x - s c_x)`); the capacity lies in ``[lower, upper]`` and
    ``capacity`` is the midpoint. ``converged`` says whether ``upper - lower < tol``.
    Under a cost constraint (:func:`blahut_arimoto_cost`) ``expected_cost`` is the cost of
    p and ``multiplier`` the Lagrange multiplier s in bits per unit cost.
    """

    capacity: float
    lower: float
    upper: float
    input_distribution: np.ndarray
    iterations: int
    converged: bool
    method: str = "accelerated"
    output_distribution: np.ndarray | None = None
    expected_cost: float | None = None
    multiplier: float | None = None

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


def validate_distribution(p, name: str = "p", n: int | None = None) -> np.ndarray:
    """A probability vector, normalised; one-line ShannonlabError naming ``name`` otherwise.
    With ``n`` it must have one entry per input row; without, any non-empty length."""
    try:
        p = np.array(p, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ShannonlabError(f"{name}: must be a vector of probabilities ({exc})") from None
    if n is not None and p.shape != (n,):
        raise ShannonlabError(f"{name}: must have one probability per input row ({n}), got shape {p.shape}")
    if n is None and (p.ndim != 1 or p.size == 0):
        raise ShannonlabError(f"{name}: must be a non-empty vector of probabilities, got shape {p.shape}")
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
    p = validate_distribution(p, n=W.shape[0])
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


# --- capacity with an input cost (power) constraint -----------------------------------------


#: The result of :func:`blahut_arimoto_cost` (the same class; kept for old imports).
CostCapacityResult = CapacityResult


#: Iterations per multiplier s in :func:`blahut_arimoto_cost` (the next s starts where it ended).
INNER_ITERATIONS = 2000
#: Smallest log-probability an input keeps in the cost-constrained iteration (about 1e-217).
LOG_P_FLOOR = -500.0


def _lagrangian_iterate(W, neg_entropy, cost, s, log_p, tol, max_iterations):
    r"""Maximise :math:`I(p; W) - s\,E_p[c]` (nats) by the Blahut–Arimoto update
    :math:`p_x \propto p_x e^{D_x(p) - s c_x}`, over-relaxed while the objective grows.
    Stops when :math:`\max_x(D_x - s c_x) - (I - s E c) < tol`. Returns (log p, D, iterations)."""
    p = np.exp(log_p)
    d, _ = _divergences(W, neg_entropy, p)
    g = d - s * cost
    value = float(p[p > 0] @ g[p > 0])
    mu, iterations = 1.0, 0
    while iterations < max_iterations and g.max() - value >= tol:
        iterations += 1
        while True:
            step = log_p + mu * g
            step -= logsumexp(step)
            np.maximum(step, LOG_P_FLOOR, out=step)  # no input underflows to 0 (q_y = 0 would make D_x infinite)
            p_new = np.exp(step)
            d_new, _ = _divergences(W, neg_entropy, p_new)
            g_new = d_new - s * cost
            new_value = float(p_new[p_new > 0] @ g_new[p_new > 0])
            if mu == 1.0 or new_value >= value:
                break
            mu = 1.0
        if new_value >= value:
            mu = min(mu * 1.25, 8.0)
        log_p, d, g, value = step, d_new, g_new, new_value
    return log_p, d, iterations


def blahut_arimoto_cost(W, cost, budget: float, tol: float = 1e-6, max_iterations: int = 200_000) -> CapacityResult:
    r"""Capacity of the DMC ``W`` under an average input cost, :math:`C(P) = \max\{I(p; W) :
    \sum_x p_x c_x \le P\}`, in bits per use (Blahut 1972, sec. IV).

    For a multiplier s >= 0 the Lagrangian :math:`I(p; W) - s\,E_p[c]` is maximised by the
    Blahut–Arimoto update :math:`p_x \propto p_x\,e^{D_x(p) - s c_x}`; its maximiser p_s meets
    the cost :math:`P_s = E_{p_s}[c]`, which falls as s grows, so s is bisected until
    :math:`P_s = P`. Certificates, valid for every p and s >= 0:

    .. math::  I(p; W) \le C(P) \le sP + \max_x \big(D_x(p) - s c_x\big)

    (the left side for every p within the budget). Iteration stops when they are ``tol`` apart.

    Example: the real AWGN channel with noise variance 1 seen through a grid of inputs with
    cost x² and finely quantised outputs; at P = 1 the capacity is ½ log2(2) = 0.5 bit.

    >>> import numpy as np
    >>> from scipy.special import ndtr
    >>> x = np.arange(-7.0, 7.01, 0.25); edges = np.arange(-15.0, 15.01, 0.05)
    >>> cdf = ndtr(edges[None, :] - x[:, None])
    >>> W = np.diff(np.hstack([np.zeros((x.size, 1)), cdf, np.ones((x.size, 1))]), axis=1)
    >>> r = blahut_arimoto_cost(W, x ** 2, 1.0)
    >>> round(r.capacity, 3), abs(r.expected_cost - 1.0) < 1e-9, r.converged
    (0.5, True, True)
    """
    W_full = validate_channel(W)
    try:
        cost = np.array(cost, dtype=float).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise ShannonlabError(f"cost: must be a vector of numbers ({exc})") from None
    if cost.shape != (W_full.shape[0],):
        raise ShannonlabError(f"cost: must have one entry per input row ({W_full.shape[0]}), got {cost.size}")
    if not np.isfinite(cost).all() or (cost < 0).any():
        raise ShannonlabError("cost: every entry must be a finite number >= 0")
    if not math.isfinite(budget) or budget < cost.min():
        raise ShannonlabError(f"budget: must be at least the smallest input cost {cost.min():.6g}, got {budget}")
    if not tol > 0 or tol < MIN_TOL:
        raise ShannonlabError(f"tol: must be a number >= {MIN_TOL:g}, got {tol}")
    if cost.max() <= budget:  # the constraint cannot bind: plain capacity
        plain = blahut_arimoto(W_full, tol=tol, max_iterations=max_iterations)
        return replace(plain, method="cost", expected_cost=float(plain.input_distribution @ cost), multiplier=0.0)
    W = W_full[:, W_full.sum(axis=0) > 0]
    neg_entropy = xlogy(W, W).sum(axis=1)
    tol_nats = tol * LN2
    n = W.shape[0]
    cheapest = int(np.argmin(cost))
    best = {"lower": -math.inf, "p": np.eye(n)[cheapest], "cost": float(cost[cheapest]), "upper": math.inf, "s": 0.0}
    total = 0
    uniform = np.full(n, 1.0 / n)

    def solve(s: float, p_start: np.ndarray) -> tuple[np.ndarray, float]:
        """Maximise I - s E[c] from a start mixed with the uniform distribution (so no input
        starts near 0, which the multiplicative update would take long to revive); offer the
        bounds at the budget. Returns (p_s, P_s)."""
        nonlocal total
        log_p = np.log(0.99 * p_start + 0.01 * uniform)
        log_p, d, its = _lagrangian_iterate(W, neg_entropy, cost, s, log_p, 0.5 * tol_nats,
                                            max(1, min(INNER_ITERATIONS, max_iterations - total)))
        total += its
        p = np.exp(log_p)
        p /= p.sum()
        spent = float(p @ cost)
        upper = s * budget + float((d - s * cost).max())
        if upper < best["upper"]:
            best["upper"], best["s"] = upper, s
        feasible = p
        if spent > budget:  # mix with the cheapest input to meet the budget; I is concave in p
            weight = (spent - budget) / (spent - cost[cheapest])
            feasible = (1.0 - weight) * p
            feasible[cheapest] += weight
        d_feasible, _ = _divergences(W, neg_entropy, feasible)
        used = feasible > 0
        lower = float(feasible[used] @ d_feasible[used])
        if lower > best["lower"]:
            best["lower"], best["p"], best["cost"] = lower, feasible, float(feasible @ cost)
        return p, spent

    # P_s falls as s grows: secant steps on log P_s against log s (slope -1 until two points
    # are known, steps at most a factor 4), each solve warm-started from the last p.
    s = 1.0 / (2.0 * (budget + 1.0))
    p, spent = solve(s, uniform)
    previous = None
    for _ in range(200):
        if best["upper"] - best["lower"] < tol_nats or total >= max_iterations:
            break
        f = math.log(max(spent, 1e-300)) - math.log(budget)
        slope = -1.0
        if previous is not None and previous[0] != math.log(s):
            slope = (f - previous[1]) / (math.log(s) - previous[0])
            if not slope < -1e-3:
                slope = -1.0
        previous = (math.log(s), f)
        s = math.exp(math.log(s) + min(max(-f / slope, -1.4), 1.4))
        p, spent = solve(s, p)
    best_lower, best_upper, best_s, best_p, best_cost = best["lower"], best["upper"], best["s"], best["p"], best["cost"]
    lower = max(0.0, best_lower) / LN2
    upper = max(lower, best_upper / LN2)
    return CapacityResult(
        capacity=0.5 * (lower + upper), lower=lower, upper=upper, input_distribution=best_p,
        iterations=total, converged=best_upper - best_lower < tol_nats, method="cost",
        output_distribution=best_p @ W_full, expected_cost=best_cost, multiplier=best_s / LN2,
    )
