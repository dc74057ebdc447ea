"""Throughput measurement shared by every benchmark: decoded information bits per second
on one core, written as JSON. Benchmarks never decide a test's pass or fail.

A benchmark module ``bench_<family>.py`` defines ``WORKLOADS``: a list of
:class:`Workload`. Each workload prepares its inputs once (``setup`` returns a callable that
decodes one batch and the number of information bits that batch holds); peers (komm, ldpc,
...) are workloads too, named ``<peer>:<what>``, and are skipped with a note when the peer
is not installed.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable

RESULTS = Path(__file__).parent / "results"


@dataclass
class Workload:
    name: str
    setup: Callable[[], tuple[Callable[[], object], int]]
    description: str = ""
    target: float | None = None  # information bits/s the issue asks for, if any
    tags: list[str] = field(default_factory=list)
    warmup: int = 1  # untimed calls first (numba compilation); 0 for slow pure-Python peers
    min_calls: int = 3  # timed calls at least; 1 for workloads of many seconds per call


def encoder_workload(make_code: Callable[[], object], frames: int):
    """A ``Workload.setup`` timing ``make_code().encode`` on ``frames`` random messages
    (rate: information bits encoded per second)."""

    def setup():
        import numpy as np

        code = make_code()
        u = np.random.default_rng(0).integers(0, 2, (frames, code.k), dtype=np.uint8)
        code.encode(u[:8])  # compile

        def run():
            code.encode(u)

        return run, frames * code.k

    return setup


def measure(run: Callable[[], object], info_bits: int, min_seconds: float = 1.0, warmup: int = 1,
            min_calls: int = 3) -> dict:
    """Call ``run`` until ``min_seconds`` have passed (after ``warmup`` calls that absorb
    compilation); report the best and the median rate over the timed calls."""
    for _ in range(warmup):
        run()
    rates, spent = [], 0.0
    while spent < min_seconds or len(rates) < min_calls:
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        spent += elapsed
        rates.append(info_bits / elapsed)
    rates.sort()
    return {"info_bits_per_s": rates[len(rates) // 2], "best_info_bits_per_s": rates[-1], "calls": len(rates)}


def environment() -> dict:
    names = ("shannonlab", "numpy", "scipy", "numba", "komm", "ldpc", "scikit-commpy", "galois", "bchlib")
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                    "cpus": os.cpu_count(), "python": platform.python_version()},
        "versions": found,
        "threads": "1 (numba kernels single-threaded, NUMBA_NUM_THREADS=1, OMP_NUM_THREADS=1)",
    }


def write(document: dict, name: str | None = None) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / (name or f"{time.strftime('%Y-%m-%d')}.json")
    path.write_text(json.dumps(document, indent=1) + "\n")
    return path
