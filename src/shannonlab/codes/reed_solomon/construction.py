r"""Construction of Reed–Solomon codes over GF(2^m) and the CCSDS (255, 223) code.

An (n, k) Reed–Solomon code over GF(2^m), n <= 2^m - 1, has the R = n - k consecutive roots
:math:`\beta^{b}, \beta^{b+1}, \dots, \beta^{b+R-1}` with :math:`\beta = \alpha^{s}` a
primitive element (gcd(s, 2^m - 1) = 1):

.. math:: g(x) = \prod_{j=0}^{R-1} \big(x - \beta^{\,b+j}\big).

It is maximum-distance separable, d = R + 1, and corrects e errors and f erasures whenever
2e + f <= R (Reed & Solomon 1960; Lin & Costello, *Error Control Coding*, sec. 7.2). A code
of length n < 2^m - 1 is the full-length code shortened by 2^m - 1 - n message symbols. The
usual choice is b = 1, s = 1 (the default here and in most libraries).

**CCSDS** (CCSDS 131.0-B, sec. 4: TM Synchronization and Channel Coding): m = 8 with the
field polynomial :math:`F(x) = x^8 + x^7 + x^2 + x + 1`, :math:`\beta = \alpha^{11}` and the
2E roots :math:`\beta^{j}`, j = 128 − E .. 127 + E (E = 16: the (255, 223) code, j = 112 .. 143;
E = 8: (255, 239)); symmetric roots make g(x) palindromic. Symbols are sent in Berlekamp's
dual-basis representation: the bits :math:`[\ell_0 \dots \ell_7]` of a symbol are
:math:`[\alpha_7 \dots \alpha_0] \cdot T_{\alpha\ell}` of its conventional bits, with the 8 × 8
matrix of the standard's Annex F, whose rows are :data:`CCSDS_T_ROWS`. Shortened codes
(virtual fill) keep the generator.

Example
-------
>>> from shannonlab.codes.gf2m import GF2m, CCSDS_RS_POLYNOMIAL
>>> gf = GF2m(8, CCSDS_RS_POLYNOMIAL)
>>> g = rs_generator(gf, 32, 112, 11)
>>> len(g), g == g[::-1]              # 33 coefficients, palindromic
(33, True)
>>> to_dual, to_conv = ccsds_dual_basis()
>>> f"{to_dual[1]:08b}", int(to_conv[to_dual[0x5a]]) == 0x5a    # alpha^0 -> 01111011
('01111011', True)
"""

from __future__ import annotations

import math

import numpy as np

from ..gf2m import GF2m

#: CCSDS 131.0-B Annex F: the rows of T_alpha_l (row i multiplies the conventional bit
#: alpha_(7-i)); each row is written with l_0 as its most significant bit.
CCSDS_T_ROWS = (0x8D, 0xEF, 0xEC, 0x86, 0xFA, 0x99, 0xAF, 0x7B)
#: CCSDS: beta = alpha^11, first root j = 128 - E.
CCSDS_ROOT_STEP = 11
CCSDS_ERROR_CAPABILITIES = (16, 8)


def ccsds_first_root(e: int) -> int:
    """j_0 = 128 - E: the first root exponent of the CCSDS code correcting E errors."""
    return 128 - e


def rs_generator(field: GF2m, nroots: int, first_root: int = 1, root_step: int = 1) -> list[int]:
    """Coefficients (highest degree first, monic) of prod_{j<nroots} (x - beta^(b + j)),
    beta = alpha^root_step."""
    g = [1]
    for j in range(nroots):
        g = field.poly_mul(g, [1, field.power(root_step * (first_root + j))])
    return g


def check_root_step(field: GF2m, root_step: int) -> int:
    """root_step^-1 modulo 2^m - 1; ValueError when alpha^root_step is not primitive."""
    if math.gcd(root_step, field.order) != 1:
        raise ValueError(f"root_step {root_step} must be coprime with 2^m - 1 = {field.order} "
                         "(beta = alpha^root_step must be a primitive element)")
    return pow(root_step, -1, field.order)


def ccsds_dual_basis() -> tuple[np.ndarray, np.ndarray]:
    """(to_dual, to_conv): uint16 maps between the conventional representation of a
    GF(256) symbol (bit 7 = alpha^7) and Berlekamp's dual basis (bit 7 = l_0) of CCSDS."""
    to_dual = np.zeros(256, dtype=np.uint16)
    for value in range(256):
        out = 0
        for bit in range(8):  # conventional bit alpha_bit selects row 7 - bit
            if value >> bit & 1:
                out ^= CCSDS_T_ROWS[7 - bit]
        to_dual[value] = out
    if len(set(to_dual.tolist())) != 256:
        raise ArithmeticError("the CCSDS dual-basis matrix is singular")
    to_conv = np.zeros(256, dtype=np.uint16)
    to_conv[to_dual] = np.arange(256, dtype=np.uint16)
    return to_dual, to_conv
