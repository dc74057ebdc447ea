r"""Errors-and-erasures decoding of Reed–Solomon codes from bit LLRs.

Per frame: slice each symbol's m LLRs (negative -> 1) into a symbol; a symbol holding an
LLR of exactly 0 (the BEC's erasure, or a punctured/unknown bit) is an *erasure* when
erasure decoding is on: its value is set to 0 and its locator joins the erasure locator
:math:`\Gamma(x)`. Then (:mod:`shannonlab.codes.algebraic`):

1. syndromes :math:`S_j = y(\beta^{b+j})`, j = 0 .. R − 1, by Horner's rule (each step a
   multiplication by a constant, one table look-up); all zero and no erasure: a codeword;
2. more than R erasures: failure (the frame keeps its sliced bits);
3. Berlekamp–Massey from :math:`\Gamma` gives :math:`\Lambda` of length L; failure unless
   2(L − f) + f <= R (f erasures);
4. Chien search over the n degrees of the (shortened) code: failure unless L roots;
5. Forney's formula gives the error values; the located symbols are corrected.

A frame that passes is corrected to the unique codeword within the errors-and-erasures
radius (2e + f <= R); any other frame is reported as a failure rather than miscorrected
whenever no codeword lies within that radius.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.reed_solomon.code import ReedSolomonCode
>>> code = ReedSolomonCode(4, 15, 9)                 # RS(15, 9) over GF(16): R = 6
>>> u = np.random.default_rng(2).integers(0, 2, (1, code.k), dtype=np.uint8)
>>> llr = 4.0 * (1.0 - 2.0 * code.encode(u))
>>> llr[0, [0, 21, 22, 45]] *= -1                    # 3 symbols in error (0, 5, 11) ...
>>> bool((code.decode(llr) == u).all())
True
>>> llr[0, 28:32] = 0.0                              # ... and 1 more erased: 2*3 + 1 > 6
>>> code.decode_report(llr).failures.tolist()
[True]
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..algebraic import berlekamp_massey, chien_search, forney_values


@njit(cache=True)
def _rs_decode_batch(llr, m, n, k, fcr, step, step_inv, erasures, exp, log, quad, to_conv, to_sent,
                     root_mul, out, failures, located):
    """Decode every frame of ``llr`` (F, n m): message bits to ``out`` (F, k m), failure flags,
    and the number of corrected symbols (erasures included; -1 for a failure).
    ``root_mul[j, a]`` = a·beta^(b+j) (an empty (0, 0) array: multiply through the logs)."""
    frames = llr.shape[0]
    order = (exp.shape[0] - 1) // 2
    R = n - k
    sym = np.zeros(n, dtype=np.int64)
    eras = np.zeros(n, dtype=np.int64)
    S = np.zeros(R, dtype=np.int64)
    lroot = np.zeros(R, dtype=np.int64)
    for j in range(R):
        lroot[j] = (step * (fcr + j)) % order  # log beta^(b + j)
    lam = np.zeros(R + 1, dtype=np.int64)
    B = np.zeros(R + 1, dtype=np.int64)
    T = np.zeros(R + 1, dtype=np.int64)
    work = np.zeros(max(2 * R + 2, 64), dtype=np.int64)
    pos = np.zeros(R + 1, dtype=np.int64)
    omega = np.zeros(R, dtype=np.int64)
    values = np.zeros(R + 1, dtype=np.int64)
    tables = root_mul.shape[0] == R
    for f in range(frames):
        failures[f] = False
        located[f] = 0
        n_eras = 0
        for j in range(R):
            S[j] = 0
        for p in range(n):
            v = 0
            erased = False
            for b in range(m):
                x = llr[f, p * m + b]
                bit = np.uint8(x < 0.0)
                if p < k:
                    out[f, p * m + b] = bit
                if x == 0.0:
                    erased = True
                v = (v << 1) | bit
            s = np.int64(to_conv[v])
            if erased and erasures:
                eras[n_eras] = n - 1 - p
                n_eras += 1
                s = 0
            sym[p] = s
            if tables:  # Horner: S_j <- S_j beta^(b+j) + y_p
                for j in range(R):
                    S[j] = root_mul[j, S[j]] ^ s
            else:
                for j in range(R):
                    a = S[j]
                    if a != 0:
                        a = exp[log[a] + lroot[j]]
                    S[j] = a ^ s
        nonzero = False
        for j in range(R):
            if S[j] != 0:
                nonzero = True
        if n_eras > R:
            failures[f] = True
            located[f] = -1
            continue
        if not nonzero:
            if n_eras > 0:  # the erased symbols are 0: write them back as such
                for e in range(n_eras):
                    p = n - 1 - eras[e]
                    if p < k:
                        for b in range(m):
                            out[f, p * m + b] = np.uint8((to_sent[0] >> (m - 1 - b)) & 1)
                located[f] = n_eras
            continue
        # erasure locator Gamma(x) = prod (1 - X x), X = beta^d
        for i in range(R + 1):
            lam[i] = 0
        lam[0] = 1
        for e in range(n_eras):
            lx = (eras[e] * step) % order
            for i in range(e + 1, 0, -1):
                if lam[i - 1] != 0:
                    lam[i] ^= exp[log[lam[i - 1]] + lx]
        L = berlekamp_massey(exp, log, S, R, lam, B, T, n_eras, False)
        if 2 * L - n_eras > R:
            failures[f] = True
            located[f] = -1
            continue
        count = chien_search(exp, log, lam, L, n, step, step_inv, pos, work, quad)
        if count != L:
            failures[f] = True
            located[f] = -1
            continue
        if not forney_values(exp, log, S, R, lam, L, pos, count, step, fcr, omega, values):
            failures[f] = True
            located[f] = -1
            continue
        located[f] = count
        for e in range(count):
            p = n - 1 - pos[e]
            if p < k:
                v = np.int64(to_sent[sym[p] ^ values[e]])
                for b in range(m):
                    out[f, p * m + b] = np.uint8((v >> (m - 1 - b)) & 1)
