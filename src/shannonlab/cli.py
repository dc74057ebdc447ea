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
    from .sim.config import load_experiment
    from .sim.plot import plot_directory
    from .sim.sweep import output_dir, run_experiment

    resolved = load_experiment(args.config)
    directory = output_dir(resolved, args.out)
    start = time.perf_counter()
    try:
        store = run_experiment(resolved, out=directory, workers=args.workers, fresh=args.fresh, quiet=args.quiet,
                               dask=args.dask)
    except KeyboardInterrupt:
        print(f"interrupted: finished points and chunks are kept in {directory}; run the same command again to resume",
              file=sys.stderr)
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

    run = sub.add_parser("run", help="run (or resume) a YAML experiment, then draw its plots")
    run.add_argument("config", type=Path, help="experiment file (YAML)")
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
