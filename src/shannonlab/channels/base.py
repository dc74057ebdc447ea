"""What every channel provides: the :class:`Channel` base class, the :class:`ChannelSpec`
base from which a YAML ``channel:`` mapping builds one, and :class:`Parameter`, the
description of a parameter a sweep may run over.

A channel object is bound to one operating point (p, epsilon, Eb/N0 and the code rate, ...).
``transmit`` includes modulation and demodulation, so the engine only ever moves bits and
log-likelihood ratios, with the convention LLR(b) = ln P(b=0 | y) / P(b=1 | y).

Codes never ask which class a channel is: a channel offers what a reference curve needs
(:meth:`Channel.hard_crossover`, :meth:`Channel.bpsk_esn0`, :meth:`Channel.erasure_probability`,
:meth:`Channel.uncoded_ber`), each ``None`` where it has no such view, so a new channel gets
the reference curves of every code by answering these questions.

Example
-------
>>> p = Parameter("a crossover probability", 0.0, 0.5, "crossover probability p", improves=-1, low_inclusive=False)
>>> p.allowed()
'in (0, 0.5]'
>>> p.check("p", 0.7)
Traceback (most recent call last):
...
ValueError: p must be in (0, 0.5], got 0.7
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict

#: The LLR magnitude of a bit received with certainty (a non-erased bit on the BEC).
#: ``exp(-100)`` is 4e-44, certain for every practical purpose, and decoders that add up
#: a few thousand such values stay far from overflow.
LLR_MAX = 100.0


class Channel(ABC):
    """A memoryless channel at one operating point: coded bits in, LLRs out.

    Subclasses implement :meth:`transmit` and :meth:`capacity`; the other methods describe
    the channel to reference curves and results and default to "not available".
    """

    @abstractmethod
    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Send the uint8 codewords ``c`` of shape (F, n); return float64 LLRs (F, n)."""

    @abstractmethod
    def capacity(self) -> float:
        """Capacity in bits per channel use; a use is one coded bit for binary-input
        channels (BSC, BEC, BPSK), one modulation symbol where the channel says so."""

    #: True when the LLRs carry a sign only (the channel *is* a BSC): soft decoders then
    #: decode exactly like hard ones.
    binary_symmetric_output: ClassVar[bool] = False

    def hard_crossover(self) -> float | None:
        """The crossover probability of the BSC a receiver sees when it slices each LLR
        (every bit alike); None when slicing does not give a BSC."""
        return None

    def bpsk_esn0(self) -> float | None:
        """Linear Es/N0 per coded bit when every coded bit is BPSK on AWGN (also Gray QPSK,
        two BPSK rails): what soft-decision union bounds need. None otherwise."""
        return None

    def erasure_probability(self) -> float | None:
        """The erasure probability when the channel is a BEC, else None."""
        return None

    def uncoded_ber(self) -> float | None:
        """The exact BER of uncoded bits decided by the sign of their LLR (a zero LLR
        decides 0); by default the hard-decision crossover."""
        return self.hard_crossover()

    def report(self, rate: float) -> dict[str, Any]:
        """Extra per-point values stored with each results.json row (a link budget, ...)."""
        return {}


@dataclass(frozen=True)
class Parameter:
    """A parameter a sweep runs over: what it means, its allowed range, its axis label and
    which way it improves the channel (+1: larger is better, as Eb/N0; -1: as p or ε)."""

    description: str
    low: float
    high: float
    label: str
    improves: int = 1
    low_inclusive: bool = True
    high_inclusive: bool = True
    unit: str = ""

    def allowed(self) -> str:
        """The range as a reader writes it, e.g. ``in (0, 0.5]``, ``in [-50, 100] dB`` or
        ``greater than 0 W``."""
        unit = f" {self.unit}" if self.unit else ""
        if math.isinf(self.high):
            return f"{'at least' if self.low_inclusive else 'greater than'} {self.low:g}{unit}"
        low = "(" if not self.low_inclusive else "["
        high = ")" if not self.high_inclusive else "]"
        return f"in {low}{self.low:g}, {self.high:g}{high}{unit}"

    def contains(self, value: float) -> bool:
        above = value > self.low or (self.low_inclusive and value == self.low)
        below = value < self.high or (self.high_inclusive and value == self.high)
        return math.isfinite(value) and above and below

    def check(self, name: str, value: float) -> None:
        """Raise ``ValueError`` (message naming ``name``) when ``value`` is outside the range."""
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value}")
        if not self.contains(value):
            raise ValueError(f"{name} must be {self.allowed()}, got {value}")

    def __str__(self) -> str:
        return f"{self.description}, {self.allowed()}"


#: Eb/N0, Es/N0 and SNR axes in dB share this range.
DB_RANGE = (-50.0, 100.0)


def db_parameter(description: str, label: str) -> Parameter:
    """A parameter in dB over :data:`DB_RANGE` that improves as it grows."""
    return Parameter(description, DB_RANGE[0], DB_RANGE[1], label, unit="dB")


@dataclass(frozen=True)
class CapacityModel:
    """An input model whose capacity can be asked for by name (``shannonlab capacity NAME``,
    ``curves: [{channel: NAME}]`` of a ``kind: capacity`` study): ``key`` is its entry in
    :meth:`ChannelSpec.capacities`, ``parameters`` the parameters it takes with their ranges
    (the first is the axis of capacity studies), ``formula`` the formula printed beside it."""

    key: str
    description: str
    formula: str
    parameters: dict[str, Parameter]


class ChannelSpec(BaseModel):
    """A validated ``channel:`` mapping of an experiment; subclasses add their fields.

    ``parameters`` maps each parameter a sweep may run over to its :class:`Parameter`;
    ``check_value`` enforces its range (subclasses add checks that involve other fields);
    ``build`` makes the channel bound to one operating point for a code of rate ``rate``.
    ``capacities`` and ``thresholds`` give the limits the plots draw, so plotting and the
    capacity tools never need to know a channel by name. ``capacity_models`` names the
    input models (keys of :meth:`capacities`) that ``shannonlab capacity NAME`` and
    ``kind: capacity`` studies may ask for, with a one-line description.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    parameters: ClassVar[dict[str, Parameter]] = {}
    #: capacity name (``shannonlab capacity NAME``) -> its :class:`CapacityModel`.
    capacity_models: ClassVar[dict[str, CapacityModel]] = {}

    def improves(self, parameter: str) -> int:
        """+1 when a larger ``parameter`` is a better channel (Eb/N0), -1 when smaller (p)."""
        return self.parameters[parameter].improves if parameter in self.parameters else 1

    def check_value(self, parameter: str, value: float) -> None:
        """Raise ``ValueError`` (message without the field path) for a forbidden value."""
        if parameter in self.parameters:
            self.parameters[parameter].check(parameter, value)
        elif not math.isfinite(value):
            raise ValueError(f"{parameter} must be a finite number, got {value}")

    @abstractmethod
    def build(self, parameter: str, value: float, rate: float) -> Channel:
        """The channel at ``parameter = value`` for a code of rate ``rate``."""

    def memory_needs(self, coded_bits: int) -> dict[str, tuple[float, str]]:
        """Bytes that transmitting ``coded_bits`` coded bits at once would take beyond the
        engine's per-coded-bit arrays, by the field that sets them (checked before anything
        is simulated, :func:`shannonlab.validation.check_memory`). Default: nothing more."""
        return {}

    @abstractmethod
    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        """Capacity per channel use at this operating point, one entry per input model;
        the first entry is the one that applies to the simulated modulation."""

    @abstractmethod
    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        """The parameter value at which capacity equals ``rate`` (the Shannon limit on
        this axis), one entry per input model, in the order of :meth:`capacities`."""

    def parameter_label(self, parameter: str) -> str:
        """An axis label with units."""
        return self.parameters[parameter].label if parameter in self.parameters else parameter

    def model_capacity(self, name: str, parameter: str, value: float, rate: float = 1.0) -> float:
        """Capacity of the input model ``name`` of :attr:`capacity_models` at ``parameter =
        value`` (``rate`` where the parameter is per information bit), bits per channel use."""
        model = self.capacity_models[name]
        model.parameters[parameter].check(parameter, value)
        return self.capacities(parameter, value, rate)[model.key]

    def capacity_details(self, name: str, parameter: str, value: float) -> dict[str, Any]:
        """Extra facts about a capacity model at one value (the capacity-achieving input, ...)."""
        return {}

    def channel_matrix(self, name: str, parameter: str, value: float, discretisation: Any) -> tuple[np.ndarray, np.ndarray | None, float]:
        """The input model ``name`` as a discrete memoryless channel (W, input cost or None,
        cost budget) for Blahut–Arimoto; ``discretisation`` says how fine where the channel
        is continuous (see :mod:`shannonlab.theory.discretisation`)."""
        raise ValueError(f"channel {getattr(self, 'type', type(self).__name__)!r} has no discrete form of {name!r}")

    def matrix_shape(self, name: str, parameter: str, value: float, discretisation: Any) -> tuple[int, int]:
        """(inputs, outputs) of :meth:`channel_matrix` without building it, so a capacity
        study can refuse a discretisation too fine for memory before computing anything.
        Default: a binary-input, binary-output matrix."""
        return 2, 2

    def normal_approximation_fer(self, parameter: str, value: float, n: int, k: int) -> float | None:
        """The best FER of any (n, k) code here by the normal approximation, or None where
        the channel has no dispersion to offer."""
        return None

    def finite_length_fer(self, bound: str, parameter: str, value: float, n: int, k: int) -> float | None:
        """A finite-length bound on the FER of the best (n, k) code here: ``bound`` one of
        normal, rcu, dt, metaconverse (:mod:`shannonlab.theory.bounds`), or None where the
        channel offers none. The default offers the normal approximation only."""
        return self.normal_approximation_fer(parameter, value, n, k) if bound == "normal" else None
