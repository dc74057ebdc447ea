r"""Experiment files of ``kind: capacity``: capacity curves by closed form and by Blahut–Arimoto.

Not a Monte Carlo sweep: every curve is a capacity model of a registered channel (``bsc``,
``bec``, ``z``, ``biawgn``, ``gaussian`` / ``awgn``, ...: whatever
:func:`shannonlab.registry.capacity_models` lists) and a list of values of its first
parameter; at each value the capacity is computed twice, by the channel's closed form and
by Blahut–Arimoto (:mod:`shannonlab.theory.blahut_arimoto`) on the channel written as a
discrete matrix by its spec (``ChannelSpec.channel_matrix``):

* BSC, BEC, Z: their exact matrices, so BA matches the closed form to ``tol``;
* BI-AWGN (snr_db = P/σ², σ = 1): inputs ±√P, outputs quantised in bins of Δσ
  (:mod:`shannonlab.theory.discretisation`); Gaussian input: an input grid with cost x² and
  capacity under E[x²] <= P by :func:`~shannonlab.theory.blahut_arimoto.blahut_arimoto_cost`.
  The quantisation loss Δ²/24 · P/(1+P) nats is the column ``predicted_loss`` (Gaussian rows).

Outputs: ``capacity.csv`` and ``results.json`` (rows and resolved config); the figure
``capacity_curves.png`` is drawn by :mod:`shannonlab.plot.capacity_curves`.

Example
-------
>>> study = resolve_study({"kind": "capacity", "name": "t",
...                        "curves": [{"channel": "z", "values": [0.5]}]})
>>> row = compute_curve_point(study, study.curves[0], 0.5)
>>> round(row["closed_form"], 4), round(row["blahut_arimoto"], 4)
(0.3219, 0.3219)
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import ConfigError
from ..registry import capacity_model, capacity_models
from ..theory.blahut_arimoto import blahut_arimoto, blahut_arimoto_cost
from ..theory.discretisation import Discretisation, quantisation_loss_bits
from ..theory.units import db_to_linear
from ..validation import check_memory, validate
from .config import PlainName, SweepValues

COLUMNS = ["channel", "parameter", "value", "closed_form", "blahut_arimoto", "ba_lower", "ba_upper",
           "predicted_loss", "inputs", "outputs", "iterations", "seconds"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Curve(_Strict):
    """One curve: a channel and the parameter values where Blahut–Arimoto is run."""

    channel: str = Field(description="a capacity model: bsc, bec, z, biawgn, gaussian (awgn), ... (shannonlab list)")
    values: SweepValues = Field(description="p (bsc, z), epsilon (bec) or snr_db = P/σ² (biawgn, gaussian)")
    label: str | None = None

    @model_validator(mode="after")
    def _in_range(self):
        models = capacity_models()
        if self.channel not in models:
            raise ValueError(f"channel must be one of {', '.join(models)}, got {self.channel!r}")
        parameter, allowed = next(iter(models[self.channel][1].parameters.items()))
        for x in self.points():
            if not allowed.contains(x):
                raise ValueError(f"{self.channel} takes {parameter} {allowed.allowed()}, got {x:g}")
        return self

    @property
    def parameter(self) -> str:
        return next(iter(capacity_models()[self.channel][1].parameters))

    def points(self) -> list[float]:
        return list(self.values) if isinstance(self.values, list) else self.values.expand()


class Output(_Strict):
    dir: str | None = None


class CapacityStudy(_Strict):
    """A whole ``kind: capacity`` experiment file."""

    kind: Literal["capacity"]
    name: PlainName
    description: str | None = None
    references: list[str] = Field(default_factory=list)
    curves: list[Curve] = Field(min_length=1)
    discretisation: Discretisation = Discretisation()
    tol: float = Field(1e-5, ge=1e-12, le=1e-2, description="Blahut–Arimoto certificate gap, bits")
    output: Output = Output()



#: Matrices Blahut–Arimoto holds at once (W, log W, products, the cost-constrained copies).
BA_MATRIX_COPIES = 6


def resolve_study(raw: dict[str, Any]) -> CapacityStudy:
    """Validate a parsed ``kind: capacity`` mapping; one-line :class:`ConfigError` on a
    problem, including a discretisation whose matrices would not fit in memory."""
    study = validate(CapacityStudy, raw)
    for i, curve in enumerate(study.curves):
        spec, model = capacity_model(curve.channel)
        parameter = next(iter(model.parameters))
        for value in curve.points():
            inputs, outputs = spec.matrix_shape(curve.channel, parameter, value, study.discretisation)
            field = "discretisation.output_step" if outputs >= inputs else "discretisation.input_step"
            check_memory({field: (8.0 * BA_MATRIX_COPIES * inputs * outputs,
                                             f"Blahut-Arimoto on the {inputs} x {outputs} matrix of curves[{i}] at "
                                             f"{parameter} = {value:g}")})
    return study


def channel_matrix(study: CapacityStudy, channel: str, value: float) -> tuple[np.ndarray, np.ndarray | None, float]:
    """(W, input cost or None, budget) of the capacity model ``channel`` at ``value`` of its
    first parameter, as the channel's spec writes it."""
    spec, model = capacity_model(channel)
    return spec.channel_matrix(channel, next(iter(model.parameters)), value, study.discretisation)


def closed_form(channel: str, value: float) -> float:
    """The capacity model's closed form at ``value`` of its first parameter (bits per use)."""
    spec, model = capacity_model(channel)
    return spec.model_capacity(channel, next(iter(model.parameters)), value)


def predicted_loss(study: CapacityStudy, channel: str, value: float) -> float | None:
    """Output-quantisation loss of Gaussian input at SNR ``value`` dB, in bits (None for other models)."""
    if capacity_model(channel)[1].key != "Gaussian input":
        return None
    return quantisation_loss_bits(db_to_linear(value), study.discretisation.output_step)


def compute_curve_point(study: CapacityStudy, curve: Curve, value: float) -> dict[str, Any]:
    """One row: the closed form and the Blahut–Arimoto value (with its bounds) at ``value``."""
    start = time.perf_counter()
    try:
        W, cost, budget = channel_matrix(study, curve.channel, value)
    except ValueError as exc:  # a discretisation too fine for memory
        raise ConfigError(str(exc)) from None
    if cost is None:
        result = blahut_arimoto(W, tol=study.tol)
    else:
        result = blahut_arimoto_cost(W, cost, budget, tol=study.tol)
    return {
        "channel": curve.label or curve.channel,
        "parameter": curve.parameter,
        "value": value,
        "closed_form": closed_form(curve.channel, value),
        "blahut_arimoto": result.capacity,
        "ba_lower": result.lower,
        "ba_upper": result.upper,
        "predicted_loss": predicted_loss(study, curve.channel, value),
        "inputs": int(W.shape[0]),
        "outputs": int(W.shape[1]),
        "iterations": int(result.iterations),
        "seconds": time.perf_counter() - start,
        "converged": bool(result.converged),
        "kind": curve.channel,
    }


def run_study(study: CapacityStudy, out: str | Path, quiet: bool = False, fresh: bool = False) -> list[dict[str, Any]]:
    """Compute every curve and write ``capacity.csv`` and ``results.json`` (the figure is drawn
    from them by :func:`shannonlab.plot.draw_directory`). The directory is locked for the
    run and must not hold another experiment's results (``fresh`` overwrites them)."""
    from .results import DirectoryLock, check_owner

    directory = Path(out)
    with DirectoryLock(directory):
        check_owner(directory, "capacity", study.name, fresh)
        return _run_study(study, directory, quiet)


def _run_study(study: CapacityStudy, directory: Path, quiet: bool) -> list[dict[str, Any]]:
    from .results import atomic_write, versions

    rows = []
    for curve in study.curves:
        for value in curve.points():
            rows.append(compute_curve_point(study, curve, value))
        if not quiet:
            worst = max(abs(r["blahut_arimoto"] - r["closed_form"]) for r in rows if r["kind"] == curve.channel)
            print(f"{curve.label or curve.channel}: {len(curve.points())} points, largest |BA - closed form| "
                  f"{worst:.2e} bits", flush=True)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(directory / "capacity.csv", text.getvalue())
    payload = {"config": study.model_dump(mode="json"), "versions": versions(), "rows": rows}
    atomic_write(directory / "results.json", json.dumps(payload, indent=1))
    return rows


def study_output_dir(study: CapacityStudy, override: str | Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(study.output.dir) if study.output.dir else Path("results") / study.name


def is_capacity(raw: Any) -> bool:
    """Whether a parsed experiment file declares ``kind: capacity``."""
    return isinstance(raw, dict) and raw.get("kind") == "capacity"


def _check_kind(raw: Any) -> None:
    if isinstance(raw, dict) and "kind" in raw and raw["kind"] not in ("simulation", "capacity", "amc"):
        raise ConfigError(f"kind: must be one of 'simulation', 'capacity', 'amc', got {raw['kind']!r}")


def load_file(path: str | Path) -> Any:
    """Read and validate an experiment file of any kind: a
    :class:`~shannonlab.sim.config.ResolvedExperiment` (``kind: simulation``, the default), a
    :class:`CapacityStudy` (``kind: capacity``) or an :class:`~shannonlab.sim.amc.AMCStudy`
    (``kind: amc``)."""
    from .config import read_experiment_file, resolve

    raw = read_experiment_file(path)
    _check_kind(raw)
    if isinstance(raw, dict) and raw.get("kind") == "amc":
        from .amc import resolve_amc

        return resolve_amc(raw)
    return resolve_study(raw) if is_capacity(raw) else resolve(raw)
