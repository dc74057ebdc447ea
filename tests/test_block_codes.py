"""Hamming, extended Hamming and repetition codes on the linear block code base: exact
structure (H G^T = 0, d_min, weight distributions), decoders against brute force, exact
BSC error rates against independent enumeration, Monte Carlo against the exact values,
soft ML against the union bound, and one-line errors."""

import functools
import itertools
import math

import numpy as np
import pytest
from conftest import binomial_tolerance

from shannonlab.channels import AWGN, BEC, BSC, q_function
from shannonlab.codes.block import HammingCode, LinearBlockCode, RepetitionCode, hamming_ber, hamming_wer, repetition_ber
from shannonlab.codes.block.hamming import hamming_ber_closed_form, hamming_weight_distribution
from shannonlab.errors import ConfigError
from shannonlab.sim.config import resolve
from shannonlab.sim.engine import StopRule, simulate_point
from shannonlab.sim.registry import build_code
from shannonlab.sim.sweep import run_experiment

HAMMING = [(r, ext) for r in range(2, 8) for ext in (False, True)]


def _messages(k):
    m = np.arange(1 << k)
    return ((m[:, None] >> np.arange(k)) & 1).astype(np.uint8)


def _nearest(words, codewords):
    """Index of a nearest codeword and its Hamming distance, for every word (brute force
    over all codewords; bits packed into integers, n <= 16)."""
    n = words.shape[1]
    weights = 1 << np.arange(n)
    w, c = words.astype(np.int64) @ weights, codewords.astype(np.int64) @ weights
    popcount = _messages(n).sum(axis=1)
    index, distance = [], []
    for start in range(0, len(w), 2048):
        d = popcount[w[start:start + 2048, None] ^ c[None, :]]
        index.append(d.argmin(axis=1))
        distance.append(d.min(axis=1))
    return np.concatenate(index), np.concatenate(distance)


def _perfect_llr(c, magnitude=3.0):
    return magnitude * (1.0 - 2.0 * c.astype(np.float64))


def _seed(n):
    return np.random.SeedSequence(entropy=20261123, spawn_key=(n,))


# ---------------------------------------------------------------------------- structure


@pytest.mark.parametrize("r,extended", HAMMING)
def test_hamming_parameters_and_parity_checks(r, extended):
    code = HammingCode(r, extended)
    assert (code.n, code.k) == ((1 << r) - (0 if extended else 1), (1 << r) - 1 - r)
    g, h = code.generator_matrix.astype(int), code.check_matrix.astype(int)
    assert not ((h @ g.T) % 2).any()
    assert np.linalg.matrix_rank(g) == code.k  # systematic: G = [I | P]
    assert (g[:, : code.k] == np.eye(code.k)).all()
    if not extended:  # every nonzero r-bit vector is a column of H exactly once
        columns = sorted(int("".join(map(str, col[::-1])), 2) for col in h.T)
        assert columns == list(range(1, 1 << r))
    rng = np.random.default_rng(r)
    u = rng.integers(0, 2, (50, code.k), dtype=np.uint8)
    c = code.encode(u)
    assert (c[:, : code.k] == u).all()
    assert not code.syndromes(c).any()
    assert (c == (u.astype(int) @ g) % 2).all()


@pytest.mark.parametrize("r,extended", [(2, False), (3, False), (4, False), (2, True), (3, True), (4, True)])
def test_minimum_distance_and_weight_distribution_by_enumeration(r, extended):
    code = HammingCode(r, extended)
    enumerated = LinearBlockCode(code.parity)  # no d_min given: found by enumeration
    assert enumerated.minimum_distance() == (4 if extended else 3) == code.minimum_distance()
    assert enumerated.weight_distribution().tolist() == hamming_weight_distribution(r, extended)
    assert enumerated.weight_distribution().sum() == 2**code.k


def test_known_weight_distributions():
    assert hamming_weight_distribution(3) == [1, 0, 0, 7, 7, 0, 0, 1]
    assert hamming_weight_distribution(4)[:6] == [1, 0, 0, 35, 105, 168]
    assert hamming_weight_distribution(3, extended=True) == [1, 0, 0, 0, 14, 0, 0, 0, 1]
    assert hamming_weight_distribution(4, extended=True) == [1, 0, 0, 0, 140, 0, 448, 0, 870, 0, 448, 0, 140, 0, 0, 0, 1]
    for r in range(2, 11):  # sums to 2^k, and the odd weights vanish when extended
        a, e = hamming_weight_distribution(r), hamming_weight_distribution(r, True)
        assert sum(a) == sum(e) == 2 ** ((1 << r) - 1 - r)
        assert not any(e[1::2])


# ---------------------------------------------------------------------------- decoders


@pytest.mark.parametrize("r,extended", HAMMING)
def test_every_single_error_is_corrected(r, extended):
    code = HammingCode(r, extended)
    rng = np.random.default_rng(10 + r)
    u = rng.integers(0, 2, (code.n, code.k), dtype=np.uint8)
    c = code.encode(u)
    assert (code.decode(_perfect_llr(c)) == u).all()
    c[np.arange(code.n), np.arange(code.n)] ^= 1  # frame j has an error at position j
    report = code.decode_report(_perfect_llr(c))
    assert (report.bits == u).all()
    assert not report.failures.any()


@pytest.mark.parametrize("r", [2, 3, 4, 5])
def test_extended_hamming_detects_every_double_error(r):
    code = HammingCode(r, extended=True)
    pairs = np.array(list(itertools.combinations(range(code.n), 2)))
    rng = np.random.default_rng(r)
    u = rng.integers(0, 2, (len(pairs), code.k), dtype=np.uint8)
    y = code.encode(u)
    y[np.arange(len(pairs)), pairs[:, 0]] ^= 1
    y[np.arange(len(pairs)), pairs[:, 1]] ^= 1
    report = code.decode_report(_perfect_llr(y))
    assert report.failures.all()
    assert (report.bits == y[:, : code.k]).all()  # a detected error is left as received
    plain = HammingCode(r)  # the unextended code miscorrects every double error
    y = plain.encode(u[:, : plain.k])
    pairs = pairs[pairs[:, 1] < plain.n]
    y = y[: len(pairs)]
    y[np.arange(len(pairs)), pairs[:, 0]] ^= 1
    y[np.arange(len(pairs)), pairs[:, 1]] ^= 1
    decoded = plain.encode(plain.decode(_perfect_llr(y)))
    assert ((decoded ^ y).sum(axis=1) == 1).all()  # it moved to a codeword at distance 1


@pytest.mark.parametrize("r,extended", [(3, False), (3, True), (4, False)])
def test_syndrome_decoder_is_bounded_distance_on_every_received_word(r, extended):
    """All 2^n received words against brute force: the nearest codeword when it is within
    distance 1, otherwise a failure with the received information bits."""
    code = HammingCode(r, extended)
    codewords = code.encode(_messages(code.k)).astype(np.int8)
    words = _messages(code.n)
    report = code.decode_report(_perfect_llr(words))
    nearest, distance = _nearest(words, codewords)
    close = distance <= 1
    assert (report.bits[close] == codewords[nearest[close], : code.k]).all()
    assert (report.failures == ~close).all()
    assert (report.bits[~close] == words[~close, : code.k]).all()
    assert close.all() != extended  # perfect code: every word is within distance 1


@pytest.mark.parametrize("r,extended", [(2, False), (3, False), (3, True), (4, False), (4, True)])
def test_ml_decoder_is_the_maximum_correlation_codeword(r, extended):
    code = HammingCode(r, extended, decoder="ml")
    u_all = _messages(code.k)
    bpsk = 1.0 - 2.0 * code.encode(u_all)
    rng = np.random.default_rng(r)
    llr = rng.normal(1.0, 2.0, (300, code.n))
    expected = u_all[np.argmax(llr @ bpsk.T, axis=1)]
    assert (code.decode(llr) == expected).all()
    u = rng.integers(0, 2, (20, code.k), dtype=np.uint8)
    assert (code.decode(_perfect_llr(code.encode(u), 0.5)) == u).all()


def test_generic_code_encodes_with_long_parity_part():
    rng = np.random.default_rng(5)
    parity = rng.integers(0, 2, (6, 70))  # n - k > 63: the unpacked encoder
    code = LinearBlockCode(parity)
    u = rng.integers(0, 2, (40, 6), dtype=np.uint8)
    c = code.encode(u)
    assert (c == (u.astype(int) @ code.generator_matrix) % 2).all()
    assert not code.syndromes(c).any()
    assert code.minimum_distance() == code.codeword_weights()[1:].min()


def test_ml_on_the_bsc_equals_syndrome_decoding_for_the_perfect_code():
    ml, syndrome = HammingCode(3, decoder="ml"), HammingCode(3)
    words = _messages(7)
    llr = math.log(9) * (1.0 - 2.0 * words)
    assert (ml.decode(llr) == syndrome.decode(llr)).all()


@pytest.mark.parametrize("n", [1, 3, 5, 9, 101])
def test_repetition_majority_and_llr_sum(n):
    hard, soft = RepetitionCode(n), RepetitionCode(n, "ml")
    assert (hard.n, hard.k, hard.minimum_distance()) == (n, 1, n)
    u = np.array([[0], [1]], np.uint8)
    c = hard.encode(u)
    assert (c == u).all(axis=1).all() and c.shape == (2, n)
    assert not ((hard.check_matrix.astype(int) @ hard.generator_matrix.T.astype(int)) % 2).any()
    flips = (n - 1) // 2  # the most a majority vote corrects
    y = c.copy()
    y[:, :flips] ^= 1
    assert (hard.decode(_perfect_llr(y)) == u).all()
    y[:, flips] ^= 1
    assert (hard.decode(_perfect_llr(y)) != u).all()
    # one strong LLR outweighs many weak ones only for the soft decoder
    llr = np.full((1, n), -0.1)
    llr[0, 0] = 0.1 * n
    assert soft.decode(llr)[0, 0] == 0 and hard.decode(llr)[0, 0] == (1 if n > 1 else 0)


# ---------------------------------------------------------------------------- exact BSC rates


@functools.lru_cache(maxsize=None)
def _brute_force_residuals(r, extended):
    """Weight of every error pattern on the zero codeword and the information-bit errors
    left by bounded-distance-1 decoding, using only brute-force distances to all
    codewords (no decoder tables)."""
    code = HammingCode(r, extended)
    codewords = code.encode(_messages(code.k)).astype(np.int8)
    errors = _messages(code.n).astype(np.int8)
    nearest, distance = _nearest(errors, codewords)
    decided = np.where(distance <= 1, nearest, -1)
    residual = np.where(decided[:, None] >= 0, codewords[np.maximum(decided, 0)], errors)[:, : code.k]
    return errors.sum(axis=1), residual.sum(axis=1)


def _brute_force_rates(code, p):
    w, bit_errors = _brute_force_residuals(code.r, code.extended)
    prob = p**w * (1 - p) ** (code.n - w)
    return (prob * bit_errors).sum() / code.k, prob[bit_errors > 0].sum()


@pytest.mark.parametrize("r,extended", [(2, False), (3, False), (4, False), (2, True), (3, True)])
@pytest.mark.parametrize("p", [0.5, 0.1, 0.01, 1e-4])
def test_exact_ber_and_wer_against_enumeration(r, extended, p):
    code = HammingCode(r, extended)
    ber, wer = _brute_force_rates(code, p)
    assert code.exact_bsc_rates(p) == pytest.approx((ber, wer), rel=1e-10)
    assert hamming_ber(r, p, extended) == pytest.approx(ber, rel=1e-10)
    if not extended:
        assert hamming_wer(r, p) == pytest.approx(wer, rel=1e-9)


def test_closed_forms_agree_for_long_codes():
    for r in range(2, 11):
        for extended in (False, True):
            for p in (0.3, 0.1, 0.01, 1e-3):
                assert hamming_ber_closed_form(r, p, extended) == pytest.approx(hamming_ber(r, p, extended), rel=1e-8)
    assert hamming_ber(3, 0.1) == pytest.approx(0.06688, abs=1e-12)  # MacKay sec. 1.2: about 7 %
    assert repetition_ber(3, 0.1) == pytest.approx(0.028) and repetition_ber(1, 0.1) == 0.1


def test_reference_ber_on_each_channel():
    h = HammingCode(3)
    assert h.reference_name == "exact"
    assert h.reference_ber(BSC(0.1)) == pytest.approx(0.06688)
    awgn = AWGN(ebn0_db=4.0, rate=h.rate)
    assert h.reference_ber(awgn) == pytest.approx(hamming_ber(3, float(q_function(math.sqrt(2 * awgn.esn0)))))
    assert h.reference_ber(BEC(0.1)) is None
    assert HammingCode(3, decoder="ml").reference_ber(awgn) is None
    assert HammingCode(3, decoder="ml").reference_ber(BSC(0.1)) == pytest.approx(0.06688)
    assert HammingCode(3, True, decoder="ml").reference_ber(BSC(0.1)) is None
    generic = LinearBlockCode(HammingCode(3, True).parity)  # the base enumerates error patterns
    assert generic.reference_ber(BSC(0.1)) == pytest.approx(hamming_ber(3, 0.1, True), rel=1e-12)
    assert LinearBlockCode(h.parity, decoder="ml").reference_ber(BSC(0.1)) is None
    soft = RepetitionCode(5, "ml")
    assert soft.reference_ber(AWGN(ebn0_db=3.0, rate=0.2)) == pytest.approx(float(q_function(math.sqrt(2 * 10**0.3))))
    assert soft.reference_ber(BEC(0.5)) == pytest.approx(0.5**6)


# ---------------------------------------------------------------------------- Monte Carlo


def _per_frame_moments(code, p):
    """Mean and variance of the information-bit errors of one frame, from the brute-force
    residual of every error pattern (the residual depends on the pattern only)."""
    w, e = _brute_force_residuals(code.r, code.extended)
    prob = p**w * (1 - p) ** (code.n - w)
    mean = (prob * e).sum()
    return mean, (prob * e * e).sum() - mean**2


@pytest.mark.statistical
@pytest.mark.parametrize("r,extended,p", [(3, False, 0.1), (3, False, 0.01), (3, True, 0.05), (4, False, 0.02)])
def test_monte_carlo_on_the_bsc_matches_exact_ber_wer_and_failures(r, extended, p, effort):
    code = HammingCode(r, extended)
    result = simulate_point(code, BSC(p), StopRule(10**9, 100_000 * effort), _seed(r + 10 * extended))
    frames = result.frames
    ber, wer = code.exact_bsc_rates(p)
    mean, var = _per_frame_moments(code, p)
    assert mean == pytest.approx(ber * code.k)
    assert abs(result.bit_errors - frames * mean) <= 4 * math.sqrt(frames * var) + 1
    assert abs(result.frame_errors - frames * wer) <= binomial_tolerance(frames, wer)
    if extended:  # a failure is an error pattern outside the radius-1 spheres
        words = _messages(code.n)
        outside = code.decode_report(_perfect_llr(words)).failures.astype(bool)
        w = words.sum(axis=1)
        p_fail = (p**w * (1 - p) ** (code.n - w))[outside].sum()
        assert abs(result.failures - frames * p_fail) <= binomial_tolerance(frames, p_fail)
    else:
        assert result.failures == 0


@pytest.mark.statistical
@pytest.mark.parametrize("code", [HammingCode(5), HammingCode(7), RepetitionCode(5)], ids=lambda c: c.name)
def test_monte_carlo_hard_decoding_on_awgn_matches_the_sliced_bsc(code, effort):
    channel = AWGN(ebn0_db=5.0, rate=code.rate)
    result = simulate_point(code, channel, StopRule(10**9, 40_000 * effort), _seed(code.n))
    ber = code.reference_ber(channel)
    p = float(q_function(math.sqrt(2 * channel.esn0)))
    assert p == pytest.approx(channel.hard_decision_bsc().p)
    if isinstance(code, RepetitionCode):
        assert ber == pytest.approx(repetition_ber(code.n, p))
        assert abs(result.bit_errors - result.bits * ber) <= binomial_tolerance(result.bits, ber)
        return
    assert ber == pytest.approx(hamming_ber(code.r, p))
    wer = hamming_wer(code.r, p)
    assert abs(result.frame_errors - result.frames * wer) <= binomial_tolerance(result.frames, wer)
    # a frame with w >= 2 channel errors leaves at most w + 1 wrong bits: that bounds the
    # second moment of the per-frame bit errors, hence the spread of their sum
    w = np.arange(2, code.n + 1)
    second = float((np.array([math.comb(code.n, int(i)) for i in w], float) * p**w * (1 - p) ** (code.n - w) * (w + 1.0) ** 2).sum())
    mean = code.k * ber
    assert abs(result.bit_errors - result.frames * mean) <= 4 * math.sqrt(result.frames * second) + 1


def _union_bounds(code, esn0):
    """Word and bit union bounds of soft ML on BPSK/AWGN from the enumerated codebook:
    P_w <= sum_c Q(sqrt(2 wt(c) Es/N0)), P_b <= sum_c wt(u)/k Q(sqrt(2 wt(c) Es/N0))."""
    u = _messages(code.k)
    weights = code.encode(u).sum(axis=1)[1:]
    q = q_function(np.sqrt(2.0 * weights * esn0))
    return float(q.sum()), float((q * u[1:].sum(axis=1) / code.k).sum())


@pytest.mark.statistical
@pytest.mark.parametrize("r,extended", [(3, False), (3, True)])
def test_soft_ml_beats_syndrome_and_follows_the_union_bound(r, extended, effort):
    ml, hard = HammingCode(r, extended, "ml"), HammingCode(r, extended)
    ratios = []
    for i, ebn0_db in enumerate((3.0, 5.0, 6.5)):
        channel = AWGN(ebn0_db=ebn0_db, rate=ml.rate)
        frames = (100_000 if ebn0_db < 6 else 400_000) * effort
        soft = simulate_point(ml, channel, StopRule(10**9, frames), _seed(100 + i))
        sliced = simulate_point(hard, channel, StopRule(10**9, frames), _seed(100 + i))
        word_bound, bit_bound = _union_bounds(ml, channel.esn0)
        nearest = float(q_function(math.sqrt(2 * ml.minimum_distance() * channel.esn0)))
        # ML is strictly better than hard decoding at every Eb/N0 (same noise, same frames)
        assert soft.frame_errors < sliced.frame_errors and soft.bit_errors < sliced.bit_errors
        # lower bound: one nearest neighbour; upper bound: the union bound
        assert soft.frame_errors >= frames * nearest - binomial_tolerance(frames, nearest)
        assert soft.frame_errors <= frames * word_bound + binomial_tolerance(frames, word_bound)
        assert soft.ber <= bit_bound * (1 + 4 / math.sqrt(soft.frame_errors))
        ratios.append(soft.fer / word_bound)
    # the union bound's shape: it becomes tight as Eb/N0 grows
    assert ratios[0] < ratios[-1] and ratios[-1] > 0.8


@pytest.mark.statistical
@pytest.mark.parametrize("n,decoder,channel", [
    (3, "syndrome", BSC(0.1)), (9, "syndrome", BSC(0.1)), (5, "ml", BSC(0.2)),
    (5, "ml", AWGN(ebn0_db=2.0, rate=0.2)), (5, "syndrome", AWGN(ebn0_db=2.0, rate=0.2)),
    (3, "syndrome", BEC(0.4)), (3, "ml", BEC(0.4)),
])
def test_repetition_monte_carlo_matches_exact(n, decoder, channel, effort):
    code = RepetitionCode(n, decoder)
    result = simulate_point(code, channel, StopRule(10**9, 200_000 * effort), _seed(n))
    ber = code.reference_ber(channel)
    assert abs(result.bit_errors - result.bits * ber) <= binomial_tolerance(result.bits, ber)


# ---------------------------------------------------------------------------- YAML and errors


@pytest.mark.parametrize("spec,message", [
    ({"type": "hamming", "r": 1}, "codes[0].r: must be at least 2, got 1"),
    ({"type": "hamming", "r": 21}, "codes[0].r: must be at most 20, got 21"),
    ({"type": "repetition", "n": 4}, "codes[0].n: must be odd (a majority vote needs no ties), got 4"),
    ({"type": "repetition", "n": 0}, "codes[0].n: must be at least 1, got 0"),
    ({"type": "hamming", "decoder": {"algorithm": "bp"}}, "codes[0].decoder.algorithm: must be one of 'syndrome' or 'ml', got 'bp'"),
    ({"type": "hamming", "r": 5, "decoder": {"algorithm": "ml"}},
     "codes[0]: decoder.algorithm 'ml' enumerates all 2^k codewords and needs k <= 16, but r = 5 gives k = 26"),
    ({"type": "hamming", "extend": True}, "codes[0].extend: unknown key (did you mean extended?)"),
])
def test_bad_parameters_give_one_line_errors(spec, message):
    with pytest.raises(ConfigError) as info:
        build_code(spec, "codes[0]")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(message), str(info.value)


def test_yaml_names_and_defaults():
    assert build_code({"type": "hamming"}).name == "Hamming(7,4) syndrome"
    assert build_code({"type": "hamming", "r": 4, "extended": True}).name == "extended Hamming(16,11) syndrome"
    assert build_code({"type": "hamming", "r": 2, "decoder": {"algorithm": "ml"}}).name == "Hamming(3,1) ML"
    assert build_code({"type": "repetition"}).name == "repetition R3"
    assert build_code({"type": "repetition", "n": 1}).name == "repetition R1"
    assert build_code({"type": "repetition", "n": 7, "decoder": {"algorithm": "ml"}}).name == "repetition R7 ML"


def test_engine_counts_detected_double_errors_as_failures(tmp_path):
    config = {
        "name": "secded", "seed": 3, "channel": {"type": "bsc"},
        "sweep": {"parameter": "p", "values": [0.05]},
        "codes": [{"type": "hamming", "r": 3, "extended": True}, {"type": "hamming", "r": 3}],
        "stop": {"min_frame_errors": 200, "max_frames": 200_000},
    }
    store = run_experiment(resolve(config), out=tmp_path, quiet=True, workers=1)
    rows = {row["code"]: row for row in store.rows}
    ext, plain = rows["extended Hamming(8,4) syndrome"], rows["Hamming(7,4) syndrome"]
    assert ext["failures"] > 0 and plain["failures"] == 0
    assert ext["ber_theory"] == pytest.approx(hamming_ber(3, 0.05, True))
    assert plain["ber_theory"] == pytest.approx(hamming_ber(3, 0.05)) and plain["ber_theory_name"] == "exact"
