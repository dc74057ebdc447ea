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


#: Nibble syndrome tables are used up to this many entries (t x 16 words x 16 x 4 bytes).
SYNDROME_TABLE_MAX = 1 << 20


def syndrome_tables(field, t: int, r: int, words: int) -> np.ndarray:
    """(t, 16·words, 16) int32: entry [jj, q, v] = alpha^(-j r) sum of alpha^(j i) over the set
    bits of the value v of register nibble q (coefficient i = 4q + b - pad), j = 2 jj + 1, so
    that S_j is the XOR of one entry per nonzero nibble of the remainder (about r/4 look-ups
    per odd syndrome instead of r/2 bit tests and table steps). Empty when too large."""
    nibbles = 16 * words
    if t * nibbles * 16 > SYNDROME_TABLE_MAX:
        return np.zeros((0, 0, 0), dtype=np.int32)
    pad = 64 * words - r
    order = field.order
    out = np.zeros((t, nibbles, 16), dtype=np.int32)
    values = np.arange(16)
    for jj in range(t):
        j = 2 * jj + 1
        for q in range(nibbles):
            acc = np.zeros(16, dtype=np.int64)
            for b in range(4):
                i = 4 * q + b - pad
                if 0 <= i < r:
                    term = int(field.exp[(j * i - j * r) % order])
                    acc ^= np.where((values >> b) & 1, term, 0)
            out[jj, q] = acc
    return out


@njit(cache=True)
def _bch_decode_batch(llr, k, t, table, w, r, pad, exp, log, quad, stab, out, failures, located):
    """Decode every frame of ``llr`` (F, n); message decisions to ``out`` (F, k), per-frame
    failure flags, and the number of corrected bits (-1 for a failure) to ``located``.
    ``stab`` = :func:`syndrome_tables` (or an empty array: syndromes bit by bit)."""
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
    nibble_tables = stab.shape[0] == t
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
            if chunk == 8 and j + 8 <= k:  # the common case, unrolled: 8 message bits
                b0 = np.uint8(llr[f, j] < 0.0)
                b1 = np.uint8(llr[f, j + 1] < 0.0)
                b2 = np.uint8(llr[f, j + 2] < 0.0)
                b3 = np.uint8(llr[f, j + 3] < 0.0)
                b4 = np.uint8(llr[f, j + 4] < 0.0)
                b5 = np.uint8(llr[f, j + 5] < 0.0)
                b6 = np.uint8(llr[f, j + 6] < 0.0)
                b7 = np.uint8(llr[f, j + 7] < 0.0)
                out[f, j], out[f, j + 1], out[f, j + 2], out[f, j + 3] = b0, b1, b2, b3
                out[f, j + 4], out[f, j + 5], out[f, j + 6], out[f, j + 7] = b4, b5, b6, b7
                v = ((np.int64(b0) << 7) | (np.int64(b1) << 6) | (np.int64(b2) << 5) | (np.int64(b3) << 4)
                     | (np.int64(b4) << 3) | (np.int64(b5) << 2) | (np.int64(b6) << 1) | np.int64(b7))
            else:
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
        if nibble_tables:  # one look-up per nonzero nibble of R and odd j
            for q in range(pad >> 2, 16 * words):
                nib = np.int64((reg[q >> 4] >> np.uint64(4 * (q & 15))) & np.uint64(15))
                if nib != 0:
                    for jj in range(t):
                        S[2 * jj] ^= stab[jj, q, nib]
        else:
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
