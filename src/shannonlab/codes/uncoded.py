"""The uncoded system (n = k): the identity code with a hard-decision "decoder".

It exercises the engine end to end and gives the reference curve every coded system is
compared with: on AWGN with BPSK its BER is Q(sqrt(2 Eb/N0)).

Example
-------
>>> import numpy as np
>>> code = Uncoded(4)
>>> code.decode(np.array([[1.5, -0.2, 0.0, -3.0]])).tolist()
[[0, 1, 0, 1]]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import PositiveInt

from .base import BYTES_PER_CODED_BIT, Code, CodeSpec, hard_decision


class Uncoded(Code):
    """k information bits sent as they are; decisions by the sign of each LLR."""

    def __init__(self, k: int):
        if k < 1:
            raise ValueError(f"k must be a positive integer, got {k}")
        self.n = self.k = int(k)
        self.rate = 1.0
        self.name = f"uncoded (k={k})"

    def encode(self, u: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(u, dtype=np.uint8)

    def decode(self, llr: np.ndarray) -> np.ndarray:
        return hard_decision(llr)

    def reference_ber(self, channel) -> float | None:
        """The exact BER the channel gives uncoded bits (``channel.uncoded_ber()``):
        Q(sqrt(2 Es/N0)) with BPSK on AWGN, p on a BSC, epsilon/2 on a BEC, ..."""
        return channel.uncoded_ber()


class UncodedSpec(CodeSpec):
    """``{type: uncoded, k: 1024}``: k bits per frame, no redundancy."""

    type: Literal["uncoded"] = "uncoded"
    k: PositiveInt = 1024

    def build(self) -> Uncoded:
        return Uncoded(self.k)

    def memory_needs(self) -> dict[str, tuple[float, str]]:
        return {"k": (self.k * BYTES_PER_CODED_BIT, f"one frame of {self.k} bits in flight")}
