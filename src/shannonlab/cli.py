"""The ``shannonlab`` command: ``run``, ``plot``, ``list`` (and more as families add them).

Every bad input ends the command with one line on stderr naming the field and what is
allowed, and exit status 2; an interruption keeps every finished point (exit status 130).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__, capacity_cli
from .errors import ShannonlabError


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def cmd_run(args: argparse.Namespace) -> int:
    from .sim.capacity_study import CapacityStudy, load_file, run_study, study_output_dir
    from .sim.plot import plot_directory
    from .sim.sweep import output_dir, run_experiment

    if args.out is not None and len(args.config) > 1:
        raise ShannonlabError(f"--out: names one results directory, so it takes one experiment file, got {len(args.config)}")
    loaded = []
    for path in args.config:  # validate every file before anything runs
        try:
            loaded.append(load_file(path))
        except ShannonlabError as exc:  # with several files, say which one
            message = str(exc)
            if len(args.config) == 1 or message.startswith(str(path)):
                raise
            raise ShannonlabError(f"{path}: {message}") from None
    for path, item in zip(args.config, loaded):
        start = time.perf_counter()
        if isinstance(item, CapacityStudy):
            directory = study_output_dir(item, args.out)
            rows = run_study(item, directory, quiet=args.quiet)
            if not args.quiet:
                print(f"{path}: {len(rows)} capacities in {time.perf_counter() - start:.1f} s -> {directory}/capacity.csv, "
                      f"results.json, capacity_curves.png")
            continue
        directory = output_dir(item, args.out)
        try:
            store = run_experiment(item, out=directory, workers=args.workers, fresh=args.fresh, quiet=args.quiet,
                                   dask=args.dask)
        except KeyboardInterrupt:
            print(f"interrupted: finished points and chunks are kept in {directory}; run the same command again to "
                  f"resume", file=sys.stderr)
            return 130
        plots = plot_directory(directory)
        if not args.quiet:
            print(f"{len(store.rows)} points in {time.perf_counter() - start:.1f} s -> {directory}/results.csv, "
                  f"results.json, {', '.join(p.name for p in plots)}")
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from .sim.plot import plot_directory

    for path in plot_directory(args.directory):
        print(path)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .sim.registry import describe

    print(describe())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shannonlab", description="Channel-coding simulation laboratory.")
    parser.add_argument("--version", action="version", version=f"shannonlab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run (or resume) YAML experiments in turn, then draw their plots")
    run.add_argument("config", type=Path, nargs="+",
                     help="experiment files (YAML); all are validated before any runs")
    run.add_argument("--out", type=Path, help="results directory (default: output.dir of the config)")
    run.add_argument("--workers", type=_positive_int, help="processes (default: execution.workers, or every core)")
    run.add_argument("--dask", metavar="SCHEDULER",
                     help="run on the Dask scheduler at this address (tcp://host:8786), or on a new LocalCluster "
                          "with 'local' (needs shannonlab[dask])")
    run.add_argument("--fresh", action="store_true", help="start over instead of resuming")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    run.set_defaults(func=cmd_run)

    plot = sub.add_parser("plot", help="redraw the plots of a results directory")
    plot.add_argument("directory", type=Path)
    plot.set_defaults(func=cmd_plot)

    listing = sub.add_parser("list", help="every registered code, decoder and channel with its parameters")
    listing.set_defaults(func=cmd_list)
    capacity_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ShannonlabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
