"""GF(2^m) arithmetic and binary BCH codes: field tables against polynomial arithmetic, BCH
dimensions and generators against the published tables, the DVB-S2 tables against the
construction, encoders against the parity check, the decoder as an exact
bounded-distance decoder (exhaustively for small codes, every weight <= t pattern for long
ones, weight t + 1 as theory allows), and the BER on the BSC against the exact formula."""

import itertools
import math

import numpy as np
import pytest
from conftest import binomial_tolerance

import shannonlab as sl
from shannonlab.channels import AWGN, BEC, BSC
from shannonlab.codes.algebraic import chien_search
from shannonlab.codes.bch import BCHCode
from shannonlab.codes.block import hamming_ber
from shannonlab.codes.bch.code import cyclic_check_polynomial, cyclic_generator_matrix, reciprocal
from shannonlab.codes.bch.construction import (
    DVBS2_BCH,
    DVBS2_FIELD,
    DVBS2_NORMAL_G,
    DVBS2_SHORT_G,
    bch_generator,
    dvbs2_generator,
)
from shannonlab.codes.gf2m import PRIMITIVE_POLYNOMIALS, GF2m, clmod, clmul
from shannonlab.errors import ConfigError
from shannonlab.sim.engine import StopRule, simulate_point
from shannonlab.theory.bounded_distance import (
    bounded_distance_ber,
    miscorrection_terms,
    word_error_probability,
)
from shannonlab.theory.weight_spectrum import enumerate_spectrum, macwilliams, weight_enumerator


def _llr(words):
    return 4.0 * (1.0 - 2.0 * np.asarray(words, dtype=np.float64))


def _seed(i):
    return np.random.SeedSequence(20190 + i)


# ---- GF(2^m) ------------------------------------------------------------------------------


@pytest.mark.parametrize("m", range(2, 17))
def test_field_multiplication_is_polynomial_multiplication_mod_p(m):
    gf = GF2m(m)
    assert gf.poly == PRIMITIVE_POLYNOMIALS[m]
    rng = np.random.default_rng(m)
    a, b = rng.integers(0, gf.q, 300), rng.integers(0, gf.q, 300)
    expected = [clmod(clmul(int(x), int(y)), gf.poly) for x, y in zip(a, b)]
    assert gf.multiply(a, b).tolist() == expected
    assert sorted(gf.exp[: gf.order].tolist()) == list(range(1, gf.q))  # alpha generates the group
    nonzero = a[a > 0]
    assert all(gf.mul(int(x), gf.inv(int(x))) == 1 for x in nonzero)
    assert all(gf.div(gf.mul(int(x), int(y)), int(y)) == int(x) for x, y in zip(a, b) if y)


def test_field_rejects_bad_degrees_and_non_primitive_polynomials():
    with pytest.raises(ValueError, match="m must be an integer in 2..16"):
        GF2m(17)
    with pytest.raises(ValueError, match="not a primitive polynomial"):
        GF2m(4, 0b11111)  # x^4 + x^3 + x^2 + x + 1: irreducible, but alpha has order 5
    with pytest.raises(ValueError, match="must have degree m = 4"):
        GF2m(4, 0b1011)


@pytest.mark.parametrize("m", [2, 5, 8, 14])
def test_quadratic_solutions_solve_y2_plus_y_equals_c(m):
    gf = GF2m(m)
    table = gf.quadratic_solutions
    solvable = np.nonzero(table >= 0)[0]
    assert len(solvable) == gf.q // 2  # y -> y^2 + y is 2-to-1 onto the trace-0 half
    y = table[solvable].astype(np.int64)
    assert ((gf.multiply(y, y) ^ y) == solvable).all()


@pytest.mark.parametrize("m", [4, 6, 10])
def test_minimal_polynomials_vanish_on_their_coset_and_divide_x_n_plus_1(m):
    gf = GF2m(m)
    for i in (1, 3, 5, 7, 9):
        poly = gf.minimal_polynomial(i)
        coset = gf.cyclotomic_coset(i)
        assert poly.bit_length() - 1 == len(coset)
        coeffs = [int(b) for b in bin(poly)[2:]]
        assert all(gf.poly_eval(coeffs, gf.power(j)) == 0 for j in coset)
        assert clmod((1 << gf.order) | 1, poly) == 0


@pytest.mark.parametrize("m", [3, 4, 6, 8])
def test_root_finding_agrees_with_exhaustive_evaluation(m):
    """Locators of degree 1..6 (closed forms up to 4, Chien beyond): a frame passes only
    when the polynomial has L distinct roots among the n degrees, and then those are found."""
    gf = GF2m(m)
    rng = np.random.default_rng(m)
    pos, work = np.zeros(8, np.int64), np.zeros(64, np.int64)
    for trial in range(300):
        L = int(rng.integers(1, 7))
        lam = np.zeros(8, np.int64)
        if trial % 2 and L < gf.order:  # L distinct roots by construction
            poly = [1]
            for x in rng.choice(np.arange(1, gf.q), L, replace=False):
                poly = gf.poly_mul(poly, [int(x), 1])
            lam[: L + 1] = poly[::-1]
        else:
            lam[0], lam[1: L + 1] = 1, rng.integers(0, gf.q, L)
        n = int(rng.integers(1, gf.order + 1))
        count = chien_search(gf.exp, gf.log, lam, L, n, 1, 1, pos, work, gf.quadratic_solutions)
        roots = [d for d in range(n) if gf.poly_eval(lam[: L + 1][::-1], gf.power(-d)) == 0]
        if len(roots) == L:
            assert sorted(pos[:count].tolist()) == roots
        else:
            assert count != L


# ---- construction ---------------------------------------------------------------------------

#: k of the primitive narrow-sense BCH codes (Lin & Costello, Error Control Coding, App. C).
BCH_TABLE = {
    15: {1: 11, 2: 7, 3: 5},
    31: {1: 26, 2: 21, 3: 16, 5: 11, 7: 6},
    63: {1: 57, 2: 51, 3: 45, 4: 39, 5: 36, 6: 30, 7: 24, 10: 18},
    127: {1: 120, 2: 113, 3: 106, 4: 99, 5: 92, 6: 85, 7: 78, 9: 71},
    255: {1: 247, 2: 239, 3: 231, 4: 223, 5: 215, 6: 207, 7: 199, 8: 191},
    1023: {10: 923},
}


@pytest.mark.parametrize("n", sorted(BCH_TABLE))
def test_dimensions_match_the_published_table(n):
    m = n.bit_length()
    for t, k in BCH_TABLE[n].items():
        code = BCHCode(m, t)
        assert (code.n, code.k, code.t) == (n, k, t)


def test_generators_match_the_textbook_and_the_bose_bound_is_used():
    # Lin & Costello, examples 6.1 and 6.2, and the (31, 21) code's generator 3551 (octal)
    assert BCHCode(4, 2).generator == 0b111010001
    assert BCHCode(4, 3).generator == 0b10100110111
    assert BCHCode(5, 2).generator == 0o3551
    code = BCHCode(7, 20)  # the coset of 21 holds 41 and 42: the same code as t = 21
    assert (code.k, code.t) == (29, 21)


@pytest.mark.parametrize("n_ldpc", [64800, 16200])
def test_dvbs2_tables_are_the_bch_construction(n_ldpc):
    m, poly = DVBS2_FIELD[n_ldpc]
    gf = GF2m(m, poly)
    table = DVBS2_NORMAL_G if n_ldpc == 64800 else DVBS2_SHORT_G
    assert [gf.minimal_polynomial(2 * i + 1) for i in range(12)] == table
    for (n, rate), (k_bch, n_bch, t) in DVBS2_BCH.items():
        if n != n_ldpc:
            continue
        assert n_bch - k_bch == m * t
        if n == 64800:
            num, den = map(int, rate.split("/"))
            assert n_bch == 64800 * num // den  # N_bch = K_ldpc = n_ldpc R for normal frames
        assert dvbs2_generator(n, t) == bch_generator(gf, t)[0]
        code = sl.build_code({"type": "bch", "standard": "dvb-s2", "n_ldpc": n, "rate": rate})
        assert (code.n, code.k, code.t) == (n_bch, k_bch, t)


def test_weight_distribution_of_the_code_its_dual_and_its_encoder_agree():
    for m, t in [(4, 2), (4, 3), (5, 2), (5, 1)]:
        code = BCHCode(m, t)
        rows = cyclic_generator_matrix(code.generator, code.n)
        assert code.parity_check(rows).all()  # rows x^i g(x) are codewords
        dual = cyclic_generator_matrix(reciprocal(cyclic_check_polynomial(code.generator, code.n)), code.n)
        assert not (rows.astype(int) @ dual.T.astype(int) % 2).any()  # orthogonal: the dual code
        direct = enumerate_spectrum(rows)
        assert macwilliams(enumerate_spectrum(dual), code.n).tolist() == direct.tolist()
        assert code.weight_distribution.tolist() == weight_enumerator(code).tolist() == direct.tolist()
    assert BCHCode(5, 2).weight_distribution[:7].tolist() == [1, 0, 0, 0, 0, 186, 806]  # (31, 21, 5)


# ---- encoding -----------------------------------------------------------------------------

CODES = [(3, 1, None), (4, 2, None), (5, 3, None), (6, 5, None), (8, 4, 200), (10, 10, None), (10, 10, 900),
         (13, 12, None), (16, 3, 1000)]


@pytest.mark.parametrize("m,t,k", CODES)
def test_encoder_is_systematic_linear_and_divisible_by_g(m, t, k):
    code = BCHCode(m, t, k)
    u = np.random.default_rng(m).integers(0, 2, (20, code.k), dtype=np.uint8)
    c = code.encode(u)
    assert (c[:, : code.k] == u).all() and code.parity_check(c).all()
    for row in c[:3]:  # g(x) divides c(x), array index j = coefficient of x^(n-1-j)
        assert clmod(int("".join(map(str, row)), 2), code.generator) == 0
    assert (code.encode(u[:10] ^ u[10:]) == c[:10] ^ c[10:]).all()
    y = c.copy()
    y[np.arange(20), np.arange(20) % code.n] ^= 1  # d >= 3: one flipped bit is never a codeword
    assert not code.parity_check(y).any()


# ---- decoding -----------------------------------------------------------------------------


@pytest.mark.parametrize("m,t,k", CODES)
def test_noiseless_and_every_weight_up_to_t_is_corrected(m, t, k):
    code = BCHCode(m, t, k)
    rng = np.random.default_rng(100 + m)
    frames = 400
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    c = code.encode(u)
    for w in range(code.t + 1):
        y = c.copy()
        for f in range(frames):
            y[f, rng.choice(code.n, w, replace=False)] ^= 1
        report = code.decode_report(_llr(y))
        assert (report.bits == u).all() and not report.failures.any(), w
        assert (code.corrected_errors(_llr(y)) == w).all()


def test_a_large_t_decodes_through_the_bitwise_syndromes():
    code = BCHCode(13, 300, 3000)  # t x register words too large for nibble tables
    assert code._syndrome_tables.size == 0
    rng = np.random.default_rng(11)
    u = rng.integers(0, 2, (3, code.k), dtype=np.uint8)
    c = code.encode(u)
    for w in (0, 1, 150, code.t):
        y = c.copy()
        for f in range(3):
            y[f, rng.choice(code.n, w, replace=False)] ^= 1
        assert (code.decode(_llr(y)) == u).all() and (code.corrected_errors(_llr(y)) == w).all()


def test_dvbs2_codes_correct_t_errors():
    for n_ldpc, rate in [(64800, "2/3"), (16200, "1/2")]:
        code = sl.build_code({"type": "bch", "standard": "dvb-s2", "n_ldpc": n_ldpc, "rate": rate})
        rng = np.random.default_rng(7)
        u = rng.integers(0, 2, (6, code.k), dtype=np.uint8)
        y = code.encode(u)
        for f in range(6):
            y[f, rng.choice(code.n, code.t, replace=False)] ^= 1
        assert (code.decode(_llr(y)) == u).all()


def _all_words(n):
    return ((np.arange(1 << n)[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.uint8)


@pytest.mark.parametrize("t", [2, 3])
def test_exhaustively_a_bounded_distance_decoder(t):
    """Every one of the 2^15 received words of a length-15 BCH code: decoded to the codeword
    within distance t when there is one, reported as a failure otherwise."""
    code = BCHCode(4, t)
    messages = _all_words(code.k)
    codewords = code.encode(messages)
    words = _all_words(code.n)
    distance = (words[:, None, :] != codewords[None, :, :]).sum(axis=2)  # (2^15, 2^k)
    nearest = distance.argmin(axis=1)
    within = distance.min(axis=1) <= t
    report = code.decode_report(_llr(words))
    assert (report.failures == ~within).all()
    assert (report.bits[within] == messages[nearest[within]]).all()
    assert (report.bits[~within] == words[~within, : code.k]).all()  # failures keep their bits


def test_perfect_code_miscorrects_every_double_error():
    code = BCHCode(5, 1)  # the (31, 26) Hamming code, perfect
    pairs = [(i, j) for i in range(31) for j in range(i + 1, 31)]
    y = np.zeros((len(pairs), 31), dtype=np.uint8)
    for row, (i, j) in enumerate(pairs):
        y[row, [i, j]] = 1
    assert not code.decode_report(_llr(y)).failures.any()
    corrected = code.corrected_errors(_llr(y))
    assert (corrected == 1).all()  # always moved to the codeword of weight 3 at distance 1


@pytest.mark.parametrize("m,t", [(4, 2), (5, 2)])
def test_weight_t_plus_1_miscorrected_exactly_as_the_weight_distribution_says(m, t):
    """A weight-(t+1) pattern is miscorrected iff it lies within t of a codeword, i.e. inside
    a codeword of weight 2t + 1: A_(2t+1) C(2t+1, t+1) of the C(n, t+1) patterns."""
    code = BCHCode(m, t)
    n = code.n
    patterns = list(itertools.combinations(range(n), t + 1))
    y = np.zeros((len(patterns), n), dtype=np.uint8)
    for row, p in enumerate(patterns):
        y[row, list(p)] = 1
    failures = code.decode_report(_llr(y)).failures
    expected = int(code.weight_distribution[2 * t + 1]) * math.comb(2 * t + 1, t + 1)
    assert int((~failures).sum()) == expected


def test_long_code_detects_t_plus_1_errors():
    """(1023, 923): a weight-11 pattern is miscorrected only inside a codeword of weight 21;
    with A_21 ~ C(1023, 21)/2^100 that is ~1e-7 of the patterns: none among 3000."""
    code = BCHCode(10, 10)
    rng = np.random.default_rng(3)
    u = rng.integers(0, 2, (3000, code.k), dtype=np.uint8)
    y = code.encode(u)
    for f in range(len(y)):
        y[f, rng.choice(code.n, 11, replace=False)] ^= 1
    report = code.decode_report(_llr(y))
    assert report.failures.all()
    assert (report.bits == y[:, : code.k]).all()


# ---- error rates against the bounded-distance formula ---------------------------------------


def _bound_second_moment(n, t, p):
    """E[(W + t)^2 1{W > t}], W ~ Bin(n, p): a frame keeps at most W + t wrong bits."""
    w = np.arange(t + 1, n + 1)
    logp = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * math.log(p) + (n - i) * math.log1p(-p) for i in w]
    return float((np.exp(logp) * (w + t) ** 2.0).sum())


@pytest.mark.statistical
@pytest.mark.parametrize("m,t,p,frames", [(5, 2, 0.04, 60_000), (10, 10, 0.006, 6_000)])
def test_monte_carlo_on_the_bsc_matches_the_bounded_distance_formulas(m, t, p, frames, effort):
    code = BCHCode(m, t)
    channel = BSC(p)
    result = simulate_point(code, channel, StopRule(10**9, frames * effort), _seed(m))
    n, F = code.n, result.frames
    weights = code.weight_distribution
    ber = code.reference_ber(channel)
    if weights is not None:  # (31, 21): exact, miscorrections included
        assert ber == pytest.approx(bounded_distance_ber(n, t, p, weights))
        p_mis = miscorrection_terms(n, t, p, weights)[0]
    else:  # (1023, 923): the miscorrection share is below 1e-6 of the BER
        p_mis = 0.0
    p_fail = word_error_probability(n, t, p) - p_mis
    assert abs(result.failures - F * p_fail) <= binomial_tolerance(F, p_fail)
    sd = math.sqrt(F * _bound_second_moment(n, t, p))
    assert abs(result.bit_errors - F * code.k * ber) <= 4 * sd + 1


@pytest.mark.parametrize("m", [3, 7, 10])
def test_single_error_bch_reference_is_the_exact_hamming_ber(m):
    """BCH with t = 1 is the Hamming code of length 2^m - 1 (in cyclic form): the bounded-
    distance formula with its weights (miscorrections included, through MacWilliams for
    m = 10, weights up to 2^1013) equals the Hamming family's own exact BER."""
    for p in (1e-4, 1e-2):
        assert BCHCode(m, 1).reference_ber(BSC(p)) == pytest.approx(hamming_ber(m, p), rel=1e-9)


def test_long_codes_have_finite_references():
    for spec in ({"standard": "dvb-s2", "n_ldpc": 16200, "rate": "1/2"}, {"standard": "dvb-s2", "n_ldpc": 64800, "rate": "2/3"}):
        code = sl.build_code({"type": "bch", **spec})  # binomial weights as logarithms: no overflow
        ber = code.reference_ber(BSC(1e-3))
        assert math.isfinite(ber) and ber == pytest.approx(bounded_distance_ber(code.n, code.t, 1e-3), rel=1e-6)


def test_reference_on_awgn_is_the_sliced_bsc_and_absent_on_the_bec():
    code = BCHCode(10, 10)
    channel = AWGN(ebn0_db=6.0, rate=code.rate)
    p = channel.hard_crossover()
    assert code.reference_ber(channel) == pytest.approx(code.reference_ber(BSC(p)))
    assert code.reference_ber(BEC(0.1)) is None


# ---- YAML --------------------------------------------------------------------------------


@pytest.mark.parametrize("spec,message", [
    ({"n": 15, "t": 8}, "code: t = 8 is too large for n = 15: 2t + 1 must be at most n (t <= 7)"),
    ({"n": 1000, "t": 3}, "code: n must be 2^m - 1 with m in 3..16"),
    ({"n": 15, "t": 2, "k": 8}, "code: k must be an integer in 1..7 for n = 15, t = 2"),
    ({"t": 2}, "code: n and t are required"),
    ({"standard": "dvb-s2", "n_ldpc": 16200, "rate": "9/10"}, "code: rate: DVB-S2 frames of 16200 bits have rates"),
    ({"standard": "dvb-s2", "n_ldpc": 64800, "rate": "1/2", "t": 3}, "code: standard 'dvb-s2' fixes n, t, k"),
    ({"n": 15, "t": 2, "primitive_polynomial": "0x1f"}, "code: x^4 + x^3 + x^2 + x + 1 is not a primitive polynomial"),
    ({"n": 15, "t": 2, "rate": "1/2"}, "code: n_ldpc and rate apply to standard: dvb-s2 only"),
])
def test_bad_parameters_are_one_line_errors(spec, message):
    with pytest.raises(ConfigError) as info:
        sl.build_code({"type": "bch", **spec})
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_yaml_shortening_and_names():
    code = sl.build_code({"type": "bch", "n": 1023, "t": 10, "k": 900})
    assert (code.n, code.k, code.name) == (1000, 900, "BCH(1000,900) t=10 (shortened from 1023)")
    code = sl.build_code({"type": "bch", "n": 255, "t": 2, "primitive_polynomial": "0x187"})
    assert code.field.poly == 0x187 and code.k == 239
