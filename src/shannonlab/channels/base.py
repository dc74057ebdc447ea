"""What every channel provides: the :class:`Channel` protocol and the :class:`ChannelSpec`
base from which a YAML ``channel:`` mapping builds one.

A channel object is bound to one operating point (p, epsilon, Eb/N0 and the code rate, ...).
``transmit`` includes modulation and demodulation, so the engine only ever moves bits and
log-likelihood ratios, with the convention LLR(b) = ln P(b=0 | y) / P(b=1 | y).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict

#: The LLR magnitude of a bit received with certainty (a non-erased bit on the BEC).
#: ``exp(-100)`` is 4e-44, certain for every practical purpose, and decoders that add up
#: a few thousand such values stay far from overflow.
LLR_MAX = 100.0


@runtime_checkable
class Channel(Protocol):
    """A memoryless channel at one operating point: coded bits in, LLRs out."""

    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Send the uint8 codewords ``c`` of shape (F, n); return float64 LLRs (F, n)."""

    def capacity(self) -> float:
        """Capacity in bits per channel use (per coded bit for binary inputs)."""


class ChannelSpec(BaseModel):
    """A validated ``channel:`` mapping of an experiment; subclasses add their fields.

    ``parameters`` maps each parameter a sweep may run over to a sentence saying which
    values are allowed; ``check_value`` enforces it; ``build`` makes the channel bound to
    one operating point for a code of rate ``rate``. The limit helpers let the plots draw
    capacity without knowing any channel by name.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    parameters: ClassVar[dict[str, str]] = {}
    #: Which way the sweep parameter improves the channel: +1 (Eb/N0) or -1 (p, epsilon).
    improves_with: ClassVar[dict[str, int]] = {}

    def check_value(self, parameter: str, value: float) -> None:
        """Raise ``ValueError`` (message without the field name) for a forbidden value."""
        if not np.isfinite(value):
            raise ValueError(f"{parameter} must be a finite number, got {value}")

    @abstractmethod
    def build(self, parameter: str, value: float, rate: float) -> Channel:
        """The channel at ``parameter = value`` for a code of rate ``rate``."""

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
        return parameter
