r"""Viterbi and BCJR decoders for a whole batch of frames, frames innermost.

Both take LLRs of the mother code laid out as (T, n, F) float32 (time, output, frame):
every add-compare-select of a trellis step is one loop over the F frames of a block, which
LLVM turns into SIMD code (AFF3CT's inter-frame layout).

**Branch metric.** With BPSK and LLR :math:`L = \ln P(c=0|y)/P(c=1|y)`, the log-likelihood
of a branch with output bits :math:`c_j` is, up to a constant,
:math:`\gamma = \tfrac12 \sum_j (1 - 2c_j) L_j`. A rate-1/n code has only :math:`2^n`
distinct branch metrics per step; they are computed once per step and looked up.
Punctured positions have L = 0 and add nothing.

**Viterbi** (Viterbi 1967; Forney 1973) keeps, per state, the best path metric
:math:`M_{t+1}(s') = \max_{s \to s'} [M_t(s) + \gamma_t(s, s')]` (correlation metric, the
factor 1/2 dropped) and one decision bit (which of the two predecessors 2j, 2j + 1 won) per
state and step, stored as uint8 in (T, S, F). *Soft* decisions use the LLRs as they are;
*hard* decisions use sign(L) ∈ {−1, 0, +1}, which makes the metric the negative Hamming
distance (an erased/punctured position counts for nothing). Traceback:

- terminated (zero-tail) codes: from state 0 at the end over the whole frame;
- truncated codes: from the best final state over the whole frame (maximum likelihood), or,
  with a traceback depth D, in windows: the bits [iD, iD + D) are traced back from the best
  state at time min(iD + 2D − 1, T − 1), so every decision waits at least D steps;
- tail-biting codes: wrap-around decoding. The trellis is extended circularly by W steps
  before and after the frame (W = 8K, taken modulo T), decoded with all start states
  equally likely, and the middle T decisions are kept.

**BCJR** (Bahl, Cocke, Jelinek, Raviv 1974) in the log domain:
:math:`\alpha_{t+1}(s') = \max^*_{s}[\alpha_t(s) + \gamma_t(s,s')]`,
:math:`\beta_t(s) = \max^*_{s'}[\gamma_t(s,s') + \beta_{t+1}(s')]`,
:math:`L(u_t) = \max^*_{u=0}[\alpha_t + \gamma_t + \beta_{t+1}] - \max^*_{u=1}[\cdot]`, with
:math:`\max^*(a, b) = \max(a, b) + \ln(1 + e^{-|a-b|})` (``log-map``, exact) or
:math:`\max(a, b)` (``max-log``); the correction term is evaluated in branch-free float32
(absolute error below 1e-6, see :func:`_jacobian`) so the frame loop stays SIMD. A priori LLRs of the inputs add
:math:`\tfrac12 (1-2u) L_a` to each branch, so the decoder can serve as a turbo constituent.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.convolutional.trellis import Trellis
>>> from shannonlab.codes.convolutional.encoding import encode
>>> t = Trellis.from_octal(["133", "171"])
>>> u = np.array([[1, 0, 1, 1, 0, 0, 1, 0]], np.uint8)
>>> llr = 4.0 * (1.0 - 2.0 * encode(t, u, "zero-tail"))
>>> llr[0, 3] = -llr[0, 3]                      # one channel error
>>> ViterbiDecoder(t, "zero-tail").decode(llr).tolist()
[[1, 0, 1, 1, 0, 0, 1, 0]]
>>> BCJRDecoder(t, "zero-tail").decode_llr(llr)[0, :3] > 0    # LLR > 0 means bit 0
array([False,  True, False])
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .trellis import Trellis

NEG = np.float32(-1e30)


# ----------------------------------------------------------------------------- kernels


@njit(cache=True)
def _branch_metrics(llr, t, bm):
    """bm[o, f] = sum_j (1 - 2 bit_j(o)) llr[t, j, f] for every output label o."""
    n, F = llr.shape[1], llr.shape[2]
    for o in range(bm.shape[0]):
        row = bm[o]
        for f in range(F):
            row[f] = 0.0
        for j in range(n):
            x = llr[t, j]
            if (o >> j) & 1:
                for f in range(F):
                    row[f] -= x[f]
            else:
                for f in range(F):
                    row[f] += x[f]


@njit(cache=True)
def _viterbi_forward(llr, out_w, m, known_start, record, dec, best):
    """Add-compare-select over T steps for F frames.

    llr (T, n, F) float32; out_w (S, 2) labels; dec (T, S, F) uint8 receives the decision
    bits (1: the predecessor 2j + 1 won); best (T, F) int16 receives the best state at the
    steps where ``record[t]`` is true.
    """
    T, n, F = llr.shape
    S = 1 << m
    half = S >> 1
    pm = np.zeros((S, F), np.float32)
    new = np.empty((S, F), np.float32)
    if known_start:
        pm[:, :] = NEG
        pm[0, :] = 0.0
    bm = np.empty((1 << n, F), np.float32)
    for t in range(T):
        _branch_metrics(llr, t, bm)
        for j in range(half):
            p0 = pm[2 * j]
            p1 = pm[2 * j + 1]
            q0 = new[j]
            q1 = new[j + half]
            d0 = dec[t, j]
            d1 = dec[t, j + half]
            b00 = bm[out_w[2 * j, 0]]
            b10 = bm[out_w[2 * j + 1, 0]]
            b01 = bm[out_w[2 * j, 1]]
            b11 = bm[out_w[2 * j + 1, 1]]
            for f in range(F):
                a = p0[f] + b00[f]
                b = p1[f] + b10[f]
                q0[f] = b if b > a else a
                d0[f] = b > a
                c = p0[f] + b01[f]
                d = p1[f] + b11[f]
                q1[f] = d if d > c else c
                d1[f] = d > c
        pm, new = new, pm
        if record[t] or (t & 63) == 63:
            for f in range(F):
                top = pm[0, f]
                arg = 0
                for s in range(1, S):
                    if pm[s, f] > top:
                        top = pm[s, f]
                        arg = s
                best[t, f] = arg
                for s in range(S):
                    pm[s, f] -= top


@njit(cache=True)
def _traceback(dec, inp_w, m, best, depth, final_zero, first, count, bits):
    """Trace back every frame and write the inputs of steps [first, first + count) to bits.

    depth <= 0: one traceback over the whole trellis from state 0 (``final_zero``) or from
    the best final state; depth = D > 0: windows of D decisions as in the module text.
    """
    T, S, F = dec.shape
    mask = S - 1
    top = m - 1
    D = depth if depth > 0 else T
    for f in range(F):
        start = 0
        while start < T:
            end = min(start + 2 * D - 1, T - 1) if depth > 0 else T - 1
            s = 0 if (final_zero and end == T - 1) else int(best[end, f])
            for t in range(end, start - 1, -1):
                d = dec[t, s, f]
                w = s >> top
                prev = ((s << 1) & mask) | d
                if t < start + D and first <= t < first + count:
                    bits[f, t - first] = inp_w[prev, w]
                s = prev
            start += D


@njit(cache=True, error_model="numpy")  # no zero-division check: 2 + z > 0, and SIMD stays
def _jacobian(d):
    r"""ln(1 + e^{-d}) for d >= 0 to float32 precision (absolute error < 1e-6), in
    straight-line code that SIMD loops can carry: :math:`e^{-d} = (e^{-d/32})^{32}` with
    the Taylor series of :math:`e^{-x}`, x <= 1/2, to x^8 and five squarings; then
    :math:`\ln(1 + z) = 2\,\mathrm{atanh}(z / (2 + z))` by its series to s^11 (s <= 1/3).
    Zero (the true value is below 1.2e-7) for d >= 16."""
    x = min(d, np.float32(16.0)) * np.float32(1.0 / 32.0)
    e = np.float32(1.0) - x * (np.float32(1.0) - x * (np.float32(1 / 2) - x * (np.float32(1 / 6) - x * (
        np.float32(1 / 24) - x * (np.float32(1 / 120) - x * (np.float32(1 / 720) - x * (
            np.float32(1 / 5040) - x * np.float32(1 / 40320))))))))
    e = e * e
    e = e * e
    e = e * e
    e = e * e
    z = e * e
    s = z / (np.float32(2.0) + z)
    s2 = s * s
    series = np.float32(1.0) + s2 * (np.float32(1 / 3) + s2 * (np.float32(1 / 5) + s2 * (np.float32(1 / 7) + s2 * (
        np.float32(1 / 9) + s2 * np.float32(1 / 11)))))
    value = np.float32(2.0) * s * series
    return value if d < np.float32(16.0) else np.float32(0.0)


@njit(cache=True)
def maxstar_log_map(a, b):
    """The Jacobian logarithm max*(a, b) = max(a, b) + ln(1 + e^-|a-b|) = ln(e^a + e^b)."""
    top = a if a > b else b
    return top + _jacobian(abs(a - b))


@njit(cache=True)
def maxstar_max_log(a, b):
    """The max-log approximation max*(a, b) ~ max(a, b)."""
    return a if a > b else b


@njit(cache=True)
def _branch_gammas(llr, la, t, bm, gam):
    """gam[2o + u, f] = (sum_j (1 - 2 bit_j(o)) llr[t, j, f] + (1 - 2u) la[t, f]) / 2: the
    branch metric of every (output label o, input u) pair at step t."""
    _branch_metrics(llr, t, bm)
    F = bm.shape[1]
    for o in range(bm.shape[0]):
        g0 = gam[2 * o]
        g1 = gam[2 * o + 1]
        for f in range(F):
            g0[f] = np.float32(0.5) * (bm[o, f] + la[t, f])
            g1[f] = np.float32(0.5) * (bm[o, f] - la[t, f])


@njit(cache=True)
def _bcjr(log_map, llr, la, out_w, inp_w, m, known_start, known_end, alpha, post):
    """Log-domain BCJR over T steps for F frames: post (T, F) receives L(u_t).

    ``log_map`` picks the rule (:func:`maxstar_log_map`, else :func:`maxstar_max_log`) once
    per trellis section, outside the loops over frames, which stay branch-free SIMD. (The
    rule is not passed as a function: a dispatcher argument puts its address in the
    signature, and numba's cache would never find the compiled loop in another process.)

    llr (T, n, F) float32 channel LLRs, la (T, F) a priori LLRs of the inputs, alpha
    (T + 1, S, F) float32 workspace.
    """
    T, n, F = llr.shape
    S = 1 << m
    half = S >> 1
    bm = np.empty((1 << n, F), np.float32)
    gam = np.empty((2 << n, F), np.float32)
    # row of gam for each branch (s, w): 2 * label + input
    row = np.empty((S, 2), np.int64)
    for s in range(S):
        for w in range(2):
            row[s, w] = 2 * out_w[s, w] + inp_w[s, w]
    if known_start:
        alpha[0, :, :] = NEG
        alpha[0, 0, :] = 0.0
    else:
        alpha[0, :, :] = 0.0
    for t in range(T):
        _branch_gammas(llr, la, t, bm, gam)
        for j in range(half):
            s0, s1 = 2 * j, 2 * j + 1
            g00 = gam[row[s0, 0]]
            g10 = gam[row[s1, 0]]
            g01 = gam[row[s0, 1]]
            g11 = gam[row[s1, 1]]
            a0 = alpha[t, s0]
            a1 = alpha[t, s1]
            q0 = alpha[t + 1, j]
            q1 = alpha[t + 1, j + half]
            if log_map:
                for f in range(F):
                    q0[f] = maxstar_log_map(a0[f] + g00[f], a1[f] + g10[f])
                    q1[f] = maxstar_log_map(a0[f] + g01[f], a1[f] + g11[f])
            else:
                for f in range(F):
                    q0[f] = maxstar_max_log(a0[f] + g00[f], a1[f] + g10[f])
                    q1[f] = maxstar_max_log(a0[f] + g01[f], a1[f] + g11[f])
        ref = alpha[t + 1, 0].copy()
        for s in range(S):
            a = alpha[t + 1, s]
            for f in range(F):
                a[f] -= ref[f]
    beta = np.empty((S, F), np.float32)
    nb = np.empty((S, F), np.float32)
    if known_end:
        beta[:, :] = NEG
        beta[0, :] = 0.0
    else:
        beta[:, :] = 0.0
    acc = np.empty((2, F), np.float32)
    for t in range(T - 1, -1, -1):
        _branch_gammas(llr, la, t, bm, gam)
        for f in range(F):
            acc[0, f] = NEG
            acc[1, f] = NEG
        for j in range(half):
            s0, s1 = 2 * j, 2 * j + 1
            g00 = gam[row[s0, 0]]
            g10 = gam[row[s1, 0]]
            g01 = gam[row[s0, 1]]
            g11 = gam[row[s1, 1]]
            a0 = alpha[t, s0]
            a1 = alpha[t, s1]
            bj = beta[j]
            bh = beta[j + half]
            n0 = nb[s0]
            n1 = nb[s1]
            c00, c10, c01, c11 = acc[inp_w[s0, 0]], acc[inp_w[s1, 0]], acc[inp_w[s0, 1]], acc[inp_w[s1, 1]]
            if log_map:
                for f in range(F):
                    e00 = g00[f] + bj[f]
                    e10 = g10[f] + bj[f]
                    e01 = g01[f] + bh[f]
                    e11 = g11[f] + bh[f]
                    c00[f] = maxstar_log_map(c00[f], a0[f] + e00)
                    c10[f] = maxstar_log_map(c10[f], a1[f] + e10)
                    c01[f] = maxstar_log_map(c01[f], a0[f] + e01)
                    c11[f] = maxstar_log_map(c11[f], a1[f] + e11)
                    n0[f] = maxstar_log_map(e00, e01)
                    n1[f] = maxstar_log_map(e10, e11)
            else:
                for f in range(F):
                    e00 = g00[f] + bj[f]
                    e10 = g10[f] + bj[f]
                    e01 = g01[f] + bh[f]
                    e11 = g11[f] + bh[f]
                    c00[f] = maxstar_max_log(c00[f], a0[f] + e00)
                    c10[f] = maxstar_max_log(c10[f], a1[f] + e10)
                    c01[f] = maxstar_max_log(c01[f], a0[f] + e01)
                    c11[f] = maxstar_max_log(c11[f], a1[f] + e11)
                    n0[f] = maxstar_max_log(e00, e01)
                    n1[f] = maxstar_max_log(e10, e11)
        for f in range(F):
            post[t, f] = acc[0, f] - acc[1, f]
        for s in range(S):
            for f in range(F):
                beta[s, f] = nb[s, f] - nb[0, f]


# ----------------------------------------------------------------------------- classes


def _block_frames(num_states: int, cap: int) -> int:
    """Frames per block: keep a path-metric array (S × F float32) near 16 KiB (L1)."""
    return int(max(8, min(cap, 4096 // num_states)))


class _Layout:
    """Mother-code LLRs (F, n·T) -> blocks of (T', n, Fb) float32, with the circular
    extension of tail-biting decoding."""

    def __init__(self, trellis: Trellis, termination: str, k: int):
        self.trellis, self.termination, self.k = trellis, termination, k
        self.steps = k + trellis.m if termination == "zero-tail" else k
        self.wrap = 8 * trellis.K if termination == "tail-biting" else 0
        self.index = np.arange(-self.wrap, self.steps + self.wrap) % self.steps

    def blocks(self, llr: np.ndarray, frames: int, sign: bool = False):
        n = self.trellis.n
        llr = np.asarray(llr)
        F = llr.shape[0]
        if llr.ndim != 2 or llr.shape[1] != n * self.steps:
            raise ValueError(f"LLRs must have shape (frames, {n * self.steps}), got {llr.shape}")
        steps = llr.reshape(F, self.steps, n)
        for lo in range(0, F, frames):
            hi = min(F, lo + frames)
            block = steps[lo:hi]
            if self.wrap:
                block = block[:, self.index]
            block = np.ascontiguousarray(block.transpose(1, 2, 0), dtype=np.float32)
            if sign:
                block = np.sign(block)
            yield lo, hi, block


class ViterbiDecoder:
    """Maximum-likelihood sequence decoder (soft or hard decisions) for a batch of frames.

    ``decode(llr)`` maps mother-code LLRs (F, n·T), punctured positions set to 0, to the k
    information bits of each frame.
    """

    def __init__(self, trellis: Trellis, termination: str, k: int | None = None,
                 decision: str = "soft", traceback_depth: int | None = None):
        if decision not in ("soft", "hard"):
            raise ValueError(f"decision must be 'soft' or 'hard', got {decision!r}")
        if traceback_depth is not None and termination != "truncated":
            raise ValueError("traceback_depth applies to termination 'truncated' only "
                             "(terminated and tail-biting frames are traced back whole)")
        self.trellis, self.termination, self.decision = trellis, termination, decision
        self.traceback_depth = traceback_depth
        self._k = k
        self._layouts: dict[int, _Layout] = {}

    def _layout(self, llr: np.ndarray) -> _Layout:
        k = self._k
        if k is None:
            steps = llr.shape[1] // self.trellis.n
            k = steps - self.trellis.m if self.termination == "zero-tail" else steps
        if k not in self._layouts:
            self._layouts[k] = _Layout(self.trellis, self.termination, k)
        return self._layouts[k]

    def decode(self, llr: np.ndarray) -> np.ndarray:
        tr = self.trellis
        layout = self._layout(llr)
        F, k = llr.shape[0], layout.k
        bits = np.empty((F, k), np.uint8)
        frames = _block_frames(tr.num_states, 64)
        known_start = self.termination != "tail-biting"
        final_zero = self.termination == "zero-tail"
        depth = self.traceback_depth or 0
        for lo, hi, block in layout.blocks(llr, frames, sign=self.decision == "hard"):
            T, Fb = block.shape[0], block.shape[2]
            dec = np.empty((T, tr.num_states, Fb), np.uint8)
            best = np.zeros((T, Fb), np.int16)
            record = np.zeros(T, np.bool_)
            if depth:
                record[depth - 1::depth] = True
            record[T - 1] = True
            _viterbi_forward(block, tr.out_w, tr.m, known_start, record, dec, best)
            _traceback(dec, tr.inp_w, tr.m, best, depth, final_zero, layout.wrap, k, bits[lo:hi])
        return bits


class BCJRDecoder:
    """Bit-wise MAP decoder (``max-log`` or exact ``log-map``) for a batch of frames.

    ``decode_llr(llr, apriori=None)`` returns the a posteriori LLRs (F, k) of the
    information bits; ``decode(llr)`` their signs (LLR < 0 -> 1).
    """

    def __init__(self, trellis: Trellis, termination: str, k: int | None = None, variant: str = "max-log"):
        if variant not in ("max-log", "log-map"):
            raise ValueError(f"variant must be 'max-log' or 'log-map', got {variant!r}")
        self.trellis, self.termination, self.variant = trellis, termination, variant
        self._log_map = variant == "log-map"
        self._viterbi_like = ViterbiDecoder(trellis, termination, k)

    def decode_llr(self, llr: np.ndarray, apriori: np.ndarray | None = None) -> np.ndarray:
        tr = self.trellis
        layout = self._viterbi_like._layout(llr)
        F, k = llr.shape[0], layout.k
        post = np.empty((F, k), np.float64)
        frames = _block_frames(tr.num_states, 16)
        zero_tail = self.termination == "zero-tail"
        known_start = self.termination != "tail-biting"
        T_ext = layout.index.size
        la_full = np.zeros((T_ext, F), np.float32)
        if apriori is not None:
            apriori = np.asarray(apriori, np.float32)
            if apriori.shape != (F, k):
                raise ValueError(f"apriori LLRs must have shape ({F}, {k}), got {apriori.shape}")
            valid = layout.index < k
            la_full[valid] = apriori.T[layout.index[valid]]
        alpha = None
        for lo, hi, block in layout.blocks(llr, frames):
            T, Fb = block.shape[0], block.shape[2]
            if alpha is None or alpha.shape[2] != Fb:
                alpha = np.empty((T + 1, tr.num_states, Fb), np.float32)
            out = np.empty((T, Fb), np.float32)
            la = np.ascontiguousarray(la_full[:, lo:hi])
            _bcjr(self._log_map, block, la, tr.out_w, tr.inp_w, tr.m, known_start, zero_tail, alpha, out)
            post[lo:hi] = out[layout.wrap:layout.wrap + k].T
        return post

    def decode(self, llr: np.ndarray) -> np.ndarray:
        return (self.decode_llr(llr) < 0).view(np.uint8)


# ----------------------------------------------------------------------------- SISO entry point


def bcjr_siso(trellis: Trellis, llr: np.ndarray, apriori: np.ndarray, variant: str = "max-log",
              known_start: bool = True, known_end: bool = True, workspace: np.ndarray | None = None) -> np.ndarray:
    r"""Soft-in soft-out BCJR on the frames-innermost layout: the one entry point that
    iterative decoders (turbo) call, so the kernels behind it may change freely.

    ``llr`` (T, n, F) float32: channel LLRs of the n outputs of each of the T trellis
    steps (0 where an output is not sent); ``apriori`` (T, F) float32: a-priori LLRs of the
    inputs :math:`u_t` (0 on tail steps). The trellis starts in state 0 if ``known_start``
    and ends there if ``known_end`` (a terminated code). Returns the a-posteriori LLRs
    (T, F) float32 of the inputs,
    :math:`L(u_t) = L_a(u_t) + L_{ch}(u_t) + L_e(u_t)` for a systematic code, so the
    extrinsic part is ``posterior - apriori - llr[:, 0]`` when output 0 is systematic.
    ``workspace``: an optional flat float32 buffer of at least (T + 1)·S·F values reused
    between calls (a fresh multi-megabyte array per call costs page faults).

    >>> from shannonlab.codes.convolutional.encoding import encode
    >>> t = Trellis.from_octal(["13", "15"], feedback="13")
    >>> c = encode(t, np.array([[0, 1, 1, 0]], np.uint8), "zero-tail")     # 4 + 3 tail steps
    >>> llr = (2.0 - 4.0 * c).reshape(7, 2, 1)                            # noiseless, LLR +-2
    >>> (bcjr_siso(t, llr, np.zeros((7, 1), np.float32))[:4, 0] < 0).tolist()
    [False, True, True, False]
    """
    if variant not in ("max-log", "log-map"):
        raise ValueError(f"variant must be 'max-log' or 'log-map', got {variant!r}")
    llr = np.ascontiguousarray(llr, dtype=np.float32)
    apriori = np.ascontiguousarray(apriori, dtype=np.float32)
    T, n, F = llr.shape
    if n != trellis.n or apriori.shape != (T, F):
        raise ValueError(f"llr must be (T, {trellis.n}, F) and apriori (T, F), got {llr.shape} and {apriori.shape}")
    log_map = variant == "log-map"
    size = (T + 1) * trellis.num_states * F
    if workspace is not None and workspace.dtype == np.float32 and workspace.size >= size:
        alpha = workspace.reshape(-1)[:size].reshape(T + 1, trellis.num_states, F)
    else:
        alpha = np.empty((T + 1, trellis.num_states, F), np.float32)
    post = np.empty((T, F), np.float32)
    _bcjr(log_map, llr, apriori, trellis.out_w, trellis.inp_w, trellis.m, known_start, known_end, alpha, post)
    return post
