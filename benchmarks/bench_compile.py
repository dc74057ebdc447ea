"""Cold start: numba compile time per code family, and the quickstart cold and warm.

    python benchmarks/bench_compile.py                # families, then the quickstart twice
    python benchmarks/bench_compile.py --no-quickstart

Each family runs in a fresh process twice against its own empty numba cache directory
(``NUMBA_CACHE_DIR``): the first process compiles (cache empty), the second loads (cache
warm). In each process the first call is the engine's warm-up (build the code, one batch
through encoder, channel and decoder), the second call the same again. The quickstart
(``shannonlab run experiments/quickstart.yaml``, as in a fresh clone) runs once with an
empty cache directory and once more with the cache it left. Writes
``benchmarks/results/compile-<date>.json`` for ``benchmarks/performance.py``; whole runs,
so it adds no ``WORKLOADS``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKLOADS: list = []  # whole processes, see the docstring

HERE = Path(__file__).parent
ROOT = HERE.parent

#: One code per family and decoder kind: name -> YAML spec.
FAMILIES = {
    "Hamming (7,4) soft ML": {"type": "hamming", "r": 3, "decoder": {"algorithm": "ml"}},
    "conv. K=7 soft Viterbi": {"type": "convolutional", "generators": ["133", "171"], "k": 1024,
                               "decoder": {"algorithm": "viterbi"}},
    "conv. K=7 BCJR": {"type": "convolutional", "generators": ["133", "171"], "k": 1024, "decoder": {"algorithm": "bcjr"}},
    "LDPC 802.11n 648 sum-product": {"type": "ldpc", "matrix": {"standard": "ieee80211n", "n": 648, "rate": "1/2"}},
    "LDPC 5G BG1 layered": {"type": "ldpc", "matrix": {"standard": "5g-nr", "base_graph": 1, "k": 1024, "n": 2048},
                            "decoder": {"schedule": "layered"}},
    "polar (1024,512) SC": {"type": "polar", "n": 1024, "k": 512},
    "polar (1024,512) CA-SCL8": {"type": "polar", "n": 1024, "k": 512, "crc": "CRC11",
                                 "decoder": {"algorithm": "scl", "list_size": 8}},
    "turbo LTE K=1024 max-log": {"type": "turbo", "standard": "lte", "k": 1024},
}

_PROBE = """
import json, sys, time
start = time.perf_counter()
from numba.core import event
from shannonlab.channels import AWGN
from shannonlab.registry import build_code
from shannonlab.sim import engine
imported = time.perf_counter() - start
spec = json.loads(sys.argv[1])
with event.install_recorder("numba:compile") as recorder:
    start = time.perf_counter()
    code = build_code(spec)
    channel = AWGN(ebn0_db=2.0, rate=code.rate)
    engine.warm_up(code, channel)
    first = time.perf_counter() - start
    engine._WARM.clear()
    start = time.perf_counter()
    engine.warm_up(code, channel)
    second = time.perf_counter() - start
kernels = sorted({e.data["dispatcher"].py_func.__qualname__ for _, e in recorder.buffer if e.is_start})
print(json.dumps({"import_s": imported, "first_s": first, "second_s": second, "compiled": kernels}))
"""


def _probe(spec: dict, cache: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache, NUMBA_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(spec)], capture_output=True, text=True, env=env,
                         check=True)
    return json.loads(out.stdout.splitlines()[-1])


def families() -> list[dict]:
    rows = []
    for name, spec in FAMILIES.items():
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
            cold, warm = _probe(spec, cache), _probe(spec, cache)
        row = {"family": name, "spec": spec, "cold": cold, "warm": warm, "load_average": os.getloadavg()[0]}
        rows.append(row)
        print(f"{name}: cache empty first {cold['first_s']:.1f} s, second {cold['second_s']:.3f} s; "
              f"cache warm first {warm['first_s']:.1f} s ({len(warm['compiled'])} compiled)", file=sys.stderr, flush=True)
    return rows


def quickstart(shannonlab: str) -> dict:
    walls = {}
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache, tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for kind in ("cold", "warm"):
            start = time.perf_counter()
            subprocess.run([shannonlab, "run", str(ROOT / "experiments" / "quickstart.yaml"), "--out", out, "--fresh",
                            "--quiet"], check=True, env=env, cwd=ROOT, capture_output=True)
            walls[kind] = time.perf_counter() - start
            walls[f"{kind}_load_average"] = os.getloadavg()[0]
            walls[f"{kind}_points_seconds"] = json.loads((Path(out) / "results.json").read_text())["seconds"]
            print(f"quickstart {kind}: {walls[kind]:.1f} s (load {walls[f'{kind}_load_average']:.1f})",
                  file=sys.stderr, flush=True)
    walls["ratio"] = walls["cold"] / walls["warm"]
    return walls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-quickstart", action="store_true", help="families only")
    parser.add_argument("--shannonlab", default=str(Path(sys.executable).parent / "shannonlab"))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from bench_engine import machine

    document = {"kind": "compile", "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(),
                "families": families()}
    if not args.no_quickstart:
        document["quickstart"] = quickstart(args.shannonlab)
    path = HERE / "results" / f"compile-{time.strftime('%Y-%m-%d')}.json"
    path.write_text(json.dumps(document, indent=1) + "\n")
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
