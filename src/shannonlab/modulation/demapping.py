r"""Bit LLRs of received symbols: exact log-MAP and max-log, numba kernels on a whole batch.

For a symbol received as :math:`y = h x + n`, :math:`n \sim \mathcal{CN}(0, N_0)`, with the
gain h known at the receiver (h = 1 on AWGN), equally likely points and bit :math:`b_k` of
the label,

.. math::

   L_k = \ln\frac{P(b_k = 0 \mid y)}{P(b_k = 1 \mid y)}
       = \ln\sum_{x:\,b_k(x)=0} e^{-|y - h x|^2/N_0} - \ln\sum_{x:\,b_k(x)=1} e^{-|y - h x|^2/N_0}.

The kernels work on the equalised symbol :math:`z = y/h` with the precision
:math:`w = |h|^2/N_0`, since :math:`|y - hx|^2/N_0 = w\,|z - x|^2` (a symbol with h = 0
carries nothing: its LLRs are 0).

* ``exact`` (log-MAP): one pass computes the M metrics :math:`d_x = -w|z-x|^2`, their
  maximum :math:`d^*`, and for every bit the two sums :math:`S_{k,v} = \sum_{b_k(x)=v}
  e^{d_x - d^*}` (M exponentials per symbol, not m·M); :math:`L_k = \ln S_{k,0} - \ln
  S_{k,1}`. Where a sum falls below 1e-250 (its terms would lose precision to underflow,
  at very high SNR) that bit is recomputed with its own maximum, so the result is the
  log-sum-exp to double precision everywhere.
* ``max-log``: :math:`L_k = \max_{b_k(x)=0} d_x - \max_{b_k(x)=1} d_x` (the bit of the
  nearest point decides its sign).

A constellation that is a product of two real rails (square QAM with Gray or natural
labels; PAM and BPSK, one rail) is demapped rail by rail: the in-phase bits from Re z and
the rail's :math:`\sqrt M` points, the quadrature bits from Im z. This is the same
log-sum-exp, because the metric and the labels separate, with :math:`2\sqrt M` instead of
M exponentials.

Example
-------
>>> import numpy as np
>>> pts = np.array([1.0 + 0j, -1.0 + 0j]); bits = np.array([[0], [1]], np.uint8)
>>> llr = demap_symbols(np.array([0.5 + 0.3j]), np.array([2.0]), pts, bits, "exact")
>>> round(float(llr[0, 0]), 12)  # BPSK: 4 w Re(z) = 4 Re(y)/N0
4.0
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core.extending import intrinsic

#: Symbols per block: every loop of the kernels runs over the symbols of a block innermost,
#: contiguous, so the compiler turns it into SIMD instructions.
BLOCK = 64
#: A partial sum below this is recomputed with its own maximum (exact down to underflow).
_TINY = 1e-250
_LOG2E = 1.4426950408889634
_LN2_HI = 0.693147180369123816490  # ln 2 split: the high part has 32 significant bits
_LN2_LO = 1.90821492927058770002e-10
#: 1.5·2^52: a float64 plus this, when |x| < 2^51, has round(x) in the low bits of its
#: mantissa, which turns float <-> int64 conversions into adds and bitcasts (AVX2 has no
#: vector instruction for them).
_MAGIC = 6755399441055744.0
_MAGIC_BITS = 0x4338000000000000


@intrinsic
def _f64_bits(typingctx, x):
    """The IEEE-754 bits of a float64 as an int64 (a bitcast, vectorizable)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.int64(types.float64), codegen


@intrinsic
def _bits_f64(typingctx, x):
    """The float64 whose IEEE-754 bits are the int64 x."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@njit(cache=True, inline="always", error_model="numpy")
def _exp(x):
    r"""e^x for -708 <= x <= 0 (smaller x is taken as -708, whose e^x = 3e-308 is 0 for every
    sum here) to 1-2 ulp, in arithmetic the compiler vectorizes: :math:`e^x = 2^k e^r`,
    :math:`k = \mathrm{round}(x\log_2 e)`, :math:`r = x - k\ln 2` (ln 2 in two parts, so r is
    exact to double precision), :math:`|r| \le \ln 2/2`, :math:`e^r` by its degree-13 Taylor
    polynomial (truncation below 4e-18), :math:`2^k` built from its exponent bits."""
    if x < -708.0:
        x = -708.0
    kd = x * _LOG2E + _MAGIC  # round(x log2 e) in the low mantissa bits
    k = kd - _MAGIC
    r = (x - k * _LN2_HI) - k * _LN2_LO
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    return p * _bits_f64((_f64_bits(kd) - _MAGIC_BITS + 1023) << 52)


@njit(cache=True, inline="always", error_model="numpy")
def _log(x):
    r"""ln x for a positive normal x to 1-2 ulp, vectorizable: :math:`x = 2^e f` with
    :math:`f \in [\sqrt{1/2}, \sqrt2)` from the bits, :math:`\ln f = 2\,\mathrm{artanh}\,s`,
    :math:`s = (f-1)/(f+1)`, :math:`|s| \le 0.172`, by its series to :math:`s^{21}`
    (truncation below 1e-17)."""
    bits = _f64_bits(x)
    e = _bits_f64(((bits >> 52) & 0x7FF) + _MAGIC_BITS) - (_MAGIC + 1023.0)  # the exponent as a float
    f = _bits_f64((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)  # mantissa in [1, 2)
    if f > 1.4142135623730951:
        f = f * 0.5
        e = e + 1.0
    s = (f - 1.0) / (f + 1.0)
    s2 = s * s
    p = 1.0 / 21.0
    p = p * s2 + 1.0 / 19.0
    p = p * s2 + 1.0 / 17.0
    p = p * s2 + 1.0 / 15.0
    p = p * s2 + 1.0 / 13.0
    p = p * s2 + 1.0 / 11.0
    p = p * s2 + 1.0 / 9.0
    p = p * s2 + 1.0 / 7.0
    p = p * s2 + 1.0 / 5.0
    p = p * s2 + 1.0 / 3.0
    p = p * s2 + 1.0
    return 2.0 * s * p + e * _LN2_HI + e * _LN2_LO


@njit(cache=True)
def _fallback(d, bitsf, k):
    """ln sum_{b_k = 0} e^d - ln sum_{b_k = 1} e^d, each side with its own maximum (exact
    where a side's terms underflow against the overall best point)."""
    m0 = -np.inf
    m1 = -np.inf
    for j in range(d.shape[0]):
        if bitsf[j, k] > 0.5:
            m1 = max(m1, d[j])
        else:
            m0 = max(m0, d[j])
    t0 = 0.0
    t1 = 0.0
    for j in range(d.shape[0]):
        if bitsf[j, k] > 0.5:
            t1 += math.exp(d[j] - m1)
        else:
            t0 += math.exp(d[j] - m0)
    return (m0 + math.log(t0)) - (m1 + math.log(t1))


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def _kernel(zr, zi, w, pr, pi, bitsf, exact, out, column):
    """LLRs of n symbols (zr, zi: equalised components, zi of length 0 for a real rail;
    w: precisions, length n or 1) over points (pr, pi) with label bits bitsf (M, m) as
    float 0/1; exact log-MAP or max-log; written to out[:, column : column + m]. Blocks of
    :data:`BLOCK` symbols; every inner loop runs over a contiguous row of the block (1-D
    views, so the compiler sees unit strides and vectorizes)."""
    n = zr.shape[0]
    M, m = bitsf.shape
    real = zi.shape[0] == 0
    shared = w.shape[0] == 1
    D = np.empty((M, BLOCK))
    best = np.empty(BLOCK)
    wb = np.empty(BLOCK)
    e = np.empty(BLOCK)
    res = np.empty(BLOCK)
    s0 = np.empty((m, BLOCK))
    s1 = np.empty((m, BLOCK))
    col = np.empty(M)
    for start in range(0, n, BLOCK):
        nb = min(BLOCK, n - start)
        xr = zr[start:start + nb]
        for t in range(nb):
            wb[t] = w[0] if shared else w[start + t]
            best[t] = -np.inf
        for j in range(M):
            a = pr[j]
            Dj = D[j]
            if real:
                for t in range(nb):
                    u = xr[t] - a
                    Dj[t] = -wb[t] * (u * u)
            else:
                b = pi[j]
                xi = zi[start:start + nb]
                for t in range(nb):
                    u = xr[t] - a
                    v = xi[t] - b
                    Dj[t] = -wb[t] * (u * u + v * v)
            for t in range(nb):
                best[t] = max(best[t], Dj[t])
        for k in range(m):
            s0k = s0[k]
            s1k = s1[k]
            fill = 0.0 if exact else -np.inf
            for t in range(nb):
                s0k[t] = fill
                s1k[t] = fill
        for j in range(M):
            Dj = D[j]
            if exact:
                for t in range(nb):
                    e[t] = _exp(Dj[t] - best[t])
            for k in range(m):
                acc = s1[k] if bitsf[j, k] > 0.5 else s0[k]
                if exact:
                    for t in range(nb):
                        acc[t] += e[t]
                else:
                    for t in range(nb):
                        acc[t] = max(acc[t], Dj[t])
        for k in range(m):
            s0k = s0[k]
            s1k = s1[k]
            if exact:
                for t in range(nb):
                    res[t] = _log(max(s0k[t], _TINY)) - _log(max(s1k[t], _TINY))
            else:
                for t in range(nb):
                    res[t] = s0k[t] - s1k[t]
            for t in range(nb):
                if wb[t] == 0.0:
                    res[t] = 0.0
                elif exact and (s0k[t] <= _TINY or s1k[t] <= _TINY):
                    for j in range(M):
                        col[j] = D[j, t]
                    res[t] = _fallback(col, bitsf, k)
                out[start + t, column + k] = res[t]


METHODS = ("exact", "max-log")


def demap_symbols(z: np.ndarray, w: np.ndarray, points: np.ndarray, bits: np.ndarray, method: str) -> np.ndarray:
    """LLRs (N, m) of the equalised symbols z (N,) complex with precisions w ((N,) or (1,))
    over the whole constellation (points (M,), bits (M, m) uint8)."""
    z = np.asarray(z, dtype=np.complex128)
    out = np.empty((z.shape[0], bits.shape[1]))
    _kernel(np.ascontiguousarray(z.real), np.ascontiguousarray(z.imag), np.ascontiguousarray(w, dtype=np.float64),
            np.ascontiguousarray(points.real), np.ascontiguousarray(points.imag), bits.astype(np.float64),
            method == "exact", out, 0)
    return out


def demap_rails(z: np.ndarray, w: np.ndarray, amplitudes: np.ndarray, rail_bits: np.ndarray, rails: int,
                method: str) -> np.ndarray:
    """LLRs (N, rails·r) of a product constellation: the first r bits from Re z, the next r
    (when ``rails`` is 2) from Im z, each over the rail's amplitudes (L,) with bits (L, r)."""
    z = np.asarray(z, dtype=np.complex128)
    r = rail_bits.shape[1]
    out = np.empty((z.shape[0], rails * r))
    w = np.ascontiguousarray(w, dtype=np.float64)
    a = np.ascontiguousarray(amplitudes, dtype=np.float64)
    zero = np.zeros(a.shape[0])
    none = np.empty(0)
    bitsf = rail_bits.astype(np.float64)
    exact = method == "exact"
    _kernel(np.ascontiguousarray(z.real), none, w, a, zero, bitsf, exact, out, 0)
    if rails == 2:
        _kernel(np.ascontiguousarray(z.imag), none, w, a, zero, bitsf, exact, out, r)
    return out
