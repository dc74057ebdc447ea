r"""The convolutional code a YAML entry describes, with its decoder, and its spec.

``{type: convolutional, generators: ["133", "171"], k: 1024, termination: zero-tail}``
is the rate-1/2, K = 7 code of NASA, 802.11 and DVB with d_free = 10, terminated by
K − 1 = 6 zero tail bits: n = 2·(1024 + 6) = 2060 and R = 1024/2060. Optional keys:
``constraint_length`` (K, inferred from the longest generator by default), ``feedback``
(octal; recursive form, the generator equal to it gives the systematic output),
``puncture`` (a name "2/3", "3/4", "5/6" of 802.11 or an n × P 0/1 matrix) and
``decoder``: ``{algorithm: viterbi, decision: soft|hard, traceback_depth: D}`` or
``{algorithm: bcjr, variant: max-log|log-map|log-map-linear}``; soft Viterbi and max-log
BCJR also take ``quantization: {bits: B, fraction_bits: F}`` (fixed-point decoding with
int16 metrics, see :mod:`.decoding`).

Reference curve: the union bound from the distance spectrum {(a_d, c_d)} of the (punctured)
code, :math:`P_b \le \sum_{d=d_f}^{d_f + 12} c_d\,P_d` with
:math:`P_d = Q(\sqrt{2 d R E_b/N_0})` for soft decisions on AWGN and, for hard decisions
(or a BSC) with crossover p,
:math:`P_d = \sum_{e > d/2} \binom{d}{e} p^e (1-p)^{d-e} + \tfrac12 \binom{d}{d/2} p^{d/2} (1-p)^{d/2}`
(Proakis, Digital Communications, section 8.2). It is not given for truncated codes (their
last bits are unprotected) nor where it exceeds 1/2.

Example
-------
>>> import numpy as np
>>> code = ConvolutionalSpec(generators=["133", "171"], k=16).build()
>>> (code.n, code.k, round(code.rate, 4))
(44, 16, 0.3636)
>>> u = np.random.default_rng(1).integers(0, 2, (3, 16), dtype=np.uint8)
>>> bool((code.decode(4.0 * (1.0 - 2.0 * code.encode(u))) == u).all())
True
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Literal, Optional, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationInfo, field_validator

from ...theory.uncoded import bpsk_ber
from ..base import BYTES_PER_CODED_BIT, Code, CodeSpec
from ..simd import Quantization
from .decoding import BCJRDecoder, ViterbiDecoder
from .encoding import TERMINATIONS, encode
from .puncturing import Puncturer, resolve_pattern
from .trellis import Trellis

UNION_BOUND_TERMS = 12


def hard_pairwise_error(d: int, p: float) -> float:
    r"""Probability that hard-decision ML decoding prefers a path at Hamming distance d
    when bits flip with probability p (ties broken by a fair coin).

    >>> round(hard_pairwise_error(3, 0.1), 6)
    0.028
    """
    total = 0.0
    for e in range(d // 2 + 1, d + 1):
        total += math.comb(d, e) * p**e * (1 - p) ** (d - e)
    if d % 2 == 0:
        total += 0.5 * math.comb(d, d // 2) * p ** (d // 2) * (1 - p) ** (d // 2)
    return total


class ConvolutionalCode(Code):
    """A rate-1/n convolutional code (optionally recursive, punctured) with its decoder."""

    reference_name = "union bound"

    def __init__(self, generators: list[str], k: int, termination: str = "zero-tail",
                 constraint_length: int | None = None, feedback: str | None = None,
                 puncture: str | list[list[int]] | None = None, algorithm: str = "viterbi",
                 decision: str = "soft", traceback_depth: int | None = None, variant: str = "max-log",
                 quantization: Quantization | None = None):
        if termination not in TERMINATIONS:
            raise ValueError(f"termination must be one of {', '.join(TERMINATIONS)}, got {termination!r}")
        try:
            self.trellis = tr = Trellis.from_octal([str(g) for g in generators], constraint_length, feedback)
        except ValueError as exc:
            raise ValueError(f"generators: {exc}") from None
        if k < 1:
            raise ValueError(f"k must be a positive integer, got {k}")
        if termination == "tail-biting" and tr.recursive:
            raise ValueError("termination: tail-biting is available for feed-forward codes only")
        if termination == "tail-biting" and k < tr.m:
            raise ValueError(f"k: tail-biting needs k >= K - 1 = {tr.m}, got {k}")
        self.k, self.termination = int(k), termination
        self.steps = k + tr.m if termination == "zero-tail" else k
        try:
            self.pattern = None if puncture is None else resolve_pattern(puncture, tr.n)
        except ValueError as exc:
            raise ValueError(f"puncture: {exc}") from None
        self.puncturer = None if self.pattern is None else Puncturer(self.pattern, tr.n, self.steps)
        self.n = self.puncturer.n_out if self.puncturer else tr.n * self.steps
        self.rate = self.k / self.n
        self.algorithm, self.decision, self.variant = algorithm, decision, variant
        self.quantization = quantization
        if algorithm == "viterbi":
            self.decoder = ViterbiDecoder(tr, termination, self.k, decision, traceback_depth, quantization)
            how = f"Viterbi {decision}" + (f", depth {traceback_depth}" if traceback_depth else "")
        elif algorithm == "bcjr":
            self.decoder = BCJRDecoder(tr, termination, self.k, variant, quantization)
            how = f"BCJR {variant}"
        else:
            raise ValueError(f"decoder.algorithm must be 'viterbi' or 'bcjr', got {algorithm!r}")
        how += f" {quantization.describe()}" if quantization is not None else ""
        punct = "" if self.pattern is None else f", punctured {puncture if isinstance(puncture, str) else self.pattern.tolist()}"
        self.name = f"conv {tr.name()} K={tr.K} {termination}{punct}, {how} (k={k})"

    def encode(self, u: np.ndarray) -> np.ndarray:
        """Messages (F, k) -> transmitted codewords (F, n), punctured if asked."""
        u = np.asarray(u)
        if u.ndim != 2 or u.shape[1] != self.k:
            raise ValueError(f"messages must have shape (frames, {self.k}), got {u.shape}")
        c = encode(self.trellis, u, self.termination)
        return self.puncturer.puncture(c) if self.puncturer else c

    def _mother(self, llr: np.ndarray) -> np.ndarray:
        llr = np.asarray(llr)  # converted to float32 (or quantised) in the decoder's layout pass
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        return self.puncturer.depuncture(llr) if self.puncturer else llr

    def decode(self, llr: np.ndarray) -> np.ndarray:
        """Channel LLRs (F, n) -> decided information bits (F, k)."""
        return self.decoder.decode(self._mother(llr))

    def decode_llr(self, llr: np.ndarray, apriori: np.ndarray | None = None, extrinsic: bool = False) -> np.ndarray:
        """A posteriori LLRs (F, k) float32 of the information bits by BCJR (the configured
        variant, max-log for a Viterbi-decoded code); ``apriori`` adds input LLRs (F, k);
        ``extrinsic`` returns L - L_a - L_systematic (see :class:`.decoding.BCJRDecoder`)."""
        bcjr = self.decoder if isinstance(self.decoder, BCJRDecoder) else self._bcjr
        return bcjr.decode_llr(self._mother(llr), apriori, extrinsic)

    @cached_property
    def _bcjr(self) -> BCJRDecoder:
        return BCJRDecoder(self.trellis, self.termination, self.k, "max-log")

    @cached_property
    def free_distance(self) -> int:
        return self.trellis.free_distance(self.pattern)

    @cached_property
    def distance_spectrum(self) -> dict[int, tuple[float, float]]:
        """{d: (a_d, c_d)} for d_free <= d <= d_free + 12 (per information bit)."""
        return self.trellis.spectrum(self.free_distance + UNION_BOUND_TERMS, self.pattern)

    def union_bound(self, esn0: float | None = None, p: float | None = None) -> float:
        """Union bound on the BER: soft decisions at Es/N0 = ``esn0`` (linear) or hard
        decisions with crossover probability ``p``."""
        total = 0.0
        for d, (_, c) in self.distance_spectrum.items():
            pd = bpsk_ber(d * esn0) if p is None else hard_pairwise_error(d, p)
            total += c * pd
        return total

    def reference_ber(self, channel) -> float | None:
        """The union bound at the channel's operating point: soft with BPSK on AWGN unless
        decisions are hard, hard wherever slicing gives a BSC; None for truncated codes,
        other channels or above 1/2."""
        if self.termination == "truncated":
            return None
        hard = (self.algorithm == "viterbi" and self.decision == "hard") or channel.binary_symmetric_output
        esn0, p = channel.bpsk_esn0(), channel.hard_crossover()
        if not hard and esn0 is not None:
            bound = self.union_bound(esn0=esn0)
        elif p is not None:
            bound = self.union_bound(p=p)
        else:
            return None
        return bound if bound <= 0.5 else None


class ViterbiSpec(BaseModel):
    """Viterbi decoding (maximum-likelihood sequence)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    algorithm: Literal["viterbi"] = "viterbi"
    decision: Literal["soft", "hard"] = Field("soft", description="soft: LLR metrics; hard: Hamming metric on sign(LLR)")
    traceback_depth: PositiveInt | None = Field(None, description="windowed traceback for truncated codes (default: whole frame)")
    quantization: Optional[Quantization] = Field(
        None, description="fixed-point decoding {bits, fraction_bits} with int16 path metrics (soft decisions)")

    @field_validator("quantization")
    @classmethod
    def _soft_only(cls, value, info: ValidationInfo):
        if value is not None and info.data.get("decision") == "hard":
            raise ValueError("applies to soft decisions (hard decisions are signs already)")
        return _no_message_bits(value)


class BCJRSpec(BaseModel):
    """BCJR (bit-wise MAP), giving bit LLRs as well as decisions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    algorithm: Literal["bcjr"] = "bcjr"
    variant: Literal["max-log", "log-map", "log-map-linear"] = Field(
        "max-log", description="max*: max-log (max), log-map (exact Jacobian logarithm), log-map-linear "
                               "(max + max(0, 0.6216 - 0.2390 |a-b|), error <= 0.072)")
    quantization: Optional[Quantization] = Field(
        None, description="fixed-point decoding {bits, fraction_bits} with int16 metrics (max-log only)")

    @field_validator("quantization")
    @classmethod
    def _max_log_only(cls, value, info: ValidationInfo):
        if value is not None and info.data.get("variant") != "max-log":
            raise ValueError(f"applies to the max-log variant, not to {info.data.get('variant')!r}")
        return _no_message_bits(value)


def _no_message_bits(value: Quantization | None) -> Quantization | None:
    if value is not None and value.message_bits is not None:
        raise ValueError("message_bits applies to LDPC decoders; trellis metrics are int16, saturated at its range")
    return value


class ConvolutionalSpec(CodeSpec):
    """Rate-1/n convolutional code from octal generators (K = 3..9), Viterbi or BCJR."""

    type: Literal["convolutional"] = "convolutional"
    k: PositiveInt = Field(1024, description="information bits per frame")
    termination: Literal["zero-tail", "truncated", "tail-biting"] = "zero-tail"
    constraint_length: int | None = Field(None, description="K; default: the longest generator's length")
    feedback: str | None = Field(None, description="octal feedback polynomial (recursive form)")
    generators: list[str | int] = Field(description="octal polynomials, e.g. ['133', '171']")
    puncture: str | list[list[int]] | None = Field(None, description="'2/3', '3/4', '5/6' (802.11) or an n x P 0/1 matrix")
    decoder: Union[ViterbiSpec, BCJRSpec] = Field(default_factory=ViterbiSpec, discriminator="algorithm")

    @field_validator("constraint_length")
    @classmethod
    def _check_k(cls, value: int | None) -> int | None:
        if value is not None and not 3 <= value <= 9:
            raise ValueError(f"must be in 3..9, got {value}")
        return value

    @field_validator("feedback", mode="before")
    @classmethod
    def _feedback_text(cls, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("generators")
    @classmethod
    def _check_generators(cls, value: list, info: ValidationInfo) -> list[str]:
        texts = [str(g) for g in value]
        if "constraint_length" in info.data and "feedback" in info.data:
            Trellis.from_octal(texts, info.data["constraint_length"], info.data["feedback"])
        return texts

    @field_validator("puncture")
    @classmethod
    def _check_puncture(cls, value, info: ValidationInfo):
        if value is not None and "generators" in info.data:
            resolve_pattern(value, len(info.data["generators"]))
        return value

    @field_validator("decoder")
    @classmethod
    def _check_decoder(cls, value, info: ValidationInfo):
        termination = info.data.get("termination")
        if isinstance(value, ViterbiSpec) and value.traceback_depth is not None and termination != "truncated":
            raise ValueError(f"traceback_depth applies to termination 'truncated' only, not {termination!r} "
                             "(terminated and tail-biting frames are traced back whole)")
        return value

    def memory_needs(self) -> dict[str, tuple[float, str]]:
        # per frame: k + tail steps, each with 2^(K-1) states (Viterbi decisions, BCJR
        # forward and backward metrics in float32) and n outputs of LLRs and codeword bits
        K = self.constraint_length or max(int(str(g), 8).bit_length() for g in self.generators)
        steps = self.k + 16 * K  # zero tail, or the tail-biting wrap-around
        per_step = 8 * 2 ** (K - 1) + BYTES_PER_CODED_BIT * len(self.generators)
        return {"k": (steps * per_step, f"one frame's trellis of {steps} steps x {2 ** (K - 1)} states")}

    def build(self) -> ConvolutionalCode:
        d = self.decoder
        return ConvolutionalCode(
            self.generators, self.k, self.termination, self.constraint_length, self.feedback, self.puncture,
            algorithm=d.algorithm, decision=getattr(d, "decision", "soft"),
            traceback_depth=getattr(d, "traceback_depth", None), variant=getattr(d, "variant", "max-log"),
            quantization=d.quantization,
        )
