"""Serial concatenation: the interleaver permutation (CCSDS symbol interleaving), sizes and
rates, noiseless decoding of the CCSDS and BCH + LDPC chains, bursts corrected exactly when
the interleaver spreads them within each codeword's radius, the decoder equal to the outer
decoder when the inner code is transparent, and one-line errors."""

import numpy as np
import pytest

import shannonlab as sl
from shannonlab.channels import BSC
from shannonlab.codes.concatenated import BlockInterleaver, ConcatenatedCode
from shannonlab.errors import ConfigError
from shannonlab.registry import parse_code_spec

CCSDS = {"type": "concatenated", "outer": {"type": "reed-solomon", "standard": "ccsds"},
         "interleaver": {"type": "block", "depth": 4}, "inner": {"type": "convolutional", "generators": ["171", "133"]}}


def _llr(bits):
    return 4.0 * (1.0 - 2.0 * np.asarray(bits, dtype=np.float64))


def test_block_interleaver_sends_symbol_j_of_codeword_i_at_j_depth_plus_i():
    depth, n = 5, 255
    inter = BlockInterleaver(depth * n, depth, unit_bits=8)
    for i in range(depth):
        for j in (0, 1, 100, 254):
            assert inter.unit_order[j * depth + i] == i * n + j
    x = np.random.default_rng(0).integers(0, 9, (2, inter.length))
    assert (inter.deinterleave(inter.interleave(x)) == x).all()
    assert sorted(inter.bit_order.tolist()) == list(range(inter.length))


def test_ccsds_chain_sizes_rate_and_noiseless_decoding():
    spec = parse_code_spec(CCSDS)
    code = spec.build()  # what an engine worker does with the parsed spec
    assert (code.k, code.n, code.inner.k) == (4 * 1784, 2 * (4 * 2040 + 6), 4 * 2040)
    assert code.rate == pytest.approx(223 / 255 * 8160 / 16332)
    u = np.random.default_rng(1).integers(0, 2, (3, code.k), dtype=np.uint8)
    report = code.decode_report(_llr(code.encode(u)))
    assert (report.bits == u).all() and not report.failures.any()


def test_bch_plus_ldpc_and_a_soft_outer_code_decode_noiseless_frames():
    bch_ldpc = sl.build_code({"type": "concatenated", "outer": {"type": "bch", "n": 511, "t": 2, "k": 306},
                              "inner": {"type": "ldpc", "matrix": {"standard": "ieee80211n", "n": 648, "rate": "1/2"}}})
    soft = sl.build_code({"type": "concatenated", "outer": {"type": "convolutional", "generators": ["7", "5"], "k": 40},
                          "inner": {"type": "convolutional", "generators": ["7", "5"], "decoder": {"algorithm": "bcjr"}}})
    assert (bch_ldpc.n, bch_ldpc.k) == (648, 306) and soft.soft_outer and not bch_ldpc.soft_outer
    for code in (bch_ldpc, soft):
        u = np.random.default_rng(2).integers(0, 2, (4, code.k), dtype=np.uint8)
        assert (code.decode(_llr(code.encode(u))) == u).all()


@pytest.mark.parametrize("n_ldpc,rate", [(16200, "1/2"), (64800, "3/4")])
def test_dvbs2_fec_bch_outer_ldpc_inner(n_ldpc, rate):
    """The full DVB-S2 FEC: the BCH code's N_bch is the LDPC code's K_ldpc (Tables 5a/5b)."""
    code = sl.build_code({"type": "concatenated",
                          "outer": {"type": "bch", "standard": "dvb-s2", "n_ldpc": n_ldpc, "rate": rate},
                          "inner": {"type": "ldpc", "matrix": {"standard": "dvb-s2", "n": n_ldpc, "rate": rate}}})
    assert code.n == n_ldpc and code.inner.k == code.outer.n and code.inner_frames == 1
    u = np.random.default_rng(5).integers(0, 2, (2, code.k), dtype=np.uint8)
    c = code.encode(u)
    assert code.outer.parity_check(code.inner.decode(_llr(c))).all()
    llr = _llr(c)
    flips = np.random.default_rng(6).choice(code.n, 30, replace=False)  # a few hard errors
    llr[:, flips] = -0.5 * llr[:, flips]
    report = code.decode_report(llr)
    assert (report.bits == u).all() and not report.failures.any()
    assert (report.iterations == code.inner.decode_report(llr).iterations).all()  # the LDPC decoder's


@pytest.mark.parametrize("depth", [1, 4])
def test_a_burst_is_corrected_iff_interleaving_leaves_at_most_t_symbols_per_codeword(depth):
    """Inner code transparent (uncoded), 4 CCSDS codewords per frame: a burst of b sent
    symbols puts ceil(b / depth) symbols into some codeword (depth 1: all into one)."""
    code = sl.build_code({"type": "concatenated", "outer": {"type": "reed-solomon", "standard": "ccsds"},
                          "interleaver": {"type": "block", "depth": depth}, "codewords": 4, "inner": {"type": "uncoded"}})
    u = np.random.default_rng(3).integers(0, 2, (2, code.k), dtype=np.uint8)
    c = code.encode(u)
    for burst in (16 * depth, 16 * depth + 1):
        llr = _llr(c)
        start = 8 * 37  # the burst begins at sent symbol 37, every bit of it wrong
        llr[:, start: start + 8 * burst] *= -1
        report = code.decode_report(llr)
        if burst == 16 * depth:
            assert (report.bits == u).all() and not report.failures.any()
        else:
            assert report.failures.all()


def test_transparent_inner_code_gives_the_outer_decoder():
    outer = sl.build_code({"type": "reed-solomon", "n": 63, "k": 51})
    code = ConcatenatedCode(outer, sl.build_code({"type": "uncoded", "k": outer.n}))
    assert (code.n, code.k) == (outer.n, outer.k) and code.name == f"{outer.name} + {code.inner.name}"
    rng = np.random.default_rng(4)
    u = rng.integers(0, 2, (400, code.k), dtype=np.uint8)
    llr = BSC(0.02).transmit(code.encode(u), rng)
    ours, theirs = code.decode_report(llr), outer.decode_report(np.sign(llr))
    assert (ours.bits == theirs.bits).all() and (ours.failures == theirs.failures).all()
    assert theirs.failures.any() and (~theirs.failures).any()


@pytest.mark.parametrize("changes,message", [
    ({"interleaver": {"type": "block", "depth": 7}, "codewords": 1, "outer": {"type": "bch", "n": 1023, "t": 3}},
     "code: interleaver.depth 7 does not divide the frame of 1023 bits"),
    ({"inner": {"type": "uncoded", "k": 1000}}, "code: inner.k = 1000 must divide the 8160 bits of 4 outer codeword(s)"),
    ({"outer": {"type": "bch", "n": 1000, "t": 3}}, "code.outer: n must be 2^m - 1"),
    ({"inner": {"type": "convolutional"}}, "code.inner.generators: "),
    ({"outer": 5}, "code.outer: must be a codes: entry"),
    ({"interleaver": {"type": "block", "depth": 0}}, "code.interleaver.depth: "),
])
def test_bad_parameters_are_one_line_errors(changes, message):
    with pytest.raises(ConfigError) as info:
        sl.build_code({**CCSDS, **changes})
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
