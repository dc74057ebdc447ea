"""What every code provides: the :class:`Code` protocol, the optional
:class:`DecodeReport`, and the :class:`CodeSpec` base from which a YAML ``codes:`` entry
builds a code together with its decoder.

Conventions: bits are ``uint8`` 0/1 arrays, messages (F, k), codewords (F, n); LLRs are
float64 (F, n) with LLR = ln P(b=0|y)/P(b=1|y). Every method works on a whole batch.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict


@runtime_checkable
class Code(Protocol):
    """An (n, k) code with its decoder chosen at construction."""

    n: int
    k: int
    rate: float
    name: str

    def encode(self, u: np.ndarray) -> np.ndarray:
        """uint8 messages (F, k) -> uint8 codewords (F, n)."""

    def decode(self, llr: np.ndarray) -> np.ndarray:
        """float64 LLRs (F, n) -> uint8 estimates of the messages (F, k)."""


@dataclass
class DecodeReport:
    """What a decoder may say beyond its decisions, per frame.

    ``failures``: the decoder knows it failed (a detected error, an unsatisfied syndrome,
    a CRC mismatch). ``iterations``: iterations spent (iterative decoders). A code that
    offers ``decode_report(llr) -> DecodeReport`` gets these summed into the results.
    """

    bits: np.ndarray
    failures: np.ndarray | None = None
    iterations: np.ndarray | None = None


def hard_decision(llr: np.ndarray) -> np.ndarray:
    """Slice LLRs to bits: negative means 1; a tie (LLR 0, an erasure) decides 0."""
    return (llr < 0).view(np.uint8)


class CodeSpec(BaseModel):
    """A validated ``codes:`` entry: the family's fields plus an optional ``label``.

    Subclasses add a ``type`` literal and their own fields (with a nested ``decoder``
    mapping where the family has several decoders) and implement :meth:`build`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str | None = None

    @abstractmethod
    def build(self) -> Code:
        """The code object, with its decoder, described by this spec."""
