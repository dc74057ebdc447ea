"""Fast polar decoders against the plain ones, frame by frame on noisy inputs: fast-SSC and
SC against bit-by-bit SC, fast-SSCL and SCL against bit-by-bit SCL (whole lists), SCL1 = SC,
adaptive CA-SCL against the lists it chains, lists of 128; float32 input, batches that do
not fill the SIMD lanes, and the vector registers the hot loops compile to."""

import numpy as np
import pytest
from numba import njit

from shannonlab.channels import AWGN
from shannonlab.codes.polar import build_polar, polar_transform, sc_decode, schedule, scl_decode
from shannonlab.codes.polar.decoding import node_counts, sc_lanes
from shannonlab.codes.polar.fixed_point import VECTOR_BYTES, lanes, vector_report
from shannonlab.codes.polar.lanes import f_lanes, g_lanes


def _noisy(code, frames, ebn0_db, seed):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, size=(frames, code.k), dtype=np.uint8)
    x = code.encode(u)
    return u, x, AWGN(ebn0_db=ebn0_db, rate=code.rate).transmit(x, rng)


CODES = [
    dict(n=256, k=128, construction={"method": "ga", "design_ebn0_db": 2.0}),
    dict(n=512, k=100, construction={"method": "bhattacharyya", "design_ebn0_db": 0.0}),
    dict(n=1024, k=700, construction={"method": "5g"}, systematic=True),
]


@pytest.mark.parametrize("config", CODES, ids=lambda c: f"{c['n']}-{c['k']}")
def test_fast_ssc_and_sc_decide_as_bit_by_bit_sc(config):
    code = build_polar(**config)
    ebn0 = {128: 2.0, 100: 0.5, 700: 2.5}[code.k]
    u, x, llr = _noisy(code, 301, ebn0, 7)  # 301: the last SIMD block is partly empty
    reference = sc_decode(llr, schedule(code.frozen, bits=True))
    assert 20 < (reference != x).any(axis=1).sum() < 290  # decoding errors to compare
    for ops in (schedule(code.frozen), schedule(code.frozen, spc=True), schedule(code.frozen, spc=True, fused=True)):
        x_hat, u_hat = sc_decode(llr, ops, with_u=True)
        assert np.array_equal(x_hat, reference)
        assert np.array_equal(u_hat, polar_transform(reference))
    assert "SPC" in node_counts(schedule(code.frozen, spc=True))
    fast = build_polar(decoder={"algorithm": "fast-ssc"}, **config)
    assert np.array_equal(fast.decode(llr), code.decode(llr))


@pytest.mark.parametrize("list_size", [2, 8, 32])
def test_fast_sscl_and_scl_keep_the_bit_by_bit_list(list_size):
    """Whole lists (candidates, order, counts) frame by frame; metrics up to float32
    rounding (the node rules add the same |LLR|s in another order)."""
    code = build_polar(n=256, k=128, construction={"method": "ga", "design_ebn0_db": 2.0})
    _, x, llr = _noisy(code, 120, 1.5, 3)
    ref_x, ref_m, ref_c = scl_decode(llr, schedule(code.frozen, bits=True), list_size)
    assert (ref_x[:, 0] != x).any(axis=1).sum() > 5
    for ops in (schedule(code.frozen), schedule(code.frozen, spc=True)):
        xs, metrics, counts = scl_decode(llr, ops, list_size)
        assert np.array_equal(xs, ref_x) and np.array_equal(counts, ref_c)
        assert np.allclose(metrics, ref_m, rtol=1e-5, atol=1e-4)


def test_list_of_one_is_sc_and_lists_of_128_are_lists():
    config = dict(n=256, k=128, construction={"method": "ga", "design_ebn0_db": 2.0})
    code = build_polar(**config)
    u, x, llr = _noisy(code, 100, 1.5, 5)
    sc = code.decode(llr)
    assert (sc != u).any(axis=1).sum() > 10
    for algorithm in ("scl", "fast-sscl"):
        assert np.array_equal(build_polar(decoder={"algorithm": algorithm, "list_size": 1}, **config).decode(llr), sc)
    xs, metrics, counts = scl_decode(llr[:20], schedule(code.frozen, spc=True), 128)
    assert (counts == 128).all() and (np.diff(metrics, axis=1) >= 0).all()
    assert all(len({c.tobytes() for c in frame}) == 128 for frame in xs)
    assert not polar_transform(xs.reshape(-1, 256)).reshape(20, 128, 256)[:, :, code.frozen].any()
    big = build_polar(crc="CRC11", decoder={"algorithm": "fast-sscl", "list_size": 128}, **{**config, "k": 100})
    u2, _, llr2 = _noisy(big, 40, 2.0, 6)
    assert (big.decode(llr2) == u2).all(axis=1).sum() >= 38


def test_adaptive_scl_takes_the_first_list_that_passes_the_crc():
    """Frame by frame: SC, then CA-SCL with L = 2, 4, 8 on the frames still failing."""
    config = dict(n=256, k=120, construction={"method": "ga", "design_ebn0_db": 1.5}, crc="CRC6")
    adaptive = build_polar(decoder={"algorithm": "adaptive-scl", "max_list_size": 8}, **config)
    u, _, llr = _noisy(adaptive, 400, 1.25, 8)
    report = adaptive.decode_report(llr)
    stages = [build_polar(decoder={"algorithm": "fast-ssc"}, **config)]
    stages += [build_polar(decoder={"algorithm": "fast-sscl", "list_size": size}, **config) for size in (2, 4, 8)]
    expected_bits = np.zeros_like(u)
    expected_passes = np.zeros(len(u), dtype=np.int64)
    done = np.zeros(len(u), dtype=bool)
    for passes, stage in enumerate(stages, start=1):
        r = stage.decode_report(llr)
        take = ~done & (~r.failures | (passes == len(stages)))
        expected_bits[take] = r.bits[take]
        expected_passes[take] = passes
        done |= ~r.failures
    assert np.array_equal(report.bits, expected_bits)
    assert np.array_equal(report.failures, ~done)
    assert np.array_equal(report.iterations, expected_passes)
    assert (expected_passes > 1).sum() > 20 and (expected_passes == 4).any() and report.failures.any()


def test_float32_input_and_partial_blocks_decide_the_same():
    code = build_polar(n=512, k=256, construction={"method": "5g"}, crc="CRC11",
                       decoder={"algorithm": "fast-sscl", "list_size": 4})
    sc = build_polar(n=512, k=256, construction={"method": "5g"}, crc="CRC11", decoder={"algorithm": "fast-ssc"})
    _, _, llr = _noisy(code, 37, 1.5, 9)
    for c in (code, sc):
        whole = c.decode(llr)
        assert np.array_equal(c.decode(llr.astype(np.float32)), whole)
        assert np.array_equal(np.concatenate([c.decode(llr[:5]), c.decode(llr[5:])]), whole)


def test_lanes_fill_one_register():
    assert VECTOR_BYTES in (16, 32, 64)
    assert lanes(np.float32) * 4 == lanes(np.int16) * 2 == lanes(np.int8) == VECTOR_BYTES


@njit
def _f_then_g(a, s, h):
    f_lanes(a, 2 * h, a, 3 * h, a, 0, h)
    g_lanes(a, 2 * h, a, 3 * h, s, 0, a, h, h, a[0])


def test_hot_loops_compile_to_register_wide_instructions():
    """The lane loops (f, g) and the whole SC kernel use registers of the detected width:
    ymm on AVX2, zmm on AVX-512 (counted in numba's assembly, compiled afresh here because
    numba keeps no assembly for cached functions)."""
    kind = {16: "xmm", 32: "ymm", 64: "zmm"}[VECTOR_BYTES]
    for dtype in (np.float32, np.int8):
        a = np.zeros(64 * lanes(dtype), dtype=dtype)
        _f_then_g(a, np.ones_like(a), 8 * lanes(dtype))
    for signature in _f_then_g.signatures:
        assert vector_report(_f_then_g, signature)[kind] >= 6, signature
    kernel = njit(sc_lanes.py_func)
    n, b = 64, lanes(np.float32)
    ops = schedule(np.arange(n) % 3 == 0, spc=True, fused=True)
    out = np.empty((b, 8), dtype=np.uint8)
    kernel(np.zeros((b, n)), ops, np.arange(8), True, np.float32(0), np.zeros(2 * n * b, np.float32),
           np.ones(n * b, np.float32), np.ones(n * b, np.float32), out)
    assert vector_report(kernel)[kind] >= 50
