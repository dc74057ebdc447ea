"""LDPC inter-frame SIMD and fixed-point decoders: frame-by-frame equality with a plain
per-frame evaluation of the update formulas (float32 and saturated integers), independence
of the batch, error rates of the quantised decoders, and the vector code in the assembly."""

import itertools

import numba
import numpy as np
import pytest
import scipy.sparse as sp
from conftest import binomial_tolerance

from shannonlab.channels import AWGN
from shannonlab.codes.ldpc.code import LDPCSpec
from shannonlab.codes.ldpc.decoding import INT_LANES, LANES, BeliefPropagation
from shannonlab.codes.ldpc.kernels import kernels
from shannonlab.codes.ldpc.matrices import peg
from shannonlab.codes.simd import VECTOR_BYTES, Quantization
from shannonlab.errors import ConfigError
from shannonlab.sim.registry import build_code

MIN_SUM = {"min-sum": 1, "normalized-min-sum": 2, "offset-min-sum": 3}
MATRIX_648 = {"standard": "ieee80211n", "n": 648, "rate": "1/2"}


def _reference(H, llr, rule, layered, max_iter, alpha, beta, early_stop, qz=None):
    """Frames decoded by the formulas of codes/ldpc/decoding.py, check by check with numpy
    (all frames side by side, each recorded when it stops): float32, or integers saturated
    at +-Q (returned times the step). Returns (posteriors, iterations)."""
    csr = sp.csr_matrix(H)
    checks = [csr.indices[csr.indptr[c]:csr.indptr[c + 1]] for c in range(csr.shape[0])]
    F = llr.shape[0]
    if qz is None:
        post = llr.astype(np.float32)
        clip = lambda v: v  # noqa: E731
        alpha_f, beta_v = np.float32(alpha), np.float32(beta)
        big = np.float32(np.finfo(np.float32).max)
    else:
        Q = qz.message_max
        post = qz.quantize(llr).astype(np.int64)
        clip = lambda v: np.clip(v, -Q, Q)  # noqa: E731
        A = int(np.floor(np.float32(alpha) * np.float32(256.0) + np.float32(0.5)))
        beta_v = round(beta * 2**qz.fraction_bits)
        big = 10**9
    chan = post.copy()
    c2v = [np.zeros((F, len(v)), post.dtype) for v in checks]
    step = 1.0 if qz is None else qz.step
    out_post = np.zeros(post.shape)
    out_iters = np.full(F, -1)

    def record(it, final=False):
        ok = np.all([np.count_nonzero(post[:, v] < 0, axis=1) % 2 == 0 for v in checks], axis=0)
        done = (out_iters < 0) & ((ok & early_stop) | final)
        out_post[done] = post[done] * step
        out_iters[done] = it

    def check_messages(x):
        mags = np.abs(x)
        order = np.sort(mags, axis=1)
        m1, m2 = order[:, :1], order[:, 1:2]
        low = m1
        if rule == 2:
            m1, m2 = (m1 * alpha_f, m2 * alpha_f) if qz is None else ((m1 * A + 128) >> 8, (m2 * A + 128) >> 8)
        elif rule == 3:
            m1, m2 = np.maximum(m1 - beta_v, 0), np.maximum(m2 - beta_v, 0)
        signs = np.signbit(x)
        negative = (np.count_nonzero(signs, axis=1)[:, None] + signs) % 2 == 1
        mag = np.where(mags == low, m2, m1).astype(x.dtype)
        return np.where(negative, -mag, mag)

    record(0)
    for it in range(1, max_iter + 1):
        new = chan.copy()
        for c, v in enumerate(checks):
            x = clip(post[:, v] - c2v[c])
            out = check_messages(x)
            c2v[c] = out
            if layered:
                post[:, v] = clip(x + out)
            else:
                for j, var in enumerate(v):  # in edge order, as the kernel sums
                    new[:, var] = clip(new[:, var] + out[:, j])
        if not layered:
            post = new
        record(it, it == max_iter)
    assert big > 0
    return out_post, out_iters


@pytest.fixture(scope="module")
def small_code():
    H = peg(96, 3, 6, seed=2)
    code = build_code({"type": "ldpc", "matrix": {"random": "peg", "n": 96, "dv": 3, "dc": 6, "seed": 2}})
    rng = np.random.default_rng(17)
    frames = 2 * max(INT_LANES[np.int8], LANES) + 5  # lanes refill more than once
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    llr = AWGN(ebn0_db=2.0, rate=code.rate).transmit(code.encode(u), rng)
    return H, llr


@pytest.mark.parametrize("rule, layered, quantization", [
    (rule, layered, q) for rule, layered, q in itertools.product(
        MIN_SUM, (True, False), (None, {"bits": 8, "fraction_bits": 2}, {"bits": 5, "fraction_bits": 1, "message_bits": 6},
                                 {"bits": 12, "fraction_bits": 6}))])
def test_min_sum_family_equals_the_per_frame_formulas_exactly(small_code, rule, layered, quantization):
    """Every posterior value and iteration count, frame by frame, equals a scalar evaluation
    of the same update formulas (float32, or saturated integers of 8, 6 and 16 bits), with
    frames finishing at different iterations so that lanes are refilled mid-batch."""
    H, llr = small_code
    qz = None if quantization is None else Quantization(**quantization)
    dec = BeliefPropagation(H, rule, "layered" if layered else "flooding", max_iterations=12, alpha=0.75,
                            beta=0.5, quantization=qz)
    post, iters, ok = dec.run(llr)
    assert len(set(iters.tolist())) > 3  # frames end at different iterations
    ref_post, ref_iters = _reference(H, llr, MIN_SUM[rule], layered, 12, 0.75, 0.5, True, qz)
    np.testing.assert_array_equal(iters, ref_iters)
    np.testing.assert_array_equal(post, ref_post.astype(np.float32))


@pytest.mark.parametrize("early_stop", [True, False])
def test_without_early_stopping_every_frame_runs_max_iterations(small_code, early_stop):
    H, llr = small_code
    dec = BeliefPropagation(H, "offset-min-sum", "layered", max_iterations=7, early_stop=early_stop,
                            quantization=Quantization(bits=6, fraction_bits=2))
    post, iters, ok = dec.run(llr)
    ref_post, ref_iters = _reference(H, llr, 3, True, 7, 0.8, 0.5, early_stop, dec.quantization)
    np.testing.assert_array_equal(iters, ref_iters)
    np.testing.assert_array_equal(post, ref_post.astype(np.float32))
    np.testing.assert_array_equal(ok, ~((H @ (post < 0).T.astype(np.int64)) % 2).any(axis=0))
    assert (iters == 7).all() != early_stop


@pytest.mark.parametrize("decoder", [{"algorithm": "sum-product", "schedule": "layered"},
                                     {"algorithm": "normalized-min-sum", "schedule": "flooding",
                                      "quantization": {"bits": 6, "fraction_bits": 1}},
                                     {"algorithm": "min-sum", "schedule": "layered",
                                      "quantization": {"bits": 10, "fraction_bits": 4}}])
def test_a_frame_decodes_the_same_in_any_batch_and_lane(decoder):
    code = LDPCSpec(matrix=MATRIX_648, decoder=decoder).build()
    rng = np.random.default_rng(23)
    u = rng.integers(0, 2, (150, code.k), dtype=np.uint8)
    llr = AWGN(ebn0_db=1.5, rate=0.5).transmit(code.encode(u), rng)
    together = code.decoder.run(llr)
    reordered = code.decoder.run(llr[::-1])  # every frame in another lane, beside other frames
    assert np.array_equal(reordered[0][::-1], together[0]) and np.array_equal(reordered[1][::-1], together[1])
    for f in (0, 70, 149):
        alone = code.decoder.run(llr[f:f + 1])
        assert np.array_equal(alone[0][0], together[0][f]) and alone[1][0] == together[1][f]


def _paired_fer(ebn0_db, frames, seed, **decoders):
    """Frame error counts of several decoders on the same frames."""
    codes = {name: LDPCSpec(matrix=MATRIX_648, decoder=d).build() for name, d in decoders.items()}
    first = next(iter(codes.values()))
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, (frames, first.k), dtype=np.uint8)
    llr = AWGN(ebn0_db=ebn0_db, rate=0.5).transmit(first.encode(u), rng)
    return {name: int(np.any(code.decode(llr) != u, axis=1).sum()) for name, code in codes.items()}


@pytest.mark.statistical
def test_sixteen_bit_decoding_equals_float_and_four_bits_loses(effort):
    """At 2 dB (802.11n n=648, layered NMS 0.8 / OMS 0.5, 20 it): with 16 bits (8 of them
    fractional) the frame error count equals float32's within the binomial spread; with a
    4-bit channel (1 fractional bit: LLRs in 0.5 steps up to 3.5) it is several times
    higher (published: 4-bit channel quantisation costs a few tenths of a dB)."""
    frames = 6000 * effort
    nms = {"algorithm": "normalized-min-sum", "schedule": "layered"}
    oms = {"algorithm": "offset-min-sum", "schedule": "layered"}
    fer = _paired_fer(2.0, frames, 31, nms=nms, nms16={**nms, "quantization": {"bits": 16, "fraction_bits": 8}},
                      nms4={**nms, "quantization": {"bits": 4, "fraction_bits": 1}},
                      oms=oms, oms16={**oms, "quantization": {"bits": 16, "fraction_bits": 8}},
                      oms4={**oms, "quantization": {"bits": 4, "fraction_bits": 1}})
    for rule in ("nms", "oms"):
        base = fer[rule]
        tol = binomial_tolerance(frames, base / frames)
        assert 10 < base < 0.05 * frames
        assert abs(fer[rule + "16"] - base) <= tol
        assert fer[rule + "4"] > 2 * base + tol


@pytest.mark.parametrize("decoder, message", [
    ({"algorithm": "sum-product", "quantization": {"bits": 8}},
     "codes[0].decoder.quantization: applies to the min-sum family (min-sum, normalized-min-sum, offset-min-sum), "
     "not to sum-product"),
    ({"algorithm": "min-sum", "quantization": {"bits": 8, "fraction_bits": 7}},
     "codes[0].decoder.quantization: fraction_bits must be at most bits - 2 = 6 (one integer bit and the sign), got 7"),
    ({"algorithm": "min-sum", "quantization": {"bits": 20}}, "codes[0].decoder.quantization.bits: must be at most 16, got 20"),
    ({"algorithm": "min-sum", "quantization": {"bits": 1}}, "codes[0].decoder.quantization.bits: must be at least 2, got 1"),
    ({"algorithm": "min-sum", "quantization": {"bits": 8, "message_bits": 6}},
     "codes[0].decoder.quantization: message_bits must be at least bits = 8, got 6"),
    ({"algorithm": "min-sum", "quantization": {"bits": 8, "fraction_bits": -1}},
     "codes[0].decoder.quantization.fraction_bits: must be at least 0, got -1"),
    ({"algorithm": "min-sum", "quantization": {"bits": 8, "saturation": 3}},
     "codes[0].decoder.quantization.saturation: unknown key (allowed: bits, fraction_bits, message_bits)"),
])
def test_bad_quantization_gets_a_one_line_error(decoder, message):
    with pytest.raises(ConfigError) as info:
        build_code({"type": "ldpc", "matrix": MATRIX_648, "decoder": decoder}, "codes[0]")
    assert str(info.value) == message


def test_quantized_code_is_named_and_decodes_noiseless_frames():
    code = build_code({"type": "ldpc", "matrix": MATRIX_648,
                       "decoder": {"algorithm": "offset-min-sum", "schedule": "layered",
                                   "quantization": {"bits": 6, "fraction_bits": 2}}})
    assert code.name == "LDPC 802.11n n=648 R=1/2 offset-min-sum b=0.5 Q6.2 layered 20 it"
    u = np.random.default_rng(3).integers(0, 2, (70, code.k), dtype=np.uint8)
    report = code.decode_report(2.0 * (1.0 - 2.0 * code.encode(u)))
    assert np.array_equal(report.bits, u) and (report.iterations == 0).all()


# ------------------------------------------------------------------ the generated code

_REGISTER = {64: "[yz]mm", 32: "ymm", 16: "xmm"}[VECTOR_BYTES]


def _asm(dispatcher, *args) -> str:
    """Assembly of the kernel's Python source compiled afresh (cached code cannot be
    inspected) for these arguments."""
    fresh = numba.njit(error_model="numpy")(dispatcher.py_func)
    fresh(*args)
    return next(iter(fresh.inspect_asm().values()))


def _iterate_args(dtype, W, rule):
    H = peg(96, 3, 6, seed=2)
    dec = BeliefPropagation(H, "min-sum")
    n, E = 96, dec.edge_var.size
    z = lambda *shape: np.zeros(shape, dtype)  # noqa: E731
    big = np.finfo(dtype).max if dtype == np.float32 else np.iinfo(dtype).max
    return (True, dec.check_ptr, dec.edge_var, z(n, W), z(n, W), z(E, W), z(1, W), z(6, W), z(13, W), rule,
            np.float32(0.8), dtype(1), dtype(big), dtype(big))


@pytest.mark.parametrize("dtype, rule, instructions", [
    (np.float32, 2, ["vminps", "vmaxps", "vsubps", "vaddps", "vmulps"]),
    (np.int8, 3, ["vpaddsb", "vpsubsb", "vpminsb", "vpmaxsb", "vpabsb"]),
])
def test_min_sum_iterations_are_vector_code(dtype, rule, instructions):
    """The check-node loops compile to whole-register instructions on the frame lanes:
    packed min/max/add (saturating for integers) on the registers of this CPU's width."""
    W = LANES if dtype == np.float32 else INT_LANES[dtype]
    asm = _asm(kernels(W).iterate_min_sum, *_iterate_args(dtype, W, rule))
    for op in instructions:
        assert len(__import__("re").findall(rf"{op}\s[^\n]*%{_REGISTER}", asm)) >= 2, op


def test_sum_product_iterations_are_vector_code():
    asm = _asm(kernels(LANES).iterate_sum_product, *_iterate_args(np.float32, LANES, 0))
    import re
    for op in ("vdivps", "vroundps", "vfmadd", "vpslld"):
        assert re.search(rf"{op}\w*\s[^\n]*%{_REGISTER}", asm), op
