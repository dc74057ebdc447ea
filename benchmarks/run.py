"""Run every throughput workload on one core and write benchmarks/results/<date>.json.

    python benchmarks/run.py                 # everything
    python benchmarks/run.py viterbi ldpc    # workloads whose name contains a word
    python benchmarks/run.py --seconds 3     # longer timing per workload

Each ``benchmarks/bench_*.py`` module contributes its ``WORKLOADS``; peers that are not
installed (``pip install -e ".[bench]"``) are reported as skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from harness import environment, measure, write  # noqa: E402


def load_workloads():
    workloads = []
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        workloads.extend(getattr(module, "WORKLOADS", []))
    return workloads


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("filters", nargs="*", help="run only workloads whose name contains one of these")
    parser.add_argument("--seconds", type=float, default=1.5, help="timed seconds per workload")
    parser.add_argument("--output", help="file name under benchmarks/results (default: <date>.json)")
    args = parser.parse_args(argv)
    document = environment()
    document["results"] = []
    for workload in load_workloads():
        if args.filters and not any(f in workload.name for f in args.filters):
            continue
        entry = {"name": workload.name, "description": workload.description, "target": workload.target}
        try:
            run, info_bits = workload.setup()
        except ImportError as exc:
            entry["skipped"] = f"not installed: {exc.name or exc}"
            print(f"{workload.name:45s} skipped ({entry['skipped']})", flush=True)
            document["results"].append(entry)
            continue
        entry.update(measure(run, info_bits, args.seconds, workload.warmup, workload.min_calls))
        met = "" if workload.target is None else ("  target met" if entry["info_bits_per_s"] >= workload.target else f"  BELOW target {workload.target:.1e}")
        print(f"{workload.name:45s} {entry['info_bits_per_s']:.3e} info bit/s{met}", flush=True)
        document["results"].append(entry)
    path = write(document, args.output)
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
