r"""Hard-decision bounded-distance decoding of binary BCH codes: syndromes from the
division remainder, Berlekamp–Massey (binary simplification), Chien search.

Per frame: slice the LLRs (negative -> 1), divide by g(x) with the encoder's register
(:mod:`.encoding`): :math:`R(x) = y(x)\,x^{r} \bmod g(x)`. R = 0 means a codeword (the usual
case at useful error rates, so it costs one division). Otherwise, since
:math:`g(\alpha^j) = 0` for j = 1 .. 2t,

.. math:: S_j = y(\alpha^j) = \alpha^{-jr} R(\alpha^j), \qquad S_{2j} = S_j^2,

which evaluates a polynomial of degree < r = n - k instead of n. Berlekamp–Massey gives the
locator Λ of length L; the frame is a *failure* (reported, bits left as sliced) when L > t or
when the Chien search finds fewer than L roots among the n positions of the (shortened)
code (:mod:`shannonlab.codes.algebraic`). Otherwise the L located bits are flipped. The
decoder is thus exactly a bounded-distance decoder of radius t: every pattern of weight
<= t is corrected, and a word farther than t from every codeword is detected.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.bch.code import BCHCode
>>> code = BCHCode(4, 2)                       # (15, 7), t = 2
>>> u = np.array([[1, 0, 1, 1, 0, 0, 1]], np.uint8)
>>> y = code.encode(u); y[0, [2, 12]] ^= 1     # two errors
>>> report = code.decode_report(4.0 * (1.0 - 2.0 * y))
>>> report.bits.tolist(), report.failures.tolist()
([[1, 0, 1, 1, 0, 0, 1]], [False])
>>> y[0, 5] ^= 1                               # three errors: detected here
>>> code.decode_report(4.0 * (1.0 - 2.0 * y)).failures.tolist()
[True]
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..algebraic import berlekamp_massey, chien_search


@njit(cache=True)
def _bch_decode_batch(llr, k, t, table, w, r, pad, exp, log, quad, out, failures, located):
    """Decode every frame of ``llr`` (F, n); message decisions to ``out`` (F, k), per-frame
    failure flags, and the number of corrected bits (-1 for a failure) to ``located``."""
    frames, n = llr.shape
    order = (exp.shape[0] - 1) // 2
    words = (r + 63) // 64
    nsyn = 2 * t
    reg = np.zeros(words, dtype=np.uint64)
    S = np.zeros(nsyn, dtype=np.int64)
    lam = np.zeros(nsyn + 1, dtype=np.int64)
    B = np.zeros(nsyn + 1, dtype=np.int64)
    T = np.zeros(nsyn + 1, dtype=np.int64)
    work = np.zeros(max(2 * nsyn + 2, 64), dtype=np.int64)
    pos = np.zeros(nsyn + 1, dtype=np.int64)
    top_shift = np.uint64(64 - w)
    ws = np.uint64(w)
    lead = n % w
    for f in range(frames):
        failures[f] = False
        located[f] = 0
        reg[:] = 0
        # slice and divide in one pass (the register of .encoding, reading LLR signs)
        j = 0
        chunk = lead if lead else w
        while j < n:
            v = 0
            for b in range(chunk):
                bit = np.uint8(llr[f, j + b] < 0.0)
                if j + b < k:
                    out[f, j + b] = bit
                v = (v << 1) | bit
            j += chunk
            chunk = w
            idx = (reg[words - 1] >> top_shift) ^ np.uint64(v)
            for i in range(words - 1, 0, -1):
                reg[i] = (reg[i] << ws) | (reg[i - 1] >> top_shift)
            reg[0] = reg[0] << ws
            row = table[np.int64(idx)]
            for i in range(words):
                reg[i] ^= row[i]
        nonzero = False
        for i in range(words):
            if reg[i] != 0:
                nonzero = True
        if not nonzero:
            continue
        # S_j = alpha^(-j r) R(alpha^j) for odd j; S_2j = S_j^2
        S[:] = 0
        for i in range(r):
            bit = pad + i
            if (reg[bit >> 6] >> np.uint64(bit & 63)) & np.uint64(1):
                e, step = i, (2 * i) % order  # e = i j mod order for j = 1, 3, 5, ...
                for j in range(1, nsyn, 2):
                    S[j - 1] ^= exp[e]
                    e += step
                    if e >= order:
                        e -= order
        for j in range(1, nsyn, 2):
            if S[j - 1] != 0:
                S[j - 1] = exp[(log[S[j - 1]] + order - (j * r) % order) % order]
        for j in range(2, nsyn + 1, 2):
            h = S[j // 2 - 1]
            S[j - 1] = exp[2 * log[h]] if h != 0 else 0
        lam[:] = 0
        lam[0] = 1
        L = berlekamp_massey(exp, log, S, nsyn, lam, B, T, 0, True)
        if L > t:
            failures[f] = True
            located[f] = -1
            continue
        count = chien_search(exp, log, lam, L, n, 1, 1, pos, work, quad)
        if count != L:
            failures[f] = True
            located[f] = -1
            continue
        located[f] = L
        for e in range(count):
            p = n - 1 - pos[e]
            if p < k:
                out[f, p] ^= np.uint8(1)
