"""Convolutional codes: encoder, trellis, distance spectrum, Viterbi and BCJR decoders,
puncturing, terminations, union bound and YAML errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from conftest import binomial_tolerance

from shannonlab.channels import AWGN, BSC
from shannonlab.codes.convolutional import (
    ConvolutionalCode, Trellis, code, decoding, encoding,
)
from shannonlab.errors import ConfigError
from shannonlab.sim.engine import StopRule, simulate_point
from shannonlab.sim.registry import build_code

K7 = ["133", "171"]


def _reference_encode(gens, u, K, feedback=None, termination="zero-tail"):
    """Direct convolution c_j(t) = sum_i g_j[i] w(t - i) mod 2 (g_j[0] = MSB) with
    w(t) = u(t) + sum_{i>=1} f[i] w(t - i): an encoder written without the trellis tables."""
    m = K - 1
    g = [[(int(x, 8) >> (K - 1 - i)) & 1 for i in range(K)] for x in gens]
    f = None if feedback is None else [(int(feedback, 8) >> (K - 1 - i)) & 1 for i in range(K)]
    u = [int(x) for x in u]
    if termination == "tail-biting":
        w = u[-m:] + u  # the register starts full of the last m inputs
    else:
        w = [0] * m
        for x in u:
            fb = 0 if f is None else sum(f[i] * w[-i] for i in range(1, K)) % 2
            w.append(x ^ fb)
        if termination == "zero-tail":
            w += [0] * m  # the tail drives the register (w) back to zero
    out = []
    for t in range(m, len(w)):
        for gj in g:
            out.append(sum(gj[i] * w[t - i] for i in range(K)) % 2)
    return np.array(out, np.uint8)


def _bpsk_llr(c, amplitude=4.0):
    return amplitude * (1.0 - 2.0 * c.astype(np.float64))


# ----------------------------------------------------------------------------- encoder


def test_impulse_response_of_the_k7_code_is_its_generators():
    # 133 = 1 011 011, 171 = 1 111 001 (octal -> binary, MSB = current input)
    t = Trellis.from_octal(K7)
    u = np.zeros((1, 1), np.uint8)
    u[0, 0] = 1
    c = encoding.encode(t, u, "zero-tail")[0]
    assert c.reshape(7, 2).T.tolist() == [[1, 0, 1, 1, 0, 1, 1], [1, 1, 1, 1, 0, 0, 1]]


def test_hand_computed_codeword_of_the_75_code():
    # (7, 5), input 1011 + two tail zeros: states 00 -> 10 -> 01 -> 10 -> 11 -> 01 -> 00
    c = encoding.encode(Trellis.from_octal(["7", "5"]), np.array([[1, 0, 1, 1]], np.uint8), "zero-tail")
    assert c[0].tolist() == [1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1]


@pytest.mark.parametrize(
    "gens,feedback,termination",
    [(g, f, t)
     for g, f in [(["7", "5"], None), (K7, None), (["561", "753"], None), (["25", "33", "37"], None),
                  (["13", "15"], "13"), (["23", "35"], "23")]
     for t in ("zero-tail", "truncated", "tail-biting")
     if not (f and t == "tail-biting")],  # tail-biting is for feed-forward codes
)
def test_encoder_matches_direct_convolution(gens, feedback, termination):
    tr = Trellis.from_octal(gens, feedback=feedback)
    rng = np.random.default_rng(11)
    u = rng.integers(0, 2, (5, 20), dtype=np.uint8)
    c = encoding.encode(tr, u, termination)
    for row, msg in zip(c, u):
        assert row.tolist() == _reference_encode(gens, msg, tr.K, feedback, termination).tolist()
    if feedback is not None:  # the generator equal to the feedback is the systematic output
        assert (c[:, 0::2][:, :20] == u).all()
    if termination == "zero-tail" and feedback is not None:  # the tail returns w to 0
        enc_tail = encoding.encode(tr, u, "truncated")
        assert (c[:, : enc_tail.shape[1]] == enc_tail).all()


def test_recursive_zero_tail_ends_in_state_zero():
    tr = Trellis.from_octal(["13", "15"], feedback="13")
    rng = np.random.default_rng(3)
    u = rng.integers(0, 2, (50, 30), dtype=np.uint8)
    for msg in u:
        s = 0
        for x in list(msg):
            s = tr.next_u[s, x]
        for _ in range(tr.m):
            s = tr.next_u[s, tr.tail_input[s]]
        assert s == 0


# ----------------------------------------------------------------------------- trellis


@pytest.mark.parametrize("gens,dfree,c_d", [
    (["7", "5"], 5, [1, 4, 12, 32]),
    (["23", "35"], 7, [4, 12, 20, 72]),
    (K7, 10, [36, 0, 211, 0, 1404, 0, 11633]),
    (["561", "753"], 12, [33, 0, 281, 0, 2179, 0, 15035]),
])
def test_free_distance_and_spectrum_match_published_tables(gens, dfree, c_d):
    """Proakis, Digital Communications, tables 8.2-1 and 8.2-7 (information weights c_d)."""
    t = Trellis.from_octal(gens)
    assert t.free_distance() == dfree
    spec = t.spectrum(dfree + len(c_d) - 1)
    assert [int(spec.get(d, (0, 0))[1]) for d in range(dfree, dfree + len(c_d))] == c_d


@pytest.mark.parametrize("name,dfree", [("2/3", 6), ("3/4", 5), ("5/6", 4)])
def test_punctured_free_distances_of_80211(name, dfree):
    code_ = ConvolutionalCode(K7, 64, puncture=name)
    assert code_.free_distance == dfree
    assert min(code_.distance_spectrum) == dfree


@pytest.mark.parametrize("name,period,c_d", [
    ("2/3", 2, [3, 70, 285, 1276, 6160, 27128]),
    ("3/4", 3, [42, 201, 1492, 10469, 62935, 379546]),
])
def test_punctured_spectra_match_the_80211_literature(name, period, c_d):
    """The information weights per puncturing period used in 802.11 PER analyses (Yasuda
    et al. 1984; Haccoun and Begin 1989) for the punctured (133, 171) code."""
    spec = ConvolutionalCode(K7, 64, puncture=name).distance_spectrum
    assert [round(spec[d][1] * period) for d in sorted(spec)[: len(c_d)]] == c_d


@pytest.mark.parametrize("gens,puncture", [(["7", "5"], None), (K7, None), (K7, "3/4"), (["13", "15"], None)])
def test_free_distance_is_minimum_weight_of_short_terminated_code(gens, puncture):
    """Exhaustively: every nonzero codeword of a zero-tail frame is a chain of error events,
    so its minimum weight is d_free once the frame can hold the lightest event."""
    feedback = "13" if gens == ["13", "15"] else None
    c = ConvolutionalCode(gens, 11, feedback=feedback, puncture=puncture)
    u = np.array(list(itertools.product((0, 1), repeat=11))[1:], np.uint8)
    assert int(c.encode(u).sum(axis=1).min()) == c.free_distance


def test_union_bound_first_terms():
    c = ConvolutionalCode(K7, 1024)
    esn0 = c.rate * 10 ** 0.5  # 5 dB, where the series converges fast
    first = sum(cd * 0.5 * math.erfc(math.sqrt(d * esn0)) for d, cd in [(10, 36), (12, 211), (14, 1404), (16, 11633)])
    bound = c.union_bound(esn0=esn0)
    assert first < bound < first * 1.1
    assert c.reference_ber(AWGN(ebn0_db=5.0, rate=c.rate)) == pytest.approx(bound)
    assert ConvolutionalCode(K7, 64, termination="truncated").reference_ber(AWGN(ebn0_db=4.0, rate=0.5)) is None
    # hard decisions on a BSC: the first term is c_10 * P_10(p)
    assert c.reference_ber(BSC(0.01)) > 36 * code.hard_pairwise_error(10, 0.01)


# ----------------------------------------------------------------------------- decoders

DECODERS = [dict(algorithm="viterbi", decision="soft"), dict(algorithm="viterbi", decision="hard"),
            dict(algorithm="bcjr", variant="max-log"), dict(algorithm="bcjr", variant="log-map")]


@pytest.mark.parametrize("decoder", DECODERS, ids=lambda d: "-".join(d.values()))
@pytest.mark.parametrize("termination", ["zero-tail", "truncated", "tail-biting"])
@pytest.mark.parametrize("puncture", [None, "2/3", "3/4"])
def test_noiseless_and_single_burst_decoding_is_exact(decoder, termination, puncture):
    c = ConvolutionalCode(K7, 100, termination=termination, puncture=puncture, **decoder)
    rng = np.random.default_rng(5)
    u = rng.integers(0, 2, (40, 100), dtype=np.uint8)
    x = c.encode(u)
    assert x.shape == (40, c.n)
    llr = _bpsk_llr(x)
    assert (c.decode(llr) == u).all()
    # one burst of t = floor((d_free - 1) / 2) flipped bits, anywhere but the unprotected
    # end of a truncated frame: within the error-correcting radius of an ML decoder
    burst = (c.free_distance - 1) // 2
    last = c.n - burst - (c.n // 2 if termination == "truncated" else 0)
    for f in range(40):
        at = rng.integers(0, last)
        llr[f, at:at + burst] *= -0.9  # not quite the amplitude of the others: no exact ties
    assert (c.decode(llr) == u).all()


def test_recursive_code_decodes_noiseless_and_bursts():
    for algorithm in ("viterbi", "bcjr"):
        c = ConvolutionalCode(["13", "15"], 64, feedback="13", algorithm=algorithm)
        u = np.random.default_rng(2).integers(0, 2, (20, 64), dtype=np.uint8)
        llr = _bpsk_llr(c.encode(u))
        llr[:, 30:32] *= -1  # d_free = 5 corrects 2
        assert (c.decode(llr) == u).all()


def _all_codewords(c):
    u = np.array(list(itertools.product((0, 1), repeat=c.k)), np.uint8)
    return u, c.encode(u)


@pytest.mark.parametrize("gens,termination,puncture", [
    (["7", "5"], "zero-tail", None), (K7, "zero-tail", None), (K7, "truncated", None),
    (["23", "35"], "zero-tail", "3/4"), (["23", "35"], "truncated", "2/3"),
])
def test_viterbi_is_maximum_likelihood_on_short_frames(gens, termination, puncture):
    """Exhaustive ML over all 2^k messages: soft Viterbi reaches the largest correlation,
    hard Viterbi the smallest Hamming distance to the sliced word."""
    k, frames = 10, 300
    soft = ConvolutionalCode(gens, k, termination=termination, puncture=puncture)
    hard = ConvolutionalCode(gens, k, termination=termination, puncture=puncture, decision="hard")
    msgs, words = _all_codewords(soft)
    x = 1.0 - 2.0 * words  # (2^k, n)
    rng = np.random.default_rng(7)
    sent = rng.integers(0, 2 ** k, frames)
    llr = AWGN(ebn0_db=1.0, rate=soft.rate).transmit(words[sent], rng)
    corr = llr @ x.T
    index = soft.decode(llr) @ (1 << np.arange(k - 1, -1, -1))
    got, best = corr[np.arange(frames), index], corr.max(axis=1)
    assert np.all(got >= best - 1e-4 * np.abs(best) - 1e-3)  # float32 metrics: near-ties only
    assert (index == corr.argmax(axis=1)).mean() >= 0.99
    sliced = (llr < 0).astype(np.int64)
    dist = (sliced[:, None, :] != words[None].astype(np.int64)).sum(axis=2)
    hidx = hard.decode(llr) @ (1 << np.arange(k - 1, -1, -1))
    assert (dist[np.arange(frames), hidx] == dist.min(axis=1)).all()
    assert (index != sent).mean() < 0.5  # the channel was not hopeless


@pytest.mark.parametrize("gens", [["7", "5"], ["23", "35"]])
def test_wrap_around_viterbi_is_close_to_ml_for_tail_biting(gens):
    """Wrap-around decoding is not exactly ML for tail-biting codes (the circular trellis
    has non-tail-biting paths); on short frames its frame error rate stays within 2 % of
    exhaustive ML's."""
    k, frames = 12, 2000
    c = ConvolutionalCode(gens, k, termination="tail-biting")
    msgs, words = _all_codewords(c)
    rng = np.random.default_rng(8)
    sent = rng.integers(0, 2 ** k, frames)
    llr = AWGN(ebn0_db=3.0, rate=c.rate).transmit(words[sent], rng)
    ml = (llr @ (1.0 - 2.0 * words).T).argmax(axis=1)
    wava = c.decode(llr) @ (1 << np.arange(k - 1, -1, -1))
    assert (wava != sent).mean() <= (ml != sent).mean() + 0.02
    assert (wava == ml).mean() >= 0.97


def test_windowed_traceback_for_truncated_codes():
    rng = np.random.default_rng(9)
    full = ConvolutionalCode(K7, 500, termination="truncated")
    window = ConvolutionalCode(K7, 500, termination="truncated", traceback_depth=35)
    short = ConvolutionalCode(K7, 500, termination="truncated", traceback_depth=3)
    u = rng.integers(0, 2, (64, 500), dtype=np.uint8)
    x = full.encode(u)
    assert (window.decode(_bpsk_llr(x)) == u).all()
    llr = AWGN(ebn0_db=3.0, rate=0.5).transmit(x, rng)
    e_full = int((full.decode(llr) != u).sum())
    e_win = int((window.decode(llr) != u).sum())
    e_short = int((short.decode(llr) != u).sum())
    # a depth of 5K loses almost nothing; a depth of 3 < K is far from ML
    assert e_win <= e_full + 10 and e_short > 5 * max(e_full, 1)


def test_bcjr_max_log_decisions_equal_viterbi():
    rng = np.random.default_rng(4)
    for termination in ("zero-tail", "truncated", "tail-biting"):
        v = ConvolutionalCode(K7, 256, termination=termination)
        b = ConvolutionalCode(K7, 256, termination=termination, algorithm="bcjr")
        u = rng.integers(0, 2, (64, 256), dtype=np.uint8)
        llr = AWGN(ebn0_db=2.0, rate=v.rate).transmit(v.encode(u), rng)
        dv, db = v.decode(llr), b.decode(llr)
        # max-log L(u_t) compares the best path with u_t = 0 to the best with u_t = 1: its
        # sign is the ML path's bit (float32 near-ties aside)
        assert (dv != db).mean() < 1e-3
        hi = AWGN(ebn0_db=5.0, rate=v.rate).transmit(v.encode(u), rng)
        assert (v.decode(hi) == b.decode(hi)).all()


def test_bcjr_with_no_channel_information_returns_the_a_priori_llrs():
    c = ConvolutionalCode(K7, 40, algorithm="bcjr", variant="log-map")
    la = np.random.default_rng(1).normal(0, 3, (8, 40))
    post = c.decode_llr(np.zeros((8, c.n)), apriori=la)
    assert np.allclose(post, la, atol=1e-3)


@pytest.mark.statistical
def test_log_map_llrs_are_calibrated(effort):
    """For exact log-MAP, P(bit wrong | L) = 1 / (1 + e^|L|): in each |L| bin the observed
    error count matches the sum of those probabilities."""
    c = ConvolutionalCode(K7, 256, algorithm="bcjr", variant="log-map")
    rng = np.random.default_rng(12)
    frames = 400 * effort
    u = rng.integers(0, 2, (frames, 256), dtype=np.uint8)
    llr = AWGN(ebn0_db=1.0, rate=c.rate).transmit(c.encode(u), rng)
    post = c.decode_llr(llr)
    wrong = (post < 0) != (u == 1)
    mag = np.abs(post)
    for lo, hi in [(0, 0.5), (0.5, 1.5), (1.5, 3.0), (3.0, 6.0)]:
        sel = (mag >= lo) & (mag < hi)
        p = 1.0 / (1.0 + np.exp(mag[sel]))
        expected, observed = p.sum(), wrong[sel].sum()
        # errors cluster along error events: allow for it with a design effect of 4
        tol = binomial_tolerance(sel.sum(), expected / sel.sum()) * 2.0
        assert abs(observed - expected) <= tol, (lo, hi, observed, expected)
    maxlog = ConvolutionalCode(K7, 256, algorithm="bcjr").decode_llr(llr)
    sure = np.abs(post) > 2.0
    assert (np.sign(maxlog[sure]) == np.sign(post[sure])).mean() > 0.999


@pytest.mark.statistical
@pytest.mark.parametrize("ebn0_db", [3.0, 4.0])
def test_k7_soft_viterbi_ber_against_union_bound(ebn0_db, effort):
    """At 3-4 dB the union bound of the K = 7 code is within a factor of about 2 of the
    true BER: the simulated BER lies below the bound and above a third of it."""
    c = ConvolutionalCode(K7, 1024)
    channel = AWGN(ebn0_db=ebn0_db, rate=c.rate)
    bound = c.reference_ber(channel)
    frames = (1000 if ebn0_db == 3.0 else 4000) * effort
    seed = np.random.SeedSequence(entropy=77, spawn_key=(int(ebn0_db),))
    result = simulate_point(c, channel, StopRule(10**9, frames), seed)
    # bit errors come in events of ~4 bits: the count's variance is ~4x a binomial one
    tol = 2.0 * binomial_tolerance(result.bits, bound)
    assert result.bit_errors <= result.bits * bound + tol
    assert result.bit_errors >= result.bits * bound / 3 - tol


# ----------------------------------------------------------------------------- YAML


def test_yaml_spec_builds_the_reference_code():
    c = build_code({"type": "convolutional", "generators": ["133", "171"], "k": 1024, "termination": "zero-tail"})
    assert (c.n, c.k) == (2060, 1024) and c.rate == pytest.approx(1024 / 2060)
    p = build_code({"type": "convolutional", "generators": K7, "k": 1026, "termination": "truncated",
                    "puncture": [[1, 1, 0], [1, 0, 1]], "decoder": {"algorithm": "bcjr", "variant": "log-map"}})
    assert p.rate == pytest.approx(3 / 4) and p.reference_name == "union bound"
    h = build_code({"type": "convolutional", "generators": [7, 5], "k": 10, "decoder": {"algorithm": "viterbi", "decision": "hard"}})
    assert h.decision == "hard" and h.trellis.K == 3


@pytest.mark.parametrize("spec,message", [
    ({"generators": ["133", "191"]}, "code.generators: generator '191' is not an octal number (digits 0-7, e.g. '133')"),
    ({"generators": ["1133", "1171"]}, "code.generators: constraint length K must be in 3..9, got K = 10 (from generators ['1133', '1171'])"),
    ({"generators": ["133", "171"], "constraint_length": 5}, "code.generators: generator '133' has degree 6, above K - 1 = 4"),
    ({"generators": ["133"]}, "code.generators: give 2 to 8 octal polynomials (rate 1/n), got 1"),
    ({"generators": ["6", "4"]}, "code.generators: generators ['6', '4']: none taps the oldest bit, so K = 3 is not the constraint length"),
    ({"generators": ["3", "5"], "constraint_length": 4}, "code.generators: generators ['3', '5']: none taps the current input at K = 4"),
    ({"generators": ["6", "5"]}, "code.generators: generators ['6', '5'] make a catastrophic code (common factor 3)"),
    ({"generators": ["17", "11"]}, "code.generators: generators ['17', '11'] make a catastrophic code (common factor 3)"),
    ({"generators": ["133", "171"], "constraint_length": 10}, "code.constraint_length: must be in 3..9, got 10"),
    ({"generators": ["13", "15"], "feedback": "5"}, "code.generators: feedback '5' must tap the current bit (its leading bit at K = 4 must be 1)"),
    ({"generators": K7, "puncture": "7/8"}, "code.puncture: unknown pattern '7/8' (named: 2/3, 3/4, 5/6, or a 0/1 matrix)"),
    ({"generators": K7, "puncture": [[1, 1, 0]]}, "code.puncture: needs one row per generator (2), got 1"),
    ({"generators": K7, "puncture": [[1, 0], [0, 0]]}, "code.puncture: sends 1 bits per 2 inputs, a rate above 1"),
    ({"generators": K7, "decoder": {"algorithm": "viterbi", "traceback_depth": 30}},
     "code.decoder: traceback_depth applies to termination 'truncated' only, not 'zero-tail' (terminated and tail-biting frames are traced back whole)"),
    ({"generators": K7, "decoder": {"algorithm": "bcjr", "variant": "map"}}, "code.decoder.variant: must be one of 'max-log', 'log-map' or 'log-map-linear', got 'map' (did you mean log-map?)"),
    ({"generators": K7, "decoder": {"decision": "hard"}}, "code.decoder: needs the key 'algorithm'"),
    ({"generators": ["13", "15"], "feedback": "13", "termination": "tail-biting"}, "code: termination: tail-biting is available for feed-forward codes only"),
])
def test_bad_specs_give_one_line_errors(spec, message):
    with pytest.raises(ConfigError) as info:
        build_code({"type": "convolutional", **spec})
    assert str(info.value) == message


def test_agrees_with_komm_when_installed():
    """komm (an optional peer) decodes the same LLRs: identical Viterbi decisions and the
    same exact log-MAP LLRs. komm writes polynomials LSB-first: (133, 171) is its (155, 117)."""
    komm = pytest.importorskip("komm")
    ours = ConvolutionalCode(K7, 64)
    exact = ConvolutionalCode(K7, 64, algorithm="bcjr", variant="log-map")
    tc = komm.TerminatedConvolutionalCode(komm.ConvolutionalCode(feedforward_polynomials=[[0o155, 0o117]]),
                                          num_blocks=64, mode="zero-termination")
    rng = np.random.default_rng(21)
    u = rng.integers(0, 2, (6, 64), dtype=np.uint8)
    c = ours.encode(u)
    assert (tc.encode(u) == c).all()
    llr = AWGN(ebn0_db=1.0, rate=ours.rate).transmit(c, rng)
    assert (komm.ViterbiDecoder(tc, input_type="soft").decode(llr) == ours.decode(llr)).all()
    theirs = komm.BCJRDecoder(tc, output_type="soft").decode(llr)
    assert np.abs(exact.decode_llr(llr) - theirs).max() < 1e-3  # float32 metrics
    # and the test can tell: max-log differs from the exact values by tenths
    assert np.abs(ConvolutionalCode(K7, 64, algorithm="bcjr").decode_llr(llr) - theirs).max() > 0.1


def test_jacobian_logarithm_to_float32_precision():
    d = np.linspace(0.0, 24.0, 20001).astype(np.float32)
    got = np.array([decoding._jacobian(x) for x in d], np.float64)
    assert np.abs(got - np.log1p(np.exp(-d.astype(np.float64)))).max() < 1e-6
    a, b = np.float32(3.0), np.float32(2.5)
    assert decoding.maxstar_log_map(a, b) == pytest.approx(np.logaddexp(3.0, 2.5), abs=1e-6)
    assert decoding.maxstar_max_log(a, b) == 3.0


@pytest.mark.parametrize("gens", [["25", "33", "37"], ["25", "27", "33", "37"]])
def test_low_rate_codes_decode_noiseless_and_bursts(gens):
    """Rate 1/3 (d_free = 12) and 1/4 (d_free = 16) codes of K = 5 (Proakis table 8.2-2/3)."""
    for algorithm in ("viterbi", "bcjr"):
        c = ConvolutionalCode(gens, 80, algorithm=algorithm)
        assert c.free_distance == {3: 12, 4: 16}[len(gens)]
        u = np.random.default_rng(6).integers(0, 2, (16, 80), dtype=np.uint8)
        llr = _bpsk_llr(c.encode(u))
        burst = (c.free_distance - 1) // 2
        llr[:, 50:50 + burst] *= -0.9
        assert (c.decode(llr) == u).all()
