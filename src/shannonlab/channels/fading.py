r"""Flat Rayleigh and Rician fading with any constellation, the gain known at the receiver.

``{type: rayleigh, modulation: 16qam, fading: fast}``: a new gain :math:`h \sim \mathcal{CN}(0,1)`
for every symbol (after the bit interleaver, so a codeword sees many independent gains);
``fading: block`` keeps one gain for ``coherence_symbols`` consecutive symbols of a frame,
or for the whole frame when it is not given (a codeword then sees one gain: the outage
regime). ``{type: rician, k_factor_db: 6, ...}``: a line-of-sight part of power K/(K+1)
beside scattered power 1/(K+1). E|h|² = 1, so ``esn0_db``/``snr_db`` are average received
Es/N0 per complex symbol and ``ebn0_db`` per information bit (:mod:`.bicm`).

Limits drawn for a simulation (per coded bit, to compare with the code rate): the CM and
BICM capacity of the constellation on fast fading and the ergodic capacity of Gaussian
input; on block fading these are ergodic values that a codeword seeing few gains does not
reach (its frame-error rate is bounded below by the outage probability instead).

Example
-------
>>> from shannonlab.registry import build_channel
>>> ch = build_channel({"type": "rayleigh", "modulation": "qpsk"}, "esn0_db", 10.0, rate=0.5)
>>> ch
BICMChannel(qpsk, esn0_db=10, rate=0.5, exact, random, rayleigh fast)
>>> round(ch.uncoded_ber(), 6)  # Gray QPSK: each rail BPSK at Es/2N0 on Rayleigh
0.043565
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from ..theory.units import db_to_linear
from .bicm import BICMChannel, Fading, ModulatedSpec


class _FadingSpec(ModulatedSpec):
    """Fields of every fading channel."""

    fading: Literal["fast", "block"] = Field("fast", description="fast: a new gain per symbol; block: one gain per "
                                             "coherence_symbols symbols (or per frame)")
    coherence_symbols: int | None = Field(None, ge=1, description="symbols per gain with fading: block (default: "
                                          "the whole frame)")

    @model_validator(mode="after")
    def _coherence_needs_block(self):
        if self.coherence_symbols is not None and self.fading != "block":
            raise ValueError(".coherence_symbols: is only used with fading: block")
        return self

    def _fading(self) -> Fading:
        return Fading(self.fading_kind, self._k() or 0.0, self.fading == "fast", self.coherence_symbols)

    def build(self, parameter: str, value: float, rate: float) -> BICMChannel:
        return self._channel(parameter, value, rate, self._fading())


class RayleighSpec(_FadingSpec):
    """``{type: rayleigh, modulation: 16qam, fading: fast | block, coherence_symbols: N}``:
    flat Rayleigh fading, h ~ CN(0, 1), perfect channel knowledge at the receiver."""

    type: Literal["rayleigh"] = "rayleigh"
    fading_kind: ClassVar[str] = "rayleigh"


class RicianSpec(_FadingSpec):
    """``{type: rician, k_factor_db: 6, modulation: qpsk, ...}``: flat Rician fading with
    K-factor K (line-of-sight over scattered power), perfect channel knowledge at the receiver."""

    type: Literal["rician"] = "rician"
    k_factor_db: float | None = Field(None, le=40, allow_inf_nan=False,
                                      description="K-factor in dB (line-of-sight / scattered power)")
    k_factor: float | None = Field(None, ge=0, le=1e4, allow_inf_nan=False,
                                   description="the K-factor as a linear ratio >= 0 (instead of k_factor_db)")
    fading_kind: ClassVar[str] = "rician"

    @model_validator(mode="after")
    def _one_k_factor(self):
        if (self.k_factor_db is None) == (self.k_factor is None):
            raise ValueError(".k_factor_db: give exactly one of k_factor_db (dB) and k_factor (linear, >= 0)")
        return self

    def _k(self) -> float:
        return db_to_linear(self.k_factor_db) if self.k_factor is None else float(self.k_factor)
