r"""Algebraic decoding over GF(2^m), shared by the BCH and Reed–Solomon decoders:
Berlekamp–Massey (errors and erasures), Chien search and Forney's formula, as numba kernels
working on one frame in preallocated arrays (the family kernels loop over the batch).

Conventions (Lin & Costello, *Error Control Coding*, ch. 6–7; Blahut, *Algebraic Codes for
Data Transmission*, ch. 7). Codeword positions are *degrees* d = 0 .. n - 1 (array index
n - 1 - d). The code's roots are :math:`\beta^{b}, \dots, \beta^{b + R - 1}` with
:math:`\beta = \alpha^{s}` (s = 1 except for CCSDS, s = 11), so an error of value Y at degree
d has locator :math:`X = \beta^{d}` and the syndromes are

.. math:: S_j = y(\beta^{b+j}) = \sum_i Y_i X_i^{\,b+j}, \qquad j = 0, \dots, R-1 .

*Berlekamp–Massey* finds the shortest LFSR :math:`\Lambda(x) = \prod_i (1 - X_i x)` generating
S. With s erasures at known locators it starts from the erasure locator
:math:`\Gamma(x) = \prod (1 - X x)` and length s (Blahut, sec. 7.6), and corrects e errors
with 2e + s <= R. For binary codes (S_{2j+1} = S_j^2 with b = 1) every second discrepancy
vanishes and is skipped (Berlekamp's simplification).
*Chien search* tests :math:`\Lambda(\beta^{-d}) = 0` for every degree d of the (shortened)
code by updating each term's logarithm by a constant per step.
*Forney*: :math:`\Omega(x) = S(x)\Lambda(x) \bmod x^{R}`,
:math:`Y = X^{1-b}\,\Omega(X^{-1}) / \Lambda'(X^{-1})`.

A frame is declared a decoding failure (not corrected) when the locator's length L breaks
2(L − s) + s ≤ R, or when fewer than L roots lie among the code's n positions (roots of a
shortened code's missing positions included): then no codeword lies within the decoding
radius, and a corrected word would not be a codeword. When L roots are found the corrected
word is a codeword at distance L − s + (erasures) from the received one (the L distinct
roots generate all R syndromes), so the decoder is exactly a bounded-distance decoder.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.gf2m import GF2m
>>> gf = GF2m(4)
>>> # two errors at degrees 3 and 10 of a length-15 word: S_j = a^(3(j+1)) + a^(10(j+1))
>>> S = np.array([gf.power(3 * j) ^ gf.power(10 * j) for j in range(1, 5)], np.int64)
>>> lam, B, T = (np.zeros(5, np.int64) for _ in range(3)); lam[0] = 1
>>> L = berlekamp_massey(gf.exp, gf.log, S, 4, lam, B, T, 0, True)
>>> pos, work = np.zeros(4, np.int64), np.zeros(10, np.int64)
>>> L, chien_search(gf.exp, gf.log, lam, L, 15, 1, 1, pos, work, gf.quadratic_solutions)
(2, 2)
>>> sorted(pos[:2].tolist())
[3, 10]
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .gf2m import gf_div, gf_mul


@njit(cache=True)
def berlekamp_massey(exp, log, S, nsyn, lam, B, T, n_eras, binary):
    """Shortest LFSR of the syndromes ``S[0 .. nsyn-1]``: on entry ``lam`` holds the erasure
    locator (``lam[0] = 1``, degree ``n_eras``; just 1 without erasures), zero beyond; on exit
    the error-and-erasure locator. ``B`` and ``T`` are work arrays of ``lam``'s length
    (>= nsyn + 1). ``binary`` skips the discrepancies that vanish for binary codes with
    b = 1 and no erasures. Returns the register length L."""
    size = lam.shape[0]
    for i in range(size):
        B[i] = lam[i]
    L = n_eras
    for r in range(n_eras + 1, nsyn + 1):  # r counts syndromes used, 1-based
        hi = r if r < size - 1 else size - 1  # deg lam, deg x B <= r: nothing above moves
        d = 0
        if not (binary and r % 2 == 0):
            top = L if L < r - 1 else r - 1
            for i in range(top + 1):
                d ^= gf_mul(exp, log, lam[i], S[r - 1 - i])
        if d == 0:
            for i in range(hi, 0, -1):  # B <- x B
                B[i] = B[i - 1]
            B[0] = 0
            continue
        T[0] = lam[0]
        for i in range(1, hi + 1):  # T = lam - d x B
            T[i] = lam[i] ^ gf_mul(exp, log, d, B[i - 1])
        if 2 * L <= r + n_eras - 1:
            L = r + n_eras - L
            for i in range(hi + 1):  # B <- lam / d
                B[i] = gf_div(exp, log, lam[i], d)
        else:
            for i in range(hi, 0, -1):
                B[i] = B[i - 1]
            B[0] = 0
        for i in range(hi + 1):
            lam[i] = T[i]
    return L


@njit(cache=True)
def chien_search(exp, log, lam, L, n, step, step_inv, pos, work, quad):
    """Degrees d in [0, n) with Λ(β^{-d}) = 0, β = α^step (``step_inv`` = step^{-1} mod
    2^m - 1), written to ``pos``; returns how many (at most L, the search stops there).
    ``work`` is an int64 array of length >= 2L + 2; ``quad`` is
    :attr:`GF2m.quadratic_solutions`. Degrees 1 and 2 are solved in closed form: Λ = 1 + λ1 x
    gives X = λ1; for Λ = 1 + λ1 x + λ2 x², the locators solve X² + λ1 X + λ2 = 0, i.e.
    X = λ1 y with y² + y = λ2/λ1² (two distinct roots iff that has a solution, λ1 != 0)."""
    order = (exp.shape[0] - 1) // 2
    if L == 1:
        if lam[1] == 0:
            return 0
        d = (np.int64(log[lam[1]]) * step_inv) % order
        if d < n:
            pos[0] = d
            return 1
        return 0
    if L == 2:
        if lam[1] == 0 or lam[2] == 0:
            return 0
        l1 = np.int64(log[lam[1]])
        c = exp[(np.int64(log[lam[2]]) - 2 * l1 + 2 * order) % order]
        y = np.int64(quad[c])
        if y < 0:
            return 0
        count = 0
        for h in range(2):
            root = y ^ h
            d = ((np.int64(log[root]) + l1) * step_inv) % order
            if d < n:
                pos[count] = d
                count += 1
        return count
    # work[:L+1]: log of term i at the current degree; work[L+1:2L+2]: its decrement per step
    for i in range(1, L + 1):
        work[i] = log[lam[i]] if lam[i] != 0 else -1
        work[L + 1 + i] = (i * step) % order
    count = 0
    for d in range(n):
        v = lam[0]
        for i in range(1, L + 1):
            c = work[i]
            if c >= 0:
                v ^= exp[c]
                c -= work[L + 1 + i]
                if c < 0:
                    c += order
                work[i] = c
        if v == 0:
            pos[count] = d
            count += 1
            if count == L:
                break
    return count


@njit(cache=True)
def forney_values(exp, log, S, nsyn, lam, L, pos, count, step, fcr, omega, values):
    """Error values Y at the located degrees ``pos[:count]``:
    Ω = S Λ mod x^nsyn, Y = X^(1-b) Ω(X^-1) / Λ'(X^-1) with X = β^d. Returns False if some
    Λ'(X^-1) is 0 (a repeated root: not a valid locator)."""
    order = (exp.shape[0] - 1) // 2
    for i in range(nsyn):
        acc = 0
        top = i if i < L else L
        for j in range(top + 1):
            acc ^= gf_mul(exp, log, S[i - j], lam[j])
        omega[i] = acc
    for e in range(count):
        lx = (np.int64(pos[e]) * step) % order  # log X
        lxi = (order - lx) % order  # log X^-1
        num = 0
        for i in range(nsyn - 1, -1, -1):  # Horner in X^-1
            num = (exp[log[num] + lxi] if num != 0 else 0) ^ omega[i]
        den = 0
        for i in range(1, L + 1, 2):  # Λ'(x) = sum over odd i of λ_i x^(i-1)
            if lam[i] != 0:
                den ^= exp[(log[lam[i]] + (i - 1) * lxi) % order]
        if den == 0:
            return False
        if num == 0:
            values[e] = 0
            continue
        lv = (np.int64(log[num]) - log[den] + ((1 - fcr) % order) * lx) % order
        values[e] = exp[lv]
    return True
