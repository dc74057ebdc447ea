"""Experiment files: YAML -> validated, resolved objects.

An experiment names a channel, a sweep of one of its parameters, a list of codes, stop
rules, execution and output settings (see ``docs/architecture.md`` for every key).
Validation is strict and happens before anything is simulated: an unknown key, a wrong
type, or a value out of range raises :class:`~shannonlab.errors.ConfigError` with one line
naming the field path.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    ValidationInfo,
    field_validator,
)

from ..channels.base import ChannelSpec
from ..codes.base import BYTES_PER_CODED_BIT, Code, CodeSpec
from ..errors import ConfigError
from ..ranges import expand_range
from ..registry import build_code, check_sweep, parse_channel_spec, parse_code_spec
from ..validation import check_memory, read_yaml, shown, validate


def plain_name(value: str) -> str:
    """An experiment name usable as a directory name: letters, digits and ``._+-`` (no
    leading dot, so never ``.`` or ``..``), at most 100 characters.

    >>> plain_name("rate-half_2.1")
    'rate-half_2.1'
    """
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.+-]{0,99}", value):
        raise ValueError(f"must be a plain name (letters, digits and . _ + -, not starting with a dot, at most 100 "
                         f"characters), got {shown(value)}")
    return value


#: The ``name`` of an experiment file of any kind.
PlainName = Annotated[str, Field(min_length=1), AfterValidator(plain_name)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueRange(_Strict):
    """``{start, stop, step}``: start, start + step, ... up to and including stop."""

    start: float
    stop: float
    step: PositiveFloat

    def expand(self) -> list[float]:
        return expand_range(self.start, self.stop, self.step)


def _listed(values):
    if isinstance(values, list) and not values:
        raise ValueError("must list at least one value")
    return values


#: Sweep values: a non-empty list, or {start, stop, step}.
SweepValues = Annotated[list[float] | ValueRange, AfterValidator(_listed)]


class Sweep(_Strict):
    """The channel parameter swept and its values."""

    parameter: str
    values: SweepValues

    def points(self) -> list[float]:
        return list(self.values) if isinstance(self.values, list) else self.values.expand()


class Stop(_Strict):
    """When a point (and a code's sweep) is finished. A point ends at ``min_frame_errors``
    frame errors or ``max_frames`` frames (deterministic), or after ``max_seconds`` (wall
    time: the numbers then depend on the machine). A code's sweep runs over every value
    unless ``ber_floor`` or ``error_free_points`` ends it earlier."""

    min_frame_errors: PositiveInt = Field(100, description="a point ends once this many frames are in error")
    max_frames: PositiveInt = Field(10_000_000, description="a point ends after this many frames")
    max_seconds: PositiveFloat | None = Field(
        None, description="a point ends after this much simulation time (not counting worker start-up and numba "
                          "compilation; its numbers then depend on the machine)")
    ber_floor: float | None = Field(
        None, gt=0, lt=1, description="a code's sweep ends after a point whose BER (or, without bit errors, its "
                                      "upper bound) is below this"
    )
    error_free_points: PositiveInt | None = Field(
        None, description="a code's sweep ends after this many points in a row without a bit error")


#: A Dask scheduler address: [protocol://]host[:port], host a name, IPv4 or [IPv6].
_ADDRESS = re.compile(r"(?:(tcp|tls|ws|wss|inproc|ucx)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d{1,5}))?")


def check_scheduler_address(address: str, where: str, allow_local: bool = False) -> None:
    """A one-line :class:`ConfigError` at once for something that is not a scheduler address
    (instead of a long wait for a connection that cannot succeed).

    >>> check_scheduler_address("tcp://127.0.0.1:8786", "--dask")
    >>> check_scheduler_address("not an address", "--dask")
    Traceback (most recent call last):
    ...
    shannonlab.errors.ConfigError: --dask: must be a scheduler address like tcp://host:8786, got 'not an address'
    """
    if allow_local and address == "local":
        return
    match = _ADDRESS.fullmatch(address)
    if match is None or (match.group(3) is not None and not 0 < int(match.group(3)) < 65536):
        local = " or 'local'" if allow_local else ""
        raise ConfigError(f"{where}: must be a scheduler address like tcp://host:8786{local}, got {shown(address)}")


class Execution(_Strict):
    """Where the chunks of frames run: ``backend: local`` (a process pool, the default) or
    ``backend: dask`` (a Dask cluster at ``scheduler``, or a LocalCluster when none is given).
    Only ``chunk_frames`` changes the numbers (it is part of the config hash)."""

    backend: Literal["local", "dask"] = "local"
    scheduler: str | None = Field(
        None, description="dask: address of a running scheduler, e.g. tcp://host:8786; default: start a LocalCluster"
    )
    workers: PositiveInt | None = Field(None, description="processes (local pool or LocalCluster); default: every core")
    chunk_frames: PositiveInt | None = Field(
        None, description="frames per random-number chunk; default: about 32768 coded bits"
    )
    connect_timeout: PositiveFloat = Field(20.0, description="dask: seconds to wait for the scheduler")

    @field_validator("scheduler")
    @classmethod
    def _scheduler(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is None:
            return v
        if info.data.get("backend") != "dask":
            raise ValueError("is only used with backend: dask")
        try:
            check_scheduler_address(v, "")
        except ConfigError as exc:
            raise ValueError(str(exc).lstrip(": ")) from None
        return v

    @field_validator("workers")
    @classmethod
    def _workers(cls, v: int | None, info: ValidationInfo) -> int | None:
        if v is not None and info.data.get("scheduler") is not None:
            raise ValueError("is not used with a scheduler (the cluster's workers run the chunks); remove one of them")
        return v


class Output(_Strict):
    """Where results go."""

    dir: str | None = Field(
        None, min_length=1, description="results directory, relative to the working directory (not to the YAML "
                                        "file); default results/NAME")


def _increasing(pair: tuple[float, float] | None) -> tuple[float, float] | None:
    if pair is not None and not pair[0] < pair[1]:
        raise ValueError(f"must be [low, high] with low < high, got {list(pair)}")
    return pair


#: ``[low, high]`` of an axis, finite numbers with low < high.
AxisRange = Annotated[tuple[float, float] | None, AfterValidator(_increasing)]


class Plot(_Strict):
    """What the figures show (never part of the config hash: changing it only redraws)."""

    kind: Literal["waterfall", "rate-vs-ber", "threshold"] = Field(
        "waterfall", description="rate-vs-ber adds rate_vs_ber.png (rate against bit-error probability); threshold "
                                 "adds threshold.png (FER against the DE threshold of the codes' ensemble, beside "
                                 "its EXIT chart; needs trajectory:)")
    target_ber: float = Field(1e-4, gt=0, lt=1, description="BER at which capacity.png places each code")
    limits: list[Literal["capacity", "min-ber"]] = Field(
        ["capacity", "min-ber"], description="limits drawn once per code rate: capacity (vertical Shannon limits), "
                                             "min-ber (smallest BER at the rate, on ber.png)")
    bounds: list[Literal["normal", "rcu", "dt", "metaconverse", "union"]] = Field(
        ["normal"], description="finite-length curves per code on fer.png: normal (normal approximation), rcu, dt "
                                "(achievability), metaconverse (converse), union (ML union bound from the code's "
                                "weight spectrum)")
    x_range: AxisRange = Field(None, description="[low, high] of the swept axis (default: the sweep)")
    y_range: AxisRange = Field(None, description="[low, high] of the error-rate (or rate) axis")
    x_scale: Literal["linear", "log"] = Field("linear", description="log suits a crossover probability p")
    formats: list[Literal["png", "pdf", "svg"]] = Field(["png"], min_length=1, description="files written per figure")
    size: tuple[Annotated[float, Field(ge=2, le=30)], Annotated[float, Field(ge=2, le=30)]] = Field(
        (8.0, 5.5), description="[width, height] in inches")


class Trajectory(_Strict):
    """``trajectory: {iterations: 20, frames: 10}``: at every point, also measure the mutual
    information of the iterative decoder's messages per iteration (codes that offer
    ``message_information``, e.g. LDPC), on ``frames`` all-zero frames; stored per row in
    results.json and drawn as an EXIT chart (exit_chart.png)."""

    iterations: PositiveInt = Field(20, le=1000, description="iterations recorded")
    frames: PositiveInt = Field(10, le=100000, description="frames the information is averaged over")


class Experiment(_Strict):
    """A whole experiment file."""

    kind: Literal["simulation"] = Field(
        "simulation", description="simulation (a Monte Carlo sweep, this model) or capacity (see sim/capacity_study.py)"
    )
    name: PlainName
    description: str | None = None
    references: list[str] = Field(
        default_factory=list, description="published sources the results are compared with (not hashed)"
    )
    seed: NonNegativeInt = 1
    channel: dict[str, Any]
    sweep: Sweep
    codes: list[dict[str, Any]] = Field(min_length=1)
    stop: Stop = Stop()
    execution: Execution = Execution()
    plot: Plot = Plot()
    output: Output = Output()
    trajectory: Trajectory | None = Field(None, description="record EXIT trajectories (see Trajectory)")



@dataclass(frozen=True)
class CodeEntry:
    """One ``codes:`` entry, validated: its position, label and spec."""

    index: int
    label: str
    spec: CodeSpec
    code: Code


@dataclass(frozen=True)
class ResolvedExperiment:
    """An experiment with every spec validated and defaults filled in."""

    experiment: Experiment
    channel: ChannelSpec
    codes: tuple[CodeEntry, ...]
    points: tuple[float, ...]

    @property
    def parameter(self) -> str:
        return self.experiment.sweep.parameter

    def resolved(self) -> dict[str, Any]:
        """The config with defaults filled in: what is hashed and stored with the results."""
        data = self.experiment.model_dump(mode="json")
        data["channel"] = self.channel.model_dump(mode="json")
        data["codes"] = [entry.spec.model_dump(mode="json") for entry in self.codes]
        data["sweep"]["values"] = list(self.points)
        data["plot"]["given"] = sorted(self.experiment.plot.model_fields_set)  # defaults vs the user's choices
        return data

    def config_hash(self) -> str:
        """Hash of everything that changes simulated numbers (not output, plot, nor execution
        apart from an explicit ``chunk_frames``)."""
        data = self.resolved()
        chunk_frames = data["execution"]["chunk_frames"]
        data["stop"].pop("error_free_points", None)  # a sweep rule, newer than the hash: configs keep theirs
        for key in ("execution", "output", "plot", "description", "references", "kind"):
            data.pop(key, None)
        if data.get("trajectory") is None:  # absent: hashes of older configs stay as they were
            data.pop("trajectory", None)
        if chunk_frames is not None:  # the one execution setting that changes the numbers
            data["chunk_frames"] = chunk_frames
        return stable_hash(data)


def stable_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:16]


def resolve(raw: Any) -> ResolvedExperiment:
    """Validate a parsed YAML mapping; raise one-line :class:`ConfigError` on any problem."""
    if not isinstance(raw, dict):
        raise ConfigError(f"experiment: must be a mapping of keys (name, channel, sweep, codes, ...), got {type(raw).__name__}")
    experiment = validate(Experiment, raw)
    channel = parse_channel_spec(experiment.channel, "channel")
    try:
        points = experiment.sweep.points()
    except ValueError as exc:
        raise ConfigError(f"sweep.values: {exc}") from None
    check_sweep(channel, experiment.sweep.parameter, points)
    entries = []
    seen: dict[str, int] = {}
    for i, raw_code in enumerate(experiment.codes):
        where = f"codes[{i}]"
        spec = parse_code_spec(raw_code, where)
        code = build_code(spec, where)
        label = spec.label or code.name
        if label in seen:
            raise ConfigError(
                f"{where}.label: {label!r} names codes[{seen[label]}] too; give each code a distinct label"
            )
        seen[label] = i
        entries.append(CodeEntry(i, label, spec, code))
        _check_chunk_memory(experiment, channel, code, where)
    return ResolvedExperiment(experiment, channel, tuple(entries), tuple(points))


def _check_chunk_memory(experiment: Experiment, channel: ChannelSpec, code: Code, where: str) -> None:
    """A chunk of frames (the least a task holds) must fit in memory: the engine's arrays per
    coded bit and what the channel needs to transmit them, before anything is simulated."""
    from .engine import default_chunk_frames

    explicit = experiment.execution.chunk_frames
    frames = explicit or default_chunk_frames(code.n)
    coded_bits = frames * code.n
    field = "execution.chunk_frames" if explicit else where
    check_memory({field: (coded_bits * BYTES_PER_CODED_BIT,
                          f"a chunk of {frames} frames of {code.n} coded bits")})
    check_memory(channel.memory_needs(coded_bits), "channel")


def read_experiment_file(path: str | Path) -> Any:
    """The parsed YAML of an experiment file (strict safe loader, size capped:
    :func:`shannonlab.validation.read_yaml`), or a one-line :class:`ConfigError`."""
    return read_yaml(path, "experiment file")


def load_experiment(path: str | Path) -> ResolvedExperiment:
    """Read and validate an experiment file (safe YAML loader only)."""
    return resolve(read_experiment_file(path))
