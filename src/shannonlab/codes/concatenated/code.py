r"""Serial concatenation: an outer code, an interleaver and an inner code, as one code.

.. code-block:: yaml

    codes:
      - type: concatenated                 # the CCSDS chain of CCSDS 131.0-B
        outer: {type: reed-solomon, standard: ccsds}
        interleaver: {type: block, depth: 4}
        inner: {type: convolutional, generators: ["171", "133"]}    # k follows: 4 x 2040 bits

A frame holds C outer codewords (``codewords``, default: the interleaver depth, else 1): the
C·k_out information bits are encoded by the outer code, the C·n_out bits interleaved
(:mod:`.interleaver`: D rows, units of one bit or, for a Reed–Solomon outer code, one m-bit
symbol) and cut into inner frames of k_in bits (k_in must divide C·n_out; an inner spec
without ``k`` gets k_in = C·n_out). Hence

.. math:: k = C\,k_{\mathrm{out}}, \qquad n = \frac{C\,n_{\mathrm{out}}}{k_{\mathrm{in}}}\, n_{\mathrm{in}},
          \qquad R = R_{\mathrm{out}}\,R_{\mathrm{in}},

and frame and bit errors are counted on the outer information bits (Eb/N0 per outer
information bit). Decoding: the inner decoder's decisions, de-interleaved, feed the outer
decoder as hard decisions (LLR ±1; an algebraic outer decoder slices anyway); an outer code
that can use soft inputs receives the inner decoder's a-posteriori LLRs where it offers
them (``decode_llr``). A frame fails (``DecodeReport.failures``) when one of its outer
codewords does.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.reed_solomon import ReedSolomonSpec
>>> from shannonlab.codes.convolutional.code import ConvolutionalSpec
>>> outer = ReedSolomonSpec(n=15, k=11).build()              # 60 bits per codeword
>>> inner = ConvolutionalSpec(generators=["7", "5"], k=120).build()
>>> code = ConcatenatedCode(outer, inner, depth=2)
>>> code.k, code.n, code.name
(88, 244, 'RS(15,11) GF(2^4) + block interleaver depth 2 (symbols) + conv (7,5) K=3 zero-tail, Viterbi soft (k=120)')
>>> u = np.random.default_rng(0).integers(0, 2, (3, code.k), dtype=np.uint8)
>>> bool((code.decode(3.0 * (1.0 - 2.0 * code.encode(u))) == u).all())
True
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator

from ..base import Code, CodeSpec, DecodeReport
from .interleaver import BlockInterleaver


class ConcatenatedCode(Code):
    """Outer code -> block interleaver (or none) -> inner code."""

    reference_name = "none"

    def __init__(self, outer: Code, inner: Code, depth: int | None = None, codewords: int | None = None,
                 unit: str | None = None, name: str | None = None):
        self.outer, self.inner = outer, inner
        self.codewords = int(codewords if codewords is not None else (depth or 1))
        if self.codewords < 1:
            raise ValueError(f"codewords must be a positive integer, got {codewords}")
        symbol_bits = int(outer.symbol_bits)
        if unit is None:
            unit = "symbol" if symbol_bits > 1 else "bit"
        if unit not in ("symbol", "bit"):
            raise ValueError(f"interleaver.unit must be 'symbol' or 'bit', got {unit!r}")
        self.unit_bits = symbol_bits if unit == "symbol" else 1
        self.block = self.codewords * outer.n  # bits between the codes per frame
        self.depth = depth
        self.interleaver = None
        if depth is not None:
            self.interleaver = BlockInterleaver(self.block // self.unit_bits, depth, self.unit_bits)
        if self.block % inner.k:
            raise ValueError(f"inner.k = {inner.k} must divide the {self.block} bits of {self.codewords} outer "
                             f"codeword(s) of n = {outer.n}")
        self.inner_frames = self.block // inner.k
        self.k = self.codewords * outer.k
        self.n = self.inner_frames * inner.n
        self.rate = self.k / self.n
        self.soft_outer = not outer.hard_input and hasattr(inner, "decode_llr")
        how = "none" if depth is None else f"block interleaver depth {depth} ({'symbols' if self.unit_bits > 1 else 'bits'})"
        cw = f"{self.codewords} x " if self.codewords > 1 and depth != self.codewords else ""
        self.name = name or f"{cw}{outer.name} + {how} + {inner.name}"
        if depth is None:
            self.name = name or f"{cw}{outer.name} + {inner.name}"

    def encode(self, u: np.ndarray) -> np.ndarray:
        """Outer information bits (F, C k_out) -> inner codewords (F, J n_in)."""
        u = np.asarray(u)
        if u.ndim != 2 or u.shape[1] != self.k:
            raise ValueError(f"messages must have shape (frames, {self.k}), got {u.shape}")
        frames = u.shape[0]
        middle = self.outer.encode(u.reshape(frames * self.codewords, self.outer.k)).reshape(frames, self.block)
        if self.interleaver is not None:
            middle = self.interleaver.interleave(middle)
        inner = self.inner.encode(np.ascontiguousarray(middle).reshape(frames * self.inner_frames, self.inner.k))
        return inner.reshape(frames, self.n)

    def _outer_llr(self, llr: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The outer decoder's input LLRs and the inner decoder's iterations per frame."""
        llr = np.asarray(llr, dtype=np.float64)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        frames = llr.shape[0]
        per_inner = llr.reshape(frames * self.inner_frames, self.inner.n)
        iterations = None
        if self.soft_outer:
            middle = self.inner.decode_llr(per_inner)
        else:
            report = self.inner.decode_report(per_inner)
            middle = 1.0 - 2.0 * report.bits.astype(np.float64)
            if report.iterations is not None:  # an iterative inner decoder: its mean per frame
                iterations = np.asarray(report.iterations, dtype=np.float64).reshape(frames, self.inner_frames).mean(axis=1)
        middle = middle.reshape(frames, self.block)
        if self.interleaver is not None:
            middle = self.interleaver.deinterleave(middle)
        return np.ascontiguousarray(middle).reshape(frames * self.codewords, self.outer.n), iterations

    def decode(self, llr: np.ndarray) -> np.ndarray:
        """Channel LLRs (F, n) -> outer information bits (F, k)."""
        return self.decode_report(llr).bits

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        """Decisions; ``failures`` where an outer codeword of the frame failed; ``iterations``:
        the inner decoder's (mean over the frame's inner frames) when it reports them."""
        frames = np.asarray(llr).shape[0]
        outer_llr, iterations = self._outer_llr(llr)
        report = self.outer.decode_report(outer_llr)
        bits = report.bits.reshape(frames, self.k)
        failures = None
        if report.failures is not None:
            failures = np.asarray(report.failures, dtype=bool).reshape(frames, self.codewords).any(axis=1)
        return DecodeReport(bits=bits, failures=failures, iterations=iterations)


class BlockInterleaverSpec(BaseModel):
    """Row-column interleaver: D rows written row by row, read column by column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["block"] = "block"
    depth: PositiveInt = Field(description="rows D (CCSDS interleaving depth I): consecutive sent units come from D different rows")
    unit: Literal["symbol", "bit"] | None = Field(
        None, description="what is interleaved: 'symbol' (default for a Reed-Solomon outer code: m bits) or 'bit'")


class NoInterleaverSpec(BaseModel):
    """No interleaver: the outer codewords go to the inner code in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["none"] = "none"


class ConcatenatedSpec(CodeSpec):
    """``{type: concatenated, outer: {...}, interleaver: {type: block, depth: 4}, inner: {...}}``: serial
    concatenation, errors counted on the outer information bits."""

    type: Literal["concatenated"] = "concatenated"
    outer: Any = Field(description="the outer code: a codes: entry (e.g. {type: reed-solomon, standard: ccsds})")
    inner: Any = Field(description="the inner code: a codes: entry; without k it takes the whole interleaved block")
    interleaver: Union[BlockInterleaverSpec, NoInterleaverSpec] = Field(
        default_factory=NoInterleaverSpec, discriminator="type")
    codewords: PositiveInt | None = Field(
        None, description="outer codewords per frame (default: the interleaver depth, 1 without interleaver)")

    #: The registry validates these as codes: entries and stores the parsed specs here.
    nested_codes: ClassVar[tuple[str, ...]] = ("outer", "inner")

    @field_validator("outer", "inner")
    @classmethod
    def _code_entry(cls, value):
        if not isinstance(value, (dict, CodeSpec)):
            raise ValueError(f"must be a codes: entry (a mapping with a 'type' key), got {value!r}")
        return value

    def _parsed(self, name: str) -> CodeSpec:
        value = getattr(self, name)
        if not isinstance(value, CodeSpec):
            raise ValueError(f"{name}: not parsed; build concatenated codes through shannonlab.build_code")
        return value

    def memory_needs(self) -> dict[str, tuple[float, str]]:
        """What the outer and inner codes need, under their own field paths."""
        needs = {}
        for name in self.nested_codes:
            value = getattr(self, name)
            if isinstance(value, CodeSpec):
                needs.update({f"{name}.{field}": need for field, need in value.memory_needs().items()})
        return needs

    def build(self) -> ConcatenatedCode:
        outer_spec, inner_spec = self._parsed("outer"), self._parsed("inner")
        try:
            outer = outer_spec.build()
        except ValueError as exc:
            raise ValueError(f"outer: {exc}") from None
        depth = self.interleaver.depth if isinstance(self.interleaver, BlockInterleaverSpec) else None
        codewords = self.codewords if self.codewords is not None else (depth or 1)
        if "k" in type(inner_spec).model_fields and "k" not in inner_spec.model_fields_set:
            # the inner code takes the whole interleaved block unless told otherwise
            data = {**inner_spec.model_dump(exclude_unset=True), "k": codewords * outer.n}
            inner_spec = type(inner_spec).model_validate(data)
        try:
            inner = inner_spec.build()
        except ValueError as exc:
            raise ValueError(f"inner: {exc}") from None
        unit = self.interleaver.unit if isinstance(self.interleaver, BlockInterleaverSpec) else None
        return ConcatenatedCode(outer, inner, depth, codewords, unit)
