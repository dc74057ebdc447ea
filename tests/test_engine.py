import math

import numpy as np
import pytest
from conftest import binomial_tolerance

from shannonlab.channels import AWGN, BEC, BSC, q_function
from shannonlab.codes.uncoded import Uncoded, UncodedSpec
from shannonlab.sim.engine import StopRule, run_chunks, simulate_point
from shannonlab.sim.executors import LocalPoolExecutor


def _seed(n=0):
    return np.random.SeedSequence(entropy=1234, spawn_key=(n,))


@pytest.mark.statistical
@pytest.mark.parametrize("ebn0_db", [0.0, 3.0, 6.0, 8.0])
def test_uncoded_bpsk_matches_q_function(ebn0_db, effort):
    code = Uncoded(256)
    channel = AWGN(ebn0_db=ebn0_db, rate=1.0)
    truth = float(q_function(math.sqrt(2 * 10 ** (ebn0_db / 10))))
    stop = StopRule(min_frame_errors=10**9, max_frames=2000 * effort)
    result = simulate_point(code, channel, stop, _seed())
    assert result.frames == 2000 * effort and result.stopped_by == "max_frames"
    # bits are independent for uncoded BPSK: the count is binomial(bits, Q)
    assert abs(result.bit_errors - result.bits * truth) <= binomial_tolerance(result.bits, truth)


@pytest.mark.statistical
@pytest.mark.parametrize("p", [0.01, 0.1, 0.3])
def test_uncoded_bsc_matches_p(p, effort):
    result = simulate_point(Uncoded(100), BSC(p), StopRule(10**9, 1000 * effort), _seed(1))
    assert abs(result.bit_errors - result.bits * p) <= binomial_tolerance(result.bits, p)
    frame_error_prob = 1 - (1 - p) ** 100
    assert abs(result.frame_errors - result.frames * frame_error_prob) <= binomial_tolerance(result.frames, frame_error_prob)


@pytest.mark.statistical
@pytest.mark.parametrize("epsilon", [0.05, 0.5])
def test_uncoded_bec_erasures_decided_as_zero(epsilon, effort):
    """An erasure is decided as 0, so half the erased (uniform) bits are wrong: BER = eps/2."""
    result = simulate_point(Uncoded(100), BEC(epsilon), StopRule(10**9, 1000 * effort), _seed(2))
    assert abs(result.bit_errors - result.bits * epsilon / 2) <= binomial_tolerance(result.bits, epsilon / 2)


def test_min_frame_errors_stops_at_first_chunk_reaching_target():
    code, channel = Uncoded(64), BSC(0.01)
    stop = StopRule(min_frame_errors=50, max_frames=10**6)
    result = simulate_point(code, channel, stop, _seed(3), chunk_frames=8)
    assert result.stopped_by == "min_frame_errors"
    assert result.frame_errors >= 50
    # without its last chunk the prefix had fewer than 50 frame errors
    chunks, _ = run_chunks(code, channel, _seed(3), result.chunks - 1, 1, 8, 10**6)
    assert result.frame_errors - chunks[0].frame_errors < 50


def test_max_frames_is_exact_even_mid_chunk():
    result = simulate_point(Uncoded(32), BSC(0.001), StopRule(10**9, 1001), _seed(4), chunk_frames=100)
    assert result.frames == 1001 and result.chunks == 11


def test_max_seconds_ends_a_point():
    result = simulate_point(Uncoded(1024), AWGN(ebn0_db=12.0), StopRule(10**9, 10**12, max_seconds=0.3), _seed(5))
    assert result.stopped_by == "max_seconds" and 0 < result.frames < 10**12


def test_task_grouping_does_not_change_randomness():
    code, channel = Uncoded(50), AWGN(ebn0_db=2.0)
    one_task, _ = run_chunks(code, channel, _seed(6), 0, 6, 10, 10**6)
    many = [c for start in range(6) for c in run_chunks(code, channel, _seed(6), start, 1, 10, 10**6)[0]]
    assert one_task == many


def test_same_result_on_one_process_and_on_a_pool():
    code = Uncoded(128)
    stop = StopRule(min_frame_errors=200, max_frames=10**6)
    channel = AWGN(ebn0_db=6.0)
    inline = simulate_point(code, channel, stop, _seed(7), chunk_frames=4)
    pool = LocalPoolExecutor(2)
    try:
        pooled = simulate_point(code, channel, stop, _seed(7), executor=pool, chunk_frames=4, code_ref=UncodedSpec(k=128))
    finally:
        pool.shutdown()
    for field in ("frames", "frame_errors", "bit_errors", "bit_errors_sq", "chunks", "ber", "fer", "ber_low", "ber_high"):
        assert getattr(inline, field) == getattr(pooled, field), field


def test_point_result_reports_rates_and_speed():
    result = simulate_point(Uncoded(100), BSC(0.05), StopRule(20, 10**6), _seed(8))
    assert result.ber == result.bit_errors / result.bits
    assert result.fer == result.frame_errors / result.frames
    assert result.fer_low <= result.fer <= result.fer_high
    assert result.ber_low <= result.ber <= result.ber_high
    assert result.info_bits_per_s > 0 and result.bits == result.frames * 100
