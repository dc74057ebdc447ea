r"""Reed–Solomon codes on binary channels, as a YAML entry describes them.

.. code-block:: yaml

    codes:
      - {type: reed-solomon, n: 255, k: 223}               # GF(256), m = log2(n + 1) = 8, t = 16
      - {type: reed-solomon, n: 204, k: 188, m: 8}         # shortened (DVB-T's outer code)
      - {type: reed-solomon, standard: ccsds}              # CCSDS (255, 223), dual basis
      - {type: reed-solomon, standard: ccsds, dual_basis: false, erasures: false}

The code has n symbols of m bits (n <= 2^m - 1; without ``m`` it is log2(n + 1) and n must be
2^m - 1), k message symbols, R = n - k parity symbols, d = R + 1, and corrects e symbol errors
and f erasures whenever 2e + f <= R. As a binary code it has ``n·m`` coded and ``k·m``
information bits (the ``n`` and ``k`` attributes count bits; ``n_symbols``/``k_symbols`` count
symbols), so every binary channel and the engine's BER/FER apply: bits are sliced, grouped
into symbols (most significant bit first) and decoded (:mod:`.decoding`); a symbol with an LLR
of exactly 0 is an erasure (``erasures: true``, the default). ``first_root`` (b) and
``root_step`` (s) place the generator's roots at :math:`\alpha^{s(b+j)}`, j = 0 .. R - 1.

``standard: ccsds``: CCSDS 131.0-B (:mod:`.construction`): field x^8 + x^7 + x^2 + x + 1, roots
:math:`\alpha^{11 j}`, j = 112 .. 143 for (255, 223) (E = 16; ``k: 239`` gives E = 8), symbols in
the dual basis unless ``dual_basis: false``; n < 255 shortens (virtual fill).

Reference curve (:mod:`shannonlab.theory.bounded_distance`): on a channel that slices to a
BSC(p), :math:`P_b = p\,P[\mathrm{Bin}(n-1, 1-(1-p)^m) \ge t]` with miscorrections neglected
(below 1/t! of the failures); on the BEC with erasure decoding the exact
:math:`\tfrac{\varepsilon}{2} P[\mathrm{Bin}(n-1, 1-(1-\varepsilon)^m) \ge n-k]`.

Example
-------
>>> import numpy as np
>>> code = ReedSolomonSpec(standard="ccsds").build()
>>> code.name, code.n, code.k, code.t
('CCSDS RS(255,223) E=16, dual basis', 2040, 1784, 16)
>>> u = np.random.default_rng(1).integers(0, 2, (2, code.k), dtype=np.uint8)
>>> llr = 4.0 * (1.0 - 2.0 * code.encode(u))
>>> llr[:, 8 * np.arange(16)] *= -1                  # 16 symbol errors: corrected
>>> bool((code.decode(llr) == u).all())
True
>>> llr[:, 8 * np.arange(16, 20)] = 0.0        # 16 errors + 4 erasures: 2e + f > 32
>>> code.decode_report(llr).failures.tolist()
[True, True]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from ...theory.bounded_distance import symbol_bounded_distance_ber, symbol_erasure_ber
from ..base import Code, CodeSpec, DecodeReport
from ..gf2m import CCSDS_RS_POLYNOMIAL, MAX_M, MIN_M, GF2m, parse_polynomial
from .construction import (
    CCSDS_ERROR_CAPABILITIES,
    CCSDS_ROOT_STEP,
    ccsds_dual_basis,
    ccsds_first_root,
    check_root_step,
    rs_generator,
)
from .decoding import _rs_decode_batch
from .encoding import multiplication_table, rs_encode_bits

#: Syndromes use one multiplication table per root (R x 2^m entries) up to this size.
ROOT_TABLE_MAX = 1 << 20


class ReedSolomonCode(Code):
    """An (n, k) Reed–Solomon code over GF(2^m) carried as m bits per symbol, decoded for
    errors and erasures. ``n``/``k`` are in bits; ``n_symbols``/``k_symbols`` in symbols."""

    reference_name = "bounded distance"

    def __init__(self, m: int, n_symbols: int, k_symbols: int, poly: int | None = None, first_root: int = 1,
                 root_step: int = 1, representation: tuple[np.ndarray, np.ndarray] | None = None,
                 erasures: bool = True, name: str | None = None):
        self.field = GF2m(m, poly)
        nmax = self.field.order
        if not isinstance(n_symbols, (int, np.integer)) or not 2 <= n_symbols <= nmax:
            raise ValueError(f"n must be an integer in 2..{nmax} symbols for m = {m} (2^m - 1), got {n_symbols!r}")
        if not isinstance(k_symbols, (int, np.integer)) or not 1 <= k_symbols < n_symbols:
            raise ValueError(f"k must be an integer in 1..{n_symbols - 1} (k < n = {n_symbols}), got {k_symbols!r}")
        self.m = int(m)
        self.n_symbols, self.k_symbols = int(n_symbols), int(k_symbols)
        self.nroots = self.n_symbols - self.k_symbols
        self.t = self.nroots // 2
        self.first_root, self.root_step = int(first_root), int(root_step)
        self.step_inv = check_root_step(self.field, self.root_step)
        self.generator = np.array(rs_generator(self.field, self.nroots, self.first_root, self.root_step), dtype=np.int64)
        identity = np.arange(self.field.q, dtype=np.uint16)
        self.to_sent, self.to_conv = representation if representation is not None else (identity, identity)
        self.erasures = bool(erasures)
        f = self.field
        self._gmul = multiplication_table(self.generator[::-1][:-1], f.exp, f.log)
        roots = [f.power(self.root_step * (self.first_root + j)) for j in range(self.nroots)]
        small = self.nroots * f.q <= ROOT_TABLE_MAX
        self._root_mul = multiplication_table(roots, f.exp, f.log) if small else np.zeros((0, 0), np.uint16)
        self.n, self.k = self.n_symbols * self.m, self.k_symbols * self.m
        self.symbol_bits = self.m  # what a symbol interleaver moves as one unit
        self.rate = self.k / self.n
        self.name = name or f"RS({self.n_symbols},{self.k_symbols}) GF(2^{self.m})"

    def __repr__(self) -> str:
        return f"ReedSolomonCode({self.name}, field {self.field})"

    hard_input = True  # the decoder slices the LLRs (zeros: erasures)

    def encode(self, u: np.ndarray) -> np.ndarray:
        """Message bits (F, k·m) -> codeword bits (F, n·m), systematic."""
        u = np.asarray(u)
        if u.ndim != 2 or u.shape[1] != self.k:
            raise ValueError(f"messages must have shape (frames, {self.k}), got {u.shape}")
        f = self.field
        return rs_encode_bits(u, self.m, self.n_symbols, self.generator, f.exp, f.log, self.to_conv, self.to_sent,
                             self._gmul)

    def _run(self, llr: np.ndarray):
        llr = np.ascontiguousarray(llr, dtype=np.float64)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        frames = llr.shape[0]
        bits = np.empty((frames, self.k), dtype=np.uint8)
        failures = np.zeros(frames, dtype=bool)
        located = np.zeros(frames, dtype=np.int64)
        f = self.field
        _rs_decode_batch(llr, self.m, self.n_symbols, self.k_symbols, self.first_root, self.root_step,
                         self.step_inv, self.erasures, f.exp, f.log, f.quadratic_solutions, self.to_conv,
                         self.to_sent, self._root_mul, bits, failures, located)
        return bits, failures, located

    def decode(self, llr: np.ndarray) -> np.ndarray:
        """Bit LLRs (F, n·m) -> message bits (F, k·m)."""
        return self._run(llr)[0]

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        """Decisions and per-frame ``failures`` (beyond 2e + f <= R, detected)."""
        bits, failures, _ = self._run(llr)
        return DecodeReport(bits=bits, failures=failures)

    def corrected_symbols(self, llr: np.ndarray) -> np.ndarray:
        """Per frame: symbols corrected, erasures included (-1 for a failure)."""
        return self._run(llr)[2]

    def symbols(self, bits: np.ndarray) -> np.ndarray:
        """Bit words (F, j·m) -> conventional-basis symbols (F, j)."""
        bits = np.asarray(bits, dtype=np.int64)
        weights = 1 << np.arange(self.m - 1, -1, -1)
        sent = bits.reshape(bits.shape[0], -1, self.m) @ weights
        return self.to_conv[sent].astype(np.int64)

    def syndromes(self, c: np.ndarray) -> np.ndarray:
        """(F, R) syndromes c(beta^(b+j)) of bit words (F, n·m): zero for codewords."""
        f = self.field
        roots = [f.power(self.root_step * (self.first_root + j)) for j in range(self.nroots)]
        return np.array([[f.poly_eval(row, x) for x in roots] for row in self.symbols(c)], dtype=np.int64)

    def reference_ber(self, channel) -> float | None:
        """Exact erasure-decoding BER on the BEC; bounded-distance BER (miscorrections
        neglected) wherever slicing gives a BSC."""
        eps = channel.erasure_probability()
        if eps is not None and self.erasures:
            return symbol_erasure_ber(self.n_symbols, self.k_symbols, self.m, eps)
        p = channel.hard_crossover()
        if p is None:
            return None
        return symbol_bounded_distance_ber(self.n_symbols, self.t, self.m, p)


class ReedSolomonSpec(CodeSpec):
    """``{type: reed-solomon, n: 255, k: 223}`` (``m:`` with a smaller n shortens; or ``standard: ccsds``):
    Reed–Solomon code over GF(2^m) on m-bit symbols, errors-and-erasures Berlekamp–Massey decoding."""

    type: Literal["reed-solomon"] = "reed-solomon"
    n: int | None = Field(None, ge=2, description="length in symbols: 2^m - 1, or less with m given (shortened); default 255 with standard ccsds")
    k: int | None = Field(None, ge=1, description="message symbols (k < n); n - k parity symbols correct 2e + f <= n - k")
    m: int | None = Field(None, ge=MIN_M, le=MAX_M, description="bits per symbol (default log2(n + 1)); with a smaller n the code is shortened")
    primitive_polynomial: int | str | None = Field(None, description="field polynomial as an integer or '0x...' (default: the standard one for m)")
    first_root: int = Field(1, ge=0, description="b: the generator's roots are beta^b .. beta^(b + n - k - 1)")
    root_step: int = Field(1, ge=1, description="s: beta = alpha^s (coprime with 2^m - 1)")
    standard: Literal["ccsds"] | None = Field(None, description="'ccsds': CCSDS 131.0-B field, roots alpha^(11 j), j = 128-E .. 127+E, dual basis")
    dual_basis: bool | None = Field(None, description="send symbols in CCSDS's Berlekamp dual basis (default: true for standard ccsds; ccsds only)")
    erasures: bool = Field(True, description="treat a symbol holding an LLR of exactly 0 as an erasure")

    @field_validator("primitive_polynomial")
    @classmethod
    def _poly(cls, value):
        return None if value is None else parse_polynomial(value)

    @model_validator(mode="after")
    def _consistent(self):
        if self.standard == "ccsds":
            fixed = [name for name in ("m", "primitive_polynomial") if getattr(self, name) is not None]
            fixed += [name for name, default in (("first_root", 1), ("root_step", 1)) if getattr(self, name) != default]
            if fixed:
                raise ValueError(f"standard 'ccsds' fixes the field and the roots; remove {', '.join(fixed)}")
            n = 255 if self.n is None else self.n
            k = n - 32 if self.k is None else self.k
            if n > 255:
                raise ValueError(f"n: the CCSDS code has at most 255 symbols, got {n}")
            if n - k not in (2 * e for e in CCSDS_ERROR_CAPABILITIES):
                raise ValueError(f"k: CCSDS codes have n - k = 32 (E = 16) or 16 (E = 8) parity symbols, got n = {n}, k = {k}")
            return self
        if self.dual_basis:
            raise ValueError("dual_basis: the dual basis is defined for standard: ccsds only")
        if self.n is None or self.k is None:
            raise ValueError("n and k are required (e.g. n: 255, k: 223), or standard: ccsds")
        if self.m is None:
            m = (self.n + 1).bit_length() - 1
            if self.n + 1 != 1 << m or not MIN_M <= m <= MAX_M:
                raise ValueError(f"n must be 2^m - 1 (3, 7, 15, ..., 65535) when m is not given, got {self.n}; "
                                 "to shorten, give m (e.g. n: 204, k: 188, m: 8)")
        elif self.n > (1 << self.m) - 1:
            raise ValueError(f"n = {self.n} is longer than 2^m - 1 = {(1 << self.m) - 1} symbols for m = {self.m}")
        if self.k >= self.n:
            raise ValueError(f"k must be less than n = {self.n}, got {self.k}")
        return self

    def build(self) -> ReedSolomonCode:
        if self.standard == "ccsds":
            n = 255 if self.n is None else self.n
            k = n - 32 if self.k is None else self.k
            e = (n - k) // 2
            dual = self.dual_basis is not False
            short = "" if n == 255 else f" shortened from (255,{255 - 2 * e})"
            name = f"CCSDS RS({n},{k}) E={e}{short}{', dual basis' if dual else ''}"
            return ReedSolomonCode(8, n, k, CCSDS_RS_POLYNOMIAL, ccsds_first_root(e), CCSDS_ROOT_STEP,
                                   ccsds_dual_basis() if dual else None, self.erasures, name=name)
        m = self.m if self.m is not None else (self.n + 1).bit_length() - 1
        full = (1 << m) - 1
        short = "" if self.n == full else f" shortened from ({full},{full - self.n + self.k})"
        return ReedSolomonCode(m, self.n, self.k, self.primitive_polynomial, self.first_root, self.root_step,
                               None, self.erasures, name=f"RS({self.n},{self.k}) GF(2^{m}){short}")
