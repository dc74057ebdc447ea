"""The engine's own cost: what a simulation adds to the bare decoder.

``WORKLOADS`` (run by ``benchmarks/run.py``, one core each):

* ``engine:uncoded-awgn-k1024``: uncoded BPSK through ``run_chunks`` (draw bits, encode,
  AWGN, decide, count), the ceiling no coded simulation can beat on one core;
* long codes, each three ways on the same code and operating point: ``bare:<code>`` the
  decoder alone on one batch of LLRs (its lanes full), ``engine:<code>`` whole points
  through ``simulate_point`` (messages, encoder, channel, decoder, counts), and
  ``engine-unbatched:<code>`` the same with the code's lanes not declared
  (``batch_frames = 1``): what the engine did before it knew about lanes, one frame per
  decoder call on a long code. The issue's bar: engine within 1.3x of bare.

Run by hand, ``python benchmarks/bench_engine.py --scaling`` measures the engine's scaling
over processes (1, 2 and every core; the same point on each, identical numbers checked)
and writes ``benchmarks/results/engine-scaling-<date>.json`` for
``benchmarks/performance.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from harness import RESULTS, Workload  # noqa: E402

from shannonlab.channels import AWGN  # noqa: E402
from shannonlab.codes.uncoded import Uncoded  # noqa: E402
from shannonlab.registry import build_code, parse_code_spec  # noqa: E402
from shannonlab.sim.engine import StopRule, prepare, run_chunks, simulate_point  # noqa: E402

#: Long codes of the engine benchmark: name -> (YAML spec, Eb/N0 in dB, frames per engine
#: call, what it is). The k in the description is what performance.py divides by.
LONG_CODES = {
    "5g-bg1-k8448-n16896-sum-product-20it": (
        {"type": "ldpc", "matrix": {"standard": "5g-nr", "base_graph": 1, "k": 8448, "n": 16896},
         "decoder": {"algorithm": "sum-product", "schedule": "flooding", "max_iterations": 20}}, 1.0, 64,
        "5G NR BG1 k=8448 n=16896, sum-product flooding, <= 20 it, early stop, 1 dB"),
    "dvbs2-n64800-r1/2-nms-layered-20it": (
        {"type": "ldpc", "matrix": {"standard": "dvb-s2", "n": 64800, "rate": "1/2"},
         "decoder": {"algorithm": "normalized-min-sum", "schedule": "layered", "max_iterations": 20}}, 1.0, 64,
        "DVB-S2 n=64800 k=32400 R=1/2, normalized min-sum layered, <= 20 it, early stop, 1 dB"),
    "lte-turbo-k6144-max-log-6it": (
        {"type": "turbo", "standard": "lte", "k": 6144, "decoder": {"algorithm": "max-log", "iterations": 6}}, 0.5, 64,
        "LTE turbo k=6144 R=1/3, max-log BCJR, <= 6 it, early stop, 0.5 dB"),
}


def _engine_uncoded():
    code, channel = Uncoded(1024), AWGN(ebn0_db=6.0)
    seed = np.random.SeedSequence(1)
    chunks, chunk_frames = 64, 32

    def run():
        run_chunks(code, channel, seed, 0, chunks, chunk_frames, 10**9)

    return run, chunks * chunk_frames * code.k


class _Unbatched:
    """A code with its lanes hidden from the engine (``batch_frames = 1``)."""

    batch_frames = 1

    def __init__(self, code):
        self._code = code

    def __getattr__(self, name):
        return getattr(self._code, name)


def _bare(spec: dict, ebn0_db: float):
    def setup():
        code = build_code(spec)
        frames = code.batch_frames * max(1, 32 // code.batch_frames)  # one call, its lanes full
        rng = np.random.default_rng(2)
        u = rng.integers(0, 2, size=(frames, code.k), dtype=np.uint8)
        llr = AWGN(ebn0_db=ebn0_db, rate=code.rate).transmit(code.encode(u), rng)

        def run():
            code.decode_report(llr)

        return run, frames * code.k

    return setup


def _through_engine(spec: dict, ebn0_db: float, frames: int, unbatched: bool = False):
    def setup():
        code = build_code(spec)
        target = _Unbatched(code) if unbatched else code
        channel = AWGN(ebn0_db=ebn0_db, rate=code.rate)
        calls = iter(range(10**6))
        total = 8 if unbatched else frames  # one frame per decoder call: keep it short

        def run():
            seed = np.random.SeedSequence(entropy=3, spawn_key=(next(calls),))  # new frames every call
            simulate_point(target, channel, StopRule(min_frame_errors=10**9, max_frames=total), seed)

        return run, total * code.k

    return setup


WORKLOADS = [
    Workload("engine:uncoded-awgn-k1024", _engine_uncoded,
             "simulate_point's inner loop on uncoded BPSK, k=1024, 6 dB: bits, AWGN, decisions, counts"),
]
for _name, (_spec, _ebn0, _frames, _what) in LONG_CODES.items():
    WORKLOADS += [
        Workload(f"bare:{_name}", _bare(_spec, _ebn0), f"{_what}: decode_report on one batch of lanes"),
        Workload(f"engine:{_name}", _through_engine(_spec, _ebn0, _frames),
                 f"{_what}: simulate_point, {_frames} frames a point (bits, encoder, channel, decoder, counts)"),
        Workload(f"engine-unbatched:{_name}", _through_engine(_spec, _ebn0, _frames, unbatched=True),
                 f"{_what}: simulate_point with batch_frames = 1 (the engine before lanes), 8 frames a point",
                 warmup=1, min_calls=1),
    ]


# ----------------------------------------------------------------------------- scaling


def machine() -> dict:
    """CPU model and SIMD width of this machine (what a throughput figure depends on)."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            model = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        from llvmlite import binding

        features = binding.get_host_cpu_features()
        simd = "AVX-512" if features.get("avx512f") else "AVX2" if features.get("avx2") else "SSE"
    except Exception:  # an LLVM without host feature detection
        simd = "unknown"
    return {"cpu": model, "simd": simd, "cores": os.cpu_count(), "python": platform.python_version()}


#: Points of the scaling benchmark: name -> (YAML spec, Eb/N0 dB, frames).
SCALING = {
    "802.11n n=648 R=1/2 sum-product flooding 20 it, 2 dB": (
        {"type": "ldpc", "matrix": {"standard": "ieee80211n", "n": 648, "rate": "1/2"}}, 2.0, 24000),
    "5G NR BG1 k=8448 n=16896 sum-product flooding 20 it, 1 dB": (LONG_CODES["5g-bg1-k8448-n16896-sum-product-20it"][0], 1.0, 256),
}


def scaling(process_counts: list[int]) -> dict:
    from shannonlab.sim.executors import make_executor

    rows = []
    for index, (name, (spec, ebn0_db, frames)) in enumerate(SCALING.items()):
        parsed = parse_code_spec(spec)
        code = parsed.build()
        channel = AWGN(ebn0_db=ebn0_db, rate=code.rate)
        reference = None
        for workers in process_counts:
            executor = make_executor(workers)
            try:
                prepare(executor, [(parsed, channel)] * workers)  # started, built and compiled before the clock
                seed = np.random.SeedSequence(entropy=5, spawn_key=(index,))  # the same point for every count
                start = time.perf_counter()
                result = simulate_point(code, channel, StopRule(min_frame_errors=10**9, max_frames=frames), seed,
                                        executor=executor, code_ref=parsed)
                wall = time.perf_counter() - start
            finally:
                executor.shutdown()
            numbers = (result.frames, result.frame_errors, result.bit_errors)
            reference = reference or numbers
            rows.append({"workload": name, "processes": workers, "wall_seconds": wall, "seconds": result.seconds,
                         "info_bits_per_s": result.bits / wall, "frames": result.frames,
                         "identical_to_one_process": numbers == reference,
                         "load_average": os.getloadavg()[0]})
            print(f"{name}: {workers} processes {result.bits / wall:.3e} info bit/s (wall {wall:.1f} s, "
                  f"load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
    return {"kind": "engine-scaling", "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(), "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scaling", action="store_true", help="measure scaling over processes")
    parser.add_argument("--processes", type=int, nargs="*", help="process counts (default: 1, 2 and every core)")
    args = parser.parse_args(argv)
    if not args.scaling:
        parser.error("run the workloads with benchmarks/run.py engine; this script measures --scaling")
    counts = args.processes or sorted({1, 2, os.cpu_count() or 1})
    document = scaling(counts)
    path = RESULTS / f"engine-scaling-{time.strftime('%Y-%m-%d')}.json"
    path.write_text(json.dumps(document, indent=1) + "\n")
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
