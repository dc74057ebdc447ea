r"""Binary BCH codes as a YAML entry describes them, with their bounded-distance decoder.

.. code-block:: yaml

    codes:
      - {type: bch, n: 1023, t: 10}                  # (1023, 923), k follows from t
      - {type: bch, n: 1023, t: 10, k: 900}          # shortened to (1000, 900)
      - {type: bch, standard: dvb-s2, n_ldpc: 64800, rate: "1/2"}   # (32400, 32208), t = 12

The code of length :math:`n = 2^m - 1` (m = 3 .. 16) and designed error-correcting capability
t has the generator of :mod:`.construction`, k = n - deg g, minimum distance
:math:`d \ge 2t + 1`; ``k:`` below the full dimension shortens it (the first message bits
fixed to zero and not sent). ``primitive_polynomial:`` chooses the field (default: the
standard one of :mod:`shannonlab.codes.gf2m`). Encoding is systematic, ``[u | parity]``
(:mod:`.encoding`); decoding is hard-decision bounded distance with failure detection
(:mod:`.decoding`): ``decode_report`` flags the frames found uncorrectable, which keep their
sliced bits.

``standard: dvb-s2`` builds the outer code of a DVB-S2 FECFRAME of ``n_ldpc`` = 64800 or
16200 bits at LDPC ``rate`` (EN 302 307-1, Tables 5a/5b: n = N_bch = K_ldpc, k = K_bch,
t = 8, 10 or 12 over GF(2^16) or GF(2^14), generator g_1 ⋯ g_t of Tables 6a/6b).

Reference curve (``reference_ber``, wherever slicing the channel gives a BSC of crossover p):
the bounded-distance BER of :mod:`shannonlab.theory.bounded_distance`. Miscorrections are
included from the weight distribution: exact (enumerated) for unshortened codes with
min(k, n - k) <= 16, otherwise with the binomial approximation of the weights; a shortened
code is not cyclic, so its miscorrection term (averaged over positions) is an approximation
too. Both only touch the miscorrection share: below 1e-6 of the BER for (1023, 923) and the
DVB-S2 codes.

Example
-------
>>> import numpy as np
>>> code = BCHSpec(n=1023, t=10).build()
>>> code.name, code.n, code.k
('BCH(1023,923) t=10', 1023, 923)
>>> u = np.random.default_rng(1).integers(0, 2, (4, code.k), dtype=np.uint8)
>>> y = code.encode(u); y[:, [0, 100, 500, 922, 930, 1000, 1022, 7, 8, 9]] ^= 1   # 10 errors
>>> report = code.decode_report(4.0 * (1.0 - 2.0 * y))
>>> bool((report.bits == u).all()), report.failures.tolist()
(True, [False, False, False, False])
>>> dvb = BCHSpec(standard="dvb-s2", n_ldpc=16200, rate="1/2").build()
>>> dvb.name, dvb.t, dvb.field.m
('DVB-S2 BCH(7200,7032) t=12 (short frame, rate 1/2)', 12, 14)
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from ...theory.bounded_distance import binomial_weights, bounded_distance_ber
from ...theory.weight_spectrum import enumerate_spectrum, macwilliams
from ..base import Code, CodeSpec, DecodeReport
from ..gf2m import MAX_M, GF2m, parse_polynomial, poly_text
from .construction import DVBS2_BCH, DVBS2_FIELD, bch_generator, bose_t, dvbs2_generator, dvbs2_rates, max_designed_t
from .decoding import _bch_decode_batch, syndrome_tables
from .encoding import CyclicEncoder

MIN_BCH_M = 3
#: Weight distributions are enumerated (2^min(k, n-k) words) up to this dimension.
ENUMERATION_MAX_DIM = 16


class BCHCode(Code):
    """The (possibly shortened) narrow-sense binary BCH code over GF(2^m) correcting t
    errors, or a code with a given ``generator`` (the DVB-S2 tables). ``t`` becomes the
    code's Bose capability when the generator has more consecutive roots than 2t (t = 20
    at n = 127 is the same code as t = 21, and is decoded to radius 21)."""

    hard_input = True  # the decoder slices the LLRs
    reference_name = "bounded distance"

    def __init__(self, m: int, t: int, k: int | None = None, poly: int | None = None,
                 generator: int | None = None, name: str | None = None):
        if not isinstance(m, (int, np.integer)) or not MIN_BCH_M <= m <= MAX_M:
            raise ValueError(f"m must be an integer in {MIN_BCH_M}..{MAX_M} (n = 2^m - 1 = 7 .. 65535), got {m!r}")
        self.field = GF2m(m, poly)
        n_full = self.field.order
        t_max = max_designed_t(m)
        if not isinstance(t, (int, np.integer)) or not 1 <= t <= t_max:
            raise ValueError(f"t must be an integer in 1..{t_max} for n = {n_full} (2t + 1 <= n), got {t!r}")
        self.t = int(t)
        if generator is None:
            generator, self.cosets = bch_generator(self.field, self.t)
            # decode to the code's full BCH bound (a larger t can give the same generator)
            self.t = bose_t(self.field, self.cosets)
        else:
            self.cosets = None
        self.generator = int(generator)
        r = self.generator.bit_length() - 1
        self.full_n, self.full_k = n_full, n_full - r
        if self.full_k < 1:
            raise ValueError(f"t = {t} leaves no message bits for n = {n_full} (deg g = {r})")
        if k is None:
            k = self.full_k
        if not isinstance(k, (int, np.integer)) or not 1 <= k <= self.full_k:
            raise ValueError(f"k must be an integer in 1..{self.full_k} for n = {n_full}, t = {t} "
                             f"(smaller values shorten the code), got {k!r}")
        self.k = int(k)
        self.n = self.k + r
        self.rate = self.k / self.n
        self.encoder = CyclicEncoder(self.generator, self.n)
        self._syndrome_tables = syndrome_tables(self.field, self.t, self.encoder.r, self.encoder.words)
        short = "" if self.n == n_full else f" (shortened from {n_full})"
        self.name = name or f"BCH({self.n},{self.k}) t={self.t}{short}"

    @property
    def shortened(self) -> bool:
        return self.n < self.full_n

    def __repr__(self) -> str:
        return f"BCHCode({self.name}, field {self.field})"

    def encode(self, u: np.ndarray) -> np.ndarray:
        """Messages (F, k) -> codewords (F, n) = [u | u(x) x^(n-k) mod g(x)]."""
        u = np.asarray(u)
        if u.ndim != 2 or u.shape[1] != self.k:
            raise ValueError(f"messages must have shape (frames, {self.k}), got {u.shape}")
        return self.encoder.encode(u)

    def _run(self, llr: np.ndarray):
        llr = np.ascontiguousarray(llr, dtype=np.float64)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        frames = llr.shape[0]
        bits = np.empty((frames, self.k), dtype=np.uint8)
        failures = np.zeros(frames, dtype=bool)
        located = np.zeros(frames, dtype=np.int64)
        enc = self.encoder
        _bch_decode_batch(llr, self.k, self.t, enc.table, enc.w, enc.r, enc.pad, self.field.exp,
                          self.field.log, self.field.quadratic_solutions, self._syndrome_tables, bits, failures, located)
        return bits, failures, located

    def decode(self, llr: np.ndarray) -> np.ndarray:
        """Sliced LLRs (F, n) -> message decisions (F, k), bounded-distance decoded."""
        return self._run(llr)[0]

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        """Decisions and per-frame ``failures`` (more than t errors detected)."""
        bits, failures, _ = self._run(llr)
        return DecodeReport(bits=bits, failures=failures)

    def corrected_errors(self, llr: np.ndarray) -> np.ndarray:
        """Per frame: the number of bits the decoder flipped (-1 for a failure)."""
        return self._run(llr)[2]

    # ---- structure and reference curves --------------------------------------------------

    def parity_check(self, c: np.ndarray) -> np.ndarray:
        """Per word: True when y(x) is a multiple of g(x) (a codeword)."""
        return ~self.encoder.remainders(np.asarray(c, dtype=np.uint8)).any(axis=1)

    @cached_property
    def weight_distribution(self) -> np.ndarray | None:
        """A_0 .. A_n of the unshortened code when min(k, n - k) <= 16 (exact: the code's 2^k
        words, or its dual's 2^(n-k) and the MacWilliams identity; the dual of a cyclic code is
        generated by the reciprocal of h(x) = (x^n + 1)/g(x)), else None."""
        if self.shortened or min(self.k, self.n - self.k) > ENUMERATION_MAX_DIM:
            return None
        if self.k <= self.n - self.k:
            return enumerate_spectrum(cyclic_generator_matrix(self.generator, self.n))
        dual = reciprocal(cyclic_check_polynomial(self.generator, self.n))
        return macwilliams(enumerate_spectrum(cyclic_generator_matrix(dual, self.n)), self.n)

    def reference_ber(self, channel) -> float | None:
        """Bounded-distance BER on the BSC the sliced channel is (None where slicing gives
        no BSC)."""
        p = channel.hard_crossover()
        if p is None:
            return None
        weights = self.weight_distribution
        if weights is None:
            weights = binomial_weights(self.n, self.k, 2 * self.t + 1)
        return bounded_distance_ber(self.n, self.t, p, weights)


# --------------------------------------------------------------------------------------
# weight distributions of cyclic codes (small dimension), for the reference curves


def reciprocal(poly: int) -> int:
    """x^deg p(1/x): the bit string reversed."""
    return int(bin(poly)[:1:-1], 2)


def cyclic_check_polynomial(g: int, n: int) -> int:
    """h(x) = (x^n + 1) / g(x)."""
    num, h, dg = (1 << n) | 1, 0, g.bit_length() - 1
    while num.bit_length() - 1 >= dg:
        shift = num.bit_length() - 1 - dg
        h |= 1 << shift
        num ^= g << shift
    if num:
        raise ValueError(f"{poly_text(g)} does not divide x^{n} + 1")
    return h


def cyclic_generator_matrix(g: int, n: int) -> np.ndarray:
    """The k × n generator matrix whose rows are x^i g(x), i < k (array index j = coefficient
    of x^(n-1-j), as the codewords)."""
    r = g.bit_length() - 1
    row = np.array([(g >> (r - j)) & 1 for j in range(r + 1)], dtype=np.uint8)  # highest first
    k = n - r
    out = np.zeros((k, n), dtype=np.uint8)
    for i in range(k):
        out[i, k - 1 - i: k - 1 - i + r + 1] = row
    return out


# --------------------------------------------------------------------------------------
# the YAML spec


class BCHSpec(CodeSpec):
    """``{type: bch, n: 1023, t: 10}`` (``k:`` shortens; or ``standard: dvb-s2, n_ldpc, rate``): binary
    primitive narrow-sense BCH code, hard Berlekamp–Massey decoding with failure detection."""

    type: Literal["bch"] = "bch"
    n: int | None = Field(None, description="length 2^m - 1, m = 3..16 (required unless standard is given)")
    t: int | None = Field(None, ge=1, description="designed error-correcting capability; k = n - deg g follows")
    k: int | None = Field(None, ge=1, description="message bits; below the full dimension the code is shortened by the difference")
    primitive_polynomial: int | str | None = Field(
        None, description="field polynomial as an integer or '0x...' (default: the standard one for m)")
    standard: Literal["dvb-s2"] | None = Field(
        None, description="'dvb-s2': the outer BCH code of a DVB-S2 FECFRAME (EN 302 307 Tables 5a/5b, 6a/6b)")
    n_ldpc: Literal[64800, 16200] | None = Field(None, description="standard dvb-s2: FECFRAME length, 64800 (normal) or 16200 (short)")
    rate: str | None = Field(None, description="standard dvb-s2: nominal LDPC code rate, e.g. '1/2'")

    @field_validator("primitive_polynomial")
    @classmethod
    def _poly(cls, value):
        return None if value is None else parse_polynomial(value)

    @model_validator(mode="after")
    def _consistent(self):
        if self.standard == "dvb-s2":
            extra = [name for name in ("n", "t", "k", "primitive_polynomial") if getattr(self, name) is not None]
            if extra:
                raise ValueError(f"standard 'dvb-s2' fixes n, t, k and the field; remove {', '.join(extra)}")
            if self.n_ldpc is None or self.rate is None:
                raise ValueError("standard 'dvb-s2' needs n_ldpc (64800 or 16200) and rate (e.g. '1/2')")
            if (self.n_ldpc, self.rate) not in DVBS2_BCH:
                raise ValueError(f"rate: DVB-S2 frames of {self.n_ldpc} bits have rates {', '.join(dvbs2_rates(self.n_ldpc))}, "
                                 f"got {self.rate!r}")
            return self
        if self.n_ldpc is not None or self.rate is not None:
            raise ValueError("n_ldpc and rate apply to standard: dvb-s2 only")
        if self.n is None or self.t is None:
            raise ValueError("n and t are required (e.g. n: 1023, t: 10), or standard: dvb-s2")
        m = (self.n + 1).bit_length() - 1
        if self.n + 1 != 1 << m or not MIN_BCH_M <= m <= MAX_M:
            raise ValueError(f"n must be 2^m - 1 with m in {MIN_BCH_M}..{MAX_M} (7, 15, 31, ..., 65535), got {self.n}; "
                             "to shorten, give the full n and a smaller k")
        t_max = max_designed_t(m)
        if self.t > t_max:
            raise ValueError(f"t = {self.t} is too large for n = {self.n}: 2t + 1 must be at most n (t <= {t_max})")
        return self

    def build(self) -> BCHCode:
        if self.standard == "dvb-s2":
            k_bch, n_bch, t = DVBS2_BCH[(self.n_ldpc, self.rate)]
            m, poly = DVBS2_FIELD[self.n_ldpc]
            frame = "normal" if self.n_ldpc == 64800 else "short"
            return BCHCode(m, t, k_bch, poly, generator=dvbs2_generator(self.n_ldpc, t),
                           name=f"DVB-S2 BCH({n_bch},{k_bch}) t={t} ({frame} frame, rate {self.rate})")
        m = (self.n + 1).bit_length() - 1
        return BCHCode(m, self.t, self.k, self.primitive_polynomial)


__all__ = ["BCHCode", "BCHSpec", "cyclic_check_polynomial", "cyclic_generator_matrix", "reciprocal"]
