"""One operating point: run chunks of frames until a stop rule holds.

Reproducibility
---------------
Frames are drawn in *chunks* of a fixed number of frames. Chunk ``c`` of a point draws all
its randomness (messages and channel noise) from its own generator, seeded with the child
``SeedSequence(entropy=seed, spawn_key=point_key + (c,))``. How chunks are grouped into
tasks, which process runs them and when they finish does not matter:

* the point's result aggregates chunks 0, 1, ..., j where j is the first chunk at which the
  running count of frame errors reaches ``min_frame_errors`` (or the last chunk that
  ``max_frames`` allows);
* chunks beyond j that were already in flight are discarded, chunks below j are always
  waited for.

So a point gives bit-for-bit the same numbers on 1 process, a pool, or a cluster. The one
exception is ``max_seconds``, a wall-clock rule: when it ends a point, the result is the
prefix of chunks finished by then.

Speed
-----
A task covers a run of consecutive chunks, sized so that it takes about a tenth of a second
(measured as the point proceeds); frames of all its chunks are encoded and decoded as one
batch, so the numba kernels see large batches while the randomness stays per chunk.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np

from ..codes.base import Code, CodeSpec, DecodeReport
from .intervals import ber_interval, clopper_pearson

#: Coded bits per chunk when ``chunk_frames`` is not given.
CHUNK_CODED_BITS = 32768
#: Wall time a task aims for, in seconds.
TASK_SECONDS = 0.1
#: Most coded bits one task may hold (memory: 8 bytes per LLR).
TASK_MAX_CODED_BITS = 1 << 22


def default_chunk_frames(n: int) -> int:
    return max(1, CHUNK_CODED_BITS // n)


@dataclass
class StopRule:
    """When a point is finished (see :class:`shannonlab.sim.config.Stop`)."""

    min_frame_errors: int = 100
    max_frames: int = 10_000_000
    max_seconds: float | None = None


@dataclass
class ChunkResult:
    index: int
    frames: int
    frame_errors: int
    bit_errors: int
    bit_errors_sq: int
    failures: int
    iterations: int


@dataclass
class PointResult:
    """Counts of one operating point with rates, 95 % intervals and speed."""

    k: int
    n: int
    rate: float
    frames: int = 0
    frame_errors: int = 0
    bits: int = 0
    bit_errors: int = 0
    bit_errors_sq: int = 0
    failures: int = 0
    iterations: int = 0
    chunks: int = 0
    seconds: float = 0.0
    ber: float = 0.0
    ber_low: float = 0.0
    ber_high: float = 1.0
    fer: float = 0.0
    fer_low: float = 0.0
    fer_high: float = 1.0
    info_bits_per_s: float = 0.0
    stopped_by: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    def add(self, chunk: ChunkResult) -> None:
        self.chunks += 1
        self.frames += chunk.frames
        self.frame_errors += chunk.frame_errors
        self.bit_errors += chunk.bit_errors
        self.bit_errors_sq += chunk.bit_errors_sq
        self.failures += chunk.failures
        self.iterations += chunk.iterations

    def finish(self, seconds: float, stopped_by: str) -> "PointResult":
        self.bits = self.frames * self.k
        self.seconds = seconds
        self.stopped_by = stopped_by
        self.fer = self.frame_errors / self.frames if self.frames else 0.0
        self.ber = self.bit_errors / self.bits if self.bits else 0.0
        self.fer_low, self.fer_high = clopper_pearson(self.frame_errors, self.frames)
        self.ber_low, self.ber_high = ber_interval(self.bit_errors, self.bit_errors_sq, self.frames, self.k, self.fer_high)
        self.info_bits_per_s = self.bits / seconds if seconds > 0 else math.inf
        return self

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def chunk_seed(point_seed: np.random.SeedSequence, chunk: int) -> np.random.SeedSequence:
    """The child seed of chunk ``chunk``: the same as ``point_seed.spawn`` would give."""
    return np.random.SeedSequence(entropy=point_seed.entropy, spawn_key=tuple(point_seed.spawn_key) + (chunk,))


_BUILT_CODES: dict[str, Code] = {}


def _resolve_code(code: Code | CodeSpec) -> Code:
    """A worker builds each code spec it is sent once and keeps it."""
    if not isinstance(code, CodeSpec):
        return code
    key = type(code).__name__ + code.model_dump_json()
    if key not in _BUILT_CODES:
        _BUILT_CODES[key] = code.build()
    return _BUILT_CODES[key]


def run_chunks(code: Code | CodeSpec, channel, point_seed, first: int, count: int, chunk_frames: int, max_frames: int):
    """Simulate chunks ``first .. first+count-1``; return their results and the seconds spent."""
    start = time.perf_counter()
    code = _resolve_code(code)
    sizes, rngs, messages = [], [], []
    for c in range(first, first + count):
        frames = min(chunk_frames, max_frames - c * chunk_frames)
        if frames <= 0:
            break
        rng = np.random.default_rng(chunk_seed(point_seed, c))
        messages.append(rng.integers(0, 2, size=(frames, code.k), dtype=np.uint8))
        sizes.append(frames)
        rngs.append(rng)
    u = np.concatenate(messages) if len(messages) > 1 else messages[0]
    codewords = code.encode(u)
    bounds = np.cumsum([0] + sizes)
    llr = np.empty(codewords.shape, dtype=np.float64)
    for rng, a, b in zip(rngs, bounds[:-1], bounds[1:]):
        llr[a:b] = channel.transmit(codewords[a:b], rng)
    report = code.decode_report(llr) if hasattr(code, "decode_report") else DecodeReport(code.decode(llr))
    errors_per_frame = np.count_nonzero(report.bits != u, axis=1).astype(np.int64)
    results = []
    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        e = errors_per_frame[a:b]
        results.append(
            ChunkResult(
                index=first + i,
                frames=int(b - a),
                frame_errors=int(np.count_nonzero(e)),
                bit_errors=int(e.sum()),
                bit_errors_sq=int((e * e).sum()),
                failures=int(np.count_nonzero(report.failures[a:b])) if report.failures is not None else 0,
                iterations=int(report.iterations[a:b].sum()) if report.iterations is not None else 0,
            )
        )
    return results, time.perf_counter() - start


def simulate_point(
    code: Code,
    channel,
    stop: StopRule,
    seed_seq: np.random.SeedSequence,
    executor=None,
    chunk_frames: int | None = None,
    progress: Callable[[PointResult], None] | None = None,
    code_ref: Code | CodeSpec | None = None,
) -> PointResult:
    """Simulate ``code`` over ``channel`` until ``stop`` holds (see the module docstring).

    ``executor`` defaults to running in this process; ``code_ref`` is what is sent to the
    executor's workers (a spec they build once, or the code itself).
    """
    from .executors import InlineExecutor

    executor = executor or InlineExecutor()
    chunk_frames = chunk_frames or default_chunk_frames(code.n)
    last_chunk = (stop.max_frames - 1) // chunk_frames  # the last chunk max_frames allows
    max_per_task = max(1, TASK_MAX_CODED_BITS // (chunk_frames * code.n))
    ref = code_ref if code_ref is not None else code

    result = PointResult(k=code.k, n=code.n, rate=code.rate)
    finished: dict[int, ChunkResult] = {}
    next_chunk = 0  # the next chunk to submit
    prefix = 0  # chunks 0..prefix-1 are finished and added to result
    seconds_per_chunk: float | None = None
    in_flight: dict[Any, int] = {}
    stopped_by = ""
    start = time.perf_counter()
    try:
        while True:
            timed_out = stop.max_seconds is not None and time.perf_counter() - start > stop.max_seconds and prefix > 0
            if timed_out:
                stopped_by = "max_seconds"
                break
            while len(in_flight) < 2 * executor.workers and next_chunk <= last_chunk:
                size = 1 if seconds_per_chunk is None else int(TASK_SECONDS / max(seconds_per_chunk, 1e-9))
                size = max(1, min(size, max_per_task, last_chunk + 1 - next_chunk))
                future = executor.submit(run_chunks, ref, channel, seed_seq, next_chunk, size, chunk_frames, stop.max_frames)
                in_flight[future] = size
                next_chunk += size
            done, _ = executor.wait_first(list(in_flight))
            for future in done:
                size = in_flight.pop(future)
                chunks, seconds = future.result()
                per_chunk = seconds / size
                seconds_per_chunk = per_chunk if seconds_per_chunk is None else 0.5 * (seconds_per_chunk + per_chunk)
                for chunk in chunks:
                    finished[chunk.index] = chunk
            while prefix in finished and not stopped_by:
                result.add(finished.pop(prefix))
                prefix += 1
                if result.frame_errors >= stop.min_frame_errors:
                    stopped_by = "min_frame_errors"
                elif prefix > last_chunk:
                    stopped_by = "max_frames"
            if progress is not None:
                progress(result)
            if stopped_by:
                break
    finally:
        for future in in_flight:
            future.cancel()
    return result.finish(time.perf_counter() - start, stopped_by)
