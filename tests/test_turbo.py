"""Turbo codes: LTE QPP table, interleavers, encoders against references written here from
the standards' text, rate matching, noiseless decoding, early stopping, spec errors, and
the LTE K = 6144 FER against AFF3CT's published curve."""

import math

import numpy as np
import pytest
from scipy.stats import beta

from shannonlab.channels import AWGN
from shannonlab.codes.turbo import (TurboSpec, ccsds_permutation, circular_buffer, lte_rate_matching, lte_streams,
                                    lte_turbo, qpp_parameters, qpp_permutation, s_random_permutation,
                                    subblock_interleave)
from shannonlab.codes.turbo.interleavers import lte_qpp_table
from shannonlab.errors import ConfigError
from shannonlab.registry import build_code

RNG = np.random.default_rng(2024)


# ----------------------------------------------------------------------------- interleavers


def test_qpp_table_has_the_188_sizes_of_the_standard_and_each_is_a_permutation():
    table = lte_qpp_table()
    grid = ([40 + 8 * i for i in range(59)] + [512 + 16 * i for i in range(32)]
            + [1024 + 32 * i for i in range(32)] + [2048 + 64 * i for i in range(65)])
    assert sorted(table) == grid and len(table) == 188
    for K in table:
        assert np.array_equal(np.sort(qpp_permutation(K)), np.arange(K)), K


@pytest.mark.parametrize("K, f1, f2", [(40, 3, 10), (104, 7, 26), (512, 31, 64), (1008, 55, 84), (1504, 49, 846),
                                       (2048, 31, 64), (3200, 111, 240), (5248, 113, 902), (6144, 263, 480)])
def test_qpp_parameters_spot_checked_against_ts_36212_table_5_1_3_3(K, f1, f2):
    assert qpp_parameters(K) == (f1, f2)
    i = np.arange(K)
    assert np.array_equal(qpp_permutation(K), (f1 * i + f2 * i * i) % K)


def test_qpp_rejects_a_k_off_the_table_and_a_pair_that_is_no_permutation():
    with pytest.raises(ValueError, match="not an LTE turbo block size.*nearest 40, 48"):
        qpp_parameters(44)
    with pytest.raises(ValueError, match="not a permutation"):
        qpp_permutation(40, 2, 10)


def _ccsds_from_text(K):
    """CCSDS 131.0-B 6.3 g, written out literally (1-based s and pi(s))."""
    k1, k2, p = 8, K // 8, [31, 37, 43, 47, 53, 59, 61, 67]
    out = []
    for s in range(1, K + 1):
        m = (s - 1) % 2
        i = (s - 1) // (2 * k2)
        j = (s - 1) // 2 - i * k2
        t = (19 * i + 1) % (k1 // 2)
        q = t % 8 + 1
        c = (p[q - 1] * j + 21 * m) % k2
        out.append(2 * (t + c * (k1 // 2) + 1) - m)
    return np.array(out) - 1


@pytest.mark.parametrize("K", [1784, 3568, 7136, 8920])
def test_ccsds_permutation(K):
    perm = ccsds_permutation(K)
    assert np.array_equal(perm, _ccsds_from_text(K))
    assert np.array_equal(np.sort(perm), np.arange(K))


def test_s_random_spread_and_seeded():
    perm = s_random_permutation(400, 10, seed=3)
    assert np.array_equal(np.sort(perm), np.arange(400))
    for i in range(400):
        for j in range(i + 1, min(i + 10, 400)):
            assert abs(int(perm[i]) - int(perm[j])) >= 10
    assert np.array_equal(perm, s_random_permutation(400, 10, seed=3))
    with pytest.raises(ValueError, match="too large"):
        s_random_permutation(100, 11)


# ----------------------------------------------------------------------------- encoders


def _lte_reference(u, K):
    """TS 36.212 5.1.3.2 from the text: g0 = 1 + D^2 + D^3, g1 = 1 + D + D^3, QPP, tails."""
    f1, f2 = qpp_parameters(K)

    def rsc(bits):
        s1 = s2 = s3 = 0
        z = []
        for b in bits:
            a = b ^ s2 ^ s3
            z.append(a ^ s1 ^ s3)
            s1, s2, s3 = a, s1, s2
        tail_x, tail_z = [], []
        for _ in range(3):
            b = s2 ^ s3  # drives the feedback to 0
            tail_x.append(b)
            tail_z.append(s1 ^ s3)
            s1, s2, s3 = 0, s1, s2
        return z, tail_x, tail_z

    c_prime = [u[(f1 * i + f2 * i * i) % K] for i in range(K)]
    z, x_t, z_t = rsc(u)
    zp, xp_t, zp_t = rsc(c_prime)
    d0 = list(u) + [x_t[0], z_t[1], xp_t[0], zp_t[1]]
    d1 = z + [z_t[0], x_t[2], zp_t[0], xp_t[2]]
    d2 = zp + [x_t[1], z_t[2], xp_t[1], zp_t[2]]
    return np.array(d0 + d1 + d2, np.uint8)


@pytest.mark.parametrize("K", [40, 1008, 6144])
def test_lte_encoder_matches_the_standard_written_out(K):
    code = TurboSpec(standard="lte", k=K).build()
    u = RNG.integers(0, 2, (3, K), dtype=np.uint8)
    c = code.encode(u)
    assert c.shape == (3, 3 * K + 12)
    for f in range(3):
        assert np.array_equal(c[f], _lte_reference(list(u[f]), K))


def _ccsds_reference(u, rate):
    """CCSDS 131.0-B 6: G0 = 10011 feedback, G1 = 11011, G2 = 10101, G3 = 11111 (leftmost
    tap = the register input), both encoders terminated over the same 4 steps."""
    K = len(u)
    perm = _ccsds_from_text(K)
    taps = {1: 0b11011, 2: 0b10101, 3: 0b11111}

    def rsc(bits):
        reg = 0  # 4 bits, bit 3 = newest
        outs = {0: [], 1: [], 2: [], 3: []}
        for t in range(K + 4):
            fb = ((reg >> 1) ^ reg) & 1  # taps D^3, D^4 of G0 = 10011
            b = bits[t] if t < K else fb
            w = b ^ fb
            r = (w << 4) | reg
            outs[0].append(b)
            for j, g in taps.items():
                outs[j].append(bin(g & r).count("1") & 1)
            reg = r >> 1
        return outs

    a = rsc(list(u))
    b = rsc([u[p] for p in perm])
    seq = {"1/3": [a[0], a[1], b[1]], "1/4": [a[0], a[2], a[3], b[1]],
           "1/6": [a[0], a[1], a[2], a[3], b[1], b[3]]}
    out = []
    for t in range(K + 4):
        if rate == "1/2":
            out += [a[0][t], a[1][t] if t % 2 == 0 else b[1][t]]
        else:
            out += [s[t] for s in seq[rate]]
    return np.array(out, np.uint8)


@pytest.mark.parametrize("rate, n", [("1/2", 3576), ("1/3", 5364), ("1/4", 7152), ("1/6", 10728)])
def test_ccsds_encoder_matches_the_standard_written_out(rate, n):
    code = TurboSpec(standard="ccsds", k=1784, rate=rate).build()
    assert code.n == n
    u = RNG.integers(0, 2, (1, 1784), dtype=np.uint8)
    assert np.array_equal(code.encode(u)[0], _ccsds_reference(list(u[0]), rate))


def test_lte_encoder_agrees_with_commpy_on_the_information_part():
    import commpy.channelcoding as cc
    K = 1008
    f1, f2 = qpp_parameters(K)
    i = np.arange(K)
    trellis = cc.Trellis(np.array([3]), np.array([[0o13, 0o15]]), feedback=0o13, code_type="rsc")
    inter = cc.RandInterlv(K, 0)
    inter.p_array = (f1 * i + f2 * i * i) % K
    u = RNG.integers(0, 2, K, dtype=np.uint8)
    sys, p1, p2 = cc.turbo_encode(u, trellis, trellis, inter)
    p2 = p2[:K]  # commpy 0.8 pads its punctured stream with zeros to the unpunctured length
    c = TurboSpec(standard="lte", k=K).build().encode(u[None])[0]
    D = K + 4
    assert np.array_equal(c[:K], sys) and np.array_equal(c[D:D + K], p1) and np.array_equal(c[2 * D:2 * D + K], p2)


# ----------------------------------------------------------------------------- rate matching


def _subblock_from_text(D, stream):
    """TS 36.212 5.1.4.1.1 with explicit loops: y with N_D NULLs in front, then the
    column-permuted matrix read column by column (streams 0, 1) or pi(k) (stream 2)."""
    P = [0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30, 1, 17, 9, 25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31]
    R = math.ceil(D / 32)
    ND = R * 32 - D
    y = [None] * ND + list(range(D))
    if stream < 2:
        return [y[r * 32 + P[col]] for col in range(32) for r in range(R)]
    K_pi = R * 32
    return [y[(P[k // R] + 32 * (k % R) + 1) % K_pi] for k in range(K_pi)]


@pytest.mark.parametrize("K", [40, 1008, 6144])
def test_subblock_interleaver_and_circular_buffer_follow_the_text(K):
    D = K + 4
    for s in range(3):
        ours = subblock_interleave(D, s)
        ref = _subblock_from_text(D, s)
        assert [None if v < 0 else int(v) for v in ours] == ref
    w, R = circular_buffer(K)
    v = [_subblock_from_text(D, s) for s in range(3)]
    expected = [None if x is None else x for x in v[0]]
    for a, b in zip(v[1], v[2]):
        expected += [None if a is None else a + D, None if b is None else b + 2 * D]
    assert [None if x < 0 else int(x) for x in w] == expected and R == math.ceil(D / 32)


@pytest.mark.parametrize("K", [40, 6144])
def test_redundancy_versions_start_at_k0(K):
    w, R = circular_buffer(K)
    n_cb = w.size
    for rv in range(4):
        k0 = R * (2 * math.ceil(n_cb / (8 * R)) * rv + 2)
        order = [int(x) for x in np.roll(w, -k0) if x >= 0]
        assert lte_rate_matching(K, 50, rv).tolist() == order[:50]
    if K == 6144:  # k0 = 193 (24 rv + 2)
        assert [R * (2 * math.ceil(n_cb / (8 * R)) * rv + 2) for rv in range(4)] == [386, 5018, 9650, 14282]


def test_rate_matching_repeats_above_the_buffer_and_punctures_below():
    K = 1008
    real = 3 * (K + 4)
    full = lte_rate_matching(K, real)
    assert np.array_equal(np.sort(full), np.arange(real))  # every bit exactly once
    long = lte_rate_matching(K, 2 * real + 17, rv=2)
    assert np.array_equal(long[real:2 * real], long[:real]) and np.array_equal(long[2 * real:], long[:17])
    short = lte_rate_matching(K, 1200)
    assert np.array_equal(short, full[:1200]) and np.unique(short).size == 1200


@pytest.mark.parametrize("e, rv", [(1200, 0), (1500, 1), (3000, 0), (7000, 3)])
def test_rate_matched_codes_decode_noiseless(e, rv):
    code = TurboSpec(standard="lte", k=1008, e=e, rv=rv, decoder={"iterations": 8}).build()
    assert (code.n, code.k) == (e, 1008)
    streams = lte_streams(code.encoder).reshape(-1)
    assert np.array_equal(code.transmitted, streams[lte_rate_matching(1008, e, rv)])
    u = RNG.integers(0, 2, (4, 1008), dtype=np.uint8)
    llr = 6.0 * (1.0 - 2.0 * code.encode(u).astype(np.float64))
    assert np.array_equal(code.decode(llr), u)


# ----------------------------------------------------------------------------- decoding


@pytest.mark.parametrize("spec", [
    {"standard": "lte", "k": 40},
    {"standard": "lte", "k": 6144, "decoder": {"algorithm": "log-map"}},
    {"standard": "ccsds", "k": 1784, "rate": "1/2"},
    {"standard": "ccsds", "k": 1784, "rate": "1/6", "decoder": {"algorithm": "log-map"}},
    {"standard": "none", "k": 500, "rsc": {"feedback": "23", "feedforward": "35"}, "interleaver": {"type": "s-random", "s": 10}},
    {"standard": "none", "k": 256, "interleaver": {"type": "qpp", "f1": 15, "f2": 32}},
    {"standard": "none", "k": 300, "interleaver": {"type": "random", "seed": 4}},
])
def test_noiseless_decoding_stops_after_one_iteration(spec):
    code = build_code({"type": "turbo", **spec})
    u = RNG.integers(0, 2, (5, code.k), dtype=np.uint8)
    report = code.decode_report(4.0 * (1.0 - 2.0 * code.encode(u).astype(np.float64)))
    assert np.array_equal(report.bits, u)
    assert report.iterations.tolist() == [1] * 5 and report.failures is None


def test_crc_stops_early_and_reports_failures():
    code = build_code({"type": "turbo", "k": 6120, "crc": "CRC24B", "decoder": {"iterations": 8}})
    assert (code.k, code.block_length, code.n) == (6120, 6144, 18444)
    u = RNG.integers(0, 2, (6, code.k), dtype=np.uint8)
    c = code.encode(u)
    llr = AWGN(ebn0_db=0.9, rate=code.rate).transmit(c, np.random.default_rng(5))
    llr[5] = 0.2 * (2.0 * c[5] - 1.0)  # frame 5: every bit received wrong, cannot pass its CRC
    report = code.decode_report(llr)
    assert report.failures.tolist() == [False] * 5 + [True]
    assert np.array_equal(report.bits[:5], u[:5])
    assert report.iterations[5] == 8 and report.iterations[:5].max() < 8


def test_iterations_fixed_without_early_stop():
    code = build_code({"type": "turbo", "k": 40, "decoder": {"iterations": 3, "early_stop": False}})
    u = RNG.integers(0, 2, (2, 40), dtype=np.uint8)
    assert code.decode_report(5.0 * (1.0 - 2.0 * code.encode(u))).iterations.tolist() == [3, 3]


@pytest.mark.parametrize("spec, message", [
    ({"k": 44}, "not an LTE turbo block size"),
    ({"k": 6144, "crc": "CRC24B"}, "6168 is not an LTE"),
    ({"standard": "ccsds", "k": 1000}, "CCSDS turbo codes have K"),
    ({"standard": "ccsds", "k": 1784, "rate": "2/3"}, "rate"),
    ({"standard": "ccsds", "k": 1784, "e": 3000}, "'e' does not apply"),
    ({"k": 40, "rv": 2}, "'rv' needs 'e'"),
    ({"standard": "none", "k": 100}, "needs 'interleaver'"),
    ({"standard": "none", "k": 100, "interleaver": {"type": "qpp", "f1": 3}}, "needs 'f2'"),
    ({"standard": "none", "k": 100, "rsc": {"feedback": "9"}, "interleaver": {"type": "random"}}, "octal"),
    ({"k": 40, "decoder": {"algorithm": "sova"}}, "algorithm"),
])
def test_bad_parameters_give_one_line_errors(spec, message):
    with pytest.raises(ConfigError, match=message) as info:
        build_code({"type": "turbo", **spec})
    assert "\n" not in str(info.value)


# ----------------------------------------------------------------------------- published reference


@pytest.mark.statistical
def test_lte_6144_max_log_6_iterations_fer_matches_aff3ct(effort):
    """AFF3CT's reference curve (aff3ct/error_rate_references,
    TURBO/AWGN/BPSK/RSC_RSC/BCJR/LTE/Turbo_N18432_K6144_BCJR_i6_p32_LTE.txt; Cassagne et al.,
    ISTC 2016, doi 10.1109/ISTC.2016.7593092, fig. 2): LTE K = 6144, rate 6144/18444,
    max-log BCJR with extrinsic scaling, 6 iterations, BPSK/AWGN: FER 0.221 at Eb/N0 = 0.5 dB
    (555 errors in 2508 frames). Ours must agree within both confidence intervals."""
    code = build_code({"type": "turbo", "k": 6144, "decoder": {"algorithm": "max-log", "iterations": 6}})
    frames = 80 * effort
    rng = np.random.default_rng(11)
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    llr = AWGN(ebn0_db=0.5, rate=code.rate).transmit(code.encode(u), rng)
    errors = int((code.decode(llr) != u).any(axis=1).sum())
    lo = beta.ppf(0.0005, errors, frames - errors + 1) if errors else 0.0
    hi = beta.ppf(0.9995, errors + 1, frames - errors)
    ref_lo, ref_hi = beta.ppf(0.0005, 555, 2508 - 555 + 1), beta.ppf(0.9995, 556, 2508 - 555)
    assert lo <= ref_hi and hi >= ref_lo, (errors, frames)


def test_shannonlab_list_describes_every_turbo_key():
    from shannonlab.registry import describe

    text = describe()
    for key in ("standard", "e:", "rv:", "rate:", "rsc:", "interleaver:", "crc:", "extrinsic_scale", "early_stop"):
        assert key in text.split("turbo", 1)[1], key
