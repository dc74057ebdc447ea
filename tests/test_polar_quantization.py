"""Fixed-point polar decoding: quantisation of channel LLRs, saturated integer lane loops,
16-bit decoders equal to float within confidence intervals, 4-bit decoders measurably worse,
and the one-line errors of bad quantisation settings.

Quantised decoders are compared statistically, not frame by frame: integer LLRs are often
equal (or 0), and on such ties the node rules and bit-by-bit SC may pick different, equally
likely words (a rate-1 node with LLRs (-7, 0): hard decisions give 10, bit-by-bit SC 11)."""

import numpy as np
import pytest
from numba import njit

from shannonlab.channels import AWGN
from shannonlab.codes.polar import build_polar
from shannonlab.codes.polar.fixed_point import Quantization
from shannonlab.codes.polar.lanes import add_lanes, f_lanes, g_lanes
from shannonlab.errors import ConfigError
from shannonlab.sim.registry import build_code


def test_quantize_rounds_and_saturates_symmetrically():
    q = Quantization(bits=8, fraction_bits=2)
    assert (q.max_int, q.step, q.dtype) == (127, 0.25, np.int8)
    assert q.quantize(np.array([0.124, 0.126, -0.375, 31.74, 1e9, -1e9])).tolist() == [0, 1, -2, 127, 127, -127]
    wide = Quantization(bits=16, fraction_bits=8, saturation=20.0)
    assert wide.dtype == np.int16 and wide.channel_max_int == 5120
    assert wide.quantize(np.array([100.0, -0.5])).tolist() == [5120, -128]


@njit
def _f_g_add(a, s, q, out_f, out_g, out_add):
    f_lanes(a, 0, a, 1, out_f, 0, 1)
    g_lanes(a, 0, a, 1, s, 0, out_g, 0, 1, q)
    add_lanes(a, 0, a, 1, out_add, 0, 1, q)


@pytest.mark.parametrize("x, y, s, expected", [
    (100, 100, 1, (100, 127, 127)),     # g and add saturate at +Q = 127
    (-100, -100, 1, (100, -127, -127)),  # ... and at -Q (never -128)
    (-127, 90, -1, (-90, 127, -37)),    # g = 90 - (-127) saturates
    (5, -3, -1, (-3, -8, 2)),
])
def test_integer_lane_rules_saturate(x, y, s, expected):
    a = np.array([x, y], dtype=np.int8)
    outs = [np.zeros(1, dtype=np.int8) for _ in range(3)]
    _f_g_add(a, np.array([s], dtype=np.int8), np.int8(127), *outs)
    assert tuple(int(o[0]) for o in outs) == expected


def _frame_errors(config, decoders, frames, ebn0_db, seed):
    """Frame-error indicators of several decoders of one code on the same noisy frames."""
    codes = [build_polar(decoder=d, **config) for d in decoders]
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, size=(frames, codes[0].k), dtype=np.uint8)
    llr = AWGN(ebn0_db=ebn0_db, rate=codes[0].rate).transmit(codes[0].encode(u), rng)
    return [(c.decode(llr) != u).any(axis=1) for c in codes]


def _mcnemar(a: np.ndarray, b: np.ndarray) -> tuple[int, int]:
    """(frames only a got wrong, frames only b got wrong)."""
    return int((a & ~b).sum()), int((b & ~a).sum())


CONFIG = dict(n=256, k=128, construction={"method": "ga", "design_ebn0_db": 2.0})


@pytest.mark.statistical
@pytest.mark.parametrize("algorithm", ["fast-ssc", "fast-sscl"])
def test_16_bits_decode_as_float_within_confidence(algorithm, effort):
    """On the same frames the discordant pairs (float right / fixed wrong and the reverse)
    are equally likely if 16 bits lose nothing: McNemar's |b - c| <= 4 sqrt(b + c) + 1; and
    they are rare (16 bits with 8 fractional bits resolve LLRs to 1/256)."""
    extra = {"list_size": 4} if algorithm == "fast-sscl" else {}
    frames = (4000 if algorithm == "fast-ssc" else 1500) * effort
    fixed = {"algorithm": algorithm, "quantization": {"bits": 16, "fraction_bits": 8}, **extra}
    float_errors, fixed_errors = _frame_errors(CONFIG, [{"algorithm": algorithm, **extra}, fixed], frames, 2.0, 11)
    assert float_errors.sum() > 30
    b, c = _mcnemar(float_errors, fixed_errors)
    assert abs(b - c) <= 4 * np.sqrt(b + c) + 1
    assert b + c <= 0.01 * frames


@pytest.mark.statistical
@pytest.mark.parametrize("algorithm", ["fast-ssc", "fast-sscl"])
def test_4_bits_measurably_lose(algorithm, effort):
    """4-bit messages with one fractional bit (LLRs in steps of 1/2, clipped at 3.5) lose
    frames float decodes: the discordant pairs lean to the 4-bit side by > 4 sigma."""
    extra = {"list_size": 4} if algorithm == "fast-sscl" else {}
    frames = 1500 * effort
    coarse = {"algorithm": algorithm, "quantization": {"bits": 4, "fraction_bits": 1}, **extra}
    float_errors, coarse_errors = _frame_errors(CONFIG, [{"algorithm": algorithm, **extra}, coarse], frames, 2.0, 12)
    b, c = _mcnemar(float_errors, coarse_errors)
    assert c - b > 4 * np.sqrt(b + c) + 1


@pytest.mark.statistical
def test_8_bits_stay_close_to_float(effort):
    """The usual hardware choice, 8 bits with 2 fractional: within 15 % of float's FER."""
    frames = 3000 * effort
    float_errors, fixed_errors = _frame_errors(
        CONFIG, [{"algorithm": "fast-ssc"}, {"algorithm": "fast-ssc", "quantization": {"bits": 8, "fraction_bits": 2}}],
        frames, 2.5, 13)
    b, c = _mcnemar(float_errors, fixed_errors)
    assert abs(b - c) <= 4 * np.sqrt(b + c) + 1 + 0.15 * float_errors.sum()


@pytest.mark.parametrize("quantization, message", [
    ({"bits": 17}, "code.decoder.quantization.bits: must be at most 16, got 17"),
    ({"bits": 1}, "code.decoder.quantization.bits: must be at least 2, got 1"),
    ({"bits": 6, "fraction_bits": 5},
     "code.decoder.quantization: fraction_bits must be at most bits - 2 = 4 (one integer bit and the sign), got 5"),
    ({"bits": 8, "fraction_bits": 2, "saturation": 0.1},
     "code.decoder.quantization: saturation 0.1 is below one step 2^-2: every LLR would be 0"),
    ({"fraction_bits": 2}, "code.decoder.quantization.bits: required, but missing"),
])
def test_one_line_quantization_errors(quantization, message):
    with pytest.raises(ConfigError) as info:
        build_code({"type": "polar", "n": 64, "k": 32, "decoder": {"algorithm": "fast-ssc", "quantization": quantization}})
    assert str(info.value) == message
