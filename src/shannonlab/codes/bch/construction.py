r"""Construction of binary primitive narrow-sense BCH codes and the DVB-S2 outer BCH codes.

The t-error-correcting BCH code of length :math:`N = 2^m - 1` is the cyclic code whose
generator has :math:`\alpha, \alpha^2, \dots, \alpha^{2t}` among its roots:

.. math:: g(x) = \operatorname{lcm}\{m_1(x), m_2(x), \dots, m_{2t}(x)\}
               = \prod_{C \ni i,\ i \text{ odd} \le 2t-1} m_C(x),

the product of the distinct minimal polynomials of the odd powers (:math:`m_{2i} = m_i`,
cyclotomic cosets C of 2 modulo N). Its dimension is :math:`K = N - \deg g \ge N - mt`, its
minimum distance at least the designed distance 2t + 1 (BCH bound; Lin & Costello,
*Error Control Coding*, sec. 6.1). Shortening by s fixes the s highest-degree message bits
to zero and does not send them: an (N - s, K - s) code with the same g(x) and t.

DVB-S2 (ETSI EN 302 307-1, sec. 5.3.1): the outer code of a FECFRAME of n_ldpc = 64 800
bits (normal) is a BCH code over GF(2^16) with t = 12, 10 or 8, of a 16 200-bit frame (short)
one over GF(2^14) with t = 12, shortened to N_bch = K_ldpc bits; Tables 5a/5b give
(K_bch, N_bch, t) per rate and Tables 6a/6b the polynomials g_1 .. g_12 whose product
g_1 ⋯ g_t is the generator. g_1 is the field polynomial and g_i is the minimal polynomial of
:math:`\alpha^{2i-1}`, so the generator is exactly the narrow-sense BCH generator above (a
test checks the tables against the construction).

Example
-------
>>> from shannonlab.codes.gf2m import GF2m, poly_text
>>> g, cosets = bch_generator(GF2m(4), 2)         # the (15, 7) double-error-correcting code
>>> poly_text(g), [c[0] for c in cosets]
('x^8 + x^7 + x^6 + x^4 + 1', [1, 3])
>>> DVBS2_BCH[(64800, "1/2")], DVBS2_BCH[(16200, "1/2")]
((32208, 32400, 12), (7032, 7200, 12))
"""

from __future__ import annotations

from ..gf2m import DVBS2_NORMAL_POLYNOMIAL, DVBS2_SHORT_POLYNOMIAL, GF2m, clmul


def bch_generator(field: GF2m, t: int) -> tuple[int, list[list[int]]]:
    """The generator polynomial (an integer, bit d = coefficient of x^d) of the narrow-sense
    t-error-correcting BCH code over ``field`` and the cyclotomic cosets whose minimal
    polynomials it multiplies."""
    g, cosets, covered = 1, [], set()
    for i in range(1, 2 * t, 2):
        if i % field.order in covered:
            continue
        coset = field.cyclotomic_coset(i)
        covered.update(coset)
        cosets.append(coset)
        g = clmul(g, field.minimal_polynomial(i))
    return g, cosets


def bose_t(field: GF2m, cosets: list[list[int]]) -> int:
    """The largest t' with alpha^1 .. alpha^(2t') all roots of the generator built from
    ``cosets`` (its Bose designed distance is 2t' + 1 >= 2t + 1: e.g. t = 20 at n = 127 gives
    the same generator as t = 21)."""
    roots = {j for coset in cosets for j in coset}
    delta = 1
    while delta % field.order in roots:
        delta += 1
    return (delta - 1) // 2


def max_designed_t(m: int) -> int:
    """The largest designed t for length 2^m - 1 that still leaves k >= 1 (2t + 1 <= n)."""
    return ((1 << m) - 2) // 2


# --------------------------------------------------------------------------------------
# DVB-S2 (ETSI EN 302 307-1 V1.4.1): Tables 5a (normal) and 5b (short), Tables 6a and 6b

#: (n_ldpc, nominal LDPC rate) -> (K_bch, N_bch, t). N_bch = K_ldpc.
DVBS2_BCH: dict[tuple[int, str], tuple[int, int, int]] = {
    (64800, "1/4"): (16008, 16200, 12),
    (64800, "1/3"): (21408, 21600, 12),
    (64800, "2/5"): (25728, 25920, 12),
    (64800, "1/2"): (32208, 32400, 12),
    (64800, "3/5"): (38688, 38880, 12),
    (64800, "2/3"): (43040, 43200, 10),
    (64800, "3/4"): (48408, 48600, 12),
    (64800, "4/5"): (51648, 51840, 12),
    (64800, "5/6"): (53840, 54000, 10),
    (64800, "8/9"): (57472, 57600, 8),
    (64800, "9/10"): (58192, 58320, 8),
    (16200, "1/4"): (3072, 3240, 12),
    (16200, "1/3"): (5232, 5400, 12),
    (16200, "2/5"): (6312, 6480, 12),
    (16200, "1/2"): (7032, 7200, 12),
    (16200, "3/5"): (9552, 9720, 12),
    (16200, "2/3"): (10632, 10800, 12),
    (16200, "3/4"): (11712, 11880, 12),
    (16200, "4/5"): (12432, 12600, 12),
    (16200, "5/6"): (13152, 13320, 12),
    (16200, "8/9"): (14232, 14400, 12),
}

#: n_ldpc -> (m, field polynomial g_1).
DVBS2_FIELD = {64800: (16, DVBS2_NORMAL_POLYNOMIAL), 16200: (14, DVBS2_SHORT_POLYNOMIAL)}


def _poly(*exponents: int) -> int:
    return sum(1 << e for e in exponents)


#: Table 6a, normal FECFRAME: g_1 .. g_12 over GF(2^16).
DVBS2_NORMAL_G = [
    _poly(0, 2, 3, 5, 16),
    _poly(0, 1, 4, 5, 6, 8, 16),
    _poly(0, 2, 3, 4, 5, 7, 8, 9, 10, 11, 16),
    _poly(0, 2, 4, 6, 9, 11, 12, 14, 16),
    _poly(0, 1, 2, 3, 5, 8, 9, 10, 11, 12, 16),
    _poly(0, 2, 4, 5, 7, 8, 9, 10, 12, 13, 14, 15, 16),
    _poly(0, 2, 5, 6, 8, 9, 10, 11, 13, 15, 16),
    _poly(0, 1, 2, 5, 6, 8, 9, 12, 13, 14, 16),
    _poly(0, 5, 7, 9, 10, 11, 16),
    _poly(0, 1, 2, 5, 7, 8, 10, 12, 13, 14, 16),
    _poly(0, 2, 3, 5, 9, 11, 12, 13, 16),
    _poly(0, 1, 5, 6, 7, 9, 11, 12, 16),
]

#: Table 6b, short FECFRAME: g_1 .. g_12 over GF(2^14).
DVBS2_SHORT_G = [
    _poly(0, 1, 3, 5, 14),
    _poly(0, 6, 8, 11, 14),
    _poly(0, 1, 2, 6, 9, 10, 14),
    _poly(0, 4, 7, 8, 10, 12, 14),
    _poly(0, 2, 4, 6, 8, 9, 11, 13, 14),
    _poly(0, 3, 7, 8, 9, 13, 14),
    _poly(0, 2, 5, 6, 7, 10, 11, 13, 14),
    _poly(0, 5, 8, 9, 10, 11, 14),
    _poly(0, 1, 2, 3, 9, 10, 14),
    _poly(0, 3, 6, 9, 11, 12, 14),
    _poly(0, 4, 11, 12, 14),
    _poly(0, 1, 2, 3, 5, 6, 7, 8, 10, 13, 14),
]


def dvbs2_generator(n_ldpc: int, t: int) -> int:
    """g_1 · g_2 ⋯ g_t from Table 6a (n_ldpc = 64800) or 6b (16200)."""
    table = DVBS2_NORMAL_G if n_ldpc == 64800 else DVBS2_SHORT_G
    g = 1
    for gi in table[:t]:
        g = clmul(g, gi)
    return g


def dvbs2_rates(n_ldpc: int) -> list[str]:
    """The nominal rates Table 5a/5b lists for a frame size."""
    return [rate for (n, rate) in DVBS2_BCH if n == n_ldpc]
