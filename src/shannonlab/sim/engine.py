"""One operating point: run chunks of frames until a stop rule holds.

Reproducibility
---------------
Frames are drawn in *chunks* of a fixed number of frames (``execution.chunk_frames``).
Chunk ``c`` of a point draws all its randomness (messages and channel noise) from its own
generator, seeded with the child ``SeedSequence(entropy=seed, spawn_key=point_key + (c,))``.
How chunks are grouped into tasks, which process or machine runs them and in which order
they finish does not matter, because the point's result is defined by chunk *indices*:

* let j be the smallest index such that chunks 0, 1, ..., j hold at least
  ``min_frame_errors`` frame errors together (or, if no such j exists, the last chunk that
  ``max_frames`` allows); the point's result is the sum of chunks 0..j, nothing else;
* every chunk with index <= j is counted, also one that finishes after the target was
  reached in wall-clock terms (a later chunk may finish first: the engine waits for the
  earlier ones). No finished chunk below j is ever discarded;
* chunks with index > j that were already running or finished are *not* counted (their
  number is reported as ``discarded_chunks``): counting them would make the result depend on
  timing. As soon as the finished chunks prove that j <= m for some m (their known errors
  reach the target; unfinished chunks can only add errors), no chunk above m is submitted
  and running tasks above m are cancelled.

So a point gives bit-for-bit the same numbers on 1 process, a pool, a Dask cluster with
any number of workers, and across an interruption and resume (a checkpoint stores the
finished chunks; the continued point adds the missing ones). The one exception is
``max_seconds``, a wall-clock rule: when it ends a point, the result is the prefix of
chunks finished by then.

Lost work
---------
A task whose worker dies is submitted again (Dask reschedules it by itself; a broken local
pool is restarted), so a lost worker costs only its tasks, never a wrong count. An
interrupted client keeps every finished chunk in the checkpoint (written every
:data:`CHECKPOINT_SECONDS` and at the interruption) and loses only the tasks in flight.

Speed
-----
A task covers a run of consecutive chunks, sized so that it takes about a tenth of a second
(measured as the point proceeds; an executor may ask for another duration with a
``task_seconds`` attribute); frames of all its chunks are encoded and decoded as one batch,
so the numba kernels see large batches while the randomness stays per chunk. A task never
holds fewer frames than the code's :attr:`~shannonlab.codes.base.Code.batch_frames` (the
decoder's lanes: 32 frames cost an LDPC decoder what one frame costs), and holds whole
batches, unless ``max_frames`` or the chunks already finished leave fewer to run. The
memory bound :data:`TASK_MAX_CODED_BITS` yields to that: one batch of lanes is the least a
decoder can work on.

Time
----
A point's ``seconds`` (and so ``info_bits_per_s``) is its wall time without the time spent
getting ready: starting a worker process, building a code, and compiling (or loading from
numba's cache) the kernels. Each process runs one throw-away batch through encoder, channel
and decoder the first time it meets a code (:func:`warm_up`), so compilation happens
there; a kernel compiled later anyway (a new type seen mid-run) is caught by numba's
compiler-lock events. Tasks report those intervals, and the point subtracts their union
(``setup_seconds`` in results.json). ``max_seconds`` counts the same seconds, so a cold
numba cache does not cut a point short. :func:`prepare` compiles every code of an
experiment before its first point, one code per worker at a time.
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np
from numba.core import event as numba_event

from ..codes.base import Code, CodeSpec
from .intervals import ber_interval, clopper_pearson

#: Coded bits per chunk when ``chunk_frames`` is not given.
CHUNK_CODED_BITS = 32768
#: Wall time a task aims for, in seconds.
TASK_SECONDS = 0.1
#: Most coded bits one task may hold (memory: 8 bytes per LLR).
TASK_MAX_CODED_BITS = 1 << 22
#: Seconds between two checkpoints of the point in progress (and one at an interruption).
CHECKPOINT_SECONDS = 2.0
#: How often a task lost with its worker is submitted again before the error is raised.
MAX_ATTEMPTS = 4


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
    setup_seconds: float = 0.0
    ber: float = 0.0
    ber_low: float = 0.0
    ber_high: float = 1.0
    fer: float = 0.0
    fer_low: float = 0.0
    fer_high: float = 1.0
    info_bits_per_s: float = 0.0
    stopped_by: str = ""
    discarded_chunks: int = 0
    extras: dict[str, Any] = field(default_factory=dict)
    #: The point's whole chunks as a checkpoint (JSON-able): passed back to
    #: :func:`simulate_point` with a stricter stop rule (more errors or frames), it continues
    #: the point with the numbers a run under that rule gives from the start.
    checkpoint: dict[str, Any] | None = field(default=None, repr=False)

    def add(self, chunk: ChunkResult) -> None:
        self.chunks += 1
        self.frames += chunk.frames
        self.frame_errors += chunk.frame_errors
        self.bit_errors += chunk.bit_errors
        self.bit_errors_sq += chunk.bit_errors_sq
        self.failures += chunk.failures
        self.iterations += chunk.iterations

    def finish(self, seconds: float, stopped_by: str, setup_seconds: float = 0.0) -> "PointResult":
        self.bits = self.frames * self.k
        self.seconds = seconds
        self.setup_seconds = setup_seconds
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


@dataclass
class TaskTime:
    """Where a task's time went: ``seconds`` of simulation, and the ``setup`` intervals
    (``time.time()`` at start and end) spent getting ready: starting the worker process,
    building the code, compiling or loading numba kernels. Points do not count the latter."""

    seconds: float
    setup: list[tuple[float, float]] = field(default_factory=list)


#: Codes (built objects) this process has warmed up, with the channel classes they met.
_WARM: "weakref.WeakKeyDictionary[Code, set[type]]" = weakref.WeakKeyDictionary()
#: When this process started working for an executor (set by a pool worker's initializer);
#: its first task counts everything from there as setup.
WORKER_STARTED: list[float] = []


class _CompileTimes(numba_event.Listener):
    """The intervals numba holds its compiler lock (compiling, or loading from the cache)."""

    def __init__(self):
        self.depth, self.start, self.intervals = 0, 0.0, []

    def on_start(self, event):
        if self.depth == 0:
            self.start = time.time()
        self.depth += 1

    def on_end(self, event):
        self.depth -= 1
        if self.depth == 0:
            self.intervals.append((self.start, time.time()))


#: The same for codes that cannot be weakly referenced or hashed (kept alive here).
_WARM_BY_ID: dict[int, tuple[Code, set[type]]] = {}


def _warm_set(code: Code) -> set[type]:
    try:
        return _WARM.setdefault(code, set())
    except TypeError:  # unhashable or not weak-referenceable
        return _WARM_BY_ID.setdefault(id(code), (code, set()))[1]


def _is_warm(code: Code, channel) -> bool:
    return type(channel) in _warm_set(code)


def _mark_warm(code: Code, channel) -> None:
    _warm_set(code).add(type(channel))


def _simulate(code: Code, channel, messages: list[np.ndarray], rngs: list) -> tuple[np.ndarray, Any, np.ndarray]:
    """Encode the messages of every chunk as one batch, send each chunk through the channel
    with its own generator, decode the batch: (errors per frame, report, chunk bounds)."""
    sizes = [len(m) for m in messages]
    u = np.concatenate(messages) if len(messages) > 1 else messages[0]
    codewords = code.encode(u)
    bounds = np.cumsum([0] + sizes)
    llr = np.empty(codewords.shape, dtype=np.float64)
    for rng, a, b in zip(rngs, bounds[:-1], bounds[1:]):
        llr[a:b] = channel.transmit(codewords[a:b], rng)
    report = code.decode_report(llr)
    return np.count_nonzero(report.bits != u, axis=1).astype(np.int64), report, bounds


def warm_up(code: Code | CodeSpec, channel) -> TaskTime:
    """Get this process ready to simulate ``code`` on ``channel``: build the code (once per
    process) and run one throw-away batch of ``batch_frames`` frames (its own generator,
    nothing counted) through encoder, channel and decoder, so every numba kernel on the way
    is compiled, or loaded from the cache, here rather than in timed work. Nothing happens
    the second time. Returns the time spent as ``setup``.

    >>> from shannonlab.codes.uncoded import Uncoded
    >>> from shannonlab.channels import BSC
    >>> code = Uncoded(8)
    >>> len(warm_up(code, BSC(0.1)).setup), len(warm_up(code, BSC(0.2)).setup)
    (1, 0)
    """
    started = WORKER_STARTED.pop() if WORKER_STARTED else None
    begin = time.time() if started is None else started
    built = _resolve_code(code)
    if not _is_warm(built, channel):
        rng = np.random.default_rng(0)
        frames = max(1, int(getattr(built, "batch_frames", 1)))
        _simulate(built, channel, [rng.integers(0, 2, size=(frames, built.k), dtype=np.uint8)], [rng])
        _mark_warm(built, channel)
    elif started is None:
        return TaskTime(0.0, [])
    return TaskTime(0.0, [(begin, time.time())])


def run_chunks(code: Code | CodeSpec, channel, point_seed, first: int, count: int, chunk_frames: int, max_frames: int):
    """Simulate chunks ``first .. first+count-1``; return their results and a
    :class:`TaskTime` (seconds of simulation, and the setup intervals not counted)."""
    ready = warm_up(code, channel)
    code = _resolve_code(code)
    compiles = _CompileTimes()
    with numba_event.install_listener("numba:compiler_lock", compiles):
        start = time.perf_counter()
        rngs, messages = [], []
        for c in range(first, first + count):
            frames = min(chunk_frames, max_frames - c * chunk_frames)
            if frames <= 0:
                break
            rng = np.random.default_rng(chunk_seed(point_seed, c))
            messages.append(rng.integers(0, 2, size=(frames, code.k), dtype=np.uint8))
            rngs.append(rng)
        errors_per_frame, report, bounds = _simulate(code, channel, messages, rngs)
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
        seconds = time.perf_counter() - start
    compiled = sum(b - a for a, b in compiles.intervals)
    return results, TaskTime(max(0.0, seconds - compiled), ready.setup + compiles.intervals)


def _family(ref) -> tuple:
    """What decides which kernels a code compiles, roughly: its class and decoder algorithm."""
    decoder = getattr(ref, "decoder", None)
    return (type(ref).__name__, getattr(decoder, "algorithm", type(decoder).__name__))


def prepare(executor, jobs: list[tuple[Code | CodeSpec, Any]]) -> None:
    """Warm up each ``(code, channel)`` of ``jobs`` (:func:`warm_up`) on ``executor`` before
    the first point: one task per code, one code of each family first, so the workers of a
    pool compile different kernels at the same time and leave them in numba's cache, and
    the points start with nothing left to compile but cache loads. A failure here is left
    for the point to meet (and report) again.

    >>> from shannonlab.codes.uncoded import Uncoded
    >>> from shannonlab.channels import BSC
    >>> from shannonlab.sim.executors import InlineExecutor
    >>> prepare(InlineExecutor(), [(Uncoded(8), BSC(0.1))])
    """
    firsts, rest, seen = [], [], set()
    for job in jobs:
        (rest if _family(job[0]) in seen else firsts).append(job)
        seen.add(_family(job[0]))
    futures = [executor.submit(warm_up, ref, channel) for ref, channel in firsts + rest]
    for future in futures:
        try:
            future.result()
        except Exception as exc:  # e.g. a lost worker: restart the pool if it broke, go on
            executor.recover(exc)


def _union_seconds(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Length of the union of ``intervals`` within [lo, hi].

    >>> _union_seconds([(0, 2), (1, 3), (5, 6), (9, 20)], 0.5, 10)
    4.5
    """
    total, reach = 0.0, lo
    for a, b in sorted(intervals):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            total += b - a
            reach = b
    return total


def _stop_reason(result: PointResult, prefix: int, stop: StopRule, last_chunk: int) -> str:
    if result.frame_errors >= stop.min_frame_errors:
        return "min_frame_errors"
    if prefix > last_chunk:
        return "max_frames"
    return ""


def simulate_point(
    code: Code,
    channel,
    stop: StopRule,
    seed_seq: np.random.SeedSequence,
    executor=None,
    chunk_frames: int | None = None,
    progress: Callable[[PointResult], None] | None = None,
    code_ref: Code | CodeSpec | None = None,
    checkpoint: dict[str, Any] | None = None,
    on_checkpoint: Callable[[dict[str, Any]], None] | None = None,
) -> PointResult:
    """Simulate ``code`` over ``channel`` until ``stop`` holds (see the module docstring).

    ``executor`` defaults to running in this process; ``code_ref`` is what is sent to the
    executor's workers (a spec they build once, or the code itself). ``on_checkpoint``
    receives the point's finished chunks (a JSON-able dict) every
    :data:`CHECKPOINT_SECONDS` and when the point is interrupted; passing that dict back
    as ``checkpoint`` continues the point without simulating those chunks again, with the
    numbers of an uninterrupted run.

    >>> from shannonlab.codes.uncoded import Uncoded
    >>> from shannonlab.channels import BSC
    >>> seed = np.random.SeedSequence(entropy=1, spawn_key=(0,))
    >>> r = simulate_point(Uncoded(100), BSC(0.01), StopRule(min_frame_errors=10), seed, chunk_frames=4)
    >>> r.frame_errors >= 10, r.stopped_by, r.frames == 4 * r.chunks
    (True, 'min_frame_errors', True)
    """
    from .executors import InlineExecutor

    executor = executor or InlineExecutor()
    chunk_frames = chunk_frames or default_chunk_frames(code.n)
    last_chunk = (stop.max_frames - 1) // chunk_frames  # the last chunk max_frames allows
    # A task holds whole batches of the decoder's lanes: `batch` chunks at least.
    batch = -(-max(1, int(getattr(code, "batch_frames", 1))) // chunk_frames)
    max_per_task = max(batch, TASK_MAX_CODED_BITS // (chunk_frames * code.n))
    task_seconds = getattr(executor, "task_seconds", TASK_SECONDS)
    tasks_per_worker = getattr(executor, "tasks_per_worker", 2)
    ref = code_ref if code_ref is not None else code

    result = PointResult(k=code.k, n=code.n, rate=code.rate)
    finished: dict[int, ChunkResult] = {}  # finished chunks above the prefix
    prefix = 0  # chunks 0..prefix-1 are finished and added to result
    seconds_before = setup_before = 0.0
    if checkpoint and checkpoint.get("chunk_frames") == chunk_frames:
        prefix, seconds_before, setup_before = _restore(result, finished, checkpoint)
    next_chunk = prefix  # the next chunk to submit (finished ones are skipped)
    bound = last_chunk  # j <= bound is known: chunks above bound are never needed
    seconds_per_chunk: float | None = None
    in_flight: dict[Any, list[int]] = {}  # future -> [first chunk, count, attempts]
    start = time.perf_counter()
    start_epoch = time.time()
    setup: list[tuple[float, float]] = []  # intervals the workers spent getting ready
    last_saved = start
    saved_prefix, saved_finished = prefix, len(finished)

    def seconds() -> tuple[float, float]:
        """(simulation seconds, setup seconds) of the point so far."""
        wall = time.perf_counter() - start
        excluded = min(wall, _union_seconds(setup, start_epoch, start_epoch + wall))
        return seconds_before + wall - excluded, setup_before + excluded

    def state() -> dict[str, Any]:
        counts = {f: getattr(result, f) for f in _COUNTS}
        simulated, ready = seconds()
        return {
            "chunk_frames": chunk_frames,
            "prefix": prefix,
            "counts": counts,
            "finished": [asdict(finished[i]) for i in sorted(finished)],
            "seconds": simulated,
            "setup_seconds": ready,
        }

    def next_task() -> tuple[int, int] | None:
        nonlocal next_chunk
        next_chunk = max(next_chunk, prefix)
        while next_chunk in finished:  # finished before an interruption
            next_chunk += 1
        if next_chunk > bound:
            return None
        size = batch if seconds_per_chunk is None else int(task_seconds / max(seconds_per_chunk, 1e-9))
        size = max(batch, min(size, max_per_task)) // batch * batch
        size = min(size, bound + 1 - next_chunk)
        later = [i for i in finished if i > next_chunk]
        if later:
            size = min(size, min(later) - next_chunk)
        first = next_chunk
        next_chunk += size
        return first, size

    stopped_by = _stop_reason(result, prefix, stop, last_chunk) if prefix else ""
    last_added: ChunkResult | None = None
    try:
        while not stopped_by:
            if stop.max_seconds is not None and seconds()[0] > stop.max_seconds and prefix > 0:
                stopped_by = "max_seconds"
                break
            while len(in_flight) < tasks_per_worker * executor.workers:
                task = next_task()
                if task is None:
                    break
                future = executor.submit(run_chunks, ref, channel, seed_seq, task[0], task[1], chunk_frames, stop.max_frames)
                in_flight[future] = [task[0], task[1], 1]
            if not in_flight:  # cannot happen: chunks prefix..bound are finished, running or to submit
                raise RuntimeError(f"engine: nothing in flight at chunk {prefix} of {bound}")
            done, _ = executor.wait_first(list(in_flight))
            for future in done:
                first, size, attempts = in_flight.pop(future)
                try:
                    chunks, timing = future.result()
                except Exception as exc:
                    if attempts < MAX_ATTEMPTS and executor.recover(exc):  # a lost worker: run them again
                        again = executor.submit(run_chunks, ref, channel, seed_seq, first, size, chunk_frames, stop.max_frames)
                        in_flight[again] = [first, size, attempts + 1]
                        continue
                    raise
                setup.extend(timing.setup)
                per_chunk = timing.seconds / size
                seconds_per_chunk = per_chunk if seconds_per_chunk is None else 0.5 * (seconds_per_chunk + per_chunk)
                for chunk in chunks:
                    if chunk.index >= prefix:
                        finished[chunk.index] = chunk
            while prefix in finished and not stopped_by:
                last_added = finished.pop(prefix)
                result.add(last_added)
                prefix += 1
                stopped_by = _stop_reason(result, prefix, stop, last_chunk)
            if not stopped_by:
                # Unfinished chunks add >= 0 errors, so the target is met at or before the
                # first finished chunk where the known errors reach it: stop asking beyond.
                known = result.frame_errors
                for index in sorted(finished):
                    known += finished[index].frame_errors
                    if known >= stop.min_frame_errors:
                        bound = min(bound, index)
                        break
                for future, (first, _, _) in list(in_flight.items()):
                    if first > bound:
                        future.cancel()
                        del in_flight[future]
            if progress is not None:
                progress(result)
            now = time.perf_counter()
            if on_checkpoint is not None and not stopped_by and now - last_saved >= CHECKPOINT_SECONDS:
                if (prefix, len(finished)) != (saved_prefix, saved_finished):
                    on_checkpoint(state())
                    saved_prefix, saved_finished = prefix, len(finished)
                last_saved = now
    except BaseException:
        if on_checkpoint is not None and (prefix > saved_prefix or len(finished) != saved_finished):
            on_checkpoint(state())  # Ctrl-C: only the chunks in flight are lost
        raise
    finally:
        for future in in_flight:
            future.cancel()
    result.discarded_chunks = sum(1 for index in finished if index >= prefix)
    simulated, ready = seconds()
    # a partial last chunk (cut by max_frames) is left out: a larger max_frames redoes it whole
    whole = {f: getattr(result, f) for f in _COUNTS}
    if last_added is not None and last_added.frames < chunk_frames:
        for name in _COUNTS:
            whole[name] -= 1 if name == "chunks" else getattr(last_added, name)
    result.checkpoint = {"chunk_frames": chunk_frames, "prefix": whole["chunks"], "counts": whole, "finished": [],
                         "seconds": simulated, "setup_seconds": ready}
    return result.finish(simulated, stopped_by, ready)


_COUNTS = ("chunks", "frames", "frame_errors", "bit_errors", "bit_errors_sq", "failures", "iterations")


def _restore(result: PointResult, finished: dict[int, ChunkResult], checkpoint: dict[str, Any]) -> tuple[int, float, float]:
    """Load a checkpoint written by :func:`simulate_point` into ``result`` and ``finished``;
    return the prefix and the simulation and setup seconds spent so far."""
    for name in _COUNTS:
        setattr(result, name, int(checkpoint["counts"][name]))
    for item in checkpoint.get("finished", []):
        chunk = ChunkResult(**item)
        finished[chunk.index] = chunk
    return int(checkpoint["prefix"]), float(checkpoint.get("seconds", 0.0)), float(checkpoint.get("setup_seconds", 0.0))
