r"""Polar codes (Arikan 2009) with an optional CRC, and their YAML spec.

An (N, K) polar code with an r-bit CRC places K + r bits (the K information bits followed by
their CRC) on the K + r most reliable indices of :math:`u`, freezes the other N - K - r to
0, and sends :math:`x = u\,G_N` (or the systematic variant). Its rate is K / N: CRC bits are
overhead. Decoders: ``sc`` (successive cancellation) and ``scl`` (SC-list with L paths); with
a CRC, SC-list outputs the most likely path that passes the CRC (CA-SCL) and a frame whose
paths all fail is reported as a detected failure (SC reports its own CRC failures too).

YAML::

    {type: polar, n: 1024, k: 512, construction: {method: ga, design_snr_db: 2.0},
     crc: CRC11, decoder: {algorithm: scl, list_size: 8}}

``design_snr_db`` is the design Eb/N0 per information bit (Es/N0 = (K/N) Eb/N0), used by
``bhattacharyya`` and ``ga``; ``5g`` uses the 3GPP sequence (N <= 1024).

Example
-------
>>> import numpy as np
>>> code = build_polar(n=16, k=8, construction={"method": "5g"}, crc="CRC6",
...                    decoder={"algorithm": "scl", "list_size": 4})
>>> (code.n, code.k, code.rate)
(16, 8, 0.5)
>>> u = np.array([[1, 0, 1, 1, 0, 0, 1, 0]], dtype=np.uint8)
>>> report = code.decode_report(4.0 * (1.0 - 2.0 * code.encode(u)))
>>> bool((report.bits == u).all()), report.failures.tolist()
(True, [False])
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator

from ...theory.units import esn0_db_from_ebn0_db
from ..base import Code, CodeSpec, DecodeReport
from ..crc import CRC
from .construction import frozen_mask, reliability
from .decoding import SC_BLOCK, schedule, sc_decode, scl_decode
from .encoding import encode, polar_transform, systematic_encode


class PolarCode(Code):
    """An (n, k) polar code with frozen set, optional CRC, systematic flag and decoder."""

    def __init__(self, n: int, k: int, frozen: np.ndarray, crc: CRC | None = None, systematic: bool = False,
                 algorithm: str = "sc", list_size: int = 8, label: str = ""):
        frozen = np.asarray(frozen, dtype=bool)
        r = crc.width if crc is not None else 0
        if frozen.size != n or n & (n - 1) or n < 2:
            raise ValueError(f"n must be a power of two >= 2 matching the frozen mask, got {n}")
        if int((~frozen).sum()) != k + r:
            raise ValueError(f"the frozen mask leaves {int((~frozen).sum())} free bits, expected k + CRC bits = {k + r}")
        if algorithm not in ("sc", "scl"):
            raise ValueError(f"unknown polar decoder {algorithm!r} (allowed: sc, scl)")
        self.n, self.k = int(n), int(k)
        self.rate = self.k / self.n
        self.frozen, self.crc, self.systematic = frozen, crc, bool(systematic)
        self.algorithm, self.list_size = algorithm, int(list_size)
        self.info = np.flatnonzero(~frozen)
        self._ops = schedule(frozen)
        if self.systematic:  # fail at build time, not in the middle of a simulation
            probe = np.eye(k + r, dtype=np.uint8) if k + r else np.zeros((1, 0), dtype=np.uint8)
            systematic_encode(probe, frozen)
        dec = "SC" if algorithm == "sc" else f"{'CA-' if crc else ''}SCL{self.list_size}"
        self.name = label or f"polar({n},{k}){'+' + crc.name if crc else ''} {dec}{' sys' if systematic else ''}"

    @property
    def batch_frames(self) -> int:
        """SC decodes :data:`~.decoding.SC_BLOCK` frames in lock-step (fewer cost the same);
        SC-list decodes one frame at a time, its lanes are the paths."""
        return SC_BLOCK if self.algorithm == "sc" else 1

    def encode(self, u: np.ndarray) -> np.ndarray:
        """(F, k) -> (F, n): CRC attached (if any), then polar encoding."""
        v = self.crc.attach(u) if self.crc is not None else np.asarray(u, dtype=np.uint8)
        return systematic_encode(v, self.frozen) if self.systematic else encode(v, self.frozen)

    def _carried(self, x: np.ndarray) -> np.ndarray:
        """The k + r bits a codeword estimate carries (x_A if systematic, (x G)_A otherwise)."""
        if self.systematic:
            return x[..., self.info]
        shape = x.shape
        return polar_transform(x.reshape(-1, shape[-1])).reshape(shape)[..., self.info]

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        llr = np.ascontiguousarray(llr, dtype=np.float64)
        if self.algorithm == "sc":
            x, u = sc_decode(llr, self._ops, with_u=True)
            v = x[:, self.info] if self.systematic else u[:, self.info]
            failures = ~self.crc.check(v) if self.crc is not None else None
            return DecodeReport(np.ascontiguousarray(v[:, : self.k]), failures=failures)
        xs, _, counts = scl_decode(llr, self._ops, self.list_size)  # sorted by path metric
        best = self._carried(xs[:, 0])
        if self.crc is None:
            return DecodeReport(np.ascontiguousarray(best[:, : self.k]))
        # CA-SCL: the first path (in metric order) whose CRC holds; most frames stop at the
        # first, so later candidates are re-encoded only for the frames still failing.
        bits = best.copy()
        passed = self.crc.check(best)
        for rank in range(1, self.list_size):
            todo = np.flatnonzero(~passed & (counts > rank))
            if todo.size == 0:
                break
            v = self._carried(xs[todo, rank])
            ok = self.crc.check(v)
            bits[todo[ok]] = v[ok]
            passed[todo[ok]] = True
        return DecodeReport(np.ascontiguousarray(bits[:, : self.k]), failures=~passed)

    def decode(self, llr: np.ndarray) -> np.ndarray:
        return self.decode_report(llr).bits


class Construction(BaseModel):
    """how the frozen set is chosen"""

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: Literal["bhattacharyya", "ga", "5g"] = Field(
        "ga", description="bhattacharyya, ga (Gaussian approximation) or 5g (3GPP sequence, n <= 1024)")
    design_ebn0_db: float = Field(
        2.0, allow_inf_nan=False, validation_alias=AliasChoices("design_ebn0_db", "design_snr_db"),
        description="design Eb/N0 in dB (bhattacharyya, ga); design_snr_db is accepted as an older name")


class SCDecoder(BaseModel):
    """successive cancellation (min-sum, rate-0/rate-1/repetition nodes)"""

    model_config = ConfigDict(extra="forbid", frozen=True)

    algorithm: Literal["sc"] = "sc"


class SCLDecoder(BaseModel):
    """SC-list with LLR path metrics; CRC-aided when the code has a crc"""

    model_config = ConfigDict(extra="forbid", frozen=True)

    algorithm: Literal["scl"] = "scl"
    list_size: int = Field(8, ge=1, le=32, description="paths kept, 1..32")


class PolarSpec(CodeSpec):
    """``{type: polar, n: 1024, k: 512, crc: CRC11, decoder: {algorithm: scl, list_size: 8}}``: a polar code"""

    type: Literal["polar"] = "polar"
    n: int = Field(1024, description="code length N, a power of two 8..65536")
    k: PositiveInt = Field(512, description="information bits (CRC bits not counted)")
    construction: Construction = Construction()
    crc: str | None = Field(None, description="CRC name (CRC6, CRC11, CRC16, CRC24A/B/C, CRC8, CRC32...) or hex like '0x11021'")
    systematic: bool = False
    decoder: Annotated[Union[SCDecoder, SCLDecoder], Field(discriminator="algorithm")] = SCDecoder()

    @field_validator("n")
    @classmethod
    def _power_of_two(cls, n: int) -> int:
        if n < 8 or n > 65536 or n & (n - 1):
            raise ValueError(f"must be a power of two from 8 to 65536, got {n}")
        return n

    @field_validator("crc")
    @classmethod
    def _known_crc(cls, crc: str | None) -> str | None:
        if crc is not None:
            CRC(crc)  # raises the one-line "unknown CRC ..." message
        return crc

    @model_validator(mode="after")
    def _fits(self) -> "PolarSpec":
        r = CRC(self.crc).width if self.crc else 0
        if self.k + r > self.n:
            extra = f" + {r} CRC bits" if r else ""
            raise ValueError(f"k{extra} = {self.k + r} exceeds n = {self.n}")
        if self.construction.method == "5g" and self.n > 1024:
            raise ValueError(f"construction.method '5g' covers n <= 1024, got n = {self.n}")
        return self

    def build(self) -> PolarCode:
        crc = CRC(self.crc) if self.crc else None
        r = crc.width if crc else 0
        esn0_db = esn0_db_from_ebn0_db(self.construction.design_ebn0_db, self.k / self.n)
        score = reliability(self.construction.method, self.n, esn0_db)
        decoder = self.decoder
        return PolarCode(self.n, self.k, frozen_mask(score, self.k + r), crc=crc, systematic=self.systematic,
                         algorithm=decoder.algorithm, list_size=getattr(decoder, "list_size", 1),
                         label=self.label or "")


def build_polar(**fields) -> PolarCode:
    """A :class:`PolarCode` from the same fields a YAML ``codes:`` entry holds."""
    return PolarSpec(**fields).build()
