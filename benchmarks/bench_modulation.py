"""Demapping speed: exact log-MAP LLRs of 16-QAM and 256-QAM (and max-log, and the
general kernel on 16-APSK), one core, against a plain vectorised numpy log-sum-exp demapper
on the same received symbols.

Rate unit: the harness's "info bits/s" column counts *LLRs produced per second* (coded bits
demapped). Symbols: 16 frames x 1024 symbols of random points at Es/N0 = 12 dB (a fixed seed).

    flock /work/bench.lock python benchmarks/run.py demap     # through the shared harness
    flock /work/bench.lock python benchmarks/bench_modulation.py   # ours and numpy in one run, ratios

The numpy peer computes the metric matrix -|y - x|^2/N0 (symbols x points) and, for every
bit, log-sum-exp over the points whose label has a 0 there minus over those with a 1 (max
subtracted first): what a user writes with numpy, and what the brute-force test reference
does.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from harness import Workload, environment, measure, write  # noqa: E402

from shannonlab.modulation import Constellation  # noqa: E402

FRAMES, SYMBOLS, ESN0_DB = 16, 1024, 12.0


def symbols(name: str):
    c = Constellation.from_name(name)
    rng = np.random.default_rng(2026)
    x = c.map(rng.integers(0, 2, (FRAMES, SYMBOLS * c.m), dtype=np.uint8))
    n0 = 10 ** (-ESN0_DB / 10)
    y = x + np.sqrt(n0 / 2) * (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape))
    return c, y, n0


def numpy_demap(c: Constellation, y: np.ndarray, n0: float, method: str = "exact") -> np.ndarray:
    """The plain vectorised numpy demapper (the peer)."""
    d = -np.abs(y.reshape(-1, 1) - c.points[None, :]) ** 2 / n0
    out = np.empty((d.shape[0], c.m))
    for k in range(c.m):
        sides = []
        for value in (0, 1):
            part = d[:, c.bits[:, k] == value]
            top = part.max(axis=1)
            sides.append(top if method == "max-log" else top + np.log(np.exp(part - top[:, None]).sum(axis=1)))
        out[:, k] = sides[0] - sides[1]
    return out.reshape(y.shape[0], -1)


def _ours(name: str, method: str = "exact", full: bool = False):
    def setup():
        c, y, n0 = symbols(name)
        if full:  # the general kernel (a sum over all M points) instead of the rails
            c = Constellation(c.points, c.labels, name + " (full)")
        c.demap(y[:1, :8], n0, method)  # compile

        def run():
            c.demap(y, n0, method)

        return run, y.size * c.m

    return setup


def _numpy(name: str, method: str = "exact"):
    def setup():
        c, y, n0 = symbols(name)

        def run():
            numpy_demap(c, y, n0, method)

        return run, y.size * c.m

    return setup


WORKLOADS = [
    Workload("demap:16qam exact", _ours("16qam"), "exact log-MAP, 16-QAM Gray (two 4-PAM rails)"),
    Workload("numpy:demap 16qam exact", _numpy("16qam"), "plain numpy log-sum-exp, 16-QAM"),
    Workload("demap:16qam exact full", _ours("16qam", full=True), "exact log-MAP over all 16 points"),
    Workload("demap:256qam exact", _ours("256qam"), "exact log-MAP, 256-QAM Gray (two 16-PAM rails)"),
    Workload("numpy:demap 256qam exact", _numpy("256qam"), "plain numpy log-sum-exp, 256-QAM", min_calls=2),
    Workload("demap:256qam exact full", _ours("256qam", full=True), "exact log-MAP over all 256 points"),
    Workload("demap:256qam max-log", _ours("256qam", "max-log"), "max-log, 256-QAM rails"),
    Workload("demap:16apsk exact", _ours("16apsk"), "exact log-MAP, DVB-S2 16-APSK (general kernel)"),
    Workload("numpy:demap 16apsk exact", _numpy("16apsk"), "plain numpy log-sum-exp, 16-APSK"),
]

#: (ours, peer) pairs measured in the same run by ``python bench_modulation.py``
PAIRS = [("demap:16qam exact", "numpy:demap 16qam exact"), ("demap:16qam exact full", "numpy:demap 16qam exact"),
         ("demap:256qam exact", "numpy:demap 256qam exact"), ("demap:256qam exact full", "numpy:demap 256qam exact"),
         ("demap:16apsk exact", "numpy:demap 16apsk exact")]


def main() -> int:
    document = environment()
    document["results"] = []
    rates = {}
    for workload in WORKLOADS:
        run, bits = workload.setup()
        entry = {"name": workload.name, "description": workload.description}
        entry.update(measure(run, bits, 1.5, workload.warmup, workload.min_calls))
        rates[workload.name] = entry["info_bits_per_s"]
        document["results"].append(entry)
        print(f"{workload.name:28s} {entry['info_bits_per_s']:.3e} LLR/s", flush=True)
    document["ratios"] = {f"{a} / {b}": rates[a] / rates[b] for a, b in PAIRS}
    for key, value in document["ratios"].items():
        print(f"{key:60s} {value:6.1f}x")
    path = write(document, f"modulation-{time.strftime('%Y-%m-%d')}.json")
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
