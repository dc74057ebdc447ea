r"""Experiment files of ``kind: capacity``: capacity curves by closed form and by Blahut–Arimoto.

Not a Monte Carlo sweep: every curve is a channel and a list of parameter values; at each
value the capacity is computed twice, by the closed form of
:mod:`shannonlab.channels.capacity` and by Blahut–Arimoto
(:mod:`shannonlab.channels.blahut_arimoto`) on the channel written as a discrete matrix:

* ``bsc`` (p): ``[[1-p, p], [p, 1-p]]``; ``bec`` (epsilon): ``[[1-e, e, 0], [0, e, 1-e]]``;
  ``z`` (p): ``[[1, 0], [p, 1-p]]``. Exact matrices, so BA matches the closed form to ``tol``.
* ``biawgn`` (snr_db = P/sigma², sigma = 1): inputs ±sqrt(P), the output quantised into bins
  of width Δ = ``discretisation.output_step`` (in units of sigma) over the inputs' range ±
  ``output_margin``, tails folded into the end bins. Closed form at Es/N0 = P/2.
* ``gaussian`` (snr_db): inputs on a grid of step ``input_step`` over
  ±``input_span``·sqrt(P) with cost x², outputs quantised as above; capacity under the power
  constraint E[x²] <= P by :func:`blahut_arimoto_cost`. Closed form ½ log2(1 + P).

Quantising the output loses information; for a fine step Δ the loss is about

.. math::  \Delta I \approx \frac{\Delta^2}{24}\big(J(Y\mid X) - J(Y)\big)\ \text{nats},

J the Fisher information of the densities; for Gaussian input J(Y|X) = 1/σ², J(Y) = 1/(σ²+P),
so :math:`\Delta I \approx \frac{\Delta^2}{24}\frac{P}{1+P}` (column ``predicted_loss``,
gaussian rows). The input grid costs far less while its step is below σ.

Outputs: ``capacity.csv`` and ``results.json`` (rows and resolved config) and
``capacity_curves.png`` (closed forms as lines, BA values as markers).

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
import math
import time
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, model_validator

from ..channels import capacity as closed
from ..channels.blahut_arimoto import blahut_arimoto, blahut_arimoto_cost
from ..errors import ConfigError
from .config import PlainName, SweepValues
from .validation import validate

#: channel -> (parameter name, axis label, allowed range (inclusive))
CHANNELS: dict[str, tuple[str, str, tuple[float, float]]] = {
    "bsc": ("p", "crossover probability p", (0.0, 1.0)),
    "bec": ("epsilon", "erasure probability epsilon", (0.0, 1.0)),
    "z": ("p", "Z-channel: P(0 received | 1 sent) = p", (0.0, 1.0)),
    "biawgn": ("snr_db", "SNR = P/sigma^2 (dB)", (-30.0, 30.0)),
    "gaussian": ("snr_db", "SNR = P/sigma^2 (dB)", (-30.0, 30.0)),
}
NAMES = {"bsc": "BSC", "bec": "BEC", "z": "Z channel", "biawgn": "BI-AWGN (BPSK)", "gaussian": "AWGN, Gaussian input"}
COLUMNS = ["channel", "parameter", "value", "closed_form", "blahut_arimoto", "ba_lower", "ba_upper",
           "predicted_loss", "inputs", "outputs", "iterations", "seconds"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Curve(_Strict):
    """One curve: a channel and the parameter values where Blahut–Arimoto is run."""

    channel: Literal["bsc", "bec", "z", "biawgn", "gaussian"]
    values: SweepValues = Field(description="p (bsc, z), epsilon (bec) or snr_db (biawgn, gaussian)")
    label: str | None = None

    @model_validator(mode="after")
    def _in_range(self):
        parameter, _, (low, high) = CHANNELS[self.channel]
        for x in self.points():
            if not (low <= x <= high) or not math.isfinite(x):
                raise ValueError(f"{self.channel} takes {parameter} in [{low:g}, {high:g}], got {x:g}")
        return self

    def points(self) -> list[float]:
        return list(self.values) if isinstance(self.values, list) else self.values.expand()


class Discretisation(_Strict):
    """How the AWGN channels become matrices (lengths in units of the noise standard deviation)."""

    output_step: PositiveFloat = Field(0.05, le=1.0, description="output bin width Δ")
    output_margin: PositiveFloat = Field(8.0, ge=3.0, description="outputs cover the inputs' range ± this")
    input_step: PositiveFloat = Field(0.25, le=1.0, description="gaussian: input grid step")
    input_span: PositiveFloat = Field(7.0, ge=3.0, description="gaussian: inputs cover ± this × sqrt(P)")


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



def resolve_study(raw: dict[str, Any]) -> CapacityStudy:
    """Validate a parsed ``kind: capacity`` mapping; one-line :class:`ConfigError` on a problem."""
    return validate(CapacityStudy, raw)


def _gaussian_outputs(x: np.ndarray, step: float, margin: float) -> np.ndarray:
    """W[i, j] = P(y in bin j | x_i) for y = x + N(0, 1), bins of width ``step`` over
    [min x - margin, max x + margin], the two tails folded into the end bins."""
    from scipy.special import ndtr

    count = int(math.ceil((x.max() - x.min() + 2 * margin) / step))
    edges = x.min() - margin + step * np.arange(1, count)
    cdf = ndtr(edges[None, :] - x[:, None])
    W = np.diff(np.hstack([np.zeros((x.size, 1)), cdf, np.ones((x.size, 1))]), axis=1)
    W[W < 1e-30] = 0.0  # keeps every product p_x W_xy inside double range
    W /= W.sum(axis=1, keepdims=True)
    return W[:, W.sum(axis=0) > 0]


def channel_matrix(study: CapacityStudy, channel: str, value: float) -> tuple[np.ndarray, np.ndarray | None, float]:
    """(W, input cost or None, budget) of ``channel`` at parameter ``value``."""
    disc = study.discretisation
    if channel == "bsc":
        return np.array([[1 - value, value], [value, 1 - value]]), None, 0.0
    if channel == "bec":
        return np.array([[1 - value, value, 0.0], [0.0, value, 1 - value]]), None, 0.0
    if channel == "z":
        return np.array([[1.0, 0.0], [value, 1 - value]]), None, 0.0
    power = 10.0 ** (value / 10.0)
    if channel == "biawgn":
        x = np.array([-math.sqrt(power), math.sqrt(power)])
        return _gaussian_outputs(x, disc.output_step, disc.output_margin), None, 0.0
    reach = disc.input_span * math.sqrt(power)
    half = math.ceil(reach / disc.input_step)
    x = disc.input_step * np.arange(-half, half + 1)
    return _gaussian_outputs(x, disc.output_step, disc.output_margin), x ** 2, power


def closed_form(channel: str, value: float) -> float:
    if channel == "bsc":
        return closed.bsc_capacity(value)
    if channel == "bec":
        return closed.bec_capacity(value)
    if channel == "z":
        return closed.z_channel_capacity(value)
    power = 10.0 ** (value / 10.0)
    if channel == "biawgn":
        return closed.biawgn_capacity(power / 2.0)
    return closed.gaussian_capacity(power)


def predicted_loss(study: CapacityStudy, channel: str, value: float) -> float | None:
    """Output-quantisation loss Δ²/24 · P/(1+P) nats, in bits (gaussian rows only)."""
    if channel != "gaussian":
        return None
    power = 10.0 ** (value / 10.0)
    return study.discretisation.output_step ** 2 / 24.0 * power / (1.0 + power) / math.log(2.0)


def compute_curve_point(study: CapacityStudy, curve: Curve, value: float) -> dict[str, Any]:
    """One row: the closed form and the Blahut–Arimoto value (with its bounds) at ``value``."""
    start = time.perf_counter()
    W, cost, budget = channel_matrix(study, curve.channel, value)
    if cost is None:
        result = blahut_arimoto(W, tol=study.tol)
    else:
        result = blahut_arimoto_cost(W, cost, budget, tol=study.tol)
    return {
        "channel": curve.label or curve.channel,
        "parameter": CHANNELS[curve.channel][0],
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


def run_study(study: CapacityStudy, out: str | Path, quiet: bool = False) -> list[dict[str, Any]]:
    """Compute every curve, write ``capacity.csv``, ``results.json`` and ``capacity_curves.png``."""
    from .results import atomic_write, versions

    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
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
    plot_capacity_study(directory, study, rows)
    return rows


def plot_capacity_study(directory: Path, study: CapacityStudy, rows: list[dict[str, Any]]) -> Path:
    """``capacity_curves.png``: discrete channels against their probability (left), AWGN
    channels against SNR (right); closed forms as lines, Blahut–Arimoto as markers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    discrete = [c for c in study.curves if c.channel in ("bsc", "bec", "z")]
    awgn = [c for c in study.curves if c.channel in ("biawgn", "gaussian")]
    panels = [p for p in (discrete, awgn) if p]
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 5), squeeze=False)
    colors = plt.get_cmap("tab10")
    for ax, curves in zip(axes[0], panels):
        for i, curve in enumerate(curves):
            name = curve.label or NAMES[curve.channel]
            points = curve.points()
            lo, hi = min(points), max(points)
            if curve.channel in ("bsc", "bec", "z"):
                lo, hi = 0.0, 1.0
            grid = np.linspace(lo, hi, 301)
            color = colors(i if ax is axes[0][0] and discrete else i + 3)
            ax.plot(grid, [closed_form(curve.channel, float(x)) for x in grid], color=color, linewidth=1.5,
                    label=f"{name}: closed form")
            mine = [r for r in rows if r["kind"] == curve.channel and r["channel"] == (curve.label or curve.channel)]
            ax.plot([r["value"] for r in mine], [r["blahut_arimoto"] for r in mine], linestyle="none", marker="o",
                    markerfacecolor="none", markersize=7, color=color, label=f"{name}: Blahut–Arimoto")
        is_awgn = curves[0].channel in ("biawgn", "gaussian")
        ax.set_xlabel("SNR = P/σ² (dB)" if is_awgn else "channel parameter (p or ε)")
        ax.set_ylabel("capacity (bits per channel use)")
        ax.set_title("AWGN channels (real, σ² = 1)" if is_awgn else "Binary-input discrete channels")
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="upper left" if is_awgn else "upper right")
    fig.suptitle(f"Capacity by closed form and by Blahut–Arimoto: {study.name}")
    fig.tight_layout()
    path = directory / "capacity_curves.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def study_output_dir(study: CapacityStudy, override: str | Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(study.output.dir) if study.output.dir else Path("results") / study.name


def is_capacity(raw: Any) -> bool:
    """Whether a parsed experiment file declares ``kind: capacity``."""
    return isinstance(raw, dict) and raw.get("kind") == "capacity"


def _check_kind(raw: Any) -> None:
    if isinstance(raw, dict) and "kind" in raw and raw["kind"] not in ("simulation", "capacity"):
        raise ConfigError(f"kind: must be one of 'simulation', 'capacity', got {raw['kind']!r}")


def load_file(path: str | Path) -> Any:
    """Read and validate an experiment file of either kind: a
    :class:`~shannonlab.sim.config.ResolvedExperiment` (``kind: simulation``, the default) or a
    :class:`CapacityStudy` (``kind: capacity``)."""
    from .config import read_experiment_file, resolve

    raw = read_experiment_file(path)
    _check_kind(raw)
    return resolve_study(raw) if is_capacity(raw) else resolve(raw)
