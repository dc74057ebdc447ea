r"""The numba kernels of :mod:`.decoding`: W frames decoded in lock-step, the frame index
innermost, every message a vector of W float32, int16 or int8 lanes held in SIMD
registers (two registers' worth, :mod:`shannonlab.codes.vector`), every update
branch-free.

Layout: ``post[v, :]`` the posterior LLRs of variable v (one lane per frame), ``c2v[e, :]``
the check-to-variable messages of edge e (CSR order), ``x[j, :]`` the variable-to-check
messages of the j-th edge of the check being updated. :func:`kernels` builds one set of
kernels per lane count W (a compile-time constant of the vectors); each compiles once per
message type.

One source serves float32 and fixed point: :func:`~shannonlab.codes.vector.adds` is a
plain add on floats and a saturating add on integers, and :func:`scaled` rounds on
integers only. Floating-point flags: ``contract`` (fused multiply-add in the polynomials of
sum-product), ``arcp`` and ``nsz`` (the sign of a zero never matters: decisions test < 0).
Not ``reassoc``: every sum keeps its order, so a frame's result does not depend on its lane
or its batch, and equals the plain per-frame evaluation of the formulas of :mod:`.decoding`.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np
from numba import njit, types
from numba.core.extending import overload
from numba.np.numpy_support import as_dtype

from ..simd import factory_jit, local_kernel
from ..vector import (Vec, adds, bitcast, convert, floor, load, movemask, splat, splat_as, store, subs, vabs,
                      vmax, vmin, where)

_LOG2E = np.float32(1.4426950408889634)
_LN2 = np.float32(0.6931471805599453)
_LN2_HI = np.float32(0.693359375)  # ln 2 = _LN2_HI + _LN2_LO, _LN2_HI exact in 10 bits
_LN2_LO = np.float32(-2.12194440e-4)
_SQRT2 = np.float32(1.4142135623730951)
#: Largest extrinsic tanh product kept by sum-product (|message| <= ln((2 - 2^-23)/2^-23) ~ 16.6).
P_MAX = np.float32(1.0 - 2.0**-23)


def scaled(m, alpha):
    """alpha * m lane by lane: the float32 product for floats; for integer magnitudes
    (m A + 128) >> 8 with A = round(256 alpha), a multiplier of 8 fractional bits as in
    hardware, computed in the next wider integer type."""
    return m * alpha


@overload(scaled)
def _scaled(m, alpha):
    if not isinstance(m, Vec):
        return None
    W = m.lanes
    if isinstance(m.dtype, types.Float):
        return lambda m, alpha: m * splat(alpha, W)
    wide = {8: np.int16, 16: np.int32}[m.dtype.bitwidth]
    narrow = as_dtype(m.dtype).type

    def impl(m, alpha):
        a = splat(wide(np.floor(alpha * np.float32(256.0) + np.float32(0.5))), W)
        r = (convert(m, wide) * a + splat(wide(128), W)) >> splat(wide(8), W)
        return convert(r, narrow)

    return impl


def sign_word(x):
    """An integer vector whose sign bit is the sign bit of x: the bits of a float32 vector,
    an integer vector itself. The XOR of sign words carries the parity of the signs."""
    return x


@overload(sign_word)
def _sign_word(x):
    if isinstance(x.dtype, types.Float):
        return lambda x: bitcast(x, np.int32)
    return lambda x: x


def with_sign(mag, s):
    """mag (>= 0) negated in the lanes where s < 0: for floats the sign bit of s put on mag
    (-0.0 counts as negative: a zero message carries no sign, see :mod:`.decoding`), for
    integers where(s < 0, -mag, mag)."""
    return mag


@overload(with_sign)
def _with_sign(mag, s):
    W = mag.lanes
    if isinstance(mag.dtype, types.Float):
        return lambda mag, s: bitcast(bitcast(mag, np.int32) ^ (s & splat(np.int32(-2**31), W)), np.float32)
    return lambda mag, s: where(s < splat_as(0, s), -mag, mag)


def exp_neg(x):
    r"""exp(-x) lane by lane for float32 x >= 0 to a few ulp:
    :math:`e^{-x} = 2^k e^r` with :math:`k = \mathrm{round}(-x \log_2 e)` and
    :math:`r = -x - k \ln 2` (ln 2 split in a short exact part and a correction, so r
    keeps float32 accuracy), :math:`|r| \le \ln 2 / 2`, :math:`e^r` by its degree-6 Taylor
    polynomial (relative error below 1.2e-7); arguments beyond 86 are taken as 86."""


@overload(exp_neg)
def _exp_neg(x):
    W = x.lanes

    def impl(x):
        y = vmax(-x, splat(np.float32(-86.0), W))
        k = floor(y * splat(_LOG2E, W) + splat(np.float32(0.5), W))
        r = (y - k * splat(_LN2_HI, W)) - k * splat(_LN2_LO, W)
        p = splat(np.float32(1.0 / 720.0), W)
        p = p * r + splat(np.float32(1.0 / 120.0), W)
        p = p * r + splat(np.float32(1.0 / 24.0), W)
        p = p * r + splat(np.float32(1.0 / 6.0), W)
        p = p * r + splat(np.float32(0.5), W)
        p = p * r + splat(np.float32(1.0), W)
        p = p * r + splat(np.float32(1.0), W)
        e = (convert(k, np.int32) + splat(np.int32(127), W)) << splat(np.int32(23), W)
        return p * bitcast(e, np.float32)

    return impl


def log(z):
    """ln z lane by lane for float32 z > 0 (normal): z = 2^e m with m in [sqrt(1/2),
    sqrt(2)), ln m = 2 artanh(s), s = (m - 1)/(m + 1), by its series to s^9 (|s| < 0.172)."""


@overload(log)
def _log(z):
    W = z.lanes

    def impl(z):
        bits = bitcast(z, np.int32)
        e = (bits >> splat(np.int32(23), W)) - splat(np.int32(127), W)
        m = bitcast((bits & splat(np.int32(0x7FFFFF), W)) | splat(np.int32(0x3F800000), W), np.float32)
        big = m > splat(_SQRT2, W)
        m = where(big, m * splat(np.float32(0.5), W), m)
        e = where(big, e + splat(np.int32(1), W), e)
        one = splat(np.float32(1.0), W)
        s = (m - one) / (m + one)
        s2 = s * s
        q = splat(np.float32(1.0 / 9.0), W)
        q = q * s2 + splat(np.float32(1.0 / 7.0), W)
        q = q * s2 + splat(np.float32(1.0 / 5.0), W)
        q = q * s2 + splat(np.float32(1.0 / 3.0), W)
        q = q * s2 + one
        return convert(e, np.float32) * splat(_LN2, W) + splat(np.float32(2.0), W) * s * q

    return impl


@njit(cache=True, error_model="numpy")
def syndrome_ok(row, check_ptr, edge_var):
    """True if the hard decisions (value < 0 means 1) of one frame satisfy every check
    (the parity of a check summed without a branch per edge: decisions are random bits,
    a branch on each would be mispredicted half the time)."""
    zero = row[0] - row[0]
    for c in range(check_ptr.size - 1):
        parity = 0
        for e in range(check_ptr[c], check_ptr[c + 1]):
            parity ^= row[edge_var[e]] < zero
        if parity:
            return False
    return True


@functools.lru_cache(maxsize=None)
def kernels(W: int, sum_product: bool = False):
    """The decoding loop for W lanes (W <= 64) with the sum-product or the min-sum family's
    iteration (two entry points, so a code compiles only the rule it uses), compiled once
    per message type."""

    def lane_syndromes(post, check_ptr, edge_var, hard):
        """Bit w set where some parity check fails for the hard decisions of lane w. The
        decisions of all lanes are packed into one word per variable (a vector compare and
        a movemask), so a check costs one XOR per edge rather than one per edge and lane."""
        zero = splat_as(0, load(post, 0, W))
        for v in range(post.shape[0]):
            hard[v] = movemask(load(post, v, W) < zero)
        failed = np.uint64(0)
        for c in range(check_ptr.size - 1):
            parity = np.uint64(0)
            for e in range(check_ptr[c], check_ptr[c + 1]):
                parity ^= hard[edge_var[e]]
            failed |= parity
        return failed

    def load_lane(w, llr, start, check_ptr, edge_var, early_stop, flooding, chan, post, keep, lane_frame, lane_iter,
                  post_out, step, iters, ok):
        """Put the next frame from ``start`` on that needs decoding into lane w (frames whose
        channel decisions are already a codeword are finished at once with 0 iterations);
        return the next unused frame. With no frame left the lane idles on zeros. The
        lane's check messages are not cleared here (E scattered stores per frame): its
        ``keep`` lane is set to 0, so the next iteration reads them as 0."""
        F, n = llr.shape
        f = start
        while f < F and early_stop and syndrome_ok(llr[f], check_ptr, edge_var):
            for v in range(n):
                post_out[f, v] = np.float32(llr[f, v]) * step
            iters[f] = 0
            ok[f] = True
            f += 1
        if f < F:
            for v in range(n):
                post[v, w] = llr[f, v]
            lane_frame[w] = f
            f += 1
        else:
            for v in range(n):
                post[v, w] = 0
            lane_frame[w] = -1
        if flooding:
            for v in range(n):
                chan[v, w] = post[v, w]
        keep[0, w] = 0
        lane_iter[w] = 0
        return f

    def iterate_sum_product(layered, check_ptr, edge_var, post, new, c2v, keep, x, t, rule, alpha, beta, q, big):
        """One sum-product iteration over every check for the W lanes (float32):
        t_j = tanh(|x_j|/2) = (1 - e^{-|x_j|})/(1 + e^{-|x_j|}), forward products kept
        in the top rows of t, then backward: out_j = ±2 artanh(fwd_j bwd_j) by
        ln((1 + p)/(1 - p)), p capped at 1 - 2^-23."""
        zero = splat(np.float32(0.0), W)
        kept = load(keep, 0, W) != zero
        one = splat(np.float32(1.0), W)
        pmax = splat(P_MAX, W)
        qv = splat(q, W)
        top = t.shape[0] - 1
        for c in range(check_ptr.size - 1):
            a = check_ptr[c]
            deg = check_ptr[c + 1] - a
            par = zero < zero
            f = one
            for j in range(deg):
                xv = subs(load(post, edge_var[a + j], W), where(kept, load(c2v, a + j, W), zero), qv)
                store(x, j, xv)
                e = exp_neg(vabs(xv))
                tj = (one - e) / (one + e)
                store(t, j, tj)
                store(t, top - j, f)  # the product of t_0 .. t_{j-1}
                f = f * tj
                par = par ^ (xv < zero)
            b = one
            for jj in range(deg):  # backward: b = the product of t_{j+1} .. t_{deg-1}
                j = deg - 1 - jj
                p = load(t, top - j, W) * b
                p = where(p > pmax, pmax, p)
                mag = log((one + p) / (one - p))
                xv = load(x, j, W)
                o = where(par ^ (xv < zero), -mag, mag)
                store(c2v, a + j, o)  # layered: the posterior is x + o at once; flooding: o joins the next one
                v = edge_var[a + j]
                store(post, v, adds(xv, o, qv)) if layered else store(new, v, adds(load(new, v, W), o, qv))
                b = b * load(t, j, W)

    def iterate_min_sum(layered, check_ptr, edge_var, post, new, c2v, keep, x, t, rule, alpha, beta, q, big):
        """One iteration of the min-sum family (``rule`` 1 plain, 2 normalized, 3 offset)
        over every check for the W lanes: the sign product, the two smallest magnitudes
        (m2 = min(m2, max(m1, a)), m1 = min(m1, a)), then scaled or offset; the edge whose
        magnitude is the smallest gets the second smallest (where several share the
        smallest, the second smallest equals it, so which one is picked does not matter)."""
        bigv = splat(big, W)
        zero = splat_as(0, bigv)
        kept = load(keep, 0, W) != zero
        qv = splat(q, W)
        for c in range(check_ptr.size - 1):
            a = check_ptr[c]
            deg = check_ptr[c + 1] - a
            par = sign_word(zero)
            m1 = bigv
            m2 = bigv
            for j in range(deg):
                xv = subs(load(post, edge_var[a + j], W), where(kept, load(c2v, a + j, W), zero), qv)
                store(x, j, xv)
                av = vabs(xv)
                m2 = vmin(m2, vmax(m1, av))
                m1 = vmin(m1, av)
                par = par ^ sign_word(xv)
            low = m1
            if rule == 2:
                m1 = scaled(m1, alpha)
                m2 = scaled(m2, alpha)
            elif rule == 3:
                bv = splat(beta, W)
                m1 = vmax(m1 - bv, zero)
                m2 = vmax(m2 - bv, zero)
            for j in range(deg):
                xv = load(x, j, W)
                mag = where(vabs(xv) == low, m2, m1)
                o = with_sign(mag, par ^ sign_word(xv))
                store(c2v, a + j, o)  # layered: the posterior is x + o at once; flooding: o joins the next one
                v = edge_var[a + j]
                store(post, v, adds(xv, o, qv)) if layered else store(new, v, adds(load(new, v, W), o, qv))

    def iterate(kind, layered, check_ptr, edge_var, post, new, c2v, keep, x, t, rule, alpha, beta, q, big):
        """One iteration: :func:`iterate_sum_product` (``kind`` 0, float32 messages only)
        or :func:`iterate_min_sum` (``kind`` 1), chosen when the caller is compiled."""

    @overload(iterate, prefer_literal=True)
    def _iterate(kind, layered, check_ptr, edge_var, post, new, c2v, keep, x, t, rule, alpha, beta, q, big):
        if not isinstance(kind, types.IntegerLiteral):
            return None
        if kind.literal_value == 1:
            impl = iterate_min_sum
        elif isinstance(post.dtype, types.Float):
            impl = iterate_sum_product
        else:  # fixed point is for the min-sum family: never called
            impl = lambda layered, check_ptr, edge_var, post, new, c2v, keep, x, t, rule, alpha, beta, q, big: None  # noqa: E731

        def call(kind, layered, check_ptr, edge_var, post, new, c2v, keep, x, t, rule, alpha, beta, q, big):
            impl_(layered, check_ptr, edge_var, post, new, c2v, keep, x, t, rule, alpha, beta, q, big)

        impl_ = local_kernel(impl)
        return call

    KIND = 0 if sum_product else 1

    lane_syndromes_ = local_kernel(lane_syndromes)
    load_lane_ = local_kernel(load_lane)

    @factory_jit
    def decode(rule, llr, check_ptr, edge_var, alpha, beta, q, big, max_iter, early_stop, layered,
               post_out, step, iters, ok):
        """BP on every frame of ``llr`` (F x n, float32 or a signed integer type), W frames in
        lock-step; a lane whose frame stops (zero syndrome or max_iter) takes the next
        frame at once. ``q`` bounds the saturated integer sums (unused for floats),
        ``big`` exceeds every message magnitude. ``rule`` 1, 2, 3 selects in the
        min-sum family (ignored by sum-product). The float32 posteriors ``post_out`` are the final messages times
        ``step``."""
        F, n = llr.shape
        m = check_ptr.size - 1
        E = edge_var.size
        max_deg = 0
        for c in range(m):
            max_deg = max(max_deg, check_ptr[c + 1] - check_ptr[c])
        dt = llr.dtype
        c2v = np.zeros((E, W), dt)
        post = np.zeros((n, W), dt)
        new = np.zeros((n, W), dt)
        chan = np.zeros((n if not layered else 1, W), dt)
        keep = np.zeros((1, W), dt)
        x = np.zeros((max_deg, W), dt)
        t = np.zeros((2 * max_deg + 1, W), dt)  # sum-product: tanh values, forward products
        hard = np.zeros(n, np.uint64)
        lane_frame = np.full(W, -1, np.int64)
        lane_iter = np.zeros(W, np.int64)
        flooding = not layered
        next_frame = 0
        for w in range(W):
            next_frame = load_lane_(w, llr, next_frame, check_ptr, edge_var, early_stop, flooding, chan, post, keep,
                                   lane_frame, lane_iter, post_out, step, iters, ok)
        active = 0
        for w in range(W):
            active += lane_frame[w] >= 0
        while active > 0:
            if flooding:
                new[:, :] = chan
            iterate(KIND, layered, check_ptr, edge_var, post, new, c2v, keep, x, t, rule, alpha, beta, q, big)
            keep[0, :] = 1
            if flooding:
                post, new = new, post
            last = False
            for w in range(W):
                lane_iter[w] += 1
                last |= lane_frame[w] >= 0 and lane_iter[w] >= max_iter
            # one packed syndrome serves every lane; without early stopping it is needed
            # only when some frame ends (to report whether it converged)
            failed = lane_syndromes_(post, check_ptr, edge_var, hard) if early_stop or last else np.uint64(0)
            for w in range(W):
                f = lane_frame[w]
                if f < 0:
                    continue
                bad = (failed >> np.uint64(w)) & np.uint64(1)
                if (early_stop and bad == 0) or lane_iter[w] >= max_iter:
                    for v in range(n):
                        post_out[f, v] = np.float32(post[v, w]) * step
                    iters[f] = lane_iter[w]
                    ok[f] = bad == 0
                    next_frame = load_lane_(w, llr, next_frame, check_ptr, edge_var, early_stop, flooding, chan, post,
                                           keep, lane_frame, lane_iter, post_out, step, iters, ok)
                    if lane_frame[w] < 0:
                        active -= 1

    #: for inspection (tests, benchmarks): the iteration kernels compiled on their own
    return SimpleNamespace(decode=decode, iterate_sum_product=njit(error_model="numpy")(iterate_sum_product),
                           iterate_min_sum=njit(error_model="numpy")(iterate_min_sum))
