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
from numba import njit

#: A partial sum below this is recomputed with its own maximum (exact down to underflow).
_TINY = 1e-250


@njit(cache=True)
def _exact_kernel(zr, zi, w, pr, pi, bitsf, out):
    """Exact log-MAP LLRs. zr, zi, w: (N,) (w of length 1 is shared); pr, pi: (M,) points;
    bitsf: (M, m) float64 0/1; out: (N, m)."""
    n = zr.shape[0]
    M, m = bitsf.shape
    shared = w.shape[0] == 1
    d = np.empty(M)
    s0 = np.empty(m)
    s1 = np.empty(m)
    for i in range(n):
        wi = w[0] if shared else w[i]
        if wi == 0.0:
            for k in range(m):
                out[i, k] = 0.0
            continue
        a, b = zr[i], zi[i]
        best = -np.inf
        for j in range(M):
            dr = a - pr[j]
            di = b - pi[j]
            v = -wi * (dr * dr + di * di)
            d[j] = v
            if v > best:
                best = v
        for k in range(m):
            s0[k] = 0.0
            s1[k] = 0.0
        for j in range(M):
            e = math.exp(d[j] - best)
            for k in range(m):
                f = bitsf[j, k]
                s1[k] += e * f
                s0[k] += e - e * f
        for k in range(m):
            if s0[k] > _TINY and s1[k] > _TINY:
                out[i, k] = math.log(s0[k]) - math.log(s1[k])
            else:  # one side underflowed: log-sum-exp of each side with its own maximum
                m0 = -np.inf
                m1 = -np.inf
                for j in range(M):
                    if bitsf[j, k] > 0.5:
                        m1 = max(m1, d[j])
                    else:
                        m0 = max(m0, d[j])
                t0 = 0.0
                t1 = 0.0
                for j in range(M):
                    if bitsf[j, k] > 0.5:
                        t1 += math.exp(d[j] - m1)
                    else:
                        t0 += math.exp(d[j] - m0)
                out[i, k] = (m0 + math.log(t0)) - (m1 + math.log(t1))


@njit(cache=True)
def _maxlog_kernel(zr, zi, w, pr, pi, bitsf, out):
    """Max-log LLRs, arguments as :func:`_exact_kernel`."""
    n = zr.shape[0]
    M, m = bitsf.shape
    shared = w.shape[0] == 1
    m0 = np.empty(m)
    m1 = np.empty(m)
    for i in range(n):
        wi = w[0] if shared else w[i]
        a, b = zr[i], zi[i]
        for k in range(m):
            m0[k] = -np.inf
            m1[k] = -np.inf
        for j in range(M):
            dr = a - pr[j]
            di = b - pi[j]
            v = -wi * (dr * dr + di * di)
            for k in range(m):
                if bitsf[j, k] > 0.5:
                    if v > m1[k]:
                        m1[k] = v
                elif v > m0[k]:
                    m0[k] = v
        for k in range(m):
            out[i, k] = m0[k] - m1[k] if wi != 0.0 else 0.0


@njit(cache=True)
def _exact_rail_kernel(z, w, a, bitsf, out, column):
    """Exact log-MAP LLRs of a real rail: z (N,) real components, w (N,) or (1,), a (L,)
    amplitudes, bitsf (L, r); writes out[i, column + k]."""
    n = z.shape[0]
    L, r = bitsf.shape
    shared = w.shape[0] == 1
    d = np.empty(L)
    s0 = np.empty(r)
    s1 = np.empty(r)
    for i in range(n):
        wi = w[0] if shared else w[i]
        if wi == 0.0:
            for k in range(r):
                out[i, column + k] = 0.0
            continue
        zi = z[i]
        best = -np.inf
        for j in range(L):
            t = zi - a[j]
            v = -wi * t * t
            d[j] = v
            if v > best:
                best = v
        for k in range(r):
            s0[k] = 0.0
            s1[k] = 0.0
        for j in range(L):
            e = math.exp(d[j] - best)
            for k in range(r):
                f = bitsf[j, k]
                s1[k] += e * f
                s0[k] += e - e * f
        for k in range(r):
            if s0[k] > _TINY and s1[k] > _TINY:
                out[i, column + k] = math.log(s0[k]) - math.log(s1[k])
            else:
                m0 = -np.inf
                m1 = -np.inf
                for j in range(L):
                    if bitsf[j, k] > 0.5:
                        m1 = max(m1, d[j])
                    else:
                        m0 = max(m0, d[j])
                t0 = 0.0
                t1 = 0.0
                for j in range(L):
                    if bitsf[j, k] > 0.5:
                        t1 += math.exp(d[j] - m1)
                    else:
                        t0 += math.exp(d[j] - m0)
                out[i, column + k] = (m0 + math.log(t0)) - (m1 + math.log(t1))


@njit(cache=True)
def _maxlog_rail_kernel(z, w, a, bitsf, out, column):
    """Max-log LLRs of a real rail, arguments as :func:`_exact_rail_kernel`."""
    n = z.shape[0]
    L, r = bitsf.shape
    shared = w.shape[0] == 1
    m0 = np.empty(r)
    m1 = np.empty(r)
    for i in range(n):
        wi = w[0] if shared else w[i]
        zi = z[i]
        for k in range(r):
            m0[k] = -np.inf
            m1[k] = -np.inf
        for j in range(L):
            t = zi - a[j]
            v = -wi * t * t
            for k in range(r):
                if bitsf[j, k] > 0.5:
                    if v > m1[k]:
                        m1[k] = v
                elif v > m0[k]:
                    m0[k] = v
        for k in range(r):
            out[i, column + k] = m0[k] - m1[k] if wi != 0.0 else 0.0


METHODS = ("exact", "max-log")


def demap_symbols(z: np.ndarray, w: np.ndarray, points: np.ndarray, bits: np.ndarray, method: str) -> np.ndarray:
    """LLRs (N, m) of the equalised symbols z (N,) complex with precisions w ((N,) or (1,))
    over the whole constellation (points (M,), bits (M, m) uint8)."""
    z = np.ascontiguousarray(z, dtype=np.complex128)
    out = np.empty((z.shape[0], bits.shape[1]))
    kernel = _exact_kernel if method == "exact" else _maxlog_kernel
    kernel(np.ascontiguousarray(z.real), np.ascontiguousarray(z.imag), np.ascontiguousarray(w, dtype=np.float64),
           np.ascontiguousarray(points.real), np.ascontiguousarray(points.imag), bits.astype(np.float64), out)
    return out


def demap_rails(z: np.ndarray, w: np.ndarray, amplitudes: np.ndarray, rail_bits: np.ndarray, rails: int,
                method: str) -> np.ndarray:
    """LLRs (N, rails·r) of a product constellation: the first r bits from Re z, the next r
    (when ``rails`` is 2) from Im z, each over the rail's amplitudes (L,) with bits (L, r)."""
    z = np.ascontiguousarray(z, dtype=np.complex128)
    r = rail_bits.shape[1]
    out = np.empty((z.shape[0], rails * r))
    w = np.ascontiguousarray(w, dtype=np.float64)
    a = np.ascontiguousarray(amplitudes, dtype=np.float64)
    bitsf = rail_bits.astype(np.float64)
    kernel = _exact_rail_kernel if method == "exact" else _maxlog_rail_kernel
    kernel(np.ascontiguousarray(z.real), w, a, bitsf, out, 0)
    if rails == 2:
        kernel(np.ascontiguousarray(z.imag), w, a, bitsf, out, r)
    return out
