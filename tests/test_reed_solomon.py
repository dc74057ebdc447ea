"""Reed–Solomon codes: generator roots, the CCSDS code (palindromic generator, dual basis of
the standard), encoders against the syndromes, the decoder as an exact errors-and-erasures
bounded-distance decoder (exhaustively for a small code, every 2e + f <= n - k for longer
ones), and the BER on the BSC and the BEC against the closed forms."""

import itertools
import math

import numpy as np
import pytest
from conftest import binomial_tolerance
from scipy.stats import binom

import shannonlab as sl
from shannonlab.channels import AWGN, BEC, BSC
from shannonlab.codes.gf2m import CCSDS_RS_POLYNOMIAL, GF2m
from shannonlab.codes.reed_solomon import ReedSolomonCode, ccsds_dual_basis, rs_generator
from shannonlab.errors import ConfigError
from shannonlab.sim.engine import StopRule, simulate_point
from shannonlab.theory.bounded_distance import symbol_bounded_distance_ber, symbol_erasure_ber


def _llr(bits):
    return 4.0 * (1.0 - 2.0 * np.asarray(bits, dtype=np.float64))


def _seed(i):
    return np.random.SeedSequence(20191 + i)


SPECS = [
    {"n": 7, "k": 3},
    {"n": 15, "k": 9},
    {"n": 255, "k": 223},
    {"n": 204, "k": 188, "m": 8},
    {"standard": "ccsds"},
    {"standard": "ccsds", "dual_basis": False},
    {"standard": "ccsds", "k": 239},
    {"standard": "ccsds", "n": 200},
    {"n": 31, "k": 20, "root_step": 3, "first_root": 5},
    {"n": 15, "k": 10, "first_root": 0},
    {"n": 100, "k": 80, "m": 12},
    {"n": 300, "k": 284, "m": 16},  # syndromes by multiplication tables (R 2^m <= 2^20) ...
    {"n": 300, "k": 250, "m": 16},  # ... and through the logarithms (R 2^m > 2^20)
    {"n": 3, "k": 1},
]


def _build(spec):
    return sl.build_code({"type": "reed-solomon", **spec})


# ---- construction -------------------------------------------------------------------------


def test_generator_has_its_roots_and_ccsds_is_palindromic():
    gf = GF2m(8)
    g = rs_generator(gf, 32)
    assert all(gf.poly_eval(g, gf.power(j)) == 0 for j in range(1, 33))
    assert gf.poly_eval(g, gf.power(33)) != 0
    ccsds = GF2m(8, CCSDS_RS_POLYNOMIAL)
    g = rs_generator(ccsds, 32, 112, 11)
    assert all(ccsds.poly_eval(g, ccsds.power(11 * j)) == 0 for j in range(112, 144))
    assert g == g[::-1]  # roots symmetric about alpha^(11 * 127.5): g is its own reciprocal


def test_ccsds_dual_basis_is_the_standards_matrix():
    to_dual, to_conv = ccsds_dual_basis()
    assert f"{to_dual[1]:08b}" == "01111011"  # alpha^0, CCSDS 131.0-B Annex F
    assert f"{to_dual[0x80]:08b}" == "10001101"  # alpha^7: the first row of T_alpha_l
    assert sorted(to_dual.tolist()) == list(range(256))
    a, b = np.meshgrid(np.arange(256), np.arange(256))
    assert ((to_dual[a ^ b]) == (to_dual[a] ^ to_dual[b])).all()  # a GF(2)-linear map
    assert (to_conv[to_dual] == np.arange(256)).all()


def test_dual_basis_codeword_is_the_conventional_one_mapped_symbol_by_symbol():
    dual, conv = _build({"standard": "ccsds"}), _build({"standard": "ccsds", "dual_basis": False})
    to_dual, to_conv = ccsds_dual_basis()
    u = np.random.default_rng(1).integers(0, 2, (4, dual.k), dtype=np.uint8)
    weights = 1 << np.arange(7, -1, -1)
    u_conv = ((to_conv[u.reshape(4, -1, 8) @ weights][:, :, None] >> np.arange(7, -1, -1)) & 1).reshape(4, -1)
    c_conv = conv.encode(u_conv.astype(np.uint8))
    mapped = ((to_dual[c_conv.reshape(4, -1, 8) @ weights][:, :, None] >> np.arange(7, -1, -1)) & 1).reshape(4, -1)
    assert (dual.encode(u) == mapped).all()


# ---- encoding and decoding ----------------------------------------------------------------


def _bits(values, width):
    return ((np.asarray(values)[..., None] >> np.arange(width - 1, -1, -1)) & 1).astype(np.uint8)


def _corrupt(llr, rng, m, n, e, f):
    """In every frame, e symbol errors (a random nonempty set of bits flipped) and f erasures
    (a random nonempty set of bits with LLR 0, the others of random sign) at distinct symbols."""
    frames = llr.shape[0]
    where = rng.random((frames, n)).argsort(axis=1)[:, : e + f]
    view = llr.reshape(frames, n, m)
    rows = np.arange(frames)[:, None]
    if e:
        flips = _bits(rng.integers(1, 1 << m, (frames, e)), m).astype(bool)
        view[rows, where[:, :e]] *= np.where(flips, -1.0, 1.0)
    if f:
        block = view[rows, where[:, e:]] * rng.choice([-1.0, 1.0], (frames, f, m))
        block[_bits(rng.integers(1, 1 << m, (frames, f)), m).astype(bool)] = 0.0
        view[rows, where[:, e:]] = block


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: "-".join(f"{k}{v}" for k, v in s.items()))
def test_every_pattern_within_2e_plus_f_is_corrected(spec):
    code = _build(spec)
    rng = np.random.default_rng(code.n_symbols)
    frames, m, n, R = 60, code.m, code.n_symbols, code.nroots
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    c = code.encode(u)
    assert (c[:, : code.k] == u).all() and not code.syndromes(c[:3]).any()
    cases = {(e, f) for f in range(R + 1) for e in ((R - f) // 2, (R - f) // 4)}
    for e, f in sorted(cases):
        llr = _llr(c)
        _corrupt(llr, rng, m, n, e, f)
        report = code.decode_report(llr)
        assert (report.bits == u).all() and not report.failures.any(), (e, f)
        assert (code.corrected_symbols(llr) == e + f).all()  # located: every error and erasure


def test_more_erasures_than_parity_symbols_always_fail():
    code = _build({"n": 15, "k": 9})
    llr = _llr(code.encode(np.zeros((20, code.k), dtype=np.uint8)))
    rng = np.random.default_rng(0)
    for row in range(20):
        llr[row, 4 * rng.choice(15, 7, replace=False)] = 0.0
    assert code.decode_report(llr).failures.all()




def test_exhaustively_a_bounded_distance_decoder():
    """All 2^18 received words of RS(6, 2) over GF(8) (shortened from (7, 3), t = 2): the
    codeword within 2 symbols when there is one, a failure otherwise."""
    code = _build({"n": 6, "k": 2, "m": 3})
    messages = _bits(np.arange(64), 6)
    codewords = code.encode(messages)
    as_int = codewords @ (1 << np.arange(17, -1, -1))
    expected = np.full(1 << 18, -1)
    patterns = [0]
    for w in (1, 2):
        for where in itertools.combinations(range(6), w):
            for values in itertools.product(range(1, 8), repeat=w):
                patterns.append(sum(v << (3 * (5 - p)) for p, v in zip(where, values)))
    patterns = np.array(patterns)
    assert len(patterns) == 1 + 6 * 7 + 15 * 49
    for index, word in enumerate(as_int):
        assert (expected[word ^ patterns] == -1).all()  # the spheres are disjoint
        expected[word ^ patterns] = index
    words = _bits(np.arange(1 << 18), 18)
    report = code.decode_report(_llr(words))
    inside = expected >= 0
    assert (report.failures == ~inside).all()
    assert (report.bits[inside] == messages[expected[inside]]).all()
    assert (report.bits[~inside] == words[~inside, :6]).all()


# ---- error rates --------------------------------------------------------------------------


@pytest.mark.statistical
def test_monte_carlo_on_the_bsc_matches_the_bounded_distance_formula(effort):
    code = _build({"n": 255, "k": 223})
    p = 0.0065  # symbol error rate 0.051: about 13 symbol errors per frame, t = 16
    result = simulate_point(code, BSC(p), StopRule(10**9, 20_000 * effort), _seed(1))
    F, n, t, m = result.frames, 255, 16, 8
    ps = 1 - (1 - p) ** m
    p_fail = float(binom.sf(t, n, ps))  # miscorrections: below 1/16! of that
    assert abs(result.failures - F * p_fail) <= binomial_tolerance(F, p_fail)
    ber = code.reference_ber(BSC(p))
    assert ber == pytest.approx(symbol_bounded_distance_ber(n, t, m, p))
    w = np.arange(t + 1, n * m + 1)  # a failed frame keeps its W > t wrong bits
    second = float((binom.pmf(w, n * m, p) * w**2.0).sum())
    assert abs(result.bit_errors - F * code.k * ber) <= 4 * math.sqrt(F * second) + 1


@pytest.mark.statistical
def test_monte_carlo_on_the_bec_matches_the_exact_erasure_formula(effort):
    code = _build({"n": 15, "k": 9})
    eps = 0.08
    result = simulate_point(code, BEC(eps), StopRule(10**9, 40_000 * effort), _seed(2))
    F = result.frames
    es = 1 - (1 - eps) ** 4
    p_fail = float(binom.sf(6, 15, es))
    assert abs(result.failures - F * p_fail) <= binomial_tolerance(F, p_fail)
    ber = code.reference_ber(BEC(eps))
    assert ber == pytest.approx(symbol_erasure_ber(15, 9, 4, eps))
    # a failed frame's wrong bits are among its X erased message bits, X ~ Bin(k, eps):
    # E[errors^2 1{fail}] <= E[X^2 1{fail}] <= sqrt(E[X^4] p_fail) (Cauchy-Schwarz)
    x = np.arange(code.k + 1)
    fourth = float((binom.pmf(x, code.k, eps) * x**4.0).sum())
    assert abs(result.bit_errors - F * code.k * ber) <= 4 * math.sqrt(F * math.sqrt(fourth * p_fail)) + 1


def test_reference_on_awgn_is_the_sliced_bsc():
    code = _build({"standard": "ccsds"})
    channel = AWGN(ebn0_db=4.0, rate=code.rate)
    assert code.reference_ber(channel) == pytest.approx(code.reference_ber(BSC(channel.hard_crossover())))
    assert _build({"n": 15, "k": 9, "erasures": False}).reference_ber(BEC(0.1)) is None


# ---- YAML --------------------------------------------------------------------------------


@pytest.mark.parametrize("spec,message", [
    ({"n": 255, "k": 255}, "code: k must be less than n = 255"),
    ({"n": 204, "k": 188}, "code: n must be 2^m - 1 (3, 7, 15, ..., 65535) when m is not given, got 204"),
    ({"n": 300, "k": 188, "m": 8}, "code: n = 300 is longer than 2^m - 1 = 255 symbols for m = 8"),
    ({"standard": "ccsds", "m": 8}, "code: standard 'ccsds' fixes the field and the roots; remove m"),
    ({"standard": "ccsds", "k": 200}, "code: k: CCSDS codes have n - k = 32 (E = 16) or 16 (E = 8)"),
    ({"n": 15, "k": 5, "dual_basis": True}, "code: dual_basis: the dual basis is defined for standard: ccsds only"),
    ({"n": 15, "k": 5, "root_step": 3}, "code: root_step 3 must be coprime with 2^m - 1 = 15"),
    ({"n": 15}, "code: n and k are required"),
    ({"n": 15, "k": 5, "m": 17}, "code.m: "),
])
def test_bad_parameters_are_one_line_errors(spec, message):
    with pytest.raises(ConfigError) as info:
        _build(spec)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_sizes_in_bits_and_symbols():
    code = _build({"n": 204, "k": 188, "m": 8})
    assert (code.n, code.k, code.n_symbols, code.k_symbols, code.t) == (1632, 1504, 204, 188, 8)
    assert code.name == "RS(204,188) GF(2^8) shortened from (255,239)"
    assert isinstance(code, ReedSolomonCode)
