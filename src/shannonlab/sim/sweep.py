"""Many points: every code of an experiment over every value of the sweep.

Points run one after another; each point's chunks run on the executor in parallel. After
every point the results files are rewritten, so an interruption loses at most the point in
flight, and a point already stored under the same config hash is not simulated again.
A code's sweep ends early after a point whose BER is below ``stop.ber_floor``, and after a
point with no error at all (its BER is then reported as an upper bound, not as zero).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .config import ResolvedExperiment, stable_hash
from .engine import PointResult, StopRule, simulate_point
from .executors import make_executor
from .progress import Progress
from .results import ResultStore, point_key


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


def output_dir(resolved: ResolvedExperiment, override: str | Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(resolved.experiment.output.dir or Path("results") / resolved.experiment.name)


def make_row(label: str, channel: str, parameter: str, value: float, result: PointResult, key: str) -> dict[str, Any]:
    row = {"code": label, "channel": channel, "parameter": parameter, "value": float(value), "point_key": key}
    row.update(result.as_dict())
    extras = row.pop("extras")
    row.update(extras)
    row["ber_is_upper_bound"] = result.bit_errors == 0
    row["avg_iterations"] = result.iterations / result.frames if result.frames else 0.0
    return row


def run_experiment(
    resolved: ResolvedExperiment,
    out: str | Path | None = None,
    workers: int | None = None,
    fresh: bool = False,
    quiet: bool = False,
    executor=None,
) -> ResultStore:
    """Run (or resume) an experiment; return the store holding every row."""
    exp = resolved.experiment
    store = ResultStore(output_dir(resolved, out), resolved.resolved(), resolved.config_hash(), fresh=fresh)
    done = store.done()
    stop = StopRule(exp.stop.min_frame_errors, exp.stop.max_frames, exp.stop.max_seconds)
    channel_dump = resolved.channel.model_dump(mode="json")
    parameter = resolved.parameter
    todo = [(entry, value) for entry in resolved.codes for value in resolved.points]
    progress = Progress(total=len(todo), quiet=quiet, stream=sys.stderr)
    own_executor = executor is None
    executor = executor or make_executor(workers if workers is not None else exp.execution.workers)
    try:
        for entry in resolved.codes:
            code = entry.code
            code_dump = entry.spec.model_dump(mode="json")
            for value in resolved.points:
                key = point_key(entry.label, parameter, value)
                row = done.get(key)
                if row is None:
                    channel = resolved.channel.build(parameter, value, code.rate)
                    seed = point_seed(exp.seed, code_dump, channel_dump, parameter, value)
                    progress.start_point(entry.label, parameter, value)
                    result = simulate_point(
                        code, channel, stop, seed, executor=executor,
                        chunk_frames=exp.execution.chunk_frames,
                        progress=progress.update, code_ref=entry.spec,
                    )
                    extras = getattr(channel, "report", None)
                    if callable(extras):
                        result.extras.update(extras(code.rate))
                    row = make_row(entry.label, resolved.channel.type, parameter, value, result, key)
                    theory = getattr(code, "reference_ber", None)
                    row["ber_theory"] = theory(channel) if callable(theory) else None
                    row["ber_theory_name"] = getattr(code, "reference_name", "exact")
                    store.add(row)
                    progress.end_point(row)
                else:
                    progress.skip_point()
                if row["bit_errors"] == 0 or (exp.stop.ber_floor is not None and row["ber"] < exp.stop.ber_floor):
                    progress.skip_points(len(resolved.points) - resolved.points.index(value) - 1)
                    break
    finally:
        if own_executor:
            executor.shutdown(cancel=True)
        progress.close()
    store.save()
    return store
