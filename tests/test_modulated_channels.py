"""Modulated channels: plain BPSK keeps its numbers bit for bit, BICM round trips (interleaver,
padding, fading), the Eb/N0 convention, reference hooks, uncoded error rates through the
engine against the closed forms, and one-line errors."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from shannonlab.channels.awgn import AWGN
from shannonlab.channels.bicm import BICMChannel
from shannonlab.codes.uncoded import Uncoded
from shannonlab.errors import ConfigError
from shannonlab.registry import build_channel, parse_channel_spec
from shannonlab.sim.config import load_experiment
from shannonlab.sim.engine import StopRule, simulate_point
from shannonlab.theory.uncoded import bpsk_rayleigh_ber, psk_ber, qam_ber

from conftest import binomial_tolerance

ROOT = Path(__file__).resolve().parents[1]


def test_plain_bpsk_is_the_old_channel_bit_for_bit():
    for spec in ({"type": "awgn"}, {"type": "awgn", "modulation": "bpsk"},
                 {"type": "awgn", "modulation": "bpsk", "demapper": "max-log", "interleaver": "none"}):
        ch = build_channel(spec, "ebn0_db", 2.0, rate=0.5)
        assert type(ch) is AWGN
        c = np.random.default_rng(1).integers(0, 2, (3, 50), dtype=np.uint8)
        reference = AWGN(ebn0_db=2.0, rate=0.5).transmit(c, np.random.default_rng(9))
        assert np.array_equal(ch.transmit(c, np.random.default_rng(9)), reference)
    assert parse_channel_spec({"type": "awgn"}).model_dump(mode="json") == {"type": "awgn", "modulation": "bpsk"}
    # the committed gallery results keep their config hash (and so their seeds)
    stored = json.loads((ROOT / "results/gallery/uncoded-bpsk/results.json").read_text())
    assert load_experiment(ROOT / "experiments/gallery/1-uncoded-bpsk.yaml").config_hash() == stored["config_hash"]


@pytest.mark.parametrize("spec", [
    {"type": "awgn", "modulation": "16qam"},
    {"type": "awgn", "modulation": "8psk", "interleaver": "row-column", "demapper": "max-log"},
    {"type": "awgn", "modulation": {"name": "16apsk", "code_rate": "2/3"}},
    {"type": "rayleigh", "modulation": "64qam", "fading": "block", "coherence_symbols": 7},
    {"type": "rician", "k_factor_db": 6.0, "modulation": "qpsk", "fading": "block"},
    {"type": "awgn", "modulation": "bpsk", "interleaver": "random"},
])
def test_bicm_round_trip_at_high_snr_with_padding(spec):
    ch = build_channel(spec, "esn0_db", 45.0, rate=1.0)
    assert isinstance(ch, BICMChannel)
    rng = np.random.default_rng(4)
    for n in (60, 61, 1944):  # 61 is not a multiple of m > 1: padded
        c = rng.integers(0, 2, (4, n), dtype=np.uint8)
        llr = ch.transmit(c, np.random.default_rng(5))
        assert llr.shape == (4, n) and llr.dtype == np.float64
        errors = np.count_nonzero((llr < 0) != (c == 1))
        assert errors <= (2 if spec["type"] != "awgn" else 0)  # a deep fade may cost a bit


def test_random_interleaver_is_fixed_by_the_spec_not_the_noise():
    a = build_channel({"type": "awgn", "modulation": "16qam"}, "esn0_db", 8.0, 1.0)
    b = build_channel({"type": "awgn", "modulation": "16qam", "interleaver_seed": 2}, "esn0_db", 8.0, 1.0)
    p = a.interleaver.permutation(100, 4)
    assert np.array_equal(p, a.interleaver.permutation(100, 4)) and not np.array_equal(p, b.interleaver.permutation(100, 4))
    c = np.random.default_rng(0).integers(0, 2, (2, 100), dtype=np.uint8)
    assert np.array_equal(a.transmit(c, np.random.default_rng(3)), a.transmit(c, np.random.default_rng(3)))


def test_ebn0_counts_m_bits_per_symbol_and_the_padding():
    ch = build_channel({"type": "awgn", "modulation": "64qam"}, "ebn0_db", 4.0, rate=0.5)
    assert ch.esn0_db == pytest.approx(4.0 + 10 * math.log10(3.0))  # Es/N0 = R m Eb/N0
    assert ch.esn0_for_length(600) == pytest.approx(10 ** 0.4 * 3.0)
    # 601 coded bits -> 101 symbols carry k = 300.5 information bits: Es/N0 = (k/S) Eb/N0
    assert ch.esn0_for_length(601) == pytest.approx(10 ** 0.4 * 0.5 * 601 / 101)
    snr = build_channel({"type": "awgn", "modulation": "64qam"}, "snr_db", 10.0, rate=0.5)
    assert snr.esn0_db == 10.0  # SNR = Es/N0 per complex symbol


def test_reference_hooks_only_where_they_hold():
    qpsk = build_channel({"type": "awgn", "modulation": "qpsk"}, "esn0_db", 6.0, 1.0)
    assert qpsk.bpsk_esn0() == pytest.approx(10 ** 0.6 / 2) and qpsk.hard_crossover() == pytest.approx(qpsk.uncoded_ber())
    qam = build_channel({"type": "awgn", "modulation": "16qam", "demapper": "max-log"}, "esn0_db", 10.0, 1.0)
    assert qam.hard_crossover() is None and qam.bpsk_esn0() is None
    assert qam.uncoded_ber() == pytest.approx(qam_ber(16, 10.0))
    fast = build_channel({"type": "rayleigh"}, "esn0_db", 10.0, 1.0)
    assert fast.hard_crossover() == pytest.approx(bpsk_rayleigh_ber(10.0))
    block = build_channel({"type": "rayleigh", "fading": "block"}, "esn0_db", 10.0, 1.0)
    assert block.hard_crossover() is None and block.uncoded_ber() == pytest.approx(bpsk_rayleigh_ber(10.0))
    assert build_channel({"type": "awgn", "modulation": "16apsk"}, "esn0_db", 10.0, 1.0).uncoded_ber() is None


def test_limits_per_coded_bit_meet_the_rate_at_the_thresholds():
    spec = parse_channel_spec({"type": "awgn", "modulation": "16qam"})
    rate = 0.5
    for name, x in spec.thresholds("ebn0_db", rate).items():
        assert spec.capacities("ebn0_db", x, rate)[name] == pytest.approx(rate, abs=1e-5), name
    thresholds = spec.thresholds("ebn0_db", rate)
    assert thresholds["Gaussian input"] < thresholds["CM 16qam"] < thresholds["BICM 16qam"]
    fading = parse_channel_spec({"type": "rayleigh", "modulation": "qpsk"})
    x = fading.thresholds("snr_db", rate)["Gaussian input"]
    assert fading.capacities("snr_db", x, rate)["Gaussian input"] == pytest.approx(rate, abs=1e-7)


def _uncoded_ber(spec, esn0_db, k, frames, seed=3):
    ch = build_channel(spec, "esn0_db", esn0_db, rate=1.0)
    result = simulate_point(Uncoded(k), ch, StopRule(min_frame_errors=10**9, max_frames=frames),
                            np.random.SeedSequence(seed), chunk_frames=64)
    return result, ch


@pytest.mark.statistical
@pytest.mark.parametrize("spec, esn0_db", [
    ({"type": "awgn", "modulation": "16qam", "demapper": "max-log"}, 10.0),
    ({"type": "awgn", "modulation": "64qam"}, 16.0),
    ({"type": "awgn", "modulation": "8psk"}, 9.0),
    ({"type": "rayleigh", "modulation": "bpsk"}, 10.0),
    ({"type": "rayleigh", "modulation": "16qam", "demapper": "max-log"}, 14.0),
    ({"type": "rician", "k_factor_db": 3.0, "modulation": "qpsk"}, 8.0),
])
def test_uncoded_ber_through_the_engine_against_the_closed_form(spec, esn0_db, effort):
    result, ch = _uncoded_ber(spec, esn0_db, 480, 256 * effort)
    p = ch.uncoded_ber()
    m = ch.m
    # bits of one symbol share its noise (and gain): their errors count at most m-fold
    assert abs(result.bit_errors - result.bits * p) <= binomial_tolerance(result.bits, p) * math.sqrt(m), \
        (result.ber, p)


@pytest.mark.statistical
def test_block_fading_bpsk_keeps_the_marginal_ber_and_loses_the_averaging(effort):
    # one gain per frame: every bit still sees BPSK on Rayleigh, but frames fail together
    result, ch = _uncoded_ber({"type": "rayleigh", "fading": "block"}, 10.0, 64, 4000 * effort)
    p = bpsk_rayleigh_ber(10.0)
    per_frame_sd = math.sqrt(result.bit_errors_sq / result.frames - (result.bit_errors / result.frames) ** 2)
    tolerance = 4 * per_frame_sd * math.sqrt(result.frames) + 1
    assert abs(result.bit_errors - result.bits * p) <= tolerance, (result.ber, p)
    fast, _ = _uncoded_ber({"type": "rayleigh", "fading": "fast"}, 10.0, 64, 4000 * effort)
    assert result.fer < 0.7 * fast.fer  # the same BER in fewer, worse frames


@pytest.mark.parametrize("spec, message", [
    ({"type": "rician", "k_factor": -1.0}, "channel.k_factor: must be at least 0, got -1"),
    ({"type": "rician"}, "channel.k_factor_db: give exactly one of k_factor_db (dB) and k_factor"),
    ({"type": "rayleigh", "modulation": "12qam"}, "channel.modulation: '12qam': M = 12 is not a power of two"),
    ({"type": "awgn", "modulation": "hexagonal"}, "channel.modulation: unknown constellation 'hexagonal'"),
    ({"type": "awgn", "modulation": {"points": [[1, 0], [0, 1], [-1, 0], [0, -1]], "labels": [0, 1, 2, 2]}},
     "channel.modulation.labels: must be a permutation of 0..3"),
    ({"type": "rayleigh", "coherence_symbols": 8}, "channel.coherence_symbols: is only used with fading: block"),
    ({"type": "awgn", "modulation": "16qam", "interleaver": "spiral"}, "channel.interleaver: must be one of"),
])
def test_bad_channel_specs_give_one_line_errors(spec, message):
    with pytest.raises(ConfigError) as info:
        parse_channel_spec(spec)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_psk_bit_decisions_of_the_exact_llr_are_the_nearest_points():
    # why uncoded_ber of Gray PSK with the exact demapper is Lee's closed form
    from shannonlab.modulation import Constellation

    c = Constellation.from_name("8psk")
    grid = np.linspace(-1.5, 1.5, 201)
    y = (grid[:, None] + 1j * grid[None, :]).reshape(1, -1)
    for n0 in (0.05, 0.5, 3.0):
        assert np.array_equal(c.demap(y, n0, "exact") < 0, c.demap(y, n0, "max-log") < 0)
    assert psk_ber(8, 10.0) > 0


@pytest.mark.statistical
def test_bandlimited_link_carries_qam_above_two_bits_per_hertz(effort):
    spec = {"type": "bandlimited", "bandwidth_hz": 1e6, "modulation": "16qam"}
    ch = build_channel(spec, "ebn0_db", 8.0, rate=1.0)
    assert ch.bits_per_symbol == 4 and ch.report(0.75)["info_spectral_efficiency"] == pytest.approx(2.4)
    result = simulate_point(Uncoded(1024), ch, StopRule(min_frame_errors=10**9, max_frames=128 * effort),
                            np.random.SeedSequence(2), chunk_frames=32)
    p = ch.uncoded_ber()
    assert p == pytest.approx(qam_ber(16, ch.esn0), rel=1e-3)  # MAP and nearest-point bits agree at 12 dB
    assert abs(result.bit_errors - result.bits * p) <= binomial_tolerance(result.bits, p) * 2
    parsed = parse_channel_spec({**spec, "modulation": "64qam"})
    for name, x in parsed.thresholds("snr_db", 0.75).items():
        assert parsed.capacities("snr_db", x, 0.75)[name] == pytest.approx(0.75, abs=1e-5), name
    with pytest.raises(ConfigError, match="channel.modulation: '12qam': M = 12 is not a power of two"):
        parse_channel_spec({**spec, "modulation": "12qam"})
