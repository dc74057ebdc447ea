r"""Systematic Reed–Solomon encoding of bit frames: m bits per symbol, most significant
first, through a symbol-wide division register.

A message of k symbols :math:`u_{k-1} \dots u_0` (the first one the coefficient of
:math:`x^{k-1}`) is sent as :math:`c(x) = u(x)\,x^{R} + (u(x)\,x^R \bmod g(x))`, R = n - k,
so the codeword is ``[u | parity]`` with array index j holding the coefficient of
:math:`x^{n-1-j}`. The register holds the R remainder coefficients, highest first; for each
message symbol, :math:`f = u \oplus r_0`, shift by one symbol and add :math:`f\,g_i` (one
table look-up per coefficient in the logarithm domain).

Bits: symbol j of a frame is bits ``[m j, m j + m)``, most significant first. With a
representation map (the CCSDS dual basis), bits are read as the sent representation and
mapped to the conventional one before any arithmetic (``to_conv``), and back (``to_sent``).

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.gf2m import GF2m
>>> from shannonlab.codes.reed_solomon.construction import rs_generator
>>> gf = GF2m(3)
>>> g = np.array(rs_generator(gf, 4), np.int64)        # RS(7, 3): roots alpha .. alpha^4
>>> ident = np.arange(8, dtype=np.uint16)
>>> u = np.array([[0, 0, 1, 0, 1, 0, 0, 1, 1]], np.uint8)   # symbols 1, 2, 3
>>> c = rs_encode_bits(u, 3, 7, g, gf.exp, gf.log, ident, ident)
>>> symbols = c.reshape(7, 3) @ np.array([4, 2, 1])
>>> [gf.poly_eval(symbols, gf.power(j)) for j in range(1, 5)]   # c(alpha^j) = 0
[0, 0, 0, 0]
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _encode_batch(u, m, n, gmul, to_conv, to_sent, out):
    """u (F, k m) bits -> out (F, n m) bits; gmul[i, a] = a·g_i (g_i the coefficient of
    x^i of the generator, i < R)."""
    frames = u.shape[0]
    k = u.shape[1] // m
    R = n - k
    reg = np.zeros(R, dtype=np.int64)
    for f in range(frames):
        reg[:] = 0
        for i in range(k):
            v = 0
            for b in range(m):
                bit = u[f, i * m + b]
                out[f, i * m + b] = bit
                v = (v << 1) | bit
            fb = np.int64(to_conv[v]) ^ reg[0]
            for j in range(R - 1):  # reg[j] holds the coefficient of x^(R-1-j)
                reg[j] = reg[j + 1] ^ gmul[R - 1 - j, fb]
            reg[R - 1] = gmul[0, fb]
        for j in range(R):
            v = np.int64(to_sent[reg[j]])
            for b in range(m):
                out[f, (k + j) * m + b] = np.uint8((v >> (m - 1 - b)) & 1)


def multiplication_table(constants, exp: np.ndarray, log: np.ndarray) -> np.ndarray:
    """(len(constants), q) table: row i maps a to a·constants[i] (uint16, or int32 for m = 16)."""
    q = log.shape[0]
    a = np.arange(q)
    rows = []
    for c in constants:
        c = int(c)
        row = np.zeros(q, dtype=np.int64) if c == 0 else np.where(a == 0, 0, exp[(log[a] + log[c]) % (q - 1)])
        rows.append(row)
    return np.array(rows, dtype=np.uint16 if q <= 1 << 15 else np.int32)


def rs_encode_bits(u: np.ndarray, m: int, n: int, generator: np.ndarray, exp: np.ndarray, log: np.ndarray,
                   to_conv: np.ndarray, to_sent: np.ndarray, gmul: np.ndarray | None = None) -> np.ndarray:
    """Bit messages (F, k m) -> bit codewords (F, n m) of the RS code with monic
    ``generator`` (highest degree first, length R + 1); ``gmul`` caches
    :func:`multiplication_table` of the generator's coefficients g_0 .. g_(R-1)."""
    if gmul is None:
        gmul = multiplication_table(np.asarray(generator)[::-1][:-1], exp, log)
    out = np.empty((u.shape[0], n * m), dtype=np.uint8)
    _encode_batch(np.ascontiguousarray(u, dtype=np.uint8), m, n, gmul, to_conv, to_sent, out)
    return out
