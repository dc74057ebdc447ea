"""``shannonlab run FILE [FILE ...]``: validate every experiment file, then run each in turn
(a Monte Carlo sweep, or a capacity study) and draw its figures. ``--dry-run`` stops after
validation and lists what a run would do with each point."""

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


def _dry_run(args: argparse.Namespace, loaded: list) -> int:
    """What a run would do: every point kept, resumed, continued or simulated; nothing written."""
    from ..sim.capacity_study import CapacityStudy, study_output_dir
    from ..sim.results import ResultStore, check_owner
    from ..sim.sweep import _legacy_ids, output_dir, plan

    from ..sim.amc import AMCStudy, amc_output_dir

    for path, item in zip(args.config, loaded):
        if isinstance(item, AMCStudy):
            print(f"{path}: amc study {item.name!r}: {len(item.schemes)} schemes, each a simulation of its own "
                  f"-> {amc_output_dir(item, args.out).resolve()}")
            continue
        if isinstance(item, CapacityStudy):
            directory = study_output_dir(item, args.out)
            check_owner(directory, "capacity", item.name, args.fresh)
            values = sum(len(curve.points()) for curve in item.curves)
            print(f"{path}: capacity study {item.name!r}: {len(item.curves)} curves, {values} values "
                  f"-> {directory.resolve()}")
            continue
        directory = output_dir(item, args.out)
        store = ResultStore(directory, item.resolved(), item.config_hash(), fresh=args.fresh, read_only=True)
        _legacy_ids(store, item)
        todo = plan(item, store)
        exp = item.experiment
        print(f"{path}: {exp.name}: {len(todo.points)} points: {todo.summary()} -> {directory.resolve()}")
        ends = [f"ber_floor {exp.stop.ber_floor:g}" if exp.stop.ber_floor is not None else "",
                f"error_free_points {exp.stop.error_free_points}" if exp.stop.error_free_points is not None else ""]
        if any(ends):
            print(f"  (a code's sweep may end earlier: {' or '.join(e for e in ends if e)})")
        width = max(len(entry.label) for entry in item.codes)
        print(f"  {'code':<{width}s}  {item.parameter:>8s}  action")
        for point in todo.points:
            note = f" ({point.note})" if point.note else ""
            print(f"  {point.entry.label:<{width}s}  {point.value:>8g}  {point.action}{note}")
    return 0


def _summary(store, seconds: float, directory: Path, target_ber: float, improves: int, unit: str = "") -> list[str]:
    """The lines closing a run: counts, and per code where its BER reaches the target."""
    from ..plot.crossing import find_crossing

    plan = store.plan
    simulated = sum(1 for p in plan.points if p.action in ("simulate", "resume", "continue"))
    kept = plan.count("kept")
    skipped = plan.count("not needed")
    parts = [f"{simulated} simulated"] + ([f"{kept} kept"] if kept else [])
    lines = [f"{len(store.rows)} points ({', '.join(parts)}"
             + (f"; {skipped} not needed after a sweep ended early" if skipped else "")
             + f") in {seconds:.1f} s -> {directory.resolve()}"]
    for label in dict.fromkeys(row["code"] for row in store.rows):
        rows = sorted((r for r in store.rows if r["code"] == label), key=lambda r: improves * r["value"])
        frames = sum(r["frames"] for r in rows)
        parameter = rows[0]["parameter"]
        crossing = find_crossing(rows, target_ber)
        where = f"BER {crossing.describe(unit)}" if crossing else f"BER {target_ber:g} not reached"
        lines.append(f"  {label}: {len(rows)} points, {frames} frames; {where} ({parameter})")
    return lines


def _cmd_run(args: argparse.Namespace) -> int:
    from ..plot import draw_directory
    from ..sim.capacity_study import CapacityStudy, run_study, study_output_dir
    from ..sim.executors import SchedulerLost
    from ..sim.results import DirectoryLock
    from ..sim.sweep import output_dir, run_experiment

    if args.out is not None and len(args.config) > 1:
        raise ShannonlabError(f"--out: names one results directory, so it takes one experiment file, got {len(args.config)}")
    if args.dask is not None:
        from ..sim.config import check_scheduler_address

        check_scheduler_address(args.dask, "--dask", allow_local=True)
    loaded = _load_all(args.config)
    from ..sim.amc import AMCStudy, amc_output_dir, run_amc

    if args.dry_run:
        return _dry_run(args, loaded)
    for path, item in zip(args.config, loaded):
        start = time.perf_counter()
        if isinstance(item, AMCStudy):
            directory = amc_output_dir(item, args.out)
            try:
                rows = run_amc(item, directory, workers=args.workers, fresh=args.fresh, quiet=args.quiet, dask=args.dask)
            except KeyboardInterrupt as exc:
                print(f"interrupted ({getattr(exc, 'name', 'SIGINT')}): finished points are kept under "
                      f"{directory.resolve()}/schemes; run the same command again to resume", file=sys.stderr)
                return 128 + getattr(exc, "signum", 2)
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
            with DirectoryLock(directory):
                rows = run_study(item, directory, quiet=args.quiet, fresh=args.fresh)
                drawn = draw_directory(directory)
            if not args.quiet:
                print(f"{path}: {len(rows)} capacities in {time.perf_counter() - start:.1f} s -> "
                      f"{directory.resolve()}/capacity.csv, results.json, {', '.join(p.name for p in drawn.written)}")
                print_drawn(drawn, only_notes=True)
            continue
        directory = output_dir(item, args.out)
        try:
            store = run_experiment(item, out=directory, workers=args.workers, fresh=args.fresh, quiet=args.quiet,
                                   dask=args.dask)
            with DirectoryLock(directory):
                drawn = draw_directory(directory)
        except SchedulerLost as exc:
            raise ShannonlabError(f"{exc}: finished points and chunks are kept in {directory.resolve()}; run the same "
                                  "command again to resume once a scheduler is back") from None
        except KeyboardInterrupt as exc:
            signum = getattr(exc, "signum", 2)
            print(f"interrupted ({getattr(exc, 'name', 'SIGINT')}): finished points and chunks are kept in "
                  f"{directory.resolve()}; run the same command again to resume", file=sys.stderr, flush=True)
            return 128 + signum
        if not args.quiet:
            parameter = item.channel.parameters.get(item.parameter)
            for line in _summary(store, time.perf_counter() - start, directory, item.experiment.plot.target_ber,
                                 item.channel.improves(item.parameter), getattr(parameter, "unit", "")):
                print(line)
            print(f"  files: results.csv, results.json, {', '.join(p.name for p in drawn.written)}")
            print_drawn(drawn, only_notes=True)
    return 0


def register(sub) -> None:
    run = sub.add_parser("run", help="run (or resume, or grow) YAML experiments in turn, then draw their plots")
    run.add_argument("config", type=Path, nargs="+", help="experiment files (YAML); all are validated before any runs")
    run.add_argument("--out", type=Path,
                     help="results directory (default: output.dir of the config, relative to the working directory)")
    run.add_argument("--workers", type=positive_int, help="processes (default: execution.workers, or every core)")
    run.add_argument("--dask", metavar="SCHEDULER",
                     help="run on the Dask scheduler at this address (tcp://host:8786), or on a new LocalCluster "
                          "with 'local' (needs the dask extra)")
    run.add_argument("--fresh", action="store_true", help="start over instead of reusing finished points")
    run.add_argument("--dry-run", action="store_true",
                     help="validate, then list the points a run would keep, resume, continue or simulate; run nothing")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    run.set_defaults(func=_cmd_run)
