"""Throughput measurement shared by every benchmark: decoded information bits per second
on one core, written as JSON. Benchmarks never decide a test's pass or fail.

A benchmark module ``bench_<family>.py`` defines ``WORKLOADS``: a list of
:class:`Workload`. Each workload prepares its inputs once (``setup`` returns a callable that
decodes one batch and the number of information bits that batch holds); peers (komm, ldpc,
...) are workloads too, named ``<peer>:<what>``, and are skipped with a note when the peer
is not installed. A workload may carry a published figure of another implementation on
the same workload (``aff3ct``: AFF3CT's decoded information bits/s on one core, from
issue 18), which the table sets beside ours as a bar.

Before/after: the same workloads run on another checkout of the code (``run.py --tree DIR``,
the code in DIR/src imported instead of the installed one); workloads whose options that
code does not know are recorded as not available there. :func:`merge` puts each row of the
"before" document beside the row of the same name in the "after" one, with the speedup and
whether the decoded bits are the same (a digest of the first call's output is kept).
"""

from __future__ import annotations

import hashlib
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
    aff3ct: float | None = None  # AFF3CT v3.0.2 on one core, info bits/s (issue 18's table): the bar


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


def digest(result: object) -> str | None:
    """A short hash of a decoder's output (an array), to tell whether two runs decided alike."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        return None
    if not isinstance(result, np.ndarray):
        return None
    return hashlib.sha1(np.ascontiguousarray(result).tobytes()).hexdigest()[:16]


def measure(run: Callable[[], object], info_bits: int, min_seconds: float = 1.0, warmup: int = 1,
            min_calls: int = 3) -> dict:
    """Call ``run`` until ``min_seconds`` have passed (after ``warmup`` calls that absorb
    compilation); report the best and the median rate over the timed calls, and a digest
    of what the first call returned."""
    start = time.perf_counter()
    first = run()
    first_seconds = time.perf_counter() - start
    for _ in range(warmup - 1):
        run()
    rates, spent = ([], 0.0) if warmup else ([info_bits / first_seconds], first_seconds)
    while spent < min_seconds or len(rates) < min_calls:
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        spent += elapsed
        rates.append(info_bits / elapsed)
    rates.sort()
    return {"info_bits_per_s": rates[len(rates) // 2], "best_info_bits_per_s": rates[-1], "calls": len(rates),
            "first_call_seconds": first_seconds, "decisions": digest(first)}


def environment() -> dict:
    names = ("shannonlab", "numpy", "scipy", "numba", "komm", "ldpc", "scikit-commpy", "galois", "bchlib")
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    import shannonlab

    machine = {"platform": platform.platform(), "processor": _cpu_name() or platform.processor() or platform.machine(),
               "cpus": os.cpu_count(), "python": platform.python_version()}
    try:
        from shannonlab.codes import simd

        machine["simd"] = f"{simd.simd_name()}, {simd.VECTOR_BYTES}-byte registers: {simd.F32_LANES} float32 lanes"
    except ImportError:  # a checkout from before the SIMD kernels
        pass
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine,
        "versions": found,
        "code": str(Path(shannonlab.__file__).resolve().parent.parent),
        "threads": "1 (numba kernels single-threaded, NUMBA_NUM_THREADS=1, OMP_NUM_THREADS=1)",
    }


def _cpu_name() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def merge(after: dict, before: dict) -> dict:
    """``after`` with, in each row measured in both, ``before`` (the other run's rate),
    ``speedup`` (after / before), ``same_decisions`` (equal digests of the decoded bits)
    and, where the workload has an AFF3CT figure, ``aff3ct_ratio`` (AFF3CT / ours, <= 1
    meets the bar)."""
    merged = dict(after)
    merged["before"] = {key: before.get(key) for key in ("date", "code", "label", "machine")}
    old = {row["name"]: row for row in before.get("results", [])}
    rows = []
    for row in after.get("results", []):
        row = dict(row)
        prev = old.get(row["name"])
        if prev is not None and "info_bits_per_s" in prev and "info_bits_per_s" in row:
            row["before_info_bits_per_s"] = prev["info_bits_per_s"]
            row["speedup"] = row["info_bits_per_s"] / prev["info_bits_per_s"]
            if row.get("decisions") and prev.get("decisions"):
                row["same_decisions"] = row["decisions"] == prev["decisions"]
        elif prev is not None:
            row["before_skipped"] = prev.get("skipped", "not measured")
        if row.get("aff3ct") and "info_bits_per_s" in row:
            row["aff3ct_ratio"] = row["aff3ct"] / row["info_bits_per_s"]
            if prev is not None and "info_bits_per_s" in prev:
                row["aff3ct_ratio_before"] = row["aff3ct"] / prev["info_bits_per_s"]
        rows.append(row)
    merged["results"] = rows
    return merged


def write(document: dict, name: str | None = None) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / (name or f"{time.strftime('%Y-%m-%d')}.json")
    path.write_text(json.dumps(document, indent=1) + "\n")
    return path
