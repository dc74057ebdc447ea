"""Convolutional inter-frame SIMD and fixed-point decoders: the integer decoders equal the
float ones on the quantised LLRs, exactly; integer Viterbi is maximum likelihood on its
integer metrics; the linear log-MAP against the exact one; extrinsic output for turbo
decoding; batch independence; error rates of quantised decoders; the vector code."""

import itertools
import re

import numba
import numpy as np
import pytest
from conftest import binomial_tolerance

from shannonlab.channels import AWGN
from shannonlab.codes.convolutional import ConvolutionalCode, decoding
from shannonlab.codes.convolutional.decoding import BCJRDecoder, ViterbiDecoder, _kernels
from shannonlab.codes.simd import VECTOR_BYTES, Quantization
from shannonlab.errors import ConfigError
from shannonlab.sim.registry import build_code

K7 = ["133", "171"]
LTE = dict(generators=["13", "15"], feedback="13")


def _noisy(code, frames, ebn0_db, seed):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    return u, AWGN(ebn0_db=ebn0_db, rate=code.rate).transmit(code.encode(u), rng)


@pytest.mark.parametrize("quantization", [{"bits": 6, "fraction_bits": 2}, {"bits": 12, "fraction_bits": 7},
                                          {"bits": 4, "fraction_bits": 0}])
@pytest.mark.parametrize("gens, termination", [(K7, "zero-tail"), (LTE, "zero-tail"), (K7, "tail-biting"),
                                               (K7, "truncated")])
def test_integer_decoders_equal_float_decoders_on_the_quantised_llrs(quantization, gens, termination):
    """Max-log metrics scale with the LLRs, so on LLRs that are multiples of the step the
    int16 decoders (whole correlations, saturated sums that never saturate here) and the
    float32 ones (half correlations) make the same comparisons: the same decisions, ties
    included, and the same LLRs."""
    kw = {"generators": gens} if isinstance(gens, list) else dict(gens)
    qz = Quantization(**quantization)
    float_code = ConvolutionalCode(k=120, termination=termination, **kw)
    u, llr = _noisy(float_code, 70, 1.0, 3)
    dequantised = qz.quantize(llr).astype(np.float64) * qz.step
    for algorithm in ("viterbi", "bcjr"):
        fixed = ConvolutionalCode(k=120, termination=termination, algorithm=algorithm, quantization=qz, **kw)
        plain = ConvolutionalCode(k=120, termination=termination, algorithm=algorithm, **kw)
        assert np.array_equal(fixed.decode(llr), plain.decode(dequantised)), algorithm
    fixed = ConvolutionalCode(k=120, termination=termination, algorithm="bcjr", quantization=qz, **kw)
    np.testing.assert_array_equal(fixed.decode_llr(llr), ConvolutionalCode(k=120, termination=termination,
                                                                           algorithm="bcjr", **kw).decode_llr(dequantised))


def test_integer_viterbi_is_maximum_likelihood_on_integer_metrics():
    """Exhaustively over all 2^10 messages: the decided word has the largest correlation
    with the quantised LLRs (integers: exact, ties allowed)."""
    qz = Quantization(bits=5, fraction_bits=1)
    code = ConvolutionalCode(["23", "35"], 10, quantization=qz)
    msgs = np.array(list(itertools.product((0, 1), repeat=10)), np.uint8)
    x = 1 - 2 * code.encode(msgs).astype(np.int64)
    rng = np.random.default_rng(4)
    sent = rng.integers(0, 1024, 400)
    llr = AWGN(ebn0_db=1.0, rate=code.rate).transmit(code.encode(msgs[sent]), rng)
    q = qz.quantize(llr).astype(np.int64)
    corr = q @ x.T
    index = code.decode(llr) @ (1 << np.arange(9, -1, -1))
    assert np.array_equal(corr[np.arange(400), index], corr.max(axis=1))
    assert (index != sent).mean() < 0.5


def test_log_map_linear_correction_and_its_error_bound():
    from numba import njit

    from shannonlab.codes.convolutional.kernels import maxstar
    from shannonlab.codes.vector import load, store

    @njit
    def vector_maxstar(a, b, out):
        for i in range(a.shape[0]):
            store(out, i, maxstar(2, load(a, i, 8), load(b, i, 8)))

    rng = np.random.default_rng(0)
    a = rng.uniform(-20, 20, 8000).astype(np.float32)
    b = (a + rng.uniform(-12, 12, 8000)).astype(np.float32)
    out = np.empty_like(a)
    vector_maxstar(a.reshape(-1, 8), b.reshape(-1, 8), out.reshape(-1, 8))
    scalar = np.array([decoding.maxstar_log_map_linear(x, y) for x, y in zip(a[:500], b[:500])], np.float32)
    np.testing.assert_allclose(out[:500], scalar, rtol=0, atol=4e-6)  # the vector form fuses c - s|d|
    error = np.abs(out.astype(np.float64) - np.logaddexp(a.astype(np.float64), b.astype(np.float64)))
    assert error.max() <= 0.0717 and error.max() > 0.06  # the bound is attained, not loose


@pytest.mark.parametrize("gens", [K7, LTE])
def test_log_map_linear_llrs_are_close_to_exact_log_map(gens):
    kw = {"generators": gens} if isinstance(gens, list) else dict(gens)
    exact = ConvolutionalCode(k=256, algorithm="bcjr", variant="log-map", **kw)
    linear = ConvolutionalCode(k=256, algorithm="bcjr", variant="log-map-linear", **kw)
    maxlog = ConvolutionalCode(k=256, algorithm="bcjr", variant="max-log", **kw)
    u, llr = _noisy(exact, 64, 1.5, 8)
    e, lin, ml = exact.decode_llr(llr), linear.decode_llr(llr), maxlog.decode_llr(llr)
    # the linear correction removes most of max-log's distance to the exact LLRs
    assert np.median(np.abs(lin - e)) < 0.25 * np.median(np.abs(ml - e))
    assert (np.sign(lin) != np.sign(e)).mean() < 2e-3


@pytest.mark.statistical
def test_log_map_linear_ber_equals_log_map_within_ci(effort):
    """Same frames, K = 7 at 2 dB: the bit error counts of exact and linear log-MAP agree
    within the binomial spread (bit errors come in events: twice the binomial band)."""
    frames = 300 * effort
    exact = ConvolutionalCode(K7, 1024, algorithm="bcjr", variant="log-map")
    linear = ConvolutionalCode(K7, 1024, algorithm="bcjr", variant="log-map-linear")
    u, llr = _noisy(exact, frames, 2.0, 12)
    e, lin = int((exact.decode(llr) != u).sum()), int((linear.decode(llr) != u).sum())
    assert e > 100
    assert abs(lin - e) <= 2 * binomial_tolerance(u.size, e / u.size)


def test_extrinsic_llrs_leave_out_the_bits_own_information():
    """For the systematic LTE constituent, the extrinsic LLR of bit t does not change when
    the channel LLR of its systematic bit and its a priori LLR change, and L = L_e + L_a + L_s."""
    code = ConvolutionalCode(k=200, algorithm="bcjr", variant="log-map", **LTE)
    u, llr = _noisy(code, 20, 1.0, 5)
    la = np.random.default_rng(6).normal(0, 2, (20, 200)).astype(np.float32)
    post = code.decode_llr(llr, apriori=la)
    ext = code.decode_llr(llr, apriori=la, extrinsic=True)
    np.testing.assert_allclose(post - ext, la + llr.reshape(20, -1, 2)[:, :200, 0], atol=1e-4)
    changed, la2 = llr.copy(), la.copy()
    changed[:, 2 * 57] += 3.0  # systematic LLR of bit 57
    la2[:, 57] -= 5.0
    ext2 = code.decode_llr(changed, apriori=la2, extrinsic=True)
    np.testing.assert_allclose(ext2[:, 57], ext[:, 57], atol=1e-3)
    assert np.abs(ext2[:, 56] - ext[:, 56]).max() > 1e-2  # its neighbours do see it
    assert decoding.systematic_output(code.trellis) == 0
    assert decoding.systematic_output(ConvolutionalCode(K7, 10).trellis) is None


@pytest.mark.parametrize("decoder", [{"algorithm": "viterbi"}, {"algorithm": "bcjr", "variant": "log-map"},
                                     {"algorithm": "viterbi", "quantization": {"bits": 5, "fraction_bits": 1}},
                                     {"algorithm": "bcjr", "quantization": {"bits": 8, "fraction_bits": 3}}])
def test_a_frame_decodes_the_same_in_any_batch_and_lane(decoder):
    code = build_code({"type": "convolutional", "generators": K7, "k": 100, "decoder": decoder})
    u, llr = _noisy(code, 45, 1.0, 9)
    together = code.decode_llr(llr) if decoder["algorithm"] == "bcjr" else code.decode(llr)
    reordered = code.decode_llr(llr[::-1]) if decoder["algorithm"] == "bcjr" else code.decode(llr[::-1])
    assert np.array_equal(reordered[::-1], together)
    for f in (0, 44):
        alone = code.decode_llr(llr[f:f + 1]) if decoder["algorithm"] == "bcjr" else code.decode(llr[f:f + 1])
        assert np.array_equal(alone[0], together[f])


@pytest.mark.statistical
def test_sixteen_bit_decoders_equal_float_and_three_bits_lose(effort):
    """Same frames, K = 7 at 2.5 dB: with 16 bits the bit errors of soft Viterbi and max-log
    BCJR equal float32's within the binomial spread (bit errors come in events: twice the
    band); with 3-bit LLRs (steps of 1 up to 3) several times the band more (published:
    3-bit soft decisions lose about 0.2-0.3 dB)."""
    frames = 400 * effort
    base = ConvolutionalCode(K7, 1024)
    u, llr = _noisy(base, frames, 2.5, 21)
    for algorithm in ("viterbi", "bcjr"):
        errors = {}
        for name, q in (("float", None), ("q16", {"bits": 16, "fraction_bits": 8}), ("q3", {"bits": 3})):
            code = ConvolutionalCode(K7, 1024, algorithm=algorithm, quantization=q and Quantization(**q))
            errors[name] = int((code.decode(llr) != u).sum())
        tol = 2 * binomial_tolerance(u.size, errors["float"] / u.size)
        assert errors["float"] > 100
        assert abs(errors["q16"] - errors["float"]) <= tol, (algorithm, errors)
        assert errors["q3"] > errors["float"] + 3 * tol, (algorithm, errors)


@pytest.mark.parametrize("decoder, message", [
    ({"algorithm": "bcjr", "variant": "log-map", "quantization": {"bits": 8}},
     "code.decoder.quantization: applies to the max-log variant, not to 'log-map'"),
    ({"algorithm": "viterbi", "decision": "hard", "quantization": {"bits": 8}},
     "code.decoder.quantization: applies to soft decisions (hard decisions are signs already)"),
    ({"algorithm": "viterbi", "quantization": {"bits": 8, "fraction_bits": 8}},
     "code.decoder.quantization: fraction_bits must be at most bits - 2 = 6 (one integer bit and the sign), got 8"),
    ({"algorithm": "viterbi", "quantization": {"bits": 17}}, "code.decoder.quantization.bits: must be at most 16, got 17"),
    ({"algorithm": "bcjr", "quantization": {"bits": 8, "message_bits": 12}},
     "code.decoder.quantization: message_bits applies to LDPC decoders; trellis metrics are int16, saturated at its range"),
])
def test_bad_quantization_gets_a_one_line_error(decoder, message):
    with pytest.raises(ConfigError) as info:
        build_code({"type": "convolutional", "generators": K7, "decoder": decoder})
    assert str(info.value) == message


def test_names_say_the_variant_and_the_quantization():
    code = build_code({"type": "convolutional", "generators": K7, "k": 64,
                       "decoder": {"algorithm": "bcjr", "quantization": {"bits": 6, "fraction_bits": 2}}})
    assert code.name == "conv (133,171) K=7 zero-tail, BCJR max-log Q6.2 (k=64)"
    linear = build_code({"type": "convolutional", "generators": K7, "k": 64,
                         "decoder": {"algorithm": "bcjr", "variant": "log-map-linear"}})
    assert linear.name == "conv (133,171) K=7 zero-tail, BCJR log-map-linear (k=64)"


# ------------------------------------------------------------------ the generated code

_REGISTER = {64: "[yz]mm", 32: "ymm", 16: "xmm"}[VECTOR_BYTES]


@pytest.mark.parametrize("kind, dtype, instructions", [
    ("bcjr", np.float32, ["vmaxps", "vaddps", "vsubps"]),
    ("bcjr", np.int16, ["vpmaxsw", "vpaddsw", "vpsubsw"]),
    ("viterbi", np.float32, ["vcmpltps", "vaddps", "vmaxps"]),
])
def test_trellis_steps_are_vector_code(kind, dtype, instructions):
    """The add-compare-select of every state is whole-register code on the frame lanes."""
    code = ConvolutionalCode(**LTE, k=16)
    W = {"bcjr": decoding.LANES, "viterbi": decoding.VITERBI_LANES}[kind]
    if dtype == np.int16:
        W = decoding.INT_LANES
    kern = _kernels(W, 0, code.trellis)
    fresh = numba.njit(error_model="numpy")(getattr(kern, kind).py_func)
    T, S = 19, 8
    z = lambda *shape, dt=dtype: np.zeros(shape, dt)  # noqa: E731
    q, neg = (np.float32(0), np.float32(-1e30)) if dtype == np.float32 else (np.int16(32767), np.int16(-32767))
    if kind == "bcjr":
        fresh(z(1, T, 2, W), z(1, T, W), True, True, q, neg, z(T + 1, S, W), z(4, W), z(8, W), z(S, W), z(S, W),
              z(1, T, W))
    else:
        fresh(z(1, T, 2, W), True, False, q, neg, np.ones(T, np.bool_), 0, True, 0, 16, 1, z(T, S, dt=np.uint64),
              z(T, W, dt=np.int32), z(S, W), z(S, W), z(4, W), z(1, 16, dt=np.uint8))
    asm = next(iter(fresh.inspect_asm().values()))
    for op in instructions:
        assert len(re.findall(rf"{op}\s[^\n]*%{_REGISTER}", asm)) >= 2, op


def test_siso_entry_point_equals_the_decoder():
    """bcjr_siso (the caller's frames-innermost arrays, halved in the kernel) and
    BCJRDecoder (halved in its layout pass) are two compilations of one kernel: same LLRs."""
    from shannonlab.codes.convolutional.decoding import bcjr_siso

    for variant in ("max-log", "log-map", "log-map-linear"):
        code = ConvolutionalCode(k=100, algorithm="bcjr", variant=variant, **LTE)
        u, llr = _noisy(code, 2 * decoding.LANES + 3, 1.0, 14)
        la = np.random.default_rng(2).normal(0, 1, (llr.shape[0], 100)).astype(np.float32)
        T = 103
        apriori = np.zeros((T, llr.shape[0]), np.float32)
        apriori[:100] = la.T
        siso = bcjr_siso(code.trellis, llr.astype(np.float32).reshape(-1, T, 2).transpose(1, 2, 0), apriori, variant)
        np.testing.assert_array_equal(siso[:100].T, code.decode_llr(llr, apriori=la))


def test_factory_kernels_with_other_constants_are_other_cache_entries():
    """A kernel made by a factory is keyed by its code and the constants it closes over,
    so two lane counts (or trellises) never share a compiled entry on disk."""
    from shannonlab.codes.simd import local_kernel

    def make(W, scale):
        def kernel(x):
            return x * scale + W
        return local_kernel(kernel)

    assert make(8, 2)._kernel_key == make(8, 2)._kernel_key
    assert len({make(8, 2)._kernel_key, make(16, 2)._kernel_key, make(8, 3)._kernel_key}) == 3
    # compiled kernels are named after that key: two trellises never share a symbol when
    # their cached code is loaded into one process (the first loaded would win)
    k7, k9 = (_kernels(decoding.VITERBI_LANES, 0, ConvolutionalCode(g, 16).trellis) for g in (K7, ["561", "753"]))
    assert k7.viterbi.py_func.__qualname__ != k9.viterbi.py_func.__qualname__


@pytest.mark.parametrize("src_dtype, dst_dtype, W", [(np.float64, np.float32, 8), (np.int8, np.int16, 16)])
def test_transpose_tile_moves_every_element(src_dtype, dst_dtype, W):
    from numba import njit

    from shannonlab.codes.vector import transpose_tile

    @njit
    def tiles(src, dst, scale):
        for r0 in range(0, src.shape[0], W):
            for c0 in range(0, src.shape[1], W):
                transpose_tile(src, r0, c0, dst, c0, r0, scale, W)

    src = (np.arange(2 * W * 3 * W) % 97 - 48).reshape(2 * W, 3 * W).astype(src_dtype)
    dst = np.zeros((3 * W, 2 * W), dst_dtype)
    tiles(src, dst, np.float32(0.5))
    expected = src.T.astype(dst_dtype) * (0.5 if dst_dtype == np.float32 else 1)
    np.testing.assert_array_equal(dst, expected)
