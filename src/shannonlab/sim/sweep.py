"""Many points: every code of an experiment over every value of the sweep.

Points run one after another; each point's chunks run on the executor in parallel (local
processes or a Dask cluster, ``execution.backend``). After every point the results files
are rewritten, and the point in progress is checkpointed (``checkpoint.json``), so an
interruption loses at most the tasks in flight: a rerun of the same config skips every
stored point and continues the interrupted one from its finished chunks, with the numbers
an uninterrupted run gives. A code's sweep ends early after a point whose BER is below
``stop.ber_floor``, and after a point with no error at all (its BER is then reported as an
upper bound, not as zero).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ShannonlabError
from .config import ResolvedExperiment, stable_hash
from .engine import PointResult, StopRule, prepare, simulate_point
from .executors import make_executor
from .progress import Progress
from .results import ResultStore, _point_key


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


def _make_row(label: str, channel: str, parameter: str, value: float, result: PointResult, key: str) -> dict[str, Any]:
    row = {"code": label, "channel": channel, "parameter": parameter, "value": float(value), "point_key": key}
    row.update(result.as_dict())
    extras = row.pop("extras")
    row.update(extras)
    row["ber_is_upper_bound"] = result.bit_errors == 0
    row["avg_iterations"] = result.iterations / result.frames if result.frames else 0.0
    return row


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


def run_experiment(
    resolved: ResolvedExperiment,
    out: str | Path | None = None,
    workers: int | None = None,
    fresh: bool = False,
    quiet: bool = False,
    executor=None,
    dask: str | None = None,
) -> ResultStore:
    """Run (or resume) an experiment; return the store holding every row.

    ``workers`` overrides ``execution.workers``; ``dask`` (the CLI's ``--dask``) runs on the
    Dask scheduler at that address, or on a new LocalCluster when it is ``"local"``;
    ``executor`` (any object with the executor interface) overrides both.
    """
    exp = resolved.experiment
    own_executor = executor is None
    if executor is None:
        executor = _executor_for(exp.execution, workers, dask)
        describe = getattr(executor, "describe", None)
        if not quiet and callable(describe):
            print(describe(), file=sys.stderr, flush=True)  # e.g. the Dask dashboard link, once
    try:
        store = ResultStore(output_dir(resolved, out), resolved.resolved(), resolved.config_hash(), fresh=fresh)
    except BaseException:
        if own_executor:
            executor.shutdown(cancel=True)
        raise
    done = store.done()
    stop = StopRule(exp.stop.min_frame_errors, exp.stop.max_frames, exp.stop.max_seconds)
    channel_dump = resolved.channel.model_dump(mode="json")
    parameter = resolved.parameter
    todo = [(entry, value) for entry in resolved.codes for value in resolved.points]
    progress = Progress(total=len(todo), quiet=quiet, stream=sys.stderr)
    spectra: dict[str, Any] = {}
    try:
        # Compile every code with points to run on the workers at once, before any point.
        jobs = []
        for entry in resolved.codes:
            value = next((v for v in resolved.points if _point_key(entry.label, parameter, v) not in done), None)
            if value is not None:
                jobs.append((entry.spec, resolved.channel.build(parameter, value, entry.code.rate)))
        prepare(executor, jobs)
        for entry in resolved.codes:
            code = entry.code
            code_dump = entry.spec.model_dump(mode="json")
            for value in resolved.points:
                key = _point_key(entry.label, parameter, value)
                row = done.get(key)
                if row is None:
                    channel = resolved.channel.build(parameter, value, code.rate)
                    seed = point_seed(exp.seed, code_dump, channel_dump, parameter, value)
                    progress.start_point(entry.label, parameter, value)
                    result = simulate_point(
                        code, channel, stop, seed, executor=executor,
                        chunk_frames=exp.execution.chunk_frames,
                        progress=progress.update, code_ref=entry.spec,
                        checkpoint=store.load_checkpoint(key),
                        on_checkpoint=lambda state, key=key: store.save_checkpoint(key, state),
                    )
                    result.extras.update(channel.report(code.rate))
                    row = _make_row(entry.label, resolved.channel.type, parameter, value, result, key)
                    row["ber_theory"] = code.reference_ber(channel)
                    row["ber_theory_name"] = code.reference_name
                    if "union" in exp.plot.bounds:
                        row["fer_union"] = _union_bound(entry.label, code, channel, spectra)
                    if exp.trajectory is not None:
                        row["trajectory"] = _trajectory(code, channel, exp.trajectory, seed)
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
