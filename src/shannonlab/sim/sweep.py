"""Many points: every code of an experiment over every value of the sweep.

Points run one after another; each point's chunks run on the executor in parallel (local
processes or a Dask cluster, ``execution.backend``). After every point the results files
are rewritten, and the point in progress is checkpointed (``checkpoint.json``), so an
interruption loses at most the tasks in flight.

A point's numbers depend only on its code spec (not the label), the channel spec, the
parameter value, the seed and the chunk size: :func:`point_id` keys finished points by
exactly that, so a grown config reuses them (:func:`plan`):

* ``kept``: a finished point with the same stop rule (a new label only renames it);
* ``continue``: a finished point whose stop rule became stricter (more frame errors or
  frames) continues from its whole chunks, with the numbers a run under the new rule
  gives from the start;
* ``resume``: the point an interrupted run was in, from its checkpointed chunks;
* ``simulate``: everything else (a new point, a changed code parameter, a looser rule).

A code's sweep ends early only by a rule the user chose: ``stop.ber_floor`` (a point
measured below it, or error-free with its upper bound below it) or
``stop.error_free_points`` (that many error-free points in a row). An error-free point's
BER is reported as an upper bound, never as zero.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ShannonlabError
from .config import ResolvedExperiment, stable_hash
from .engine import PointResult, StopRule, default_chunk_frames, prepare, simulate_point
from .executors import make_executor
from .progress import Progress
from .results import DirectoryLock, ResultStore, _point_key


def _key32(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "little")


def point_seed(seed: int, code_spec: dict[str, Any], channel_spec: dict[str, Any], parameter: str, value: float):
    """The SeedSequence of one (code, point): derived from content, not from positions, so
    reordering codes or extending a sweep leaves every other point's numbers unchanged."""
    code_part = {k: v for k, v in code_spec.items() if k != "label"}
    return np.random.SeedSequence(
        entropy=seed,
        spawn_key=(_key32(stable_hash(code_part)), _key32(stable_hash([channel_spec, parameter, float(value)]))),
    )


def point_id(seed: int, code_spec: dict[str, Any], channel_spec: dict[str, Any], parameter: str, value: float,
             chunk_frames: int) -> str:
    """What a point's numbers depend on, hashed: the seed, the code spec without its label,
    the channel spec, the parameter value and the frames per chunk.

    >>> a = point_id(1, {"type": "uncoded", "k": 8, "label": "a"}, {"type": "awgn"}, "ebn0_db", 1.0, 4096)
    >>> a == point_id(1, {"type": "uncoded", "k": 8, "label": "b"}, {"type": "awgn"}, "ebn0_db", 1.0, 4096)
    True
    """
    code_part = {k: v for k, v in code_spec.items() if k != "label"}
    return stable_hash({"seed": seed, "code": code_part, "channel": channel_spec, "parameter": parameter,
                        "value": float(value), "chunk_frames": int(chunk_frames)})


def output_dir(resolved: ResolvedExperiment, override: str | Path | None = None) -> Path:
    """``--out``, else ``output.dir`` (relative to the working directory), else
    ``results/NAME``."""
    if override is not None:
        return Path(override)
    return Path(resolved.experiment.output.dir or Path("results") / resolved.experiment.name)


def _make_row(label: str, channel: str, parameter: str, value: float, result: PointResult, key: str) -> dict[str, Any]:
    row = {"code": label, "channel": channel, "parameter": parameter, "value": float(value), "point_key": key}
    row.update(result.as_dict())
    extras = row.pop("extras")
    row["resume"] = row.pop("checkpoint")
    row.update(extras)
    row["ber_is_upper_bound"] = result.bit_errors == 0
    row["avg_iterations"] = result.iterations / result.frames if result.frames else 0.0
    return row


def _stop_of(stop) -> dict[str, Any]:
    return {"min_frame_errors": stop.min_frame_errors, "max_frames": stop.max_frames, "max_seconds": stop.max_seconds}


def continuable(row: dict[str, Any], stop: dict[str, Any]) -> dict[str, Any] | None:
    """The checkpoint from which ``row`` (finished under ``row["stop"]``) continues to what
    ``stop`` gives from the start, or None when it cannot (a looser rule: fewer errors or
    frames would have ended it earlier, inside its chunks).

    >>> row = {"stop": {"min_frame_errors": 10, "max_frames": 100, "max_seconds": None}, "stopped_by": "max_frames",
    ...        "resume": {"prefix": 10, "chunk_frames": 10, "counts": {"frames": 100, "frame_errors": 4}}}
    >>> continuable(row, {"min_frame_errors": 10, "max_frames": 1000, "max_seconds": None})["prefix"]
    10
    >>> continuable(row, {"min_frame_errors": 3, "max_frames": 1000, "max_seconds": None}) is None
    True
    """
    state, before = row.get("resume"), row.get("stop")
    if not isinstance(state, dict) or not isinstance(before, dict):
        return None
    counts = state.get("counts", {})
    frames, errors = counts.get("frames", 0), counts.get("frame_errors", 0)
    if frames > stop["max_frames"]:
        return None
    if errors < stop["min_frame_errors"]:
        return state
    # the stored point ended at the first chunk reaching its target, so no earlier prefix
    # reached a target at least as high
    if row.get("stopped_by") == "min_frame_errors" and stop["min_frame_errors"] >= before.get("min_frame_errors", 0):
        return state
    return None


def _same_under(row: dict[str, Any], stop: dict[str, Any]) -> bool:
    """Whether ``stop`` ends the stored point exactly where its own rule did."""
    before = row.get("stop")
    if not isinstance(before, dict) or stop.get("max_seconds") != before.get("max_seconds"):
        return False
    if row.get("stopped_by") == "min_frame_errors":
        return stop["min_frame_errors"] == before.get("min_frame_errors") and row.get("frames", 0) <= stop["max_frames"]
    if row.get("stopped_by") == "max_frames":
        return stop["max_frames"] == before.get("max_frames") and row.get("frame_errors", 0) < stop["min_frame_errors"]
    return False


@dataclass
class PlannedPoint:
    """One (code, value) of the config and what this run does with it."""

    entry: Any
    value: float
    point_id: str
    action: str  # kept | continue | resume | simulate
    row: dict[str, Any] | None = None
    checkpoint: dict[str, Any] | None = None
    note: str = ""


@dataclass
class Plan:
    points: list[PlannedPoint] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for p in self.points if p.action == action)

    def summary(self) -> str:
        """``"12 points kept, 3 to simulate"``, ``"nothing to simulate"``, ..."""
        parts = []
        kept = self.count("kept")
        if kept:
            parts.append(f"{kept} point{'s' if kept != 1 else ''} kept")
        for action, text in (("resume", "to resume from the checkpoint"), ("continue", "to continue under the stricter stop rule"),
                             ("simulate", "to simulate")):
            if self.count(action):
                parts.append(f"{self.count(action)} {text}")
        needed = self.count("not needed")
        if needed:
            parts.append(f"{needed} not needed")
        if not any(p.action in ("simulate", "resume", "continue") for p in self.points):
            return ", ".join(parts + ["nothing to simulate"])
        return ", ".join(parts)


def _chunk_frames(resolved: ResolvedExperiment, entry) -> int:
    return resolved.experiment.execution.chunk_frames or default_chunk_frames(entry.code.n)


def _legacy_ids(store: ResultStore, resolved: ResolvedExperiment) -> None:
    """Give rows written before point ids (keyed by label) their id, from the stored config."""
    rows = store.legacy_rows()
    if not rows:
        return
    config = store.stored.get("config") or {}
    try:
        codes = config["codes"]
        channel = config["channel"]
        seed = config["seed"]
        explicit = (config.get("execution") or {}).get("chunk_frames")
        stop = config.get("stop") or {}
    except (KeyError, TypeError):
        return
    from ..registry import parse_channel_spec, parse_code_spec

    def given(value):  # what a user would have written: the stored dump without its empty fields
        if isinstance(value, dict):
            return {k: given(v) for k, v in value.items() if v is not None}
        return [given(v) for v in value] if isinstance(value, list) else value

    def current(parse, spec):  # the stored spec as today's schema writes it (aliases, new defaults)
        for attempt in (spec, given(spec)):
            try:
                return parse(attempt).model_dump(mode="json")
            except (ShannonlabError, TypeError, ValueError):
                pass
        return spec

    codes = [current(parse_code_spec, c) if isinstance(c, dict) else c for c in codes]
    channel = current(parse_channel_spec, channel) if isinstance(channel, dict) else channel
    by_label = {c["label"]: c for c in codes if isinstance(c, dict) and isinstance(c.get("label"), str)}
    named = None
    for row in rows:
        if not isinstance(row.get("code"), str) or not isinstance(row.get("value"), (int, float)):
            continue
        spec = by_label.get(row["code"])
        if spec is None:
            if named is None:  # labels from code names: build the stored codes once
                from ..registry import build_code

                named = {}
                for c in codes:
                    try:
                        named[build_code(c).name] = c
                    except (ShannonlabError, TypeError, ValueError):
                        pass
            spec = named.get(row.get("code"))
        if spec is None or "value" not in row or "n" not in row:
            continue
        frames = explicit or default_chunk_frames(int(row["n"]))
        row["point_id"] = point_id(seed, spec, channel, row.get("parameter"), row["value"], frames)
        row["stop"] = {"min_frame_errors": stop.get("min_frame_errors", 100), "max_frames": stop.get("max_frames", 10_000_000),
                       "max_seconds": stop.get("max_seconds")}
        if row.get("frames") == row.get("chunks", -1) * frames:  # whole chunks: continuable
            counts = {k: row.get(k, 0) for k in ("chunks", "frames", "frame_errors", "bit_errors", "bit_errors_sq",
                                                  "failures", "iterations")}
            row["resume"] = {"chunk_frames": frames, "prefix": counts["chunks"], "counts": counts, "finished": [],
                             "seconds": row.get("seconds", 0.0)}
        store.pool[row["point_id"]] = row


def plan(resolved: ResolvedExperiment, store: ResultStore | None) -> Plan:
    """What a run of ``resolved`` does with each of its points, given what ``store`` holds."""
    exp = resolved.experiment
    stop = _stop_of(exp.stop)
    channel_dump = resolved.channel.model_dump(mode="json")
    pool = store.pool if store is not None else {}
    checkpointed = store.checkpointed_point() if store is not None else None
    result = Plan()
    for entry in resolved.codes:
        code_dump = entry.spec.model_dump(mode="json")
        frames = _chunk_frames(resolved, entry)
        for value in resolved.points:
            pid = point_id(exp.seed, code_dump, channel_dump, resolved.parameter, value, frames)
            point = PlannedPoint(entry, value, pid, "simulate")
            row = pool.get(pid)
            if row is not None and (row.get("stop") == stop or _same_under(row, stop)):
                point.action, point.row = "kept", dict(row, stop=stop)
            elif row is not None and continuable(row, stop) is not None:
                point.action, point.row, point.checkpoint = "continue", row, continuable(row, stop)
                point.note = f"from its {row.get('frames', 0)} frames"
            elif pid == checkpointed:
                state = store.load_checkpoint(pid)
                if isinstance(state, dict) and continuable({"resume": state, "stop": stop}, stop) is not None:
                    point.action, point.checkpoint = "resume", state
                    point.note = f"from its checkpoint ({state.get('counts', {}).get('frames', 0)} frames)"
            if row is not None and point.action == "simulate":
                point.note = "stop rule loosened: simulated again"
            result.points.append(point)
        _ended_by_kept(exp.stop, result.points[-len(resolved.points):])
    return result


def _ended_by_kept(stop, points: list[PlannedPoint]) -> None:
    """Mark the points a code's sweep will not reach because its kept points already end it."""
    error_free = 0
    for i, point in enumerate(points):
        if point.action != "kept":
            return
        error_free = error_free + 1 if point.row["bit_errors"] == 0 else 0
        if _sweep_ends(stop, point.row, error_free):
            for later in points[i + 1:]:
                if later.action != "kept":
                    later.action, later.note = "not needed", "the kept points before it end the sweep"
            return


def _executor_for(execution, workers: int | None, dask: str | None):
    """The executor the config and the command line ask for."""
    backend, scheduler = execution.backend, execution.scheduler
    if dask is not None:
        backend, scheduler = "dask", (None if dask == "local" else dask)
        if scheduler is not None and workers is not None:
            raise ShannonlabError("--workers: not used with --dask SCHEDULER (the cluster's workers run the chunks)")
    elif scheduler is not None and workers is not None:
        raise ShannonlabError(
            "--workers: not used with execution.scheduler (the cluster's workers run the chunks)"
        )
    if scheduler is None and workers is None:
        workers = execution.workers
    return make_executor(workers, backend=backend, scheduler=scheduler, connect_timeout=execution.connect_timeout)


def _sweep_ends(stop, row: dict[str, Any], error_free_run: int) -> str:
    """Why a code's sweep ends after ``row`` (a rule the user chose), or ``""``."""
    if stop.ber_floor is not None:
        if row["bit_errors"] > 0 and row["ber"] < stop.ber_floor:
            return f"BER below ber_floor {stop.ber_floor:g}"
        if row["bit_errors"] == 0 and row["ber_high"] < stop.ber_floor:
            return f"no bit error, BER bound below ber_floor {stop.ber_floor:g}"
    if stop.error_free_points is not None and error_free_run >= stop.error_free_points:
        return f"{error_free_run} error-free point{'s' if error_free_run > 1 else ''} in a row"
    return ""


def run_experiment(
    resolved: ResolvedExperiment,
    out: str | Path | None = None,
    workers: int | None = None,
    fresh: bool = False,
    quiet: bool = False,
    executor=None,
    dask: str | None = None,
    stream=None,
) -> ResultStore:
    """Run (or resume, or grow) an experiment; return the store holding every row.

    ``workers`` overrides ``execution.workers``; ``dask`` (the CLI's ``--dask``) runs on the
    Dask scheduler at that address, or on a new LocalCluster when it is ``"local"``;
    ``executor`` (any object with the executor interface) overrides both. Progress (a
    table of finished points) goes to ``stream`` (default stderr) unless ``quiet``.
    """
    exp = resolved.experiment
    stream = sys.stderr if stream is None else stream
    directory = output_dir(resolved, out)
    own_executor = executor is None
    if executor is None:
        executor = _executor_for(exp.execution, workers, dask)
        describe = getattr(executor, "describe", None)
        if not quiet and callable(describe):
            print(describe(), file=stream, flush=True)  # e.g. the Dask dashboard link, once
    progress = None
    try:
        with DirectoryLock(directory):
            store = ResultStore(directory, resolved.resolved(), resolved.config_hash(), fresh=fresh)
            _legacy_ids(store, resolved)
            todo = plan(resolved, store)
            if store.checkpointed_point() not in {p.point_id for p in todo.points if p.action == "resume"}:
                store.clear_checkpoint()  # of a point stored since, or of a point no longer asked for
            if not quiet:
                print(f"{exp.name}: {todo.summary()} -> {directory.resolve()}", file=stream, flush=True)
            progress = Progress(
                total=sum(1 for p in todo.points if p.action in ("simulate", "resume", "continue")), quiet=quiet,
                stream=stream,
                labels=[e.label for e in resolved.codes], parameter=resolved.parameter)
            _run(resolved, store, todo, executor, progress)
            store.order([p.point_id for p in todo.points])
            store.save()
            store.plan = todo
    except BaseException:  # an interruption: its checkpoint is written; do not wait for the workers
        if progress is not None:
            progress.close()
        if own_executor:
            getattr(executor, "abort", lambda: executor.shutdown(cancel=True))()
        raise
    if own_executor:
        executor.shutdown(cancel=True)
    if progress is not None:
        progress.close()
    return store


def _run(resolved: ResolvedExperiment, store: ResultStore, todo: Plan, executor, progress: Progress) -> None:
    exp = resolved.experiment
    stop = StopRule(exp.stop.min_frame_errors, exp.stop.max_frames, exp.stop.max_seconds)
    stop_dump = _stop_of(exp.stop)
    channel_dump = resolved.channel.model_dump(mode="json")
    parameter = resolved.parameter
    spectra: dict[str, Any] = {}
    by_code: dict[int, list[PlannedPoint]] = {}
    for point in todo.points:
        by_code.setdefault(point.entry.index, []).append(point)
    # Compile every code with points to run on the workers at once, before any point.
    jobs = []
    for entry in resolved.codes:
        first = next((p for p in by_code.get(entry.index, []) if p.action in ("simulate", "resume", "continue")), None)
        if first is not None:
            jobs.append((entry.spec, resolved.channel.build(parameter, first.value, entry.code.rate)))
    prepare(executor, jobs)
    for entry in resolved.codes:
        code = entry.code
        code_dump = entry.spec.model_dump(mode="json")
        error_free = 0
        points = by_code[entry.index]
        for i, point in enumerate(points):
            value = point.value
            key = _point_key(entry.label, parameter, value)
            if point.action == "kept":
                row = dict(point.row, code=entry.label, point_key=key)  # a new label renames
                _add_extras(row, resolved, entry, value, spectra, missing_only=True)
                store.keep(row)
            else:
                channel = resolved.channel.build(parameter, value, code.rate)
                seed = point_seed(exp.seed, code_dump, channel_dump, parameter, value)
                if point.action in ("resume", "continue"):
                    progress.note(f"{point.action.replace('resume', 'resuming').replace('continue', 'continuing')} "
                                  f"{entry.label} {parameter} = {value:g} {point.note}")
                progress.start_point(entry.label, parameter, value)
                result = simulate_point(
                    code, channel, stop, seed, executor=executor,
                    chunk_frames=_chunk_frames(resolved, entry),
                    progress=progress.update, code_ref=entry.spec,
                    checkpoint=point.checkpoint,
                    on_checkpoint=lambda state, pid=point.point_id: store.save_checkpoint(pid, state),
                )
                result.extras.update(channel.report(code.rate))
                row = _make_row(entry.label, resolved.channel.type, parameter, value, result, key)
                row["point_id"] = point.point_id
                row["stop"] = stop_dump
                row["ber_theory"] = code.reference_ber(channel)
                row["ber_theory_name"] = code.reference_name
                _add_extras(row, resolved, entry, value, spectra)
                store.add(row)
                progress.end_point(row)
            error_free = error_free + 1 if row["bit_errors"] == 0 else 0
            reason = _sweep_ends(exp.stop, row, error_free)
            if reason:
                rest = points[i + 1:]
                for later in rest:  # finished rows beyond the end stay in the results
                    if later.action == "kept":
                        store.keep(dict(later.row, code=entry.label,
                                        point_key=_point_key(entry.label, parameter, later.value)))
                skipped = [p for p in rest if p.action in ("simulate", "resume", "continue")]
                for p in skipped:
                    p.action = "not needed"
                progress.sweep_ends(entry.label, parameter, value, reason, len(skipped))
                break


def _add_extras(row: dict[str, Any], resolved: ResolvedExperiment, entry, value: float, spectra: dict,
                missing_only: bool = False) -> None:
    """What the figures ask of a point beyond its counts (``plot.bounds: [union]``, a
    ``trajectory``); a kept point gets them when an earlier config did not ask for them."""
    exp = resolved.experiment
    want_union = "union" in exp.plot.bounds and not (missing_only and "fer_union" in row)
    want_trajectory = exp.trajectory is not None and not (missing_only and "trajectory" in row)
    if not (want_union or want_trajectory):
        return
    code = entry.code
    channel = resolved.channel.build(resolved.parameter, value, code.rate)
    if want_union:
        row["fer_union"] = _union_bound(entry.label, code, channel, spectra)
    if want_trajectory:
        seed = point_seed(exp.seed, entry.spec.model_dump(mode="json"), resolved.channel.model_dump(mode="json"),
                          resolved.parameter, value)
        row["trajectory"] = _trajectory(code, channel, exp.trajectory, seed)


#: The ML union bound is offered for codes whose spectrum takes at most 2^24 codewords to list.
UNION_MAX_ENUMERATION = 24


def _union_bound(label: str, code, channel, spectra: dict) -> float | None:
    """The union bound on the ML frame-error rate of ``code`` at this point (``plot.bounds:
    [union]``): soft with BPSK (Q(sqrt(2 w Es/N0))) where the channel has an Es/N0, the BSC
    pairwise bound where it gives a BSC; None when the spectrum is out of reach or it is
    above 1."""
    from ..theory.union_bounds import pairwise_bsc
    from ..theory.units import q_function
    from ..theory.weight_spectrum import weight_enumerator

    if label not in spectra:
        small = min(code.k, code.n - code.k) <= UNION_MAX_ENUMERATION
        try:
            spectra[label] = weight_enumerator(code) if small else None
        except (ValueError, TypeError, AttributeError):
            spectra[label] = None
    spectrum = spectra[label]
    if spectrum is None:
        return None
    esn0, p = channel.bpsk_esn0(), channel.hard_crossover()
    weights = [(w, float(a)) for w, a in enumerate(spectrum) if w > 0 and a]
    if esn0 is not None and not channel.binary_symmetric_output:
        bound = sum(a * float(q_function((2.0 * w * esn0) ** 0.5)) for w, a in weights)
    elif p is not None:
        bound = sum(a * pairwise_bsc(w, p) for w, a in weights)
    else:
        return None
    return bound if bound < 1.0 else None


def _trajectory(code, channel, spec, seed) -> dict | None:
    """The code's ``message_information`` on ``spec.frames`` all-zero frames through the
    channel at this point (BP is symmetric, so the all-zero word stands for every codeword),
    with the noise drawn from a stream of its own (spawn key 2**31) so the simulated numbers
    are unchanged."""
    rng = np.random.default_rng(np.random.SeedSequence(seed.entropy, spawn_key=tuple(seed.spawn_key) + (2 ** 31,)))
    llr = channel.transmit(np.zeros((spec.frames, code.n), dtype=np.uint8), rng)
    return code.message_information(llr, spec.iterations)
