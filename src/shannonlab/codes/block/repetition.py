r"""Repetition codes R_n (n odd): one information bit sent n times.

Rate 1/n, minimum distance n, perfect for odd n: the hard decoder (``syndrome``, the
minimum-distance decoder) is the majority vote and corrects up to (n - 1)/2 flips; the soft
decoder (``ml``) decides on the sign of the LLR sum :math:`\sum_j L_j`, the
maximum-likelihood rule for any memoryless channel. R1 is the uncoded system.

Exact bit-error rates (the bit is also the frame, BER = WER):

* BSC(p), either decoder: :math:`P_b = \sum_{w > n/2} \binom{n}{w} p^w (1-p)^{n-w}`
  (MacKay, *Information Theory, Inference, and Learning Algorithms*, sec. 1.2).
* BPSK/AWGN, majority: the same sum with :math:`p = Q(\sqrt{2E_s/N_0})`; LLR sum:
  :math:`Q(\sqrt{2nE_s/N_0}) = Q(\sqrt{2E_b/N_0})`: on AWGN repetition gains nothing.
* BEC(epsilon), erasures sliced to 0: majority :math:`\tfrac12 P[\mathrm{Bin}(n,\epsilon) > n/2]`;
  LLR sum :math:`\tfrac12\epsilon^n` (all n erased, then a coin-flip decision).

Example
-------
>>> import numpy as np
>>> code = RepetitionCode(3)
>>> code.name, code.encode(np.array([[1], [0]], np.uint8)).tolist()
('repetition R3', [[1, 1, 1], [0, 0, 0]])
>>> llr = np.array([[-1.0, 2.0, -0.5], [5.0, -1.0, -1.0]])
>>> code.decode(llr).ravel().tolist(), RepetitionCode(3, "ml").decode(llr).ravel().tolist()
([1, 1], [0, 0])
>>> round(repetition_ber(3, 0.1), 6)
0.028
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numba import njit
from pydantic import Field, field_validator

from ..base import BYTES_PER_CODED_BIT, CodeSpec, DecodeReport
from ...theory.uncoded import bpsk_ber
from .linear import BlockDecoder, LinearBlockCode


@njit(cache=True)
def _decode_majority(llr, out):
    """u = 1 iff more than n/2 of the LLRs are negative."""
    frames, n = llr.shape
    half = n // 2
    for f in range(frames):
        ones = 0
        for j in range(n):
            ones += llr[f, j] < 0.0
        out[f, 0] = ones > half


@njit(cache=True)
def _decode_llr_sum(llr, out):
    """u = 1 iff sum_j L_j < 0 (a zero sum decides 0)."""
    frames, n = llr.shape
    for f in range(frames):
        total = 0.0
        for j in range(n):
            total += llr[f, j]
        out[f, 0] = total < 0.0


def repetition_ber(n: int, p: float) -> float:
    """P[Bin(n, p) > n/2]: the majority decoder's error probability on a BSC(p), n odd."""
    return float(sum(math.comb(n, w) * p**w * (1.0 - p) ** (n - w) for w in range(n // 2 + 1, n + 1)))


class RepetitionCode(LinearBlockCode):
    """R_n: G = [1 1 ... 1], decoded by majority vote (``syndrome``) or LLR sum (``ml``)."""

    def __init__(self, n: int, decoder: str = "syndrome", name: str | None = None):
        if not isinstance(n, (int, np.integer)) or n < 1 or n % 2 == 0:
            raise ValueError(f"n must be an odd positive integer, got {n!r}")
        label = f"repetition R{n}" + (" ML" if decoder == "ml" else "")
        super().__init__(np.ones((1, n - 1), dtype=np.uint8), name=name or label, decoder=decoder, d_min=n)

    def weight_distribution(self) -> np.ndarray:
        """A_0 = A_n = 1."""
        a = np.zeros(self.n + 1, dtype=np.int64)
        a[0] = 1
        a[self.n] += 1
        return a

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        llr = np.ascontiguousarray(llr, dtype=np.float64)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        out = np.empty((llr.shape[0], 1), dtype=np.uint8)
        (_decode_llr_sum if self.decoder == "ml" else _decode_majority)(llr, out)
        return DecodeReport(out)

    def exact_bsc_rates(self, p: float) -> tuple[float, float]:
        ber = repetition_ber(self.n, p)
        return ber, ber

    def reference_ber(self, channel) -> float | None:
        """Exact BER on the BSC, BPSK/AWGN and BEC (module docstring)."""
        eps = channel.erasure_probability()
        if eps is not None:
            if self.decoder == "ml":
                return 0.5 * eps**self.n
            return 0.5 * repetition_ber(self.n, eps)
        esn0 = channel.bpsk_esn0()
        if esn0 is not None and self.decoder == "ml":
            return bpsk_ber(self.n * esn0)
        p = channel.hard_crossover()
        return None if p is None else repetition_ber(self.n, p)


class RepetitionDecoder(BlockDecoder):
    """Majority vote of the n hard decisions (``syndrome``, default: the bounded-distance
    decoder of R_n) or the sign of the LLR sum (``ml``, exact soft ML).

    YAML: ``decoder: {algorithm: syndrome | ml}``.
    """


class RepetitionSpec(CodeSpec):
    """``{type: repetition, n: 3}``: one bit sent n times (n odd); majority vote or LLR sum."""

    type: Literal["repetition"] = "repetition"
    n: int = Field(3, ge=1, description="repetitions, odd (n = 1 is uncoded)")
    decoder: RepetitionDecoder = RepetitionDecoder()

    @field_validator("n")
    @classmethod
    def _odd(cls, n: int) -> int:
        if n % 2 == 0:
            raise ValueError(f"must be odd (a majority vote needs no ties), got {n}")
        return n

    def build(self) -> RepetitionCode:
        return RepetitionCode(self.n, self.decoder.algorithm)

    def memory_needs(self) -> dict[str, tuple[float, str]]:
        # the parity matrix (1 x n-1) and one frame of n coded bits in flight
        return {"n": (self.n * (1 + BYTES_PER_CODED_BIT), f"one frame of {self.n} coded bits in flight")}
