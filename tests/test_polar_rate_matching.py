"""5G NR polar rate matching (TS 38.212): the sub-block interleaver against the standard's
table, the mother length and the mode (puncturing, shortening, repetition) as Sections 5.3.1
and 5.4.1.2 choose them, the frozen set of Section 5.3.1.2, shortened bits that are 0,
noiseless decoding for many (K, E), repeated LLRs summed, SC error rates against the
Gaussian approximation of the rate-matched code, and the one-line errors."""

import math

import numpy as np
import pytest
from scipy.stats import norm

from conftest import binomial_tolerance
from shannonlab.channels import AWGN
from shannonlab.codes.polar import RELIABILITY_5G, build_polar, polar_transform
from shannonlab.codes.polar.construction import reliability_observed
from shannonlab.codes.polar.rate_matching import SHORTENED_LLR, SUBBLOCK_PATTERN, RateMatch, mother_length, subblock_interleaver
from shannonlab.errors import ConfigError
from shannonlab.sim.registry import build_code

#: TS 38.212 Table 5.4.1.1-1, "Sub-block interleaver pattern P(i)", i = 0..31, as printed.
TABLE_5_4_1_1_1 = [0, 1, 2, 4, 3, 5, 6, 7, 8, 16, 9, 17, 10, 18, 11, 19,
                   12, 20, 13, 21, 14, 22, 15, 23, 24, 25, 26, 28, 27, 29, 30, 31]


def test_subblock_interleaver_follows_the_table():
    assert SUBBLOCK_PATTERN.tolist() == TABLE_5_4_1_1_1
    assert subblock_interleaver(32).tolist() == TABLE_5_4_1_1_1
    # N = 64: sub-blocks of 2 bits, read in the table's order
    assert subblock_interleaver(64)[:20].tolist() == [0, 1, 2, 3, 4, 5, 8, 9, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 32, 33]
    for n in (128, 256, 512, 1024):
        j = subblock_interleaver(n)
        assert sorted(j.tolist()) == list(range(n))
        block = n // 32
        for i, p in enumerate(TABLE_5_4_1_1_1):  # sub-block i of y is sub-block P(i) of d, in order
            assert j[i * block : (i + 1) * block].tolist() == list(range(p * block, (p + 1) * block))


@pytest.mark.parametrize("k, e, n_max, n, mode", [
    (100, 300, 10, 512, "puncturing"),    # n1 = 9 (300 > 9/8 * 256), n2 = 10
    (100, 150, 10, 256, "shortening"),    # K/E = 2/3 > 7/16
    (100, 1100, 10, 1024, "repetition"),  # n1 = 10 (1100 <= 9/8 * 1024, K/E < 9/16)
    (40, 144, 10, 128, "repetition"),     # E = 9/8 * 128 exactly and K/E < 9/16: n1 = 7
    (40, 145, 10, 256, "puncturing"),     # just above: n1 = 8
    (81, 144, 10, 256, "shortening"),     # K/E = 9/16 exactly: n1 = 8
    (42, 96, 10, 128, "puncturing"),      # K/E = 7/16 exactly punctures
    (43, 96, 10, 128, "shortening"),      # just above shortens
    (20, 1000, 10, 256, "repetition"),    # n2 = ceil(log2(8 K)) = 8 caps
    (200, 2000, 9, 512, "repetition"),    # n_max = 9 (downlink) caps
    (200, 2000, 10, 1024, "repetition"),
    (5, 10, 10, 32, "shortening"),        # n_min = 5
])
def test_mother_length_and_mode(k, e, n_max, n, mode):
    assert mother_length(k, e, n_max) == n
    rm = RateMatch(k, e, n_max)
    assert (rm.n, rm.mode) == (n, mode)
    sent = np.bincount(rm.sent, minlength=n)
    if mode == "repetition":
        assert rm.sent[: n].tolist() == subblock_interleaver(n).tolist() and rm.sent.size == e
        assert sent.min() == e // n and sent.max() == math.ceil(e / n)
    else:
        assert sent.max() == 1 and sent.sum() == e
        skipped = slice(0, n - e) if mode == "puncturing" else slice(e, n)
        assert sorted(rm.unsent.tolist()) == sorted(subblock_interleaver(n)[skipped].tolist())


@pytest.mark.parametrize("k, e", [(100, 300), (40, 145), (42, 96), (100, 150), (43, 96), (100, 1100), (300, 400)])
def test_5g_frozen_set_of_section_5_3_1_2(k, e):
    rm = RateMatch(k, e)
    n = rm.n
    info = np.flatnonzero(~rm.frozen_5g())
    assert info.size == k
    excluded = set(rm.unsent.tolist())
    if rm.mode == "puncturing":
        low = math.ceil(3 * n / 4 - e / 2) if e >= 3 * n / 4 else math.ceil(9 * n / 16 - e / 4)
        excluded |= set(range(low))
    assert not excluded & set(info.tolist())
    # the K most reliable of what is allowed: every allowed frozen index ranks below every information index
    rank = np.empty(1024, dtype=np.int64)
    rank[RELIABILITY_5G] = np.arange(1024)
    allowed_frozen = [i for i in range(n) if i not in excluded and i not in set(info.tolist())]
    assert max((rank[i] for i in allowed_frozen), default=-1) < rank[info].min()


@pytest.mark.parametrize("method", ["5g", "ga", "bhattacharyya"])
def test_shortened_bits_are_zero_and_noiseless_decoding_is_exact(method):
    rng = np.random.default_rng(1)
    cases = [(12, 40), (20, 100), (21, 32), (64, 90), (100, 150), (100, 300), (100, 1100), (200, 215), (500, 700),
             (100, 4000), (250, 600)]
    decoders = [{"algorithm": "fast-ssc"}, {"algorithm": "fast-sscl", "list_size": 4},
                {"algorithm": "adaptive-scl", "max_list_size": 4}]
    for k, e in cases:
        for decoder in decoders:
            code = build_polar(k=k, e=e, construction={"method": method}, crc="CRC11", decoder=decoder)
            u = rng.integers(0, 2, size=(9, k), dtype=np.uint8)
            x = code.encode(u)
            assert x.shape == (9, e) and code.rate == k / e
            rm = code.rate_match
            if rm.mode == "shortening":
                mother = polar_transform(_placed(code, u))  # the mother codewords
                assert not mother[:, rm.unsent].any()
            report = code.decode_report(1.5 * (1.0 - 2.0 * x))
            assert np.array_equal(report.bits, u), (k, e, decoder)
            assert not report.failures.any()


def _placed(code, u):
    """u on the mother code's information indices (CRC attached), zeros elsewhere."""
    full = np.zeros((u.shape[0], code.mother_n), dtype=np.uint8)
    full[:, code.info] = code.crc.attach(u)
    return full


def test_receiver_sums_repeats_and_fills_punctured_and_shortened_positions():
    for k, e in ((100, 1100), (100, 300), (100, 150)):
        rm = RateMatch(k, e)
        llr = np.arange(1, e + 1, dtype=np.float64)[None, :]
        mother = rm.recover(llr)[0]
        expected = np.zeros(rm.n)
        np.add.at(expected, rm.sent, llr[0])
        if rm.mode == "shortening":
            expected[rm.unsent] = SHORTENED_LLR
        assert np.array_equal(mother, expected.astype(np.float32))
        if rm.mode == "puncturing":
            assert not mother[rm.unsent].any()


@pytest.mark.statistical
@pytest.mark.parametrize("k, e, ebn0_db", [(100, 300, 2.0), (200, 300, 3.0), (64, 900, 1.5)])
def test_rate_matched_sc_fer_matches_gaussian_approximation(k, e, ebn0_db, effort):
    """SC FER of a punctured, a shortened and a repeated code against 1 - prod(1 - Q(sqrt(m_i/2)))
    over the information indices, m_i the GA means of the rate-matched channels (0 for a
    punctured position, known for a shortened one, counted once per copy): 15 % model
    allowance, as for the unpunctured code in test_polar.py."""
    code = build_polar(k=k, e=e, construction={"method": "ga", "design_ebn0_db": ebn0_db})
    esn0_db = ebn0_db + 10 * np.log10(k / e)
    m = reliability_observed("ga", code.rate_match.repetitions(), esn0_db)
    estimate = 1.0 - np.prod(1.0 - norm.sf(np.sqrt(m[~code.frozen] / 2.0)))
    assert 0.02 < estimate < 0.5
    frames = 4000 * effort
    rng = np.random.default_rng(k + e)
    u = rng.integers(0, 2, size=(frames, k), dtype=np.uint8)
    llr = AWGN(ebn0_db=ebn0_db, rate=code.rate).transmit(code.encode(u), rng)
    errors = int((code.decode(llr) != u).any(axis=1).sum())
    assert abs(errors - frames * estimate) <= binomial_tolerance(frames, estimate) + 0.15 * frames * estimate


@pytest.mark.parametrize("spec, message", [
    ({"n": 512, "k": 100, "e": 300}, "code: give n or e, not both: with e the mother length N follows from k and e (TS 38.212)"),
    ({"k": 100, "e": 300, "systematic": True}, "code: systematic: true is not available with rate matching (e)"),
    ({"k": 100, "e": 105, "crc": "CRC11"}, "code: k + 11 CRC bits = 111 exceeds e = 105"),
    ({"k": 1100, "e": 3000}, "code: k = 1100 exceeds the largest mother length 2^n_max = 1024"),
    ({"k": 600, "e": 3000, "n_max": 9}, "code: k = 600 exceeds the largest mother length 2^n_max = 512"),
    ({"n": 64, "k": 32, "n_max": 9}, "code: n_max applies only to rate-matched codes (give e)"),
    ({"k": 10, "e": 70000}, "code.e: must be at most 65536, got 70000"),
    ({"k": 10, "e": 40, "n_max": 11}, "code.n_max: must be one of 9 or 10, got 11"),
    ({"k": 100, "e": 300, "decoder": {"algorithm": "adaptive-scl"}},
     "code: decoder adaptive-scl needs a crc on the code (it retries the frames whose CRC fails)"),
])
def test_one_line_rate_matching_errors(spec, message):
    with pytest.raises(ConfigError) as info:
        build_code({"type": "polar", **spec})
    assert str(info.value) == message
