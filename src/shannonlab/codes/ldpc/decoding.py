r"""Belief-propagation decoders of a binary LDPC code on a batch of frames.

The Tanner graph is stored check-major (CSR): the edges of check c are
``check_ptr[c] .. check_ptr[c+1]-1`` and ``edge_var[e]`` is the variable of edge e.
Messages live in edge-indexed arrays. LLR(b) = ln P(b=0)/P(b=1).

Check-node rules (``rule``, the only thing that differs between the algorithms; the
extrinsic message on edge e of a check with incoming messages :math:`x_j`):

* ``sum-product``: :math:`2\,\mathrm{artanh}\prod_{j\ne e}\tanh(x_j/2)`, computed with
  magnitudes :math:`t_j = (1 - e^{-|x_j|})/(1 + e^{-|x_j|})`, forward-backward products
  (no division, exact when some :math:`x_j = 0`) and :math:`\ln\frac{1+p}{1-p}` with p
  kept below :math:`1 - 2^{-50}` (messages at most about 35).
* ``min-sum``: :math:`\prod_{j\ne e}\mathrm{sgn}(x_j)\,\min_{j\ne e}|x_j|`;
* ``normalized-min-sum``: the min-sum magnitude times :math:`\alpha`;
* ``offset-min-sum``: :math:`\max(\min_{j\ne e}|x_j| - \beta, 0)`.

Schedules: ``flooding`` (all checks from the previous iteration's variable messages,
:math:`v_{e} = L_v + \sum_{e' \ni v} c_{e'} - c_e`) and ``layered`` (check by check, the
posterior :math:`L^{post}_v` updated at once, so later checks in the same iteration see
the new values; about half the iterations of flooding).

Early stopping: before each iteration the hard decisions of the posterior are checked
against every parity; a frame whose syndrome is zero stops (and costs nothing more). The
reported iteration count of a frame is the number of iterations it ran (0 if its channel
decisions were already a codeword).

Example
-------
>>> import numpy as np, scipy.sparse as sp
>>> H = sp.csr_matrix(np.array([[1, 1, 1, 0], [0, 1, 1, 1]], dtype=np.uint8))
>>> dec = BeliefPropagation(H, "sum-product", "flooding", max_iterations=5)
>>> post, iters, ok = dec.run(np.array([[2.0, -0.5, 3.0, 1.0]]))
>>> (post < 0).astype(int).tolist(), iters.tolist(), ok.tolist()
([[0, 0, 0, 0]], [1], [True])
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numba import njit

#: ``rule`` codes of the check-node update.
RULES = {"sum-product": 0, "min-sum": 1, "normalized-min-sum": 2, "offset-min-sum": 3}
SCHEDULES = ("flooding", "layered")

_P_MAX = 1.0 - 2.0**-50


@njit(cache=True, inline="always")
def _cn_sum_product(x, out, deg, fwd):
    """out[j] = 2 artanh(prod_{i != j} tanh(x_i/2)) by forward-backward products."""
    sign = 1.0
    acc = 1.0
    for j in range(deg):
        v = x[j]
        if v < 0.0:
            sign = -sign
            v = -v
        e = np.exp(-v)
        t = (1.0 - e) / (1.0 + e)
        out[j] = t  # keep t_j, replaced below
        fwd[j] = acc
        acc *= t
    acc = 1.0
    for j in range(deg - 1, -1, -1):
        t = out[j]
        p = fwd[j] * acc
        acc *= t
        if p > _P_MAX:
            p = _P_MAX
        mag = np.log((1.0 + p) / (1.0 - p))
        out[j] = -mag if (sign < 0.0) != (x[j] < 0.0) else mag


@njit(cache=True, inline="always")
def _cn_min_sum(x, out, deg, rule, alpha, beta):
    """Min-sum family: sign product, two smallest magnitudes, then scale (alpha) or
    offset (beta) as ``rule`` says (1 plain, 2 normalized, 3 offset)."""
    min1 = np.inf
    min2 = np.inf
    idx = -1
    neg = False
    for j in range(deg):
        v = x[j]
        if v < 0.0:
            neg = not neg
            v = -v
        if v < min1:
            min2 = min1
            min1 = v
            idx = j
        elif v < min2:
            min2 = v
    if rule == 2:
        min1 *= alpha
        min2 *= alpha
    elif rule == 3:
        min1 = max(min1 - beta, 0.0)
        min2 = max(min2 - beta, 0.0)
    for j in range(deg):
        mag = min2 if j == idx else min1
        out[j] = -mag if neg != (x[j] < 0.0) else mag


@njit(cache=True, inline="always")
def _check_node(x, out, deg, rule, alpha, beta, fwd):
    if rule == 0:
        _cn_sum_product(x, out, deg, fwd)
    else:
        _cn_min_sum(x, out, deg, rule, alpha, beta)


@njit(cache=True)
def _syndrome_ok(post, check_ptr, edge_var, m):
    """True if the hard decisions of ``post`` satisfy every parity check."""
    for c in range(m):
        parity = False
        for e in range(check_ptr[c], check_ptr[c + 1]):
            if post[edge_var[e]] < 0.0:
                parity = not parity
        if parity:
            return False
    return True


@njit(cache=True)
def _decode_flooding(llr, check_ptr, edge_var, rule, alpha, beta, max_iter, early_stop, post_out, iters, ok):
    F, n = llr.shape
    m = check_ptr.size - 1
    E = edge_var.size
    max_deg = 0
    for c in range(m):
        max_deg = max(max_deg, check_ptr[c + 1] - check_ptr[c])
    c2v = np.empty(E)
    post = np.empty(n)
    new = np.empty(n)
    x = np.empty(max_deg)
    out = np.empty(max_deg)
    fwd = np.empty(max_deg)
    for f in range(F):
        for v in range(n):
            post[v] = llr[f, v]
        for e in range(E):
            c2v[e] = 0.0
        it = 0
        good = _syndrome_ok(post, check_ptr, edge_var, m) if early_stop else False
        while it < max_iter and not good:
            for v in range(n):
                new[v] = llr[f, v]
            for c in range(m):
                a = check_ptr[c]
                deg = check_ptr[c + 1] - a
                for j in range(deg):
                    x[j] = post[edge_var[a + j]] - c2v[a + j]
                _check_node(x, out, deg, rule, alpha, beta, fwd)
                for j in range(deg):
                    c2v[a + j] = out[j]
                    new[edge_var[a + j]] += out[j]
            post, new = new, post
            it += 1
            if early_stop:
                good = _syndrome_ok(post, check_ptr, edge_var, m)
        if not early_stop:
            good = _syndrome_ok(post, check_ptr, edge_var, m)
        for v in range(n):
            post_out[f, v] = post[v]
        iters[f] = it
        ok[f] = good


@njit(cache=True)
def _decode_layered(llr, check_ptr, edge_var, rule, alpha, beta, max_iter, early_stop, post_out, iters, ok):
    F, n = llr.shape
    m = check_ptr.size - 1
    E = edge_var.size
    max_deg = 0
    for c in range(m):
        max_deg = max(max_deg, check_ptr[c + 1] - check_ptr[c])
    c2v = np.empty(E)
    post = np.empty(n)
    x = np.empty(max_deg)
    out = np.empty(max_deg)
    fwd = np.empty(max_deg)
    for f in range(F):
        for v in range(n):
            post[v] = llr[f, v]
        for e in range(E):
            c2v[e] = 0.0
        it = 0
        good = _syndrome_ok(post, check_ptr, edge_var, m) if early_stop else False
        while it < max_iter and not good:
            for c in range(m):
                a = check_ptr[c]
                deg = check_ptr[c + 1] - a
                for j in range(deg):
                    x[j] = post[edge_var[a + j]] - c2v[a + j]
                _check_node(x, out, deg, rule, alpha, beta, fwd)
                for j in range(deg):
                    c2v[a + j] = out[j]
                    post[edge_var[a + j]] = x[j] + out[j]
            it += 1
            if early_stop:
                good = _syndrome_ok(post, check_ptr, edge_var, m)
        if not early_stop:
            good = _syndrome_ok(post, check_ptr, edge_var, m)
        for v in range(n):
            post_out[f, v] = post[v]
        iters[f] = it
        ok[f] = good


class BeliefPropagation:
    """BP decoding of the code of H with a check-node ``rule`` (see :data:`RULES`) and a
    ``schedule`` ("flooding" or "layered"); ``alpha`` scales (normalized min-sum),
    ``beta`` offsets (offset min-sum); ``early_stop`` ends a frame once its syndrome is 0.

    ``run(llr)`` takes channel LLRs (F, n) and returns the posterior LLRs (F, n), the
    iterations each frame ran (F,) and whether its final syndrome is zero (F,).
    """

    def __init__(self, H: sp.spmatrix, rule: str = "sum-product", schedule: str = "flooding",
                 max_iterations: int = 20, alpha: float = 0.75, beta: float = 0.5, early_stop: bool = True):
        if rule not in RULES:
            raise ValueError(f"unknown rule {rule!r} (allowed: {', '.join(RULES)})")
        if schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule {schedule!r} (allowed: {', '.join(SCHEDULES)})")
        if max_iterations < 1:
            raise ValueError(f"max_iterations must be a positive integer, got {max_iterations}")
        csr = sp.csr_matrix(H, dtype=np.uint8)
        csr.eliminate_zeros()
        csr.sort_indices()
        self.m, self.n = csr.shape
        self.check_ptr = csr.indptr.astype(np.int64)
        self.edge_var = csr.indices.astype(np.int64)
        self.rule, self.schedule = rule, schedule
        self.max_iterations = int(max_iterations)
        self.alpha, self.beta = float(alpha), float(beta)
        self.early_stop = bool(early_stop)
        self._kernel = _decode_flooding if schedule == "flooding" else _decode_layered

    def run(self, llr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        llr = np.ascontiguousarray(llr, dtype=np.float64)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        F = llr.shape[0]
        post = np.empty((F, self.n))
        iters = np.empty(F, dtype=np.int64)
        ok = np.empty(F, dtype=np.bool_)
        self._kernel(llr, self.check_ptr, self.edge_var, RULES[self.rule], self.alpha, self.beta,
                     self.max_iterations, self.early_stop, post, iters, ok)
        return post, iters, ok
