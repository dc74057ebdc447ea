r"""Polar codes (Arikan 2009) with an optional CRC and 5G NR rate matching, and their YAML spec.

An (N, K) polar code with an r-bit CRC places K + r bits (the K information bits followed by
their CRC) on the K + r most reliable indices of :math:`u`, freezes the other N - K - r to
0, and sends :math:`x = u\,G_N` (or the systematic variant). Its rate is K / N: CRC bits are
overhead. With ``e`` the mother code of length N (TS 38.212) is punctured, shortened or
repeated to E sent bits (:mod:`.rate_matching`) and the rate is K / E.

Decoders (``decoder: {algorithm: ...}``), all min-sum:

* ``sc``: successive cancellation with rate-0, rate-1 and repetition nodes;
* ``fast-ssc``: SC with SPC nodes as well (Sarkis et al. 2014): the same decisions as ``sc``
  frame for frame (ties aside), fewer operations;
* ``scl``, ``fast-sscl`` (``list_size`` L, 1..128): SC-list with the same node sets, the
  fast-SSCL node rules (:mod:`.list_decoding`); they keep the same list frame for frame;
  with L = 1 they are SC;
* ``adaptive-scl`` (``max_list_size``, needs a ``crc``): SC first, then the frames whose
  CRC fails again with L = 2, 4, ... up to ``max_list_size`` (Li, Chen & Liu 2012).

With a CRC, a list decoder outputs the most likely path that passes the CRC (CA-SCL) and a
frame whose paths all fail is a detected failure (SC reports its own CRC failures too);
``adaptive-scl`` reports in ``iterations`` how many decoding passes each frame took.
Every decoder takes ``quantization: {bits, fraction_bits, saturation}`` to run in fixed
point (:mod:`.fixed_point`).

YAML::

    {type: polar, n: 1024, k: 512, construction: {method: ga, design_ebn0_db: 2.0},
     crc: CRC11, decoder: {algorithm: fast-sscl, list_size: 8}}
    {type: polar, k: 100, e: 300, construction: {method: 5g}, crc: CRC11,
     decoder: {algorithm: adaptive-scl, max_list_size: 32}}

``design_ebn0_db`` (older name ``design_snr_db``) is the design Eb/N0 per information bit
(Es/N0 = (K/N) Eb/N0, or (K/E) Eb/N0), used by ``bhattacharyya`` and ``ga``; ``5g`` uses the
3GPP sequence (N <= 1024) and, with ``e``, the frozen set of TS 38.212 Section 5.3.1.2.

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
>>> rm = build_polar(k=20, e=100, construction={"method": "5g"}, crc="CRC11", decoder={"algorithm": "fast-ssc"})
>>> (rm.n, rm.mother_n, round(rm.rate, 4), rm.name)
(100, 128, 0.2, 'polar(100,20)+CRC11 N=128 puncturing fast-SSC')
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator

from ...theory.units import esn0_db_from_ebn0_db
from ..base import Code, CodeSpec, DecodeReport
from ..crc import CRC
from .construction import frozen_mask, reliability, reliability_observed
from .decoding import sc_bits, schedule
from .encoding import encode, polar_transform, systematic_encode
from .fixed_point import Quantization, lanes
from .list_decoding import MAX_LIST_SIZE, scl_decode
from .rate_matching import RateMatch, mother_length

ALGORITHMS = ("sc", "fast-ssc", "scl", "fast-sscl", "adaptive-scl")


class PolarCode(Code):
    """A polar code: frozen set over the mother length, optional CRC, systematic flag,
    optional rate matching, and its decoder."""

    def __init__(self, n: int, k: int, frozen: np.ndarray, crc: CRC | None = None, systematic: bool = False,
                 algorithm: str = "sc", list_size: int = 8, label: str = "", quantization: Quantization | None = None,
                 rate_match: RateMatch | None = None):
        frozen = np.asarray(frozen, dtype=bool)
        r = crc.width if crc is not None else 0
        if frozen.size != n or n & (n - 1) or n < 2:
            raise ValueError(f"n must be a power of two >= 2 matching the frozen mask, got {n}")
        if int((~frozen).sum()) != k + r:
            raise ValueError(f"the frozen mask leaves {int((~frozen).sum())} free bits, expected k + CRC bits = {k + r}")
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown polar decoder {algorithm!r} (allowed: {', '.join(ALGORITHMS)})")
        if not 1 <= list_size <= MAX_LIST_SIZE:
            raise ValueError(f"list size must be in 1..{MAX_LIST_SIZE}, got {list_size}")
        if algorithm == "adaptive-scl" and crc is None:
            raise ValueError("adaptive-scl needs a crc to know which frames to decode again")
        if rate_match is not None and (rate_match.n != n or systematic):
            raise ValueError("rate matching needs the mother length and a non-systematic code")
        self.mother_n, self.k = int(n), int(k)
        self.rate_match = rate_match
        self.n = rate_match.e if rate_match is not None else self.mother_n
        self.rate = self.k / self.n
        self.frozen, self.crc, self.systematic = frozen, crc, bool(systematic)
        self.algorithm, self.list_size, self.quantization = algorithm, int(list_size), quantization
        self.info = np.flatnonzero(~frozen)
        fast = algorithm in ("fast-ssc", "fast-sscl", "adaptive-scl")
        self._sc_ops = schedule(frozen, spc=fast, fused=True)  # SC, and the first pass of adaptive-scl
        self._ops = schedule(frozen, spc=fast)  # the list decoders'
        if self.systematic:  # fail at build time, not in the middle of a simulation
            probe = np.eye(k + r, dtype=np.uint8) if k + r else np.zeros((1, 0), dtype=np.uint8)
            systematic_encode(probe, frozen)
        ca = "CA-" if crc else ""
        dec = {"sc": "SC", "fast-ssc": "fast-SSC", "scl": f"{ca}SCL{self.list_size}",
               "fast-sscl": f"{ca}fast-SSCL{self.list_size}", "adaptive-scl": f"A-SCL{self.list_size}"}[algorithm]
        if quantization is not None:
            dec += f" {quantization.describe()}"
        rm = f" N={n} {rate_match.mode}" if rate_match is not None else ""
        self.name = label or (f"polar({self.n},{k}){'+' + crc.name if crc else ''}{rm} {dec}"
                              f"{' sys' if systematic else ''}")

    @property
    def batch_frames(self) -> int:
        """SC (and the first pass of adaptive SCL) decodes one register of frames in lock-step
        (fewer cost the same); SC-list decodes one frame at a time, its lanes are the paths."""
        if self.algorithm in ("sc", "fast-ssc", "adaptive-scl"):
            return lanes(np.float32 if self.quantization is None else self.quantization.dtype)
        return 1

    def encode(self, u: np.ndarray) -> np.ndarray:
        """(F, k) -> (F, n): CRC attached (if any), polar encoding, rate matching (if any)."""
        v = self.crc.attach(u) if self.crc is not None else np.asarray(u, dtype=np.uint8)
        x = systematic_encode(v, self.frozen) if self.systematic else encode(v, self.frozen)
        return self.rate_match.select(x) if self.rate_match is not None else x

    def mother_llrs(self, llr: np.ndarray) -> np.ndarray:
        """Channel LLRs (F, n) -> LLRs of the N mother-code bits (repeats summed, punctured
        0, shortened known); the channel LLRs themselves without rate matching."""
        return self.rate_match.recover(llr) if self.rate_match is not None else llr

    def _carried(self, x: np.ndarray) -> np.ndarray:
        """The k + r bits a codeword estimate carries (x_A if systematic, (x G)_A otherwise)."""
        if self.systematic:
            return x[..., self.info]
        shape = x.shape
        return polar_transform(x.reshape(-1, shape[-1])).reshape(shape)[..., self.info]

    def _list(self, llr: np.ndarray, list_size: int) -> tuple[np.ndarray, np.ndarray]:
        """SC-list decisions (F, k + r) and whether the CRC passed (all True without CRC):
        the first path in metric order whose CRC holds, else the best path."""
        xs, _, counts = scl_decode(llr, self._ops, list_size, self.quantization)  # sorted by path metric
        best = self._carried(xs[:, 0])
        if self.crc is None:
            return best, np.ones(best.shape[0], dtype=bool)
        # most frames stop at the first path, so later candidates are re-encoded only for
        # the frames still failing
        bits = best.copy()
        passed = self.crc.check(best)
        for rank in range(1, list_size):
            todo = np.flatnonzero(~passed & (counts > rank))
            if todo.size == 0:
                break
            v = self._carried(xs[todo, rank])
            ok = self.crc.check(v)
            bits[todo[ok]] = v[ok]
            passed[todo[ok]] = True
        return bits, passed

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        llr = self.mother_llrs(llr)
        if self.algorithm in ("sc", "fast-ssc", "adaptive-scl"):
            bits = sc_bits(llr, self._sc_ops, self.info, not self.systematic, self.quantization)
            failures = ~self.crc.check(bits) if self.crc is not None else None
            if self.algorithm != "adaptive-scl":
                return DecodeReport(np.ascontiguousarray(bits[:, : self.k]), failures=failures)
            passes = np.ones(bits.shape[0], dtype=np.int64)
            size = 1
            while size < self.list_size and failures.any():
                size = min(2 * size, self.list_size)
                todo = np.flatnonzero(failures)
                retry, passed = self._list(np.ascontiguousarray(llr[todo]), size)
                bits[todo] = retry
                failures[todo] = ~passed
                passes[todo] += 1
            return DecodeReport(np.ascontiguousarray(bits[:, : self.k]), failures=failures, iterations=passes)
        bits, passed = self._list(llr, self.list_size)
        return DecodeReport(np.ascontiguousarray(bits[:, : self.k]), failures=None if self.crc is None else ~passed)

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


class _Decoder(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    quantization: Quantization | None = Field(
        None, description="fixed-point decoding {bits, fraction_bits, saturation}: int8 (bits <= 8) or int16 messages, "
                          "saturated sums (default: float32)")


class SCDecoder(_Decoder):
    """successive cancellation (min-sum; rate-0, rate-1 and repetition nodes)"""

    algorithm: Literal["sc"] = Field("sc", description="sc")


class FastSSCDecoder(_Decoder):
    """fast-SSC: SC with SPC nodes as well; the same decisions as sc, fewer operations"""

    algorithm: Literal["fast-ssc"] = Field(description="fast-ssc")


class SCLDecoder(_Decoder):
    """SC-list with LLR path metrics (rate-0, rate-1, repetition nodes); CRC-aided when the code has a crc"""

    algorithm: Literal["scl"] = Field(description="scl")
    list_size: int = Field(8, ge=1, le=MAX_LIST_SIZE, description=f"paths kept, 1..{MAX_LIST_SIZE}")


class FastSSCLDecoder(_Decoder):
    """fast-SSCL: SC-list with SPC nodes as well; the same list as scl, fewer operations"""

    algorithm: Literal["fast-sscl"] = Field(description="fast-sscl")
    list_size: int = Field(8, ge=1, le=MAX_LIST_SIZE, description=f"paths kept, 1..{MAX_LIST_SIZE}")


class AdaptiveSCLDecoder(_Decoder):
    """adaptive CA-SCL: SC first, frames failing the CRC again with L = 2, 4, ... up to max_list_size (needs a crc)"""

    algorithm: Literal["adaptive-scl"] = Field(description="adaptive-scl")
    max_list_size: int = Field(32, ge=1, le=MAX_LIST_SIZE, description=f"the largest list tried, 1..{MAX_LIST_SIZE}")


PolarDecoder = Annotated[Union[SCDecoder, FastSSCDecoder, SCLDecoder, FastSSCLDecoder, AdaptiveSCLDecoder],
                         Field(discriminator="algorithm")]


class PolarSpec(CodeSpec):
    """``{type: polar, n: 1024, k: 512, crc: CRC11, decoder: {algorithm: fast-sscl, list_size: 8}}``: a polar code;
    ``{type: polar, k: 100, e: 300, construction: {method: 5g}}``: rate-matched to e bits as 5G NR does"""

    type: Literal["polar"] = "polar"
    n: int = Field(1024, description="code length N, a power of two 8..65536 (with e: the mother length, which "
                                     "follows from k and e)")
    k: PositiveInt = Field(512, description="information bits (CRC bits not counted)")
    e: int | None = Field(None, ge=1, le=65536, description="rate matching (TS 38.212): bits sent, 1..65536; the mother "
                                                            "length N follows, punctured, shortened or repeated to e")
    n_max: Literal[9, 10] = Field(10, description="with e: log2 of the largest mother length, 10 (uplink, the default) "
                                                  "or 9 (downlink)")
    construction: Construction = Construction()
    crc: str | None = Field(None, description="CRC name (CRC6, CRC11, CRC16, CRC24A/B/C, CRC8, CRC32...) or hex like '0x11021'")
    systematic: bool = Field(False, description="systematic encoding (information bits visible in the codeword)")
    decoder: PolarDecoder = Field(SCDecoder(), description="sc, fast-ssc, scl, fast-sscl or adaptive-scl")

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
        extra = f" + {r} CRC bits" if r else ""
        if self.decoder.algorithm == "adaptive-scl" and self.crc is None:
            raise ValueError("decoder adaptive-scl needs a crc on the code (it retries the frames whose CRC fails)")
        if self.e is not None:
            if "n" in self.model_fields_set:
                raise ValueError("give n or e, not both: with e the mother length N follows from k and e (TS 38.212)")
            if self.systematic:
                raise ValueError("systematic: true is not available with rate matching (e)")
            if self.k + r > self.e:
                raise ValueError(f"k{extra} = {self.k + r} exceeds e = {self.e}")
            n = mother_length(self.k + r, self.e, self.n_max)
            if self.k + r > n:
                raise ValueError(f"k{extra} = {self.k + r} exceeds the largest mother length 2^n_max = {n}")
            return self
        if "n_max" in self.model_fields_set:
            raise ValueError("n_max applies only to rate-matched codes (give e)")
        if self.k + r > self.n:
            raise ValueError(f"k{extra} = {self.k + r} exceeds n = {self.n}")
        if self.construction.method == "5g" and self.n > 1024:
            raise ValueError(f"construction.method '5g' covers n <= 1024, got n = {self.n}")
        return self

    def build(self) -> PolarCode:
        crc = CRC(self.crc) if self.crc else None
        kr = self.k + (crc.width if crc else 0)
        method = self.construction.method
        if self.e is None:
            rate_match, n = None, self.n
            esn0_db = esn0_db_from_ebn0_db(self.construction.design_ebn0_db, self.k / n)
            frozen = frozen_mask(reliability(method, n, esn0_db), kr)
        else:
            rate_match = RateMatch(kr, self.e, self.n_max)
            n = rate_match.n
            if method == "5g":
                frozen = rate_match.frozen_5g()
            else:
                esn0_db = esn0_db_from_ebn0_db(self.construction.design_ebn0_db, self.k / self.e)
                score = reliability_observed(method, rate_match.repetitions(), esn0_db)
                frozen = frozen_mask(score, kr, exclude=rate_match.unsent)
        decoder = self.decoder
        return PolarCode(n, self.k, frozen, crc=crc, systematic=self.systematic, algorithm=decoder.algorithm,
                         list_size=getattr(decoder, "max_list_size", getattr(decoder, "list_size", 1)),
                         label=self.label or "", quantization=decoder.quantization, rate_match=rate_match)


def build_polar(**fields) -> PolarCode:
    """A :class:`PolarCode` from the same fields a YAML ``codes:`` entry holds."""
    return PolarSpec(**fields).build()
