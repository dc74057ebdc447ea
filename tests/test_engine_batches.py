"""The engine feeds decoders whole batches of their lanes, leaves setup (worker start, code
building, numba compilation) out of a point's seconds, and every kernel on a run's path
loads from numba's cache in a new process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from numba import njit
from numba.core import event as numba_event

from shannonlab.channels import AWGN, BSC
from shannonlab.codes.base import DecodeReport
from shannonlab.codes.ldpc.decoding import LANES
from shannonlab.codes.ldpc.nr import SHAPES, core_plan, nr_base_matrix
from shannonlab.codes.polar.fixed_point import lanes as polar_lanes
from shannonlab.codes.turbo.decoding import BLOCK_FRAMES
from shannonlab.codes.uncoded import Uncoded
from shannonlab.registry import build_code
from shannonlab.sim import engine
from shannonlab.sim.engine import StopRule, run_chunks, simulate_point
from shannonlab.sim.executors import InlineExecutor

NUMBERS = ("frames", "frame_errors", "bit_errors", "bit_errors_sq", "chunks", "stopped_by", "ber", "fer")


class Lanes(Uncoded):
    """Uncoded bits through a "decoder" of ``batch_frames`` lanes that records each call's frames."""

    def __init__(self, k: int, batch_frames: int):
        super().__init__(k)
        self.batch_frames = batch_frames
        self.calls: list[int] = []

    def decode_report(self, llr):
        self.calls.append(len(llr))
        return super().decode_report(llr)


class SmallTasks(InlineExecutor):
    """Tasks as small as the engine allows (its time-based sizing asks for one chunk)."""

    task_seconds = 1e-12


def _seed(n):
    return np.random.SeedSequence(entropy=77, spawn_key=(n,))


def test_decoders_get_whole_batches_and_the_numbers_do_not_change():
    # a long code: one frame per chunk, as the default gives for n > 32768 / 2
    stop = StopRule(min_frame_errors=10**9, max_frames=50)
    lanes = Lanes(20, batch_frames=8)
    result = simulate_point(lanes, AWGN(ebn0_db=0.0), stop, _seed(1), executor=SmallTasks(), chunk_frames=1)
    warm_up, *tasks = lanes.calls
    assert warm_up == 8  # one throw-away batch first
    assert tasks == [8] * 6 + [2]  # whole batches; only max_frames leaves a smaller last one
    plain = simulate_point(Uncoded(20), AWGN(ebn0_db=0.0), stop, _seed(1), executor=SmallTasks(), chunk_frames=1)
    for name in NUMBERS:
        assert getattr(result, name) == getattr(plain, name), name


def test_a_batch_spans_chunks_and_rounds_to_whole_batches():
    lanes = Lanes(16, batch_frames=32)
    stop = StopRule(min_frame_errors=10**9, max_frames=200)
    simulate_point(lanes, BSC(0.1), stop, _seed(2), executor=SmallTasks(), chunk_frames=5)
    # 32 frames need 7 chunks of 5: every task holds 35 frames, the last what is left
    assert lanes.calls[1:] == [35] * 5 + [25]


def test_max_frames_below_one_batch_and_the_memory_bound_yields(monkeypatch):
    lanes = Lanes(16, batch_frames=32)
    result = simulate_point(lanes, BSC(0.1), StopRule(10**9, 5), _seed(3), chunk_frames=1)
    assert result.frames == 5 and lanes.calls[1:] == [5]
    monkeypatch.setattr(engine, "TASK_MAX_CODED_BITS", 64)  # 4 frames of 16 bits
    lanes = Lanes(16, batch_frames=32)
    simulate_point(lanes, BSC(0.1), StopRule(10**9, 64), _seed(3), executor=SmallTasks(), chunk_frames=1)
    assert lanes.calls[1:] == [32, 32]  # one batch of lanes is the least a decoder can work on


def test_inline_runs_one_task_at_a_time():
    """In-process tasks run inside submit: the stop rule is checked after each one, so
    nothing past the batch that reaches the target is simulated."""
    lanes = Lanes(64, batch_frames=4)
    result = simulate_point(lanes, BSC(0.05), StopRule(min_frame_errors=30, max_frames=10**6),
                            _seed(4), executor=SmallTasks(), chunk_frames=2)
    assert result.stopped_by == "min_frame_errors"
    assert sum(lanes.calls[1:]) - result.frames < 4  # only the rest of the last batch is discarded


def test_declared_batches_are_whole_lanes():
    ldpc = build_code({"type": "ldpc", "matrix": {"standard": "ieee80211n", "n": 648, "rate": "1/2"}})
    assert ldpc.batch_frames >= LANES and ldpc.batch_frames % ldpc.decoder.lanes == 0
    sc = build_code({"type": "polar", "n": 64, "k": 32})
    assert sc.batch_frames >= polar_lanes(np.float32) and sc.batch_frames % polar_lanes(np.float32) == 0
    q8 = build_code({"type": "polar", "n": 64, "k": 32, "decoder": {"algorithm": "fast-ssc",
                                                                  "quantization": {"bits": 8, "fraction_bits": 2}}})
    assert q8.batch_frames == polar_lanes(np.int8)
    assert build_code({"type": "polar", "n": 64, "k": 32, "decoder": {"algorithm": "scl"}}).batch_frames == 1
    turbo = build_code({"type": "turbo", "standard": "lte", "k": 40})
    assert turbo.batch_frames >= BLOCK_FRAMES and turbo.batch_frames % BLOCK_FRAMES == 0
    assert Uncoded(8).batch_frames == 1


class Compiling(Uncoded):
    """Decoding calls a numba kernel made for this test (so it compiles in this process),
    and on its third call a new specialisation of it (compiled in the middle of timed work)."""

    def __init__(self, k: int):
        super().__init__(k)

        @njit(cache=False)
        def negative(x):
            out = np.empty(x.shape, np.uint8)
            for i in range(x.shape[0]):
                for j in range(x.shape[1]):
                    out[i, j] = x[i, j] < 0
            return out

        self.kernel, self.calls = negative, 0

    def decode_report(self, llr):
        self.calls += 1
        x = llr.astype(np.float32) if self.calls == 3 else llr
        return DecodeReport(self.kernel(x))


def test_seconds_leave_out_compilation_at_warm_up_and_in_timed_work():
    code = Compiling(32)
    stop = StopRule(min_frame_errors=10**9, max_frames=40)
    with numba_event.install_recorder("numba:compile") as recorder:
        begin = numba_event.timer()
        result = simulate_point(code, AWGN(ebn0_db=1.0), stop, _seed(5), executor=SmallTasks(), chunk_frames=8)
        wall = numba_event.timer() - begin
    own = [(t, e.is_start) for t, e in recorder.buffer if e.data["dispatcher"] is code.kernel]  # not nested helpers
    compiling = sum(t if not start else -t for t, start in own)
    assert [start for _, start in own] == [True, False] * 2  # float64 at the warm-up, float32 at the third call
    assert code.calls == 6  # the warm-up and 5 tasks of 8 frames
    assert result.setup_seconds >= compiling
    assert result.seconds <= wall - compiling
    assert result.info_bits_per_s == result.bits / result.seconds


def test_a_pool_worker_counts_its_start_as_setup(monkeypatch):
    monkeypatch.setattr(engine, "WORKER_STARTED", [numba_event.time.time() - 5.0])  # started 5 s ago
    code = Uncoded(8)
    _, timing = run_chunks(code, BSC(0.1), _seed(6), 0, 1, 4, 100)
    (start, end), = timing.setup
    assert end - start >= 5.0 and engine.WORKER_STARTED == []
    _, timing = run_chunks(code, BSC(0.2), _seed(6), 1, 1, 4, 100)
    assert timing.setup == []  # warm for this channel class: no setup the second time


@pytest.mark.parametrize("bg", [1, 2])
def test_nr_core_parities_by_shifts_for_every_lifting_size(bg):
    kb = SHAPES[bg][2]
    for z in sorted({a * 2**j for a in (2, 3, 5, 7, 9, 11, 13, 15) for j in range(8) if a * 2**j <= 384}):
        assert core_plan(nr_base_matrix(bg, z)[:4, kb:kb + 4]) is not None, z


#: One code of each family and decoder kind whose kernels numba must find in its cache (and
#: the modulated channels' kernels: 16-QAM on Rayleigh fading, the last code through it).
CACHED = [
    {"type": "hamming", "r": 3, "decoder": {"algorithm": "ml"}},
    {"type": "repetition", "n": 3},
    {"type": "convolutional", "generators": ["133", "171"], "k": 64, "decoder": {"algorithm": "viterbi"}},
    {"type": "convolutional", "generators": ["7", "5"], "k": 64, "decoder": {"algorithm": "bcjr", "variant": "log-map"}},
    {"type": "ldpc", "matrix": {"standard": "ieee80211n", "n": 648, "rate": "1/2"}},
    {"type": "ldpc", "matrix": {"standard": "5g-nr", "base_graph": 2, "k": 100, "n": 300}, "decoder": {"schedule": "layered"}},
    {"type": "polar", "n": 64, "k": 32},
    {"type": "polar", "n": 64, "k": 32, "crc": "CRC6", "decoder": {"algorithm": "scl", "list_size": 4}},
    {"type": "turbo", "standard": "lte", "k": 40, "decoder": {"algorithm": "log-map"}},
    {"type": "ldpc", "matrix": {"standard": "dvb-s2", "n": 16200, "rate": "1/2"}},
]

_COMPILES = """
import json, sys
from numba.core import event
from shannonlab.channels import AWGN
from shannonlab.registry import build_code
from shannonlab.sim.engine import warm_up
from shannonlab.registry import build_channel
with event.install_recorder("numba:compile") as recorder:
    for spec in json.loads(sys.argv[1]):
        code = build_code(spec)
        warm_up(code, AWGN(ebn0_db=2.0, rate=code.rate))
    warm_up(code, build_channel({"type": "rayleigh", "modulation": "16qam"}, "ebn0_db", 8.0, code.rate))
print(json.dumps(sorted({e.data["dispatcher"].py_func.__qualname__ for _, e in recorder.buffer if e.is_start})))
"""


def test_every_kernel_loads_from_the_cache_in_a_new_process():
    """A second process compiles nothing: numba's cache holds every kernel a run meets (a
    kernel that cannot be cached is compiled again by every worker of every run)."""
    def compiled():
        out = subprocess.run([sys.executable, "-c", _COMPILES, json.dumps(CACHED)], capture_output=True, text=True,
                             check=True, env=dict(os.environ, NUMBA_NUM_THREADS="1"))
        return json.loads(out.stdout.splitlines()[-1])

    compiled()  # fills the cache (or finds it full)
    assert compiled() == []
