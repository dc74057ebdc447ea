r"""Turbo codes a YAML entry describes (LTE, CCSDS, generic), with the iterative decoder.

.. code-block:: yaml

    codes:
      - {type: turbo, standard: lte, k: 6144, decoder: {algorithm: max-log, iterations: 6}}
      - {type: turbo, standard: lte, k: 1008, e: 1500, rv: 0}     # rate-matched to E bits
      - {type: turbo, standard: ccsds, k: 1784, rate: "1/3"}
      - {type: turbo, standard: none, k: 1000, rsc: {feedback: "13", feedforward: "15"},
         interleaver: {type: s-random, s: 20, seed: 1}}

**LTE** (TS 36.212 §5.1.3.2): two (13, 15) octal RSC encoders, the QPP interleaver of
Table 5.1.3-3 (K must be one of its 188 sizes), each encoder terminated by 3 tail steps;
the three streams :math:`d^{(0)} = (x_0 \dots x_{K−1}, x_K, z_{K+1}, x'_K, z'_{K+1})`,
:math:`d^{(1)} = (z_0 \dots, z_K, x_{K+2}, z'_K, x'_{K+2})`,
:math:`d^{(2)} = (z'_0 \dots, x_{K+1}, z_{K+2}, x'_{K+1}, z'_{K+2})` of D = K + 4 bits are sent
one after the other (n = 3K + 12, the rate-1/3 mother code), or through rate matching
(§5.1.4.1, :mod:`.rate_matching`) when ``e`` is given (n = E, redundancy version ``rv``).

**CCSDS** (131.0-B §6): 16-state constituents with feedback G0 = 10011 (octal 23) and
forward vectors G1 = 11011 (33), G2 = 10101 (25), G3 = 11111 (37), the CCSDS permutation,
K = 1784, 3568, 7136, 8920, both encoders terminated over the same 4 steps; per step the
outputs (0a, 1a, 1b) for rate 1/3, (0a, 2a, 3a, 1b) for 1/4, (0a, 1a, 2a, 3a, 1b, 3b)
for 1/6, and (0a, 1a) then (0a, 1b) alternately for 1/2; n = (K + 4)/r.

**Generic** (``standard: none``): any RSC (feedback, feedforward octal) for both
constituents and a QPP, S-random or seeded random interleaver; per step
:math:`(x_t, z_t, z'_t)`, then both tails (x, z) — n = 3K + 4m.

With ``crc`` the K-bit block is the k information bits followed by their CRC (as an LTE
code block carries CRC24B: k = 6120 + 24 = 6144), and the decoder stops each frame as soon
as its decisions pass the CRC; a frame that never passes is a detected failure.

Example
-------
>>> import numpy as np
>>> code = TurboSpec(standard="lte", k=40).build()
>>> (code.n, code.k)
(132, 40)
>>> u = np.random.default_rng(1).integers(0, 2, (2, 40), dtype=np.uint8)
>>> report = code.decode_report(5.0 * (1.0 - 2.0 * code.encode(u)))
>>> bool((report.bits == u).all()), report.iterations.tolist()
(True, [1, 1])
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator

from ..base import BYTES_PER_CODED_BIT, Code, CodeSpec, DecodeReport
from ..convolutional.trellis import Trellis
from ..crc import CRC
from .decoding import BLOCK_FRAMES, TurboDecoder
from .encoding import TurboEncoder
from .interleavers import (CCSDS_K, ccsds_permutation, qpp_parameters, qpp_permutation, random_permutation,
                           s_random_permutation)
from .rate_matching import lte_rate_matching

CCSDS_RATES = ("1/2", "1/3", "1/4", "1/6")
_CCSDS_OUTPUTS = {  # constituent generators (systematic first) per rate
    "1/2": (["23", "33"], ["23", "33"]),
    "1/3": (["23", "33"], ["23", "33"]),
    "1/4": (["23", "25", "37"], ["23", "33"]),
    "1/6": (["23", "33", "25", "37"], ["23", "33", "37"]),
}


class TurboCode(Code):
    """A turbo code: encoder, the transmitted selection of mother bits, optional CRC and
    the iterative decoder."""

    def __init__(self, encoder: TurboEncoder, transmitted: np.ndarray, name: str, crc: CRC | None = None,
                 algorithm: str = "max-log", iterations: int = 6, extrinsic_scale: float | None = None,
                 early_stop: bool = True):
        self.encoder, self.crc = encoder, crc
        self.transmitted = np.asarray(transmitted, np.int64)
        self.block_length = encoder.k
        self.k = encoder.k - (crc.width if crc is not None else 0)
        if self.k < 1:
            raise ValueError(f"the CRC ({crc.width} bits) leaves no information bits in a block of {encoder.k}")
        self.n = int(self.transmitted.size)
        self.rate = self.k / self.n
        self.decoder = TurboDecoder(encoder, algorithm, iterations, extrinsic_scale, early_stop, crc)
        self.name = name
        # repeated positions are summed: group the sends by how often their bit was sent before
        order = np.argsort(self.transmitted, kind="stable")
        sorted_tx = self.transmitted[order]
        first = np.searchsorted(sorted_tx, sorted_tx)
        rank = np.empty(self.n, np.int64)
        rank[order] = np.arange(self.n) - first
        self._layers = [np.nonzero(rank == r)[0] for r in range(int(rank.max(initial=-1)) + 1)]

    @property
    def batch_frames(self) -> int:
        """The decoder runs :data:`~.decoding.BLOCK_FRAMES` frames in lock-step (its BCJR
        lanes): fewer cost the same."""
        return BLOCK_FRAMES

    def encode(self, u: np.ndarray) -> np.ndarray:
        """Messages (F, k) -> transmitted codewords (F, n) (CRC attached first, if any)."""
        u = np.asarray(u, dtype=np.uint8)
        if u.ndim != 2 or u.shape[1] != self.k:
            raise ValueError(f"messages must have shape (frames, {self.k}), got {u.shape}")
        block = self.crc.attach(u) if self.crc is not None else u
        return np.ascontiguousarray(self.encoder.encode(block)[:, self.transmitted])

    def mother_llrs(self, llr: np.ndarray) -> np.ndarray:
        """Channel LLRs (F, n) -> LLRs (F, mother_length) of the mother codeword: 0 for bits
        not sent, the sum over the copies of a repeated bit."""
        llr = np.asarray(llr, dtype=np.float32)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        mother = np.zeros((llr.shape[0], self.encoder.mother_length), np.float32)
        for sel in self._layers:
            mother[:, self.transmitted[sel]] += llr[:, sel]
        return mother

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        """Decisions (F, k), per-frame iterations and (with a CRC) failures."""
        bits, iterations, crc_ok = self.decoder.decode(self.mother_llrs(llr))
        return DecodeReport(np.ascontiguousarray(bits[:, : self.k]), None if crc_ok is None else ~crc_ok, iterations)

    def decode(self, llr: np.ndarray) -> np.ndarray:
        return self.decode_report(llr).bits


# ----------------------------------------------------------------------------- the standards


def lte_streams(encoder: TurboEncoder) -> np.ndarray:
    """Mother positions of the streams d(0), d(1), d(2) (3 x (K + 4)) of TS 36.212
    §5.1.3.2.2, tails multiplexed as the standard does."""
    K = encoder.k
    ix = encoder.index
    d = np.empty((3, K + 4), np.int64)
    steps = np.arange(K)
    d[0, :K], d[1, :K], d[2, :K] = ix("a", steps, 0), ix("a", steps, 1), ix("b", steps, 1)
    x = [ix("a", K + j, 0) for j in range(3)]
    z = [ix("a", K + j, 1) for j in range(3)]
    xp = [ix("b", K + j, 0) for j in range(3)]
    zp = [ix("b", K + j, 1) for j in range(3)]
    d[0, K:] = [x[0], z[1], xp[0], zp[1]]
    d[1, K:] = [z[0], x[2], zp[0], xp[2]]
    d[2, K:] = [x[1], z[2], xp[1], zp[2]]
    return d


def lte_turbo(k: int, e: int | None = None, rv: int = 0, crc: CRC | None = None, **decoder) -> TurboCode:
    """The LTE turbo code of block size K = k (+ CRC), optionally rate-matched to e bits."""
    K = k + (crc.width if crc is not None else 0)
    perm = qpp_permutation(K)  # raises for a K not in the table
    rsc = Trellis.from_octal(["13", "15"], feedback="13")
    encoder = TurboEncoder(rsc, rsc, perm)
    streams = lte_streams(encoder).reshape(-1)
    if e is None:
        transmitted, what = streams, ""
    else:
        transmitted, what = streams[lte_rate_matching(K, e, rv)], f" E={e} rv={rv}"
    name = f"turbo LTE K={K}{what}{'+' + crc.name if crc else ''} {_decoder_name(**decoder)}"
    return TurboCode(encoder, transmitted, name, crc, **decoder)


def ccsds_turbo(k: int, rate: str = "1/3", crc: CRC | None = None, **decoder) -> TurboCode:
    """The CCSDS 131.0-B turbo code with K = k (+ CRC) and nominal rate ``rate``."""
    if rate not in CCSDS_RATES:
        raise ValueError(f"CCSDS turbo rates are {', '.join(CCSDS_RATES)}, got {rate!r}")
    K = k + (crc.width if crc is not None else 0)
    if K not in CCSDS_K:
        raise ValueError(f"CCSDS turbo codes have K = {', '.join(map(str, CCSDS_K))} (CRC included), got {K}")
    gens_a, gens_b = _CCSDS_OUTPUTS[rate]
    ta = Trellis.from_octal(gens_a, feedback="23")
    tb = Trellis.from_octal(gens_b, feedback="23")
    encoder = TurboEncoder(ta, tb, ccsds_permutation(K))
    ix, steps = encoder.index, np.arange(K + 4)
    if rate == "1/2":
        odd = steps % 2 == 1
        second = np.where(odd, ix("b", steps, 1), ix("a", steps, 1))
        columns = [ix("a", steps, 0), second]
    else:
        columns = [ix("a", steps, j) for j in range(ta.n)] + [ix("b", steps, j) for j in range(1, tb.n)]
    transmitted = np.stack(columns, axis=1).reshape(-1)
    name = f"turbo CCSDS K={K} R={rate}{'+' + crc.name if crc else ''} {_decoder_name(**decoder)}"
    return TurboCode(encoder, transmitted, name, crc, **decoder)


def generic_turbo(feedback: str, feedforward: str, perm: np.ndarray, what: str, crc: CRC | None = None,
                  **decoder) -> TurboCode:
    """A rate-1/3 turbo code of two identical RSC (feedback, feedforward) and the
    interleaver ``perm`` of the K-bit block (information bits + CRC)."""
    rsc = Trellis.from_octal([feedback, feedforward], feedback=feedback)
    encoder = TurboEncoder(rsc, rsc, perm)
    ix, K, m = encoder.index, encoder.k, rsc.m
    steps = np.arange(K)
    body = np.stack([ix("a", steps, 0), ix("a", steps, 1), ix("b", steps, 1)], axis=1).reshape(-1)
    tails = [ix(c, K + j, o) for c in ("a", "b") for j in range(m) for o in (0, 1)]
    transmitted = np.concatenate([body, np.asarray(tails, np.int64)])
    name = f"turbo ({feedback},{feedforward}) {what} K={K}{'+' + crc.name if crc else ''} {_decoder_name(**decoder)}"
    return TurboCode(encoder, transmitted, name, crc, **decoder)


def _decoder_name(algorithm: str = "max-log", iterations: int = 6, extrinsic_scale: float | None = None,
                  early_stop: bool = True) -> str:
    scale = f" s={extrinsic_scale:g}" if extrinsic_scale is not None else ""
    return f"{algorithm}{scale} {iterations} it"


# ----------------------------------------------------------------------------- YAML


class TurboDecoderSpec(BaseModel):
    """Iterative BCJR decoding: rule, iterations, extrinsic scale, early stopping."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    algorithm: Literal["max-log", "log-map"] = Field("max-log", description="BCJR rule of each half-iteration")
    iterations: PositiveInt = Field(6, description="iterations (each = both constituents) at most")
    extrinsic_scale: float | None = Field(None, gt=0.0, le=1.0, allow_inf_nan=False,
                                          description="scale of the extrinsic LLRs (default 0.7 for max-log, 1 for log-map)")
    early_stop: bool = Field(True, description="stop a frame when its CRC passes (with crc) or when both half-iterations decide alike")


class RSCSpec(BaseModel):
    """A recursive systematic constituent: feedback and feedforward octal polynomials."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    feedback: str = Field("13", description="octal feedback polynomial (its leading bit taps the current input)")
    feedforward: str = Field("15", description="octal feedforward (parity) polynomial")

    @field_validator("feedback", "feedforward", mode="before")
    @classmethod
    def _text(cls, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class InterleaverSpec(BaseModel):
    """``{type: qpp, f1, f2}``, ``{type: s-random, s, seed}`` or ``{type: random, seed}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["qpp", "s-random", "random"] = Field(description="qpp (f1, f2), s-random (S, seed) or random (seed)")
    f1: int | None = Field(None, ge=1, description="qpp: linear coefficient (coprime with K)")
    f2: int | None = Field(None, ge=0, description="qpp: quadratic coefficient")
    s: int | None = Field(None, ge=1, description="s-random: spread S (about sqrt(K/2) at most)")
    seed: int = Field(0, ge=0, description="s-random, random: seed of the construction")

    @model_validator(mode="after")
    def _fields(self) -> "InterleaverSpec":
        needs = {"qpp": ("f1", "f2"), "s-random": ("s",), "random": ()}[self.type]
        for key in needs:
            if getattr(self, key) is None:
                raise ValueError(f"interleaver {self.type} needs '{key}'")
        for key in ("f1", "f2", "s", "seed"):
            allowed = needs + (("seed",) if self.type != "qpp" else ())
            if key not in allowed and key in self.model_fields_set:
                raise ValueError(f"'{key}' does not apply to a {self.type} interleaver")
        return self

    def permutation(self, k: int) -> np.ndarray:
        if self.type == "qpp":
            return qpp_permutation(k, self.f1, self.f2)
        if self.type == "s-random":
            return s_random_permutation(k, self.s, self.seed)
        return random_permutation(k, self.seed)

    def describe(self) -> str:
        return {"qpp": f"QPP({self.f1},{self.f2})", "s-random": f"S-random(S={self.s},seed={self.seed})",
                "random": f"random(seed={self.seed})"}[self.type]


class TurboSpec(CodeSpec):
    """``{type: turbo, standard: lte|ccsds|none, k: ...}``: a turbo code with iterative decoding."""

    type: Literal["turbo"] = "turbo"
    standard: Literal["lte", "ccsds", "none"] = Field("lte", description="lte (TS 36.212), ccsds (131.0-B) or none (rsc + interleaver)")
    k: PositiveInt = Field(6144, description="information bits (CRC bits not counted); k + CRC is the block size K "
                                             "(lte: a K of Table 5.1.3-3, 40..6144; ccsds: 1784, 3568, 7136, 8920)")
    e: PositiveInt | None = Field(None, description="lte: rate-matched length E (TS 36.212 5.1.4.1); default: the rate-1/3 mother code")
    rv: Literal[0, 1, 2, 3] = Field(0, description="lte: redundancy version of the rate matching (with e)")
    rate: Literal["1/2", "1/3", "1/4", "1/6"] | None = Field(None, description="ccsds: nominal rate 1/2, 1/3, 1/4 or 1/6 (default 1/3)")
    rsc: RSCSpec | None = Field(None, description="none: the constituent code {feedback, feedforward} (default 13, 15)")
    interleaver: InterleaverSpec | None = Field(None, description="none: {type: qpp, f1, f2} | {type: s-random, s, seed} | {type: random, seed}")
    crc: str | None = Field(None, description="CRC name (CRC24B for an LTE code block, CRC16, ...) or hex; stops the decoder early")
    decoder: TurboDecoderSpec = TurboDecoderSpec()

    @field_validator("crc")
    @classmethod
    def _known_crc(cls, crc: str | None) -> str | None:
        if crc is not None:
            CRC(crc)
        return crc

    @model_validator(mode="after")
    def _consistent(self) -> "TurboSpec":
        given = self.model_fields_set
        allowed = {"lte": {"e", "rv"}, "ccsds": {"rate"}, "none": {"rsc", "interleaver"}}[self.standard]
        for key in ("e", "rv", "rate", "rsc", "interleaver"):
            if key in given and key not in allowed:
                raise ValueError(f"'{key}' does not apply to standard {self.standard!r} (it takes {', '.join(sorted(allowed))})")
        if "rv" in given and self.e is None:
            raise ValueError("'rv' needs 'e' (the rate-matched length)")
        width = CRC(self.crc).width if self.crc else 0
        K = self.k + width
        if self.standard == "lte":
            qpp_parameters(K)
        elif self.standard == "ccsds" and K not in CCSDS_K:
            raise ValueError(f"CCSDS turbo codes have K = {', '.join(map(str, CCSDS_K))} (k + CRC), got {K}")
        elif self.standard == "none" and self.interleaver is None:
            raise ValueError("standard none needs 'interleaver' ({type: qpp, f1, f2} | {type: s-random, s} | {type: random})")
        return self

    def memory_needs(self) -> dict[str, tuple[float, str]]:
        """A frame of k information bits: the mother codeword (3k + 12 bits) in flight and the
        BCJR workspace (forward metrics of up to 64 states per step for a block of lanes);
        a rate-matched frame of e bits in flight."""
        k = self.k + 32  # a CRC of at most 32 bits
        needs = {"k": ((3 * k + 12) * BYTES_PER_CODED_BIT + 4.0 * 64 * BLOCK_FRAMES * (k + 4),
                       "a frame's codeword in flight and the BCJR workspace")}
        if self.e is not None:
            needs["e"] = (self.e * BYTES_PER_CODED_BIT, f"a rate-matched frame of {self.e} bits in flight")
        return needs

    def build(self) -> TurboCode:
        crc = CRC(self.crc) if self.crc else None
        decoder = self.decoder.model_dump()
        if self.standard == "lte":
            return lte_turbo(self.k, self.e, self.rv, crc, **decoder)
        if self.standard == "ccsds":
            return ccsds_turbo(self.k, self.rate or "1/3", crc, **decoder)
        rsc = self.rsc or RSCSpec()
        K = self.k + (crc.width if crc else 0)
        try:
            trellis_ok = Trellis.from_octal([rsc.feedback, rsc.feedforward], feedback=rsc.feedback)
        except ValueError as exc:
            raise ValueError(f"rsc: {exc}") from None
        del trellis_ok
        return generic_turbo(rsc.feedback, rsc.feedforward, self.interleaver.permutation(K), self.interleaver.describe(),
                             crc, **decoder)
