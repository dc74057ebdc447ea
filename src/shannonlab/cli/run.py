"""``shannonlab run FILE [FILE ...]``: validate every experiment file, then run each in turn
(a Monte Carlo sweep, or a capacity study) and draw its figures."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import ShannonlabError
from .common import positive_int, print_drawn


def _load_all(paths: list[Path]) -> list:
    """Every file validated before anything runs; with several files the error names the file."""
    from ..sim.capacity_study import load_file

    loaded = []
    for path in paths:
        try:
            loaded.append(load_file(path))
        except ShannonlabError as exc:
            message = str(exc)
            if len(paths) == 1 or message.startswith(str(path)):
                raise
            raise ShannonlabError(f"{path}: {message}") from None
    return loaded


def _cmd_run(args: argparse.Namespace) -> int:
    from ..plot import draw_directory
    from ..sim.capacity_study import CapacityStudy, run_study, study_output_dir
    from ..sim.sweep import output_dir, run_experiment

    if args.out is not None and len(args.config) > 1:
        raise ShannonlabError(f"--out: names one results directory, so it takes one experiment file, got {len(args.config)}")
    loaded = _load_all(args.config)
    from ..sim.amc import AMCStudy, amc_output_dir, run_amc

    for path, item in zip(args.config, loaded):
        start = time.perf_counter()
        if isinstance(item, AMCStudy):
            directory = amc_output_dir(item, args.out)
            try:
                rows = run_amc(item, directory, workers=args.workers, fresh=args.fresh, quiet=args.quiet, dask=args.dask)
            except KeyboardInterrupt:
                print(f"interrupted: finished points are kept under {directory}/schemes; run the same command again "
                      "to resume", file=sys.stderr)
                return 130
            for sub in sorted((directory / "schemes").iterdir()):
                draw_directory(sub)
            drawn = draw_directory(directory)
            if not args.quiet:
                print(f"{path}: {len(item.schemes)} schemes x {len(rows)} SNRs in {time.perf_counter() - start:.1f} s "
                      f"-> {directory}/amc.csv, results.json, {', '.join(p.name for p in drawn.written)}")
                print_drawn(drawn, only_notes=True)
            continue
        if isinstance(item, CapacityStudy):
            directory = study_output_dir(item, args.out)
            rows = run_study(item, directory, quiet=args.quiet)
            drawn = draw_directory(directory)
            if not args.quiet:
                print(f"{path}: {len(rows)} capacities in {time.perf_counter() - start:.1f} s -> {directory}/capacity.csv, "
                      f"results.json, {', '.join(p.name for p in drawn.written)}")
                print_drawn(drawn, only_notes=True)
            continue
        directory = output_dir(item, args.out)
        try:
            store = run_experiment(item, out=directory, workers=args.workers, fresh=args.fresh, quiet=args.quiet,
                                   dask=args.dask)
        except KeyboardInterrupt:
            print(f"interrupted: finished points and chunks are kept in {directory}; run the same command again to "
                  f"resume", file=sys.stderr)
            return 130
        drawn = draw_directory(directory)
        if not args.quiet:
            print(f"{len(store.rows)} points in {time.perf_counter() - start:.1f} s -> {directory}/results.csv, "
                  f"results.json, {', '.join(p.name for p in drawn.written)}")
            print_drawn(drawn, only_notes=True)
    return 0


def register(sub) -> None:
    run = sub.add_parser("run", help="run (or resume) YAML experiments in turn, then draw their plots")
    run.add_argument("config", type=Path, nargs="+", help="experiment files (YAML); all are validated before any runs")
    run.add_argument("--out", type=Path, help="results directory (default: output.dir of the config)")
    run.add_argument("--workers", type=positive_int, help="processes (default: execution.workers, or every core)")
    run.add_argument("--dask", metavar="SCHEDULER",
                     help="run on the Dask scheduler at this address (tcp://host:8786), or on a new LocalCluster "
                          "with 'local' (needs the dask extra)")
    run.add_argument("--fresh", action="store_true", help="start over instead of resuming")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    run.set_defaults(func=_cmd_run)
