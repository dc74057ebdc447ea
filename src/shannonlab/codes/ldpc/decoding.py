r"""Belief-propagation decoders of a binary LDPC code on a batch of frames.

The Tanner graph is stored check-major (CSR): the edges of check c are
``check_ptr[c] .. check_ptr[c+1]-1`` and ``edge_var[e]`` is the variable of edge e.
Messages live in edge-indexed float32 arrays. LLR(b) = ln P(b=0)/P(b=1).

Speed (AFF3CT's inter-frame SIMD): one kernel call decodes :data:`LANES` frames in
lock-step, the frame index innermost in every loop so the compiler vectorizes across
frames; when a frame stops (zero syndrome or ``max_iterations``) its lane takes the next
frame of the batch at once, so a stopped frame costs nothing more. Frames never interact:
a frame decodes to the same result alone or in any batch. The exponential and logarithm of
sum-product are written in plain float32 arithmetic (:func:`_exp_neg`, :func:`_log`) so
that they vectorize too.

Check-node rules (``rule``, the only thing that differs between the algorithms; the
extrinsic message on edge e of a check with incoming messages :math:`x_j`):

* ``sum-product``: :math:`2\,\mathrm{artanh}\prod_{j\ne e}\tanh(x_j/2)`, computed with
  magnitudes :math:`t_j = (1 - e^{-|x_j|})/(1 + e^{-|x_j|})`, forward-backward products
  (no division by t, exact when some :math:`x_j = 0`) and :math:`\ln\frac{1+p}{1-p}` with
  p kept at most :math:`1 - 2^{-23}` (check messages at most ln(2^24) = 16.6).
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
from llvmlite import ir
from numba import njit, types
from numba.core.extending import intrinsic

#: ``rule`` codes of the check-node update.
RULES = {"sum-product": 0, "min-sum": 1, "normalized-min-sum": 2, "offset-min-sum": 3}
SCHEDULES = ("flooding", "layered")

#: Frames decoded in lock-step by one kernel call (the SIMD width over frames; at most 32,
#: the hard decisions of all lanes are packed in one uint32 per variable).
LANES = 32

_LOG2E = np.float32(1.4426950408889634)
_LN2 = np.float32(0.6931471805599453)
_LN2_HI = np.float32(0.693359375)  # ln 2 = _LN2_HI + _LN2_LO, _LN2_HI exact in 10 bits
_LN2_LO = np.float32(-2.12194440e-4)
#: Largest extrinsic tanh product kept by sum-product (|message| <= ln((2 - 2^-23)/2^-23) ~ 16.6).
_P_MAX = np.float32(1.0 - 2.0**-23)


@intrinsic
def _f32_bits(typingctx, x):
    """The IEEE-754 bits of a float32 as an int32 (a bitcast, vectorizable)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(32))
    return types.int32(types.float32), codegen


@intrinsic
def _bits_f32(typingctx, x):
    """The float32 whose IEEE-754 bits are the int32 x."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.FloatType())
    return types.float32(types.int32), codegen


@njit(cache=True, inline="always", error_model="numpy", fastmath={"contract", "arcp", "nsz"})
def _exp_neg(x):
    r"""exp(-x) for float32 x >= 0 to a few ulp, in arithmetic a compiler vectorizes:
    :math:`e^{-x} = 2^k e^r` with :math:`k = \mathrm{round}(-x \log_2 e)` and
    :math:`r = -x - k \ln 2` (ln 2 split in a short exact part and a correction, so r
    keeps float32 accuracy), :math:`|r| \le \ln 2 / 2`, :math:`e^r` by its degree-6 Taylor
    polynomial (relative error below 1.2e-7); arguments beyond 86 are taken as 86."""
    y = -x
    if y < np.float32(-86.0):
        y = np.float32(-86.0)
    k = np.floor(y * _LOG2E + np.float32(0.5))
    r = (y - k * _LN2_HI) - k * _LN2_LO
    p = np.float32(1.0 / 720.0)
    p = p * r + np.float32(1.0 / 120.0)
    p = p * r + np.float32(1.0 / 24.0)
    p = p * r + np.float32(1.0 / 6.0)
    p = p * r + np.float32(0.5)
    p = p * r + np.float32(1.0)
    p = p * r + np.float32(1.0)
    return p * _bits_f32(np.int32((np.int32(k) + np.int32(127)) << 23))


@njit(cache=True, inline="always", error_model="numpy", fastmath={"contract", "arcp", "nsz"})
def _log(z):
    """ln z for float32 z > 0 (normal): z = 2^e m with m in [sqrt(1/2), sqrt(2)),
    ln m = 2 artanh(s), s = (m - 1)/(m + 1), by its series to s^9 (|s| < 0.172)."""
    bits = _f32_bits(z)
    e = (bits >> 23) - np.int32(127)
    m = _bits_f32(np.int32((bits & np.int32(0x7FFFFF)) | np.int32(0x3F800000)))
    if m > np.float32(1.4142135623730951):
        m = m * np.float32(0.5)
        e = e + np.int32(1)
    s = (m - np.float32(1.0)) / (m + np.float32(1.0))
    s2 = s * s
    q = np.float32(1.0 / 9.0)
    q = q * s2 + np.float32(1.0 / 7.0)
    q = q * s2 + np.float32(1.0 / 5.0)
    q = q * s2 + np.float32(1.0 / 3.0)
    q = q * s2 + np.float32(1.0)
    return np.float32(e) * _LN2 + np.float32(2.0) * s * q


@njit(cache=True, inline="always", error_model="numpy", fastmath={"contract", "arcp", "nsz"})
def _cn_sum_product(x, out, deg, fwd, bwd, sgn):
    """out[j] = 2 artanh(prod_{i != j} tanh(x_i/2)) for every lane, by forward-backward
    products of t_i = tanh(|x_i|/2) = (1 - e^{-|x_i|})/(1 + e^{-|x_i|})."""
    W = LANES
    for j in range(deg):
        for w in range(W):
            e = _exp_neg(abs(x[j, w]))
            out[j, w] = (np.float32(1.0) - e) / (np.float32(1.0) + e)
    for w in range(W):
        fwd[0, w] = np.float32(1.0)
        sgn[w] = np.float32(1.0)
    for j in range(deg):
        for w in range(W):
            fwd[j + 1, w] = fwd[j, w] * out[j, w]
            sgn[w] = -sgn[w] if x[j, w] < 0 else sgn[w]
    for w in range(W):
        bwd[deg, w] = np.float32(1.0)
    for jj in range(deg):  # backward products bwd[j] = prod_{i >= j} t_i
        j = deg - 1 - jj
        for w in range(W):
            bwd[j, w] = bwd[j + 1, w] * out[j, w]
    for j in range(deg):  # forward again: this loop (with its log) vectorizes only so
        for w in range(W):
            p = min(fwd[j, w] * bwd[j + 1, w], _P_MAX)
            mag = _log((np.float32(1.0) + p) / (np.float32(1.0) - p))
            out[j, w] = mag if (x[j, w] < 0) == (sgn[w] < 0) else -mag


@njit(cache=True, inline="always", error_model="numpy", fastmath={"contract", "arcp", "nsz"})
def _cn_min_sum(x, out, deg, rule, alpha, beta, min1, min2, idx, sgn):
    """Min-sum family for every lane: sign product, the two smallest magnitudes, then
    scaled by alpha (rule 2) or offset by beta (rule 3)."""
    W = x.shape[1]
    for w in range(W):
        min1[w] = np.float32(np.inf)
        min2[w] = np.float32(np.inf)
        idx[w] = 0
        sgn[w] = np.float32(1.0)
    for j in range(deg):
        for w in range(W):
            v = x[j, w]
            sgn[w] = -sgn[w] if v < 0 else sgn[w]
            a = abs(v)
            lower = a < min1[w]
            min2[w] = min1[w] if lower else min(min2[w], a)
            idx[w] = j if lower else idx[w]
            min1[w] = a if lower else min1[w]
    if rule == 2:
        for w in range(W):
            min1[w] = min1[w] * alpha
            min2[w] = min2[w] * alpha
    elif rule == 3:
        for w in range(W):
            min1[w] = max(min1[w] - beta, np.float32(0.0))
            min2[w] = max(min2[w] - beta, np.float32(0.0))
    for j in range(deg):
        for w in range(W):
            mag = min2[w] if idx[w] == j else min1[w]
            s = sgn[w] if x[j, w] >= 0 else -sgn[w]
            out[j, w] = s * mag


@njit(cache=True, error_model="numpy", fastmath={"contract", "arcp", "nsz"})
def _syndrome_ok(llr_row, check_ptr, edge_var):
    """True if the hard decisions of one frame's LLRs satisfy every parity check."""
    for c in range(check_ptr.size - 1):
        parity = False
        for e in range(check_ptr[c], check_ptr[c + 1]):
            if llr_row[edge_var[e]] < 0:
                parity = not parity
        if parity:
            return False
    return True


@njit(cache=True, error_model="numpy", fastmath={"contract", "arcp", "nsz"})
def _lane_syndromes(post, check_ptr, edge_var, bad, hard):
    """bad[w] = some parity check fails for the hard decisions of lane w. The decisions of
    all lanes are packed into one integer per variable (bit w = lane w), so a check costs
    one XOR per edge rather than one per edge and lane."""
    W = post.shape[1]
    n = post.shape[0]
    for v in range(n):
        word = np.uint32(0)
        for w in range(W):
            word |= np.uint32(post[v, w] < 0) << np.uint32(w)
        hard[v] = word
    failed = np.uint32(0)
    for c in range(check_ptr.size - 1):
        parity = np.uint32(0)
        for e in range(check_ptr[c], check_ptr[c + 1]):
            parity ^= hard[edge_var[e]]
        failed |= parity
    for w in range(W):
        bad[w] = (failed >> np.uint32(w)) & np.uint32(1)


@njit(cache=True, error_model="numpy", fastmath={"contract", "arcp", "nsz"})
def _load_lane(w, llr, start, check_ptr, edge_var, early_stop, chan, post, c2v, lane_frame, lane_iter,
               post_out, iters, ok):
    """Put the next frame from ``start`` on that needs decoding into lane w (frames whose
    channel decisions are already a codeword are finished at once with 0 iterations);
    return the next unused frame. With no frame left the lane idles on zeros."""
    F, n = llr.shape
    f = start
    while f < F:
        if early_stop and _syndrome_ok(llr[f], check_ptr, edge_var):
            for v in range(n):
                post_out[f, v] = llr[f, v]
            iters[f] = 0
            ok[f] = True
            f += 1
            continue
        break
    if f < F:
        for v in range(n):
            chan[v, w] = llr[f, v]
            post[v, w] = llr[f, v]
        lane_frame[w] = f
        f += 1
    else:
        for v in range(n):
            chan[v, w] = 0
            post[v, w] = 0
        lane_frame[w] = -1
    for e in range(c2v.shape[0]):
        c2v[e, w] = 0
    lane_iter[w] = 0
    return f


@njit(cache=True, error_model="numpy", fastmath={"contract", "arcp", "nsz"})
def _decode(llr, check_ptr, edge_var, rule, alpha, beta, max_iter, early_stop, layered, post_out, iters, ok):
    """BP on every frame of ``llr`` (float32, F x n), LANES frames in lock-step; a lane
    whose frame stops (zero syndrome or max_iter) takes the next frame at once."""
    W = LANES
    F, n = llr.shape
    m = check_ptr.size - 1
    E = edge_var.size
    max_deg = 0
    for c in range(m):
        max_deg = max(max_deg, check_ptr[c + 1] - check_ptr[c])
    c2v = np.zeros((E, W), np.float32)
    post = np.zeros((n, W), np.float32)
    new = np.zeros((n, W), np.float32)
    chan = np.zeros((n, W), np.float32)
    x = np.zeros((max_deg, W), np.float32)
    out = np.zeros((max_deg, W), np.float32)
    fwd = np.zeros((max_deg + 1, W), np.float32)
    bwd = np.zeros((max_deg + 1, W), np.float32)
    min1 = np.zeros(W, np.float32)
    min2 = np.zeros(W, np.float32)
    sgn = np.zeros(W, np.float32)
    idx = np.zeros(W, np.int64)
    bad = np.zeros(W, np.uint8)
    hard = np.zeros(n, np.uint32)
    lane_frame = np.full(W, -1, np.int64)
    lane_iter = np.zeros(W, np.int64)
    alpha32 = np.float32(alpha)
    beta32 = np.float32(beta)
    next_frame = 0
    for w in range(W):
        next_frame = _load_lane(w, llr, next_frame, check_ptr, edge_var, early_stop, chan, post, c2v,
                                lane_frame, lane_iter, post_out, iters, ok)
    active = 0
    for w in range(W):
        active += lane_frame[w] >= 0
    while active > 0:
        if not layered:
            new[:, :] = chan
        for c in range(m):
            a = check_ptr[c]
            deg = check_ptr[c + 1] - a
            for j in range(deg):
                v = edge_var[a + j]
                for w in range(W):
                    x[j, w] = post[v, w] - c2v[a + j, w]
            if rule == 0:
                _cn_sum_product(x, out, deg, fwd, bwd, sgn)
            else:
                _cn_min_sum(x, out, deg, rule, alpha32, beta32, min1, min2, idx, sgn)
            for j in range(deg):
                v = edge_var[a + j]
                if layered:
                    for w in range(W):
                        c2v[a + j, w] = out[j, w]
                        post[v, w] = x[j, w] + out[j, w]
                else:
                    for w in range(W):
                        c2v[a + j, w] = out[j, w]
                        new[v, w] += out[j, w]
        if not layered:
            post, new = new, post
        if early_stop:
            _lane_syndromes(post, check_ptr, edge_var, bad, hard)
        for w in range(W):
            f = lane_frame[w]
            if f < 0:
                continue
            lane_iter[w] += 1
            if (early_stop and bad[w] == 0) or lane_iter[w] >= max_iter:
                for v in range(n):
                    post_out[f, v] = post[v, w]
                iters[f] = lane_iter[w]
                ok[f] = bad[w] == 0 if early_stop else _syndrome_ok(post_out[f], check_ptr, edge_var)
                next_frame = _load_lane(w, llr, next_frame, check_ptr, edge_var, early_stop, chan, post, c2v,
                                        lane_frame, lane_iter, post_out, iters, ok)
                if lane_frame[w] < 0:
                    active -= 1


class BeliefPropagation:
    """BP decoding of the code of H with a check-node ``rule`` (see :data:`RULES`) and a
    ``schedule`` ("flooding" or "layered"); ``alpha`` scales (normalized min-sum),
    ``beta`` offsets (offset min-sum); ``early_stop`` ends a frame once its syndrome is 0.

    ``run(llr)`` takes channel LLRs (F, n) and returns the posterior LLRs (F, n), the
    iterations each frame ran (F,) and whether its final syndrome is zero (F,).
    """

    def __init__(self, H: sp.spmatrix, rule: str = "sum-product", schedule: str = "flooding",
                 max_iterations: int = 20, alpha: float = 0.8, beta: float = 0.5, early_stop: bool = True):
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
        #: Frames one kernel call decodes in lock-step (a batch of fewer costs the same).
        self.lanes = LANES

    def run(self, llr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        llr = np.ascontiguousarray(llr, dtype=np.float32)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        F = llr.shape[0]
        post = np.empty((F, self.n), dtype=np.float32)
        iters = np.empty(F, dtype=np.int64)
        ok = np.empty(F, dtype=np.bool_)
        _decode(llr, self.check_ptr, self.edge_var, RULES[self.rule], self.alpha, self.beta,
                self.max_iterations, self.early_stop, self.schedule == "layered", post, iters, ok)
        return post, iters, ok
