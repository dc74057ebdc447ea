r"""The numba kernels of :mod:`.decoding`: Viterbi and BCJR on W frames in lock-step, the
frame index innermost, one SIMD register of W float32 (or int16) lanes per state metric
(:mod:`shannonlab.codes.vector`), every add-compare-select branch-free.

Layout: LLRs of the mother code ``llr[t, j, f]`` (trellis step t, output j, frame f
innermost; block b is the lanes f = bW .. bW + W - 1), a priori and a posteriori LLRs of
the inputs ``la[t, f]``, ``post[t, f]``; state metrics of a block ``alpha[t, s, :]``;
branch metrics of the step in ``gam[2 o + u, :]`` (output label o, input u). :func:`kernels` builds one set per
lane count W and max* rule (compile-time constants of the vectors and of the rule), each
compiled once per metric type (float32, or int16 for fixed point).

**Normalisation on read.** Metrics of step t are stored as computed and the metric of
state 0 is subtracted from every state when they are read for step t + 1 (S subtractions
either way, but no second store and load); LLRs and decisions depend only on differences
between states of one step, so they are unchanged, and the stored values stay bounded.

**max\*** (``variant``): 0 ``max-log`` max(a, b); 1 ``log-map`` max(a, b) + ln(1 + e^{-|a-b|})
to float32 precision (:func:`jacobian`); 2 ``log-map-linear`` max(a, b) +
max(0, c - s|a-b|), c = 0.6215561, s = 0.2390234: the one-segment minimax fit of the
correction, absolute error at most 0.0717 for every |a-b| (Valenti and Sun's linear
log-MAP; two segments would give 0.026 for two more instructions per max\*).

Floating-point flags: ``contract`` (the correction polynomial's multiply-adds), ``arcp``
and ``nsz``; no reassociation, so a frame's LLRs do not depend on its lane or batch.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np
from numba import types
from numba.core.extending import overload

from ..simd import factory_jit, local_kernel
from ..vector import Vec, load, movemask, sadd, splat, splat_as, ssub, store, vabs, vmax, where

NEG = np.float32(-1e30)
LINEAR_C = np.float32(0.6215561)
LINEAR_S = np.float32(0.2390234)


def jacobian(d):
    r"""ln(1 + e^{-d}) lane by lane for float32 d >= 0 (absolute error < 1e-6), the
    vector form of :func:`.decoding._jacobian`: :math:`e^{-d} = (e^{-d/32})^{32}` by the
    Taylor series of :math:`e^{-x}`, x <= 1/2, to x^8 and five squarings; then
    :math:`\ln(1 + z) = 2\,\mathrm{atanh}(z / (2 + z))` by its series to s^11; 0 for d >= 16."""


@overload(jacobian)
def _jacobian(d):
    W = d.lanes

    def impl(d):
        sixteen = splat(np.float32(16.0), W)
        one = splat(np.float32(1.0), W)
        x = where(d < sixteen, d, sixteen) * splat(np.float32(1.0 / 32.0), W)
        e = one - x * (one - x * (splat(np.float32(1 / 2), W) - x * (splat(np.float32(1 / 6), W) - x * (
            splat(np.float32(1 / 24), W) - x * (splat(np.float32(1 / 120), W) - x * (splat(np.float32(1 / 720), W) - x * (
                splat(np.float32(1 / 5040), W) - x * splat(np.float32(1 / 40320), W))))))))
        e = e * e
        e = e * e
        e = e * e
        e = e * e
        z = e * e
        s = z / (splat(np.float32(2.0), W) + z)
        s2 = s * s
        series = one + s2 * (splat(np.float32(1 / 3), W) + s2 * (splat(np.float32(1 / 5), W) + s2 * (
            splat(np.float32(1 / 7), W) + s2 * (splat(np.float32(1 / 9), W) + s2 * splat(np.float32(1 / 11), W)))))
        value = splat(np.float32(2.0), W) * s * series
        return where(d < sixteen, value, splat(np.float32(0.0), W))

    return impl


def maxstar(variant, a, b):
    """max*(a, b) lane by lane under the rule ``variant`` (see the module text)."""


@overload(maxstar, prefer_literal=True)
def _maxstar(variant, a, b):
    if not isinstance(variant, types.IntegerLiteral) or not isinstance(a, Vec):
        return None
    rule, W = variant.literal_value, a.lanes
    if rule == 0 or isinstance(a.dtype, types.Integer):
        return lambda variant, a, b: vmax(a, b)
    if rule == 1:
        return lambda variant, a, b: vmax(a, b) + jacobian(vabs(a - b))

    def linear(variant, a, b):
        corr = splat(LINEAR_C, W) - splat(LINEAR_S, W) * vabs(a - b)
        return vmax(a, b) + vmax(corr, splat(np.float32(0.0), W))

    return linear


@functools.lru_cache(maxsize=None)
def kernels(W: int, variant: int, n: int, m: int, out_w: tuple, inp_w: tuple, halve: bool = False):
    """Viterbi and BCJR for blocks of W frames of one trellis (n outputs, 2^m states, the
    tables ``out_w`` and ``inp_w`` flattened: entry 2 s + w), compiled with all of these as
    constants, so the loops over states and labels unroll into straight-line vector code
    (AFF3CT specialises its decoders per code the same way). ``variant`` fixes BCJR's max*;
    ``halve``: the float LLRs come whole and the branch metrics halve them (the decoders
    of this module halve them in their layout pass instead; the SISO entry point takes the
    caller's arrays as they are)."""
    S = 1 << m
    half = S >> 1
    row = tuple(2 * out_w[i] + inp_w[i] for i in range(2 * S))  # gam row of branch (s, w): 2 label + input

    def label_sums(llr, b, t, q, bm):
        """bm[o] = sum_j (1 - 2 bit_j(o)) llr[b, t, j] for every output label o (the
        correlation of the label's BPSK word with the LLRs), by doubling: after output j
        the labels below 2^(j+1) hold the sums over outputs 0..j, each summed in the
        order of j."""
        qv = splat(q, W)
        store(bm, 0, splat_as(0, qv))
        for j in range(n):
            x = load(llr, (t, j, b * W), W)
            size = 1 << j
            for o in range(size):
                v = load(bm, o, W)
                store(bm, o + size, ssub(v, x))
                store(bm, o, sadd(v, x))

    def gammas(llr, la, b, t, q, bm, gam):
        """gam[2o + u] = bm[o] + (1 - 2u) la[b, t]: the branch metrics of step t. Float
        LLRs come halved (exactly) by the layout, so this is half the correlation; integer
        ones are whole (twice the metric: the decisions do not change)."""
        label_sums_(llr, b, t, q, bm)
        qv = splat(q, W)
        a = load(la, (t, b * W), W)
        for o in range(bm.shape[0]):
            x = load(bm, o, W)
            if halve:
                store(gam, 2 * o, splat_as(0.5, x) * sadd(x, a))
                store(gam, 2 * o + 1, splat_as(0.5, x) * ssub(x, a))
            else:
                store(gam, 2 * o, sadd(x, a))
                store(gam, 2 * o + 1, ssub(x, a))

    label_sums_ = local_kernel(label_sums)
    gammas_ = local_kernel(gammas)

    @factory_jit
    def bcjr(llr, la, known_start, known_end, q, neg, alpha, bm, gam, beta, nb, post):
        """Log-domain BCJR of every block: post[t, f] = L(u_t) of frame f, the a posteriori
        LLR of the input at step t (times 2 for integer metrics). llr (T, n, F) with F a
        multiple of W, la (T, F) a priori LLRs of the inputs; alpha (T + 1, S, W), bm
        (2^n, W), gam (2^{n+1}, W), beta and nb (S, W) are work space; ``neg`` is the
        metric of an impossible state."""
        T, B = llr.shape[0], llr.shape[2] // W
        qv = splat(q, W)
        zero = splat_as(0, qv)
        negv = splat(neg, W)
        for b in range(B):
            for s in range(S):
                store(alpha, (0, s), zero if s == 0 or not known_start else negv)
            for t in range(T):
                gammas_(llr, la, b, t, q, bm, gam)
                ref = load(alpha, (t, 0), W)
                for j in range(half):
                    a0 = ssub(load(alpha, (t, 2 * j), W), ref)
                    a1 = ssub(load(alpha, (t, 2 * j + 1), W), ref)
                    store(alpha, (t + 1, j), maxstar(variant, sadd(a0, load(gam, row[4 * j], W)),
                                                     sadd(a1, load(gam, row[4 * j + 2], W))))
                    store(alpha, (t + 1, j + half), maxstar(variant, sadd(a0, load(gam, row[4 * j + 1], W)),
                                                            sadd(a1, load(gam, row[4 * j + 3], W))))
            for s in range(S):
                store(beta, s, zero if s == 0 or not known_end else negv)
            for tt in range(T):
                t = T - 1 - tt
                gammas_(llr, la, b, t, q, bm, gam)
                refa = load(alpha, (t, 0), W)
                refb = load(beta, 0, W)
                acc0 = negv
                acc1 = negv
                for j in range(half):
                    s0, s1 = 2 * j, 2 * j + 1
                    a0 = ssub(load(alpha, (t, s0), W), refa)
                    a1 = ssub(load(alpha, (t, s1), W), refa)
                    bj = ssub(load(beta, j, W), refb)
                    bh = ssub(load(beta, j + half, W), refb)
                    e00 = sadd(load(gam, row[2 * s0], W), bj)
                    e10 = sadd(load(gam, row[2 * s1], W), bj)
                    e01 = sadd(load(gam, row[2 * s0 + 1], W), bh)
                    e11 = sadd(load(gam, row[2 * s1 + 1], W), bh)
                    # each branch joins the accumulator of its input bit (fixed per trellis)
                    if inp_w[2 * s0]:
                        acc1 = maxstar(variant, acc1, sadd(a0, e00))
                    else:
                        acc0 = maxstar(variant, acc0, sadd(a0, e00))
                    if inp_w[2 * s1]:
                        acc1 = maxstar(variant, acc1, sadd(a1, e10))
                    else:
                        acc0 = maxstar(variant, acc0, sadd(a1, e10))
                    if inp_w[2 * s0 + 1]:
                        acc1 = maxstar(variant, acc1, sadd(a0, e01))
                    else:
                        acc0 = maxstar(variant, acc0, sadd(a0, e01))
                    if inp_w[2 * s1 + 1]:
                        acc1 = maxstar(variant, acc1, sadd(a1, e11))
                    else:
                        acc0 = maxstar(variant, acc0, sadd(a1, e11))
                    store(nb, s0, maxstar(variant, e00, e01))
                    store(nb, s1, maxstar(variant, e10, e11))
                store(post, (t, b * W), ssub(acc0, acc1))
                beta, nb = nb, beta

    def traceback(dec, best, b, depth, final_zero, first, count, frames, state, bits):
        """Trace back the W lanes of block b (frame b W + w < frames) and write the inputs of
        steps [first, first + count) to bits. depth <= 0: one traceback over the whole
        trellis from state 0 (``final_zero``) or from the best final state; depth = D > 0:
        windows of D decisions (see :mod:`.decoding`). The W paths are followed side by
        side (each step is a chain of dependent loads; W chains overlap)."""
        T = dec.shape[0]
        mask = S - 1
        top = m - 1
        D = depth if depth > 0 else T
        start = 0
        while start < T:
            end = min(start + 2 * D - 1, T - 1) if depth > 0 else T - 1
            for w in range(W):
                state[w] = 0 if (final_zero and end == T - 1) else best[end, w]
            for t in range(end, start - 1, -1):
                keep = t < start + D and first <= t < first + count
                for w in range(W):
                    s = state[w]
                    d = (dec[t, s] >> np.uint64(w)) & np.uint64(1)
                    prev = ((s << 1) & mask) | d
                    f = b * W + w
                    if keep and f < frames:
                        bits[f, t - first] = inp_w[2 * prev + (s >> top)]
                    state[w] = prev
            start += D

    traceback_ = local_kernel(traceback)

    @factory_jit
    def viterbi(llr, known_start, hard, q, neg, record, depth, final_zero, first, count, frames, dec, best, pm, new,
                bm, bits):
        """Viterbi decoding of every block: add-compare-select over the T steps (dec[t, s]
        gets one bit per lane: 1 where the predecessor 2j + 1 of the pair won; best[t, w]
        the best state of lane w at the steps where ``record[t]``), then the traceback of
        the block while its decisions are in cache. ``hard`` slices the LLRs to sign(L).
        llr (T, n, F), F a multiple of W."""
        T, B = llr.shape[0], llr.shape[2] // W
        qv = splat(q, W)
        zero = splat_as(0, qv)
        negv = splat(neg, W)
        one = splat_as(1, qv)
        state = np.zeros(W, np.int64)
        for b in range(B):
            if hard:
                for t in range(T):
                    for j in range(n):
                        x = load(llr, (t, j, b * W), W)
                        store(llr, (t, j, b * W), where(x > zero, one, where(x < zero, -one, zero)))
            for s in range(S):
                store(pm, s, zero if s == 0 or not known_start else negv)
            for t in range(T):
                label_sums_(llr, b, t, q, bm)
                ref = load(pm, 0, W)
                for j in range(half):
                    p0 = ssub(load(pm, 2 * j, W), ref)
                    p1 = ssub(load(pm, 2 * j + 1, W), ref)
                    a = sadd(p0, load(bm, out_w[4 * j], W))
                    c = sadd(p1, load(bm, out_w[4 * j + 2], W))
                    take = c > a
                    store(new, j, where(take, c, a))
                    dec[t, j] = movemask(take)
                    a = sadd(p0, load(bm, out_w[4 * j + 1], W))
                    c = sadd(p1, load(bm, out_w[4 * j + 3], W))
                    take = c > a
                    store(new, j + half, where(take, c, a))
                    dec[t, j + half] = movemask(take)
                pm, new = new, pm
                if record[t]:
                    top = load(pm, 0, W)
                    arg = splat(np.int32(0), W)
                    for s in range(1, S):
                        v = load(pm, s, W)
                        better = v > top
                        top = where(better, v, top)
                        arg = where(better, splat(np.int32(s), W), arg)
                    store(best, t, arg)
            traceback_(dec, best, b, depth, final_zero, first, count, frames, state, bits)

    return SimpleNamespace(bcjr=bcjr, viterbi=viterbi)
