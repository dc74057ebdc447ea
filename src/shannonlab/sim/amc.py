r"""Experiments of ``kind: amc``: adaptive modulation and coding over an SNR sweep.

A table of modulation and coding schemes (each a constellation and a code of the project)
is simulated scheme by scheme over the same ``snr_db`` sweep (Es/N0 per complex symbol,
:mod:`shannonlab.channels.bicm`), each in its own results directory
``<dir>/schemes/<n>-<label>/`` with the usual results.csv, results.json and waterfall
figures. Then, per SNR, the link picks the scheme of the highest rate :math:`R\,m` whose
frame-error rate stays at or below ``target_fer`` (default 0.1) and carries

.. math::  \eta = \frac{k}{S}\,(1 - \mathrm{FER})\ \text{bit/s/Hz},

k information bits in S = ⌈n/m⌉ symbols (R m without padding), at one complex symbol per
second per hertz. ``amc.csv`` holds per SNR the chosen scheme, its throughput, the
Gaussian-input capacity (log2(1 + SNR) on AWGN, the ergodic capacity on fading), the gap of
the envelope to it in dB (:math:`\mathrm{SNR} - \mathrm{SNR}^*(\eta)`, the SNR at which
that capacity equals the throughput) and every scheme's FER. A scheme whose sweep stopped
early (no error at a point, or BER below ``stop.ber_floor``) keeps FER 0 above that point.

.. code-block:: yaml

    kind: amc
    name: wifi-mcs
    channel: {type: awgn}                 # or {type: rayleigh, fading: block}; no modulation here
    sweep: {parameter: snr_db, values: {start: 0, stop: 30, step: 1}}
    target_fer: 0.1
    schemes:
      - {label: "MCS0 BPSK 1/2", modulation: bpsk,
         code: {type: ldpc, matrix: {standard: ieee80211n, n: 1944, rate: "1/2"}}}
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator

from ..errors import ConfigError
from ..theory.fading import channel_fading, gaussian_ergodic_capacity
from ..theory.units import db_to_linear, linear_to_db
from ..validation import validate
from .config import Execution, PlainName, Stop, SweepValues, ValueRange, _Strict, resolve

#: Keys of the ``channel:`` mapping the schemes set themselves.
SCHEME_KEYS = ("modulation",)


class Scheme(_Strict):
    """One modulation and coding scheme: a label, a constellation and a code."""

    label: str = Field(min_length=1)
    modulation: str | dict[str, Any] = Field(description="constellation (as channel.modulation)")
    code: dict[str, Any] = Field(description="a codes: entry")


class AMCSweep(_Strict):
    parameter: Literal["snr_db"] = "snr_db"
    values: SweepValues

    def points(self) -> list[float]:
        return list(self.values) if not isinstance(self.values, ValueRange) else self.values.expand()


class Output(_Strict):
    dir: str | None = None


class AMCPlot(_Strict):
    size: tuple[float, float] | None = None
    formats: list[Literal["png", "pdf", "svg"]] = Field(default_factory=lambda: ["png"])


class AMCStudy(_Strict):
    """A whole ``kind: amc`` experiment file."""

    kind: Literal["amc"]
    name: PlainName
    description: str | None = None
    references: list[str] = Field(default_factory=list)
    seed: int = Field(1, ge=0)
    channel: dict[str, Any]
    sweep: AMCSweep
    schemes: list[Scheme] = Field(min_length=1)
    target_fer: float = Field(0.1, gt=0, lt=1)
    stop: Stop = Stop(min_frame_errors=50, max_frames=2000)
    execution: Execution = Execution()
    plot: AMCPlot = AMCPlot()
    output: Output = Output()
    #: each scheme's validated kind: simulation experiment (filled by :func:`resolve_amc`)
    _resolved: list = PrivateAttr(default_factory=list)

    @field_validator("channel")
    @classmethod
    def _no_modulation(cls, v):
        for key in SCHEME_KEYS:
            if key in v:
                raise ValueError(f"must not set {key}: every scheme sets its own")
        return v

    @field_validator("schemes")
    @classmethod
    def _distinct(cls, v):
        seen = set()
        for i, scheme in enumerate(v):
            if scheme.label in seen:
                raise ValueError(f"[{i}].label: {scheme.label!r} names an earlier scheme too; labels must differ")
            seen.add(scheme.label)
        return v


def slug(text: str) -> str:
    """A directory name from a label."""
    return re.sub(r"[^A-Za-z0-9.+-]+", "-", text).strip("-") or "scheme"


def scheme_experiment(study: AMCStudy, index: int) -> dict[str, Any]:
    """The ``kind: simulation`` experiment of scheme ``index`` (as a mapping)."""
    scheme = study.schemes[index]
    return {
        "name": f"{study.name}-{slug(scheme.label)}",
        "seed": study.seed,
        "channel": {**study.channel, "modulation": scheme.modulation},
        "sweep": {"parameter": "snr_db", "values": study.sweep.points()},
        "codes": [{**scheme.code, "label": scheme.label}],
        "stop": study.stop.model_dump(mode="json"),
        "execution": study.execution.model_dump(mode="json", exclude_none=True),
        "plot": {"limits": ["capacity"]},
    }


def resolve_amc(raw: dict[str, Any]):
    """Validate a ``kind: amc`` mapping and every scheme's experiment (one-line errors)."""
    study = validate(AMCStudy, raw)
    resolved = []
    for i in range(len(study.schemes)):
        try:
            resolved.append(resolve(scheme_experiment(study, i)))
        except ConfigError as exc:
            text = str(exc)
            text = text.replace("codes[0]", f"schemes[{i}].code", 1).replace("channel.modulation", f"schemes[{i}].modulation", 1)
            raise ConfigError(text) from None
    study._resolved = resolved
    return study


def amc_output_dir(study: AMCStudy, override: str | Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(study.output.dir) if study.output.dir else Path("results") / study.name


def gaussian_capacity_of(channel: dict[str, Any], snr: float) -> float:
    """Gaussian-input capacity per complex symbol: log2(1 + SNR) on AWGN, the ergodic value on fading."""
    return gaussian_ergodic_capacity(snr, *channel_fading(channel))


def snr_for_capacity(channel: dict[str, Any], bits: float) -> float:
    """The SNR (linear) at which :func:`gaussian_capacity_of` equals ``bits``."""
    from scipy.optimize import brentq

    if channel.get("type", "awgn") == "awgn":
        return 2.0**bits - 1.0
    return db_to_linear(brentq(lambda db: gaussian_capacity_of(channel, db_to_linear(db)) - bits, -40, 80, xtol=1e-9))


def envelope(study: AMCStudy, schemes: list[dict[str, Any]], fers: dict[str, dict[float, float]]) -> list[dict[str, Any]]:
    """Per SNR: the chosen scheme (highest rate with FER <= target), its throughput, the
    Gaussian-input capacity and the gap in dB, and every scheme's FER."""
    rows = []
    order = sorted(schemes, key=lambda s: s["info_bits_per_symbol"], reverse=True)
    for snr_db in study.sweep.points():
        row: dict[str, Any] = {"snr_db": snr_db, "chosen": "", "throughput": 0.0}
        for s in order:
            fer = fers[s["label"]].get(snr_db)
            if fer is not None and fer <= study.target_fer:
                row["chosen"], row["throughput"] = s["label"], s["info_bits_per_symbol"] * (1.0 - fer)
                break
        capacity = gaussian_capacity_of(study.channel, db_to_linear(snr_db))
        row["capacity"] = capacity
        row["gap_db"] = (snr_db - linear_to_db(snr_for_capacity(study.channel, row["throughput"]))
                         if row["throughput"] > 0 else None)
        for s in schemes:
            row[f"fer[{s['label']}]"] = fers[s["label"]].get(snr_db)
        rows.append(row)
    return rows


def run_amc(study: AMCStudy, out: str | Path, workers: int | None = None, fresh: bool = False,
            quiet: bool = False, dask: str | None = None, executor=None) -> list[dict[str, Any]]:
    """Simulate every scheme (resuming what is stored), then write amc.csv and results.json;
    ``executor`` (any executor object) runs every scheme's chunks instead of a new pool."""
    from .results import atomic_write, versions
    from .sweep import run_experiment

    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    schemes, fers = [], {}
    for i, (scheme, resolved) in enumerate(zip(study.schemes, study._resolved)):
        entry = resolved.codes[0]
        code = entry.code
        sub = directory / "schemes" / f"{i}-{slug(scheme.label)}"
        store = run_experiment(resolved, out=sub, workers=workers, fresh=fresh, quiet=quiet, dask=dask,
                               executor=executor)
        m = resolved.channel.constellation().m
        symbols = -(-code.n // m)
        fer = {float(r["value"]): float(r["fer"]) for r in store.rows}
        last = max(fer) if fer else None
        for value in study.sweep.points():  # a sweep ended early: no error at the last point or below ber_floor
            if value not in fer and last is not None and value > last:
                fer[value] = 0.0
        fers[scheme.label] = fer
        schemes.append({"label": scheme.label, "modulation": resolved.channel.constellation().name,
                        "bits_per_symbol": m, "k": code.k, "n": code.n, "rate": code.rate,
                        "info_bits_per_symbol": code.k / symbols, "directory": str(sub.relative_to(directory))})
        if not quiet:
            print(f"scheme {scheme.label}: {len(store.rows)} points", flush=True)
    rows = envelope(study, schemes, fers)
    columns = ["snr_db", "chosen", "throughput", "capacity", "gap_db"] + [f"fer[{s['label']}]" for s in schemes]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in columns})
    atomic_write(directory / "amc.csv", text.getvalue())
    payload = {"config": study.model_dump(mode="json"), "versions": versions(), "schemes": schemes, "rows": rows}
    atomic_write(directory / "results.json", json.dumps(payload, indent=1))
    return rows
