"""Run every throughput workload on one core and write benchmarks/results/<date>.json.

    python benchmarks/run.py                 # everything
    python benchmarks/run.py viterbi ldpc    # workloads whose name contains a word
    python benchmarks/run.py --seconds 3     # longer timing per workload
    python benchmarks/run.py ldpc --tree ../old-checkout --label before
                                             # the code of another checkout (its src/)
    flock /work/bench.lock python benchmarks/run.py ldpc conv --before-tree ../old-checkout
                                             # the old code, then this one, side by side

Each ``benchmarks/bench_*.py`` module contributes its ``WORKLOADS``; peers that are not
installed (``pip install -e ".[bench]"``) are reported as skipped, and so are workloads
whose options the measured code does not know (an older checkout). ``--before-tree`` runs
the other checkout in a subprocess right before this one (same workload definitions, same
inputs) and writes the merged document: each row with the earlier figure beside it, the
speedup, whether the decisions are identical and the ratio to AFF3CT's figure where the
issue gives one (see ``harness.merge``; ``table.py`` prints it).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from harness import environment, measure, merge, write  # noqa: E402


def load_workloads():
    workloads = []
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except ImportError as exc:  # a family the measured code (an older checkout) does not have
            print(f"{path.name}: not available in this code ({exc})", flush=True)
            continue
        workloads.extend(getattr(module, "WORKLOADS", []))
    return workloads


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("filters", nargs="*", help="run only workloads whose name contains one of these")
    parser.add_argument("--seconds", type=float, default=1.5, help="timed seconds per workload")
    parser.add_argument("--output", help="file name under benchmarks/results (default: <date>[-label].json)")
    parser.add_argument("--tree", help="measure the code of this checkout (DIR/src) instead of the installed one")
    parser.add_argument("--label", help="a name for this run (e.g. before, after), kept in the document")
    parser.add_argument("--before-tree", help="measure this checkout first, then the current code, and merge")
    args = parser.parse_args(argv)
    if args.tree and os.environ.get("SHANNONLAB_BENCH_TREE") != args.tree:
        return _in_tree(args.tree, argv)
    if args.before_tree:
        return _before_after(args)
    document = environment()
    document["label"] = args.label
    document["results"] = []
    for workload in load_workloads():
        if args.filters and not any(f in workload.name for f in args.filters):
            continue
        entry = {"name": workload.name, "description": workload.description, "target": workload.target}
        if workload.aff3ct is not None:
            entry["aff3ct"] = workload.aff3ct
        try:
            run, info_bits = workload.setup()
        except ImportError as exc:
            entry["skipped"] = (f"not available in this code: {exc}" if (exc.name or "").startswith("shannonlab")
                                else f"not installed: {exc.name or exc}")
            print(f"{workload.name:45s} skipped ({entry['skipped']})", flush=True)
            document["results"].append(entry)
            continue
        except Exception as exc:  # an option the measured code does not have (an older checkout)
            entry["skipped"] = f"not available in this code: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
            print(f"{workload.name:45s} skipped ({entry['skipped']})", flush=True)
            document["results"].append(entry)
            continue
        entry.update(measure(run, info_bits, args.seconds, workload.warmup, workload.min_calls))
        met = "" if workload.target is None else ("  target met" if entry["info_bits_per_s"] >= workload.target else f"  BELOW target {workload.target:.1e}")
        if workload.aff3ct is not None:
            met += f"  AFF3CT/ours {workload.aff3ct / entry['info_bits_per_s']:.2f}"
        print(f"{workload.name:45s} {entry['info_bits_per_s']:.3e} info bit/s{met}", flush=True)
        document["results"].append(entry)
    name = args.output or (f"{document['date'][:10]}-{args.label}.json" if args.label else None)
    path = write(document, name)
    print(f"written {path}")
    return 0


def _in_tree(tree: str, argv) -> int:
    """Re-run this script with the checkout's src/ first on the import path."""
    src = Path(tree).resolve() / "src"
    if not (src / "shannonlab").is_dir():
        print(f"--tree: {tree} has no src/shannonlab", file=sys.stderr)
        return 2
    env = dict(os.environ, SHANNONLAB_BENCH_TREE=tree,
               PYTHONPATH=os.pathsep.join([str(src)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    return subprocess.call([sys.executable, str(Path(__file__).resolve()), *(argv if argv is not None else sys.argv[1:])],
                           env=env)


def _before_after(args) -> int:
    """The other checkout in a subprocess, then this code in another, then the merge."""
    label = args.label or "after"
    with tempfile.TemporaryDirectory() as tmp:
        common = [*args.filters, "--seconds", str(args.seconds)]
        before_file, after_file = Path(tmp) / "before.json", Path(tmp) / "after.json"
        script = str(Path(__file__).resolve())
        for extra, out in ((["--tree", args.before_tree, "--label", "before"], before_file),
                           (["--label", label], after_file)):
            code = subprocess.call([sys.executable, script, *common, *extra, "--output", str(out)])
            if code:
                return code
        before, after = json.loads(before_file.read_text()), json.loads(after_file.read_text())
    merged = merge(after, before)
    path = write(merged, args.output or f"{merged['date'][:10]}-before-after.json")
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
