"""Scale-out wall time: one experiment on 1 process, a local pool and a Dask LocalCluster.

This measures whole runs (``shannonlab run`` as a user starts it: imports, pool or cluster
start, every point), not single-core throughput, so it adds no ``WORKLOADS`` to
``benchmarks/run.py``. Run it by hand::

    python benchmarks/bench_distributed.py                       # experiments/distributed.yaml, 2 rounds
    python benchmarks/bench_distributed.py --rounds 3 --workers 4
    python benchmarks/bench_distributed.py --dask tcp://HOST:8786  # add a row for a real cluster

It prints a Markdown table (median wall time over the rounds, speed-up against one process,
the machine's load average during the runs) and checks that every run wrote the same
numbers (frames, errors, BER, FER and their intervals) to results.csv. The runs of one
round are interleaved so that a change in the machine's load hits every configuration; an
untimed run first fills numba's cache.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKLOADS: list = []  # whole-run wall times, see the docstring

ROOT = Path(__file__).resolve().parent.parent
NUMBERS = ("code", "value", "frames", "frame_errors", "bits", "bit_errors", "ber", "ber_low", "ber_high",
           "fer", "fer_low", "fer_high")


def _numbers(directory: Path) -> list[dict]:
    with open(directory / "results.csv") as handle:
        return [{k: row[k] for k in NUMBERS} for row in csv.DictReader(handle)]


def _run(config: Path, flags: list[str], out: Path, shannonlab: str) -> dict:
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.run([shannonlab, "run", str(config), "--out", str(out), "--fresh", "--quiet", *flags],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(flags)}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    simulated = json.loads((out / "results.json").read_text())["seconds"]
    return {"wall": wall, "simulated": simulated, "load": (load_before + os.getloadavg()[0]) / 2,
            "numbers": _numbers(out)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", nargs="?", default=str(ROOT / "experiments" / "distributed.yaml"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dask", metavar="SCHEDULER", help="also run on this Dask scheduler")
    parser.add_argument("--shannonlab", default=str(Path(sys.executable).parent / "shannonlab"))
    args = parser.parse_args(argv)
    w = args.workers
    setups = [("1 process (`--workers 1`)", ["--workers", "1"]),
              (f"local pool, {w} processes (`--workers {w}`)", ["--workers", str(w)]),
              (f"Dask LocalCluster, {w} workers (`--dask local --workers {w}`)", ["--dask", "local", "--workers", str(w)])]
    if args.dask:
        setups.append((f"Dask scheduler {args.dask}", ["--dask", args.dask]))
    runs: dict[str, list[dict]] = {name: [] for name, _ in setups}
    with tempfile.TemporaryDirectory(prefix="shannonlab-scaleout-") as tmp:
        # one untimed run first: numba's on-disk cache is filled, so no timed run compiles
        _run(Path(args.config), ["--workers", "1"], Path(tmp) / "warmup", args.shannonlab)
        for r in range(args.rounds):
            for i, (name, flags) in enumerate(setups):
                result = _run(Path(args.config), flags, Path(tmp) / f"r{r}-{i}", args.shannonlab)
                runs[name].append(result)
                print(f"round {r + 1}: {name}: {result['wall']:.1f} s (load {result['load']:.1f})", file=sys.stderr, flush=True)
    reference = runs[setups[0][0]][0]["numbers"]
    identical = all(run["numbers"] == reference for results in runs.values() for run in results)
    base = statistics.median(run["wall"] for run in runs[setups[0][0]])
    print(f"\n{args.config}: {len(reference)} points, {args.rounds} rounds; "
          f"identical numbers in every run: {'yes' if identical else 'NO'}; {os.cpu_count()} cores\n")
    print("| executor | wall time (median) s | runs s | points' own time s | speed-up | load avg |")
    print("|---|---:|---|---:|---:|---:|")
    for name, _ in setups:
        walls = [run["wall"] for run in runs[name]]
        median = statistics.median(walls)
        simulated = statistics.median(run["simulated"] for run in runs[name])
        load = statistics.mean(run["load"] for run in runs[name])
        print(f"| {name} | {median:.1f} | {', '.join(f'{x:.1f}' for x in walls)} | {simulated:.1f} | "
              f"{base / median:.2f} | {load:.1f} |")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
