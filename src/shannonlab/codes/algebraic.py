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
>>> pos, work = np.zeros(4, np.int64), np.zeros(64, np.int64)
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
    db = n_eras  # deg B (lam has degree <= L): only entries up to max(L, db + 1) can move
    for r in range(n_eras + 1, nsyn + 1):  # r counts syndromes used, 1-based
        hi = L if L > db + 1 else db + 1
        if hi > size - 1:
            hi = size - 1
        d = 0
        if not (binary and r % 2 == 0):
            top = L if L < r - 1 else r - 1
            for i in range(top + 1):
                d ^= gf_mul(exp, log, lam[i], S[r - 1 - i])
        if d == 0:
            for i in range(hi, 0, -1):  # B <- x B
                B[i] = B[i - 1]
            B[0] = 0
            db += 1
            continue
        T[0] = lam[0]
        for i in range(1, hi + 1):  # T = lam - d x B
            T[i] = lam[i] ^ gf_mul(exp, log, d, B[i - 1])
        if 2 * L <= r + n_eras - 1:
            db = L
            L = r + n_eras - L
            for i in range(hi + 1):  # B <- lam / d
                B[i] = gf_div(exp, log, lam[i], d)
        else:
            for i in range(hi, 0, -1):
                B[i] = B[i - 1]
            B[0] = 0
            db += 1
        for i in range(hi + 1):
            lam[i] = T[i]
    return L


@njit(cache=True)
def affine_quartic_roots(exp, log, p, q, r, out, work):
    """All W in GF(2^m) with W⁴ + p W² + q W = r, written to ``out`` (at most 4); returns how
    many. W ↦ W⁴ + p W² + q W is GF(2)-linear, so the solutions are an affine subspace:
    Gaussian elimination on its m columns (the images of 1, α, …, α^(m-1)) gives one solution
    and the kernel (dimension <= 2: a linearised polynomial of degree 4 has <= 4 roots).
    ``work``: int64, length >= 2m + 2."""
    order = (exp.shape[0] - 1) // 2
    m = 0
    while (1 << m) <= order:
        m += 1
    val = work[:m]
    msk = work[m:2 * m]
    for b in range(m):
        val[b] = 0
        msk[b] = 0
    nkernel = 0
    k0 = 0
    k1 = 0
    for i in range(m):
        w = np.int64(1) << i
        w2 = gf_mul(exp, log, w, w)
        v = gf_mul(exp, log, w2, w2) ^ gf_mul(exp, log, p, w2) ^ gf_mul(exp, log, q, w)
        mask = np.int64(1) << i
        for b in range(m - 1, -1, -1):
            if (v >> b) & 1:
                if val[b] != 0:
                    v ^= val[b]
                    mask ^= msk[b]
                else:
                    val[b] = v
                    msk[b] = mask
                    break
        if v == 0:
            if nkernel == 0:
                k0 = mask
            else:
                k1 = mask
            nkernel += 1
    v = np.int64(r)
    sol = np.int64(0)
    for b in range(m - 1, -1, -1):
        if (v >> b) & 1:
            if val[b] == 0:
                return 0
            v ^= val[b]
            sol ^= msk[b]
    out[0] = sol
    if nkernel == 0:
        return 1
    out[1] = sol ^ k0
    if nkernel == 1:
        return 2
    out[2] = sol ^ k1
    out[3] = sol ^ k0 ^ k1
    return 4


@njit(cache=True)
def _poly_value(exp, log, lam, L, x):
    """x^L Λ(1/x) = x^L + λ1 x^(L-1) + … + λL at x (the locators are its roots)."""
    acc = 1
    for i in range(1, L + 1):
        acc = gf_mul(exp, log, acc, x) ^ lam[i]
    return acc


@njit(cache=True)
def _locators_degree_3_4(exp, log, lam, L, cand, work):
    """The distinct locators X (roots of X^L + λ1 X^(L-1) + … + λL) when there are exactly
    L = 3 or 4 of them, written to ``cand``; returns L, or 0 when there are not L distinct roots.

    L = 3: (X + a)(X³ + aX² + bX + c) = X⁴ + (a² + b)X² + (ab + c)X + ac is affine; its roots
    are the cubic's and a (P(a) = 0 would force a repeated root).
    L = 4 with a != 0: X = Z + e, e² = c/a removes the Z term; Z⁴ + aZ³ + BZ² + D with
    B = ae + b, D = P(e) != 0 (else a double root Z = 0); W = 1/Z then solves the affine
    W⁴ + (B/D)W² + (a/D)W = 1/D."""
    order = (exp.shape[0] - 1) // 2
    a = lam[1]
    b = lam[2]
    c = lam[3]
    sols = work[:4]
    rest = work[4:]
    if L == 3:
        if c == 0 or _poly_value(exp, log, lam, 3, a) == 0:
            return 0
        p = gf_mul(exp, log, a, a) ^ b
        q = gf_mul(exp, log, a, b) ^ c
        r = gf_mul(exp, log, a, c)
        if affine_quartic_roots(exp, log, p, q, r, sols, rest) != 4:
            return 0
        count = 0
        for i in range(4):
            if sols[i] != a:
                cand[count] = sols[i]
                count += 1
        return count if count == 3 else 0
    d = lam[4]
    if d == 0:
        return 0
    if a == 0:
        if affine_quartic_roots(exp, log, b, c, d, sols, rest) != 4:
            return 0
        for i in range(4):
            if sols[i] == 0:
                return 0
            cand[i] = sols[i]
        return 4
    ratio = gf_div(exp, log, c, a)
    e = 0
    if ratio != 0:
        lr = np.int64(log[ratio])
        e = exp[lr // 2 if lr % 2 == 0 else (lr + order) // 2]  # the square root
    B = gf_mul(exp, log, a, e) ^ b
    D = _poly_value(exp, log, lam, 4, e)
    if D == 0:
        return 0
    if affine_quartic_roots(exp, log, gf_div(exp, log, B, D), gf_div(exp, log, a, D), gf_div(exp, log, 1, D),
                            sols, rest) != 4:
        return 0
    for i in range(4):
        if sols[i] == 0:
            return 0
        cand[i] = gf_div(exp, log, 1, sols[i]) ^ e
    return 4


@njit(cache=True)
def chien_search(exp, log, lam, L, n, step, step_inv, pos, work, quad):
    """Degrees d in [0, n) with Λ(β^{-d}) = 0, β = α^step (``step_inv`` = step^{-1} mod
    2^m - 1), written to ``pos``; returns how many (at most L, the search stops there).
    ``work`` is an int64 array of length >= max(2L + 2, 2m + 10); ``quad`` is
    :attr:`GF2m.quadratic_solutions`. Degrees 1 to 4 are solved in closed form: Λ = 1 + λ1 x
    gives X = λ1; for Λ = 1 + λ1 x + λ2 x², the locators solve X² + λ1 X + λ2 = 0, i.e.
    X = λ1 y with y² + y = λ2/λ1² (two distinct roots iff that has a solution, λ1 != 0);
    degrees 3 and 4 through an affine polynomial (:func:`_locators_degree_3_4`, the method
    of the Linux kernel's BCH library and Berlekamp's *Algebraic Coding Theory*, ch. 11)."""
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
    if L == 3 or L == 4:  # closed form through an affine polynomial (no search)
        cand = work[:4]
        found = _locators_degree_3_4(exp, log, lam, L, cand, work[4:])
        count = 0
        for i in range(found):
            d = (np.int64(log[cand[i]]) * step_inv) % order
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
