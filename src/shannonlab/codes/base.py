"""What every code provides: the :class:`Code` base class (the contract and its hooks with
their defaults), :class:`DecodeReport`, and the :class:`CodeSpec` base from which a YAML
``codes:`` entry builds a code together with its decoder.

Conventions: bits are ``uint8`` 0/1 arrays, messages (F, k), codewords (F, n); LLRs are
float64 (F, n) with LLR = ln P(b=0|y)/P(b=1|y). Every method works on a whole batch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict


class ChannelView(Protocol):
    """What a code's reference curve may ask a channel (every
    :class:`shannonlab.channels.Channel` answers; ``None`` means "no such view")."""

    binary_symmetric_output: bool

    def hard_crossover(self) -> float | None: ...

    def bpsk_esn0(self) -> float | None: ...

    def erasure_probability(self) -> float | None: ...

    def uncoded_ber(self) -> float | None: ...


@dataclass
class DecodeReport:
    """What a decoder may say beyond its decisions, per frame.

    ``failures``: the decoder knows it failed (a detected error, an unsatisfied syndrome,
    a CRC mismatch). ``iterations``: iterations spent (iterative decoders). The engine sums
    both into the results.
    """

    bits: np.ndarray
    failures: np.ndarray | None = None
    iterations: np.ndarray | None = None


class Code(ABC):
    """An (n, k) code with its decoder chosen at construction.

    Subclasses set ``n``, ``k``, ``rate`` and ``name`` and implement :meth:`encode` and
    :meth:`decode`; the hooks below have defaults and are overridden where a family has
    more to say. Codes never look at a channel's class: a reference curve asks the channel
    for what it needs (``channel.hard_crossover()``, ``channel.bpsk_esn0()``, ...).
    """

    n: int
    k: int
    rate: float
    name: str
    #: The legend of :meth:`reference_ber` ("exact", "union bound", ...).
    reference_name: str = "exact"
    #: True when the decoder reads only the signs of the LLRs (and zeros, as erasures): a
    #: concatenation then feeds it the inner decoder's hard decisions.
    hard_input: bool = False
    #: Bits per code symbol (m for Reed–Solomon codes over GF(2^m)): the unit a symbol
    #: interleaver moves.
    symbol_bits: int = 1
    #: Frames the decoder works on in lock-step (its SIMD lanes, or a multiple of them):
    #: a call with fewer frames costs as much as a call with this many, so the engine never
    #: hands :meth:`decode_report` fewer frames than this while more are wanted (only the
    #: last frames ``stop.max_frames`` allows can make a smaller batch). 1: no lanes.
    batch_frames: int = 1

    @abstractmethod
    def encode(self, u: np.ndarray) -> np.ndarray:
        """uint8 messages (F, k) -> uint8 codewords (F, n)."""

    @abstractmethod
    def decode(self, llr: np.ndarray) -> np.ndarray:
        """float64 LLRs (F, n) -> uint8 estimates of the messages (F, k)."""

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        """The decisions with per-frame failures and iterations where the decoder knows them."""
        return DecodeReport(self.decode(llr))

    def reference_ber(self, channel: ChannelView) -> float | None:
        """The BER theory gives for this code and decoder on ``channel`` (exact, or a bound
        named by :attr:`reference_name`), drawn dashed beside the simulation; None where
        there is none."""
        return None

    def message_information(self, llr: np.ndarray, iterations: int) -> dict | None:
        """The decoding trajectory for an EXIT chart: the mutual information (bits) of the
        iterative decoder's messages after each of ``iterations`` iterations, decoding
        ``llr`` of the all-zero codeword; None for a code without an iterative decoder."""
        return None


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

    #: Fields holding nested ``codes:`` entries (a composite family, e.g. a concatenation):
    #: the registry validates each like a top-level entry (errors name ``codes[0].outer.t``)
    #: and stores the parsed spec in the field, so :meth:`build` builds it without knowing
    #: any family by name.
    nested_codes: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def build(self) -> Code:
        """The code object, with its decoder, described by this spec."""

    def memory_needs(self) -> dict[str, tuple[float, str]]:
        """Bytes that building this code and simulating one frame of it would take, by the
        field that sets them: ``{"k": (bytes, "what takes them")}``. The registry refuses
        any entry above the memory limit before building
        (:func:`shannonlab.validation.check_memory`), so a size that passes validation
        cannot exhaust the machine later. Default: nothing beyond the engine's own
        per-coded-bit estimate (:data:`BYTES_PER_CODED_BIT`)."""
        return {}


#: Bytes the engine and a simple decoder hold per coded bit of a frame in flight: message
#: and codeword bits, BPSK symbols, noise and LLRs (float64), decisions.
BYTES_PER_CODED_BIT = 40
