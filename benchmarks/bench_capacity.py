"""Capacity of random dense DMCs by Blahut–Arimoto at a certified gap of 1e-9 bit.

Rate unit: the harness's "info bits/s" column here counts *channels solved per second*
(each call computes one capacity and reports info_bits = 1). Channels are W = U / rowsum(U)
with U uniform on [0, 1), from a fixed seed, so every run solves the same matrices.

    python benchmarks/run.py capacity                  # through the shared harness
    python benchmarks/bench_capacity.py                # one timed call each, plain/accelerated
                                                       # ratio, JSON in benchmarks/results/

komm's ``DiscreteMemorylessChannel.capacity`` is the peer; it stops on a change in p below
1e-12 (no certificate), so its accuracy is not the same contract.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from harness import Workload, environment, write  # noqa: E402

from shannonlab.channels.blahut_arimoto import blahut_arimoto  # noqa: E402

TOL = 1e-9
SEED = 2026


def dense_channel(m: int) -> np.ndarray:
    rng = np.random.default_rng([SEED, m])
    W = rng.random((m, m))
    return W / W.sum(axis=1, keepdims=True)


def _ours(m: int, method: str):
    def setup():
        W = dense_channel(m)

        def run():
            result = blahut_arimoto(W, tol=TOL, method=method)
            assert result.converged and result.upper - result.lower < TOL
            return result

        return run, 1

    return setup


def _komm(m: int):
    def setup():
        import komm

        dmc = komm.DiscreteMemorylessChannel(dense_channel(m))
        return dmc.capacity, 1

    return setup


#: Calls of many seconds (plain 256x256: ~18 s; komm 256x256: ~130 s) are timed once, unwarmed.
SLOW = {(256, "plain"): {"warmup": 0, "min_calls": 1}, (256, "komm"): {"warmup": 0, "min_calls": 1},
        (64, "komm"): {"warmup": 0}}

WORKLOADS = [
    Workload(f"capacity:{method}-dense{m}", _ours(m, method),
             f"Blahut-Arimoto ({method}) on a random dense {m}x{m} DMC to certified gap {TOL:g} bit; "
             "rate = channels per second", **SLOW.get((m, method), {}))
    for m in (64, 256) for method in ("accelerated", "plain")
] + [
    Workload(f"komm:capacity-dense{m}", _komm(m),
             f"komm DiscreteMemorylessChannel.capacity on the same {m}x{m} channel (its own stop rule, "
             "no certificate); rate = channels per second", **SLOW.get((m, "komm"), {}))
    for m in (64, 256)
]


def main() -> int:
    """Time one call of each method per size and write the plain/accelerated ratio."""
    document = environment()
    document["tol"] = TOL
    document["results"] = []
    for m in (64, 256):
        W = dense_channel(m)
        blahut_arimoto(W, tol=TOL)  # warm caches
        entry = {"size": m}
        for method in ("accelerated", "plain"):
            start = time.perf_counter()
            result = blahut_arimoto(W, tol=TOL, method=method)
            entry[method] = {"seconds": time.perf_counter() - start, "iterations": result.iterations,
                             "gap": result.upper - result.lower, "capacity_bits": result.capacity}
        entry["speedup"] = entry["plain"]["seconds"] / entry["accelerated"]["seconds"]
        try:
            import komm

            start = time.perf_counter()
            value = komm.DiscreteMemorylessChannel(W).capacity()
            entry["komm"] = {"seconds": time.perf_counter() - start, "capacity_bits": value}
        except ImportError:
            pass
        print(json.dumps(entry), flush=True)
        document["results"].append(entry)
    print(f"written {write(document, 'capacity-' + time.strftime('%Y-%m-%d') + '.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
