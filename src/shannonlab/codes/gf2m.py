r"""Arithmetic in the finite field GF(2^m), m = 2 .. 16, shared by the BCH and Reed–Solomon
codes.

An element is an integer 0 .. 2^m - 1 whose bit i is the coefficient of :math:`\alpha^i` in
the polynomial basis :math:`\{1, \alpha, \dots, \alpha^{m-1}\}`, :math:`\alpha` a root of the
field's primitive polynomial p(x) (bit i of ``poly`` = coefficient of x^i). Every nonzero
element is a power of :math:`\alpha`, so multiplication is an addition of logarithms:

.. math:: a\,b = \alpha^{(\log a + \log b) \bmod (2^m - 1)}, \qquad
          a^{-1} = \alpha^{(2^m - 1 - \log a)}, \qquad a + b = a \oplus b .

``exp`` holds :math:`\alpha^i` for i = 0 .. 2(2^m - 1) so that ``exp[log a + log b]`` needs no
reduction; ``log[0]`` is never read (every kernel tests for zero first). The numba kernels
below (:func:`gf_mul`, :func:`gf_div`, :func:`gf_inv`, :func:`gf_poly_eval`) take the two
tables as arguments, so a family passes ``field.exp, field.log`` into its own kernels.

Polynomials over GF(2^m) are arrays of coefficients, highest degree first (``[1, a, b]`` is
:math:`x^2 + a x + b`); binary polynomials (generator and minimal polynomials) are Python
integers, bit i = coefficient of x^i.

:data:`PRIMITIVE_POLYNOMIALS` gives one standard primitive polynomial per m: the minimum-weight
ones tabulated by Lin & Costello (*Error Control Coding*, 2nd ed., Table 2.7) and used by
MATLAB's ``gfprimdf`` and most textbooks; standards that fix another one (CCSDS Reed–Solomon:
x^8 + x^7 + x^2 + x + 1; DVB-S2 BCH: x^16 + x^5 + x^3 + x^2 + 1 and x^14 + x^5 + x^3 + x + 1)
pass theirs explicitly.

Example
-------
>>> gf = GF2m(4)                       # GF(16) with p(x) = x^4 + x + 1
>>> gf.exp[:6].tolist()                # 1, a, a^2, a^3, a^4 = a + 1, a^5 = a^2 + a
[1, 2, 4, 8, 3, 6]
>>> gf.mul(6, 7), gf.div(gf.mul(6, 7), 7), gf.inv(6), gf.mul(6, gf.inv(6))
(1, 6, 7, 1)
>>> gf.poly_eval([1, 0, 1], 2)         # x^2 + 1 at x = a: a^2 + 1 = 5
5
>>> gf.cyclotomic_coset(3), bin(gf.minimal_polynomial(3))   # m_3(x) = x^4 + x^3 + x^2 + x + 1
([3, 6, 12, 9], '0b11111')
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from numba import njit

#: m -> a standard primitive polynomial of degree m (bit i = coefficient of x^i).
PRIMITIVE_POLYNOMIALS: dict[int, int] = {
    2: 0b111,                  # x^2 + x + 1
    3: 0b1011,                 # x^3 + x + 1
    4: 0b10011,                # x^4 + x + 1
    5: 0b100101,               # x^5 + x^2 + 1
    6: 0b1000011,              # x^6 + x + 1
    7: 0b10001001,             # x^7 + x^3 + 1
    8: 0b100011101,            # x^8 + x^4 + x^3 + x^2 + 1
    9: 0b1000010001,           # x^9 + x^4 + 1
    10: 0b10000001001,         # x^10 + x^3 + 1
    11: 0b100000000101,        # x^11 + x^2 + 1
    12: 0b1000001010011,       # x^12 + x^6 + x^4 + x + 1
    13: 0b10000000011011,      # x^13 + x^4 + x^3 + x + 1
    14: 0b100010001000011,     # x^14 + x^10 + x^6 + x + 1
    15: 0b1000000000000011,    # x^15 + x + 1
    16: 0b10001000000001011,   # x^16 + x^12 + x^3 + x + 1
}

#: Field polynomials fixed by standards (bit i = coefficient of x^i).
CCSDS_RS_POLYNOMIAL = 0b110000111          # x^8 + x^7 + x^2 + x + 1 (CCSDS 131.0-B, 4.3.5)
DVBS2_NORMAL_POLYNOMIAL = 0b10000000000101101  # g1(x) = 1 + x^2 + x^3 + x^5 + x^16 (EN 302 307, Table 6a)
DVBS2_SHORT_POLYNOMIAL = 0b100000000101011     # g1(x) = 1 + x + x^3 + x^5 + x^14 (EN 302 307, Table 6b)

MIN_M, MAX_M = 2, 16


def poly_text(poly: int) -> str:
    """A binary polynomial as text, highest degree first.

    >>> poly_text(0b100011101)
    'x^8 + x^4 + x^3 + x^2 + 1'
    """
    terms = [("1" if i == 0 else "x" if i == 1 else f"x^{i}") for i in range(poly.bit_length() - 1, -1, -1) if poly >> i & 1]
    return " + ".join(terms) or "0"


def parse_polynomial(value: int | str) -> int:
    """A binary polynomial from an integer or a hex/binary/decimal string ('0x11d', '0b1011').

    >>> parse_polynomial("0x187") == CCSDS_RS_POLYNOMIAL
    True
    """
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            raise ValueError(f"not an integer polynomial (use e.g. 0x11d), got {value!r}") from None
    return int(value)


def clmul(a: int, b: int) -> int:
    """Product of two binary polynomials (carry-less multiplication of their bit strings).

    >>> bin(clmul(0b11, 0b11))   # (x + 1)^2 = x^2 + 1
    '0b101'
    """
    out = 0
    while b:
        if b & 1:
            out ^= a
        a <<= 1
        b >>= 1
    return out


def clmod(a: int, b: int) -> int:
    """Remainder of the binary polynomial a divided by b.

    >>> clmod(0b1000, 0b1011)    # x^3 mod (x^3 + x + 1) = x + 1
    3
    """
    db = b.bit_length()
    while a.bit_length() >= db:
        a ^= b << (a.bit_length() - db)
    return a


class GF2m:
    """GF(2^m) built from a primitive polynomial (default: :data:`PRIMITIVE_POLYNOMIALS`).

    Attributes: ``m``, ``q`` = 2^m, ``order`` = 2^m - 1, ``poly``, ``exp`` (int32, length
    2·order + 1), ``log`` (int32, length q). Raises ``ValueError`` for an m outside 2..16 or a
    polynomial of the wrong degree or that is not primitive.
    """

    def __init__(self, m: int, poly: int | None = None):
        if not isinstance(m, (int, np.integer)) or not MIN_M <= m <= MAX_M:
            raise ValueError(f"m must be an integer in {MIN_M}..{MAX_M}, got {m!r}")
        self.m = int(m)
        self.q = 1 << self.m
        self.order = self.q - 1
        self.poly = PRIMITIVE_POLYNOMIALS[self.m] if poly is None else int(poly)
        if self.poly.bit_length() != self.m + 1:
            raise ValueError(f"the field polynomial {poly_text(self.poly)} must have degree m = {self.m}")
        exp = np.zeros(2 * self.order + 1, dtype=np.int32)
        log = np.zeros(self.q, dtype=np.int32)
        seen = np.zeros(self.q, dtype=bool)
        x = 1
        for i in range(self.order):
            if seen[x]:  # alpha has order < 2^m - 1: p(x) is not primitive
                raise ValueError(f"{poly_text(self.poly)} is not a primitive polynomial of degree {self.m}")
            seen[x] = True
            exp[i] = x
            log[x] = i
            x <<= 1
            if x & self.q:
                x ^= self.poly
        if x != 1:
            raise ValueError(f"{poly_text(self.poly)} is not a primitive polynomial of degree {self.m}")
        exp[self.order:] = np.concatenate([exp[: self.order], exp[:1]])
        self.exp, self.log = exp, log

    def __repr__(self) -> str:
        return f"GF(2^{self.m}) mod {poly_text(self.poly)}"

    # ---- scalar arithmetic (Python; the kernels below do the same inside numba) ----------

    def mul(self, a: int, b: int) -> int:
        return 0 if a == 0 or b == 0 else int(self.exp[self.log[a] + self.log[b]])

    def div(self, a: int, b: int) -> int:
        if b == 0:
            raise ZeroDivisionError("division by 0 in GF(2^m)")
        return 0 if a == 0 else int(self.exp[self.log[a] - self.log[b] + self.order])

    def inv(self, a: int) -> int:
        return self.div(1, a)

    def power(self, i: int) -> int:
        """alpha^i for any integer i."""
        return int(self.exp[i % self.order])

    def pow(self, a: int, e: int) -> int:
        """a^e (e >= 0; 0^0 = 1)."""
        if a == 0:
            return 1 if e == 0 else 0
        return int(self.exp[(int(self.log[a]) * e) % self.order])

    def poly_eval(self, coeffs, x: int) -> int:
        """Value at x of the polynomial with coefficients ``coeffs`` (highest degree first)."""
        acc = 0
        for c in coeffs:
            acc = self.mul(acc, x) ^ int(c)
        return acc

    def poly_mul(self, a, b) -> list[int]:
        """Product of two polynomials over GF(2^m) (coefficient lists, highest degree first)."""
        out = [0] * (len(a) + len(b) - 1)
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                out[i + j] ^= self.mul(int(x), int(y))
        return out

    def multiply(self, a, b) -> np.ndarray:
        """Element-wise product of two integer arrays (numpy, any shape)."""
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        out = self.exp[self.log[a] + self.log[b]]
        return np.where((a == 0) | (b == 0), 0, out)

    # ---- subfield structure: cyclotomic cosets and minimal polynomials --------------------

    def cyclotomic_coset(self, i: int) -> list[int]:
        """{i, 2i, 4i, ...} mod 2^m - 1: the exponents of the conjugates of alpha^i."""
        coset, j = [], i % self.order
        while j not in coset:
            coset.append(j)
            j = (2 * j) % self.order
        return coset

    def minimal_polynomial(self, i: int) -> int:
        r"""The binary minimal polynomial of :math:`\alpha^i`,
        :math:`m_i(x) = \prod_{j \in C_i} (x - \alpha^j)` over its cyclotomic coset C_i (its
        coefficients lie in GF(2)); returned as an integer, bit d = coefficient of x^d."""
        coeffs = [1]
        for j in self.cyclotomic_coset(i):
            coeffs = self.poly_mul(coeffs, [1, self.power(j)])
        if any(c not in (0, 1) for c in coeffs):  # cannot happen in a field; a guard for the tables
            raise ArithmeticError(f"minimal polynomial of alpha^{i} is not binary: {coeffs}")
        return int("".join(str(c) for c in coeffs), 2)

    @cached_property
    def quadratic_solutions(self) -> np.ndarray:
        """int32 (q,): for each c a y with y^2 + y = c, or -1 when there is none (the trace
        of c is 1); the other solution is y + 1. Root finding of degree-2 locators uses it."""
        y = np.arange(self.q)
        c = self.multiply(y, y) ^ y
        table = np.full(self.q, -1, dtype=np.int32)
        table[c] = y
        return table

    @cached_property
    def element_bits(self) -> np.ndarray:
        """(q, m) uint8: the m bits of every element, most significant (alpha^(m-1)) first."""
        return ((np.arange(self.q)[:, None] >> np.arange(self.m - 1, -1, -1)) & 1).astype(np.uint8)


# --------------------------------------------------------------------------------------
# numba kernels: the tables are arguments, so every family's kernel can call these inline


@njit(cache=True, inline="always")
def gf_mul(exp, log, a, b):
    """a·b in GF(2^m) from the exp/log tables."""
    if a == 0 or b == 0:
        return 0
    return exp[log[a] + log[b]]


@njit(cache=True, inline="always")
def gf_div(exp, log, a, b):
    """a / b (b != 0) in GF(2^m); ``exp`` has length 2·(2^m - 1) + 1."""
    if a == 0:
        return 0
    order = (exp.shape[0] - 1) // 2
    return exp[log[a] - log[b] + order]


@njit(cache=True, inline="always")
def gf_inv(exp, log, a):
    """1 / a (a != 0)."""
    order = (exp.shape[0] - 1) // 2
    return exp[order - log[a]]


@njit(cache=True)
def gf_poly_eval(exp, log, coeffs, x):
    """Horner's rule: the polynomial ``coeffs`` (highest degree first) at x."""
    acc = 0
    for i in range(coeffs.shape[0]):
        acc = gf_mul(exp, log, acc, x) ^ coeffs[i]
    return acc
