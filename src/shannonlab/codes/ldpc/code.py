r"""The LDPC code a user builds from YAML: a parity-check matrix, its encoder and a
belief-propagation decoder.

.. code-block:: yaml

    codes:
      - type: ldpc
        matrix: {standard: ieee80211n, n: 648, rate: "1/2"}    # or {alist: path/to/H.alist}
                                                               # or {random: peg, n: 1000, dv: 3, dc: 6, seed: 1}
        decoder: {algorithm: sum-product, schedule: flooding, max_iterations: 20, early_stop: true}
        # fixed point (min-sum family): decoder: {algorithm: normalized-min-sum, schedule: layered,
        #                                         quantization: {bits: 6, fraction_bits: 1}}

The code is the null space of H (m x n, full GF(2) rank): :math:`\{c : H c^T = 0\}`, k = n - m,
rate R = k/n. Messages are placed systematically (the first k bits for 802.11n; the
non-pivot columns of H in general, see :mod:`.encoding`); the decoder returns the message
bits of the posterior hard decisions, and :meth:`LDPCCode.posterior` the posterior LLRs.

Example
-------
>>> import numpy as np
>>> code = LDPCSpec(matrix={"standard": "ieee80211n", "n": 648, "rate": "1/2"}).build()
>>> (code.n, code.k, code.rate)
(648, 324, 0.5)
>>> u = np.random.default_rng(1).integers(0, 2, size=(4, code.k), dtype=np.uint8)
>>> llr = 8.0 * (1.0 - 2.0 * code.encode(u))
>>> report = code.decode_report(llr)
>>> bool((report.bits == u).all()), report.iterations.tolist()
(True, [0, 0, 0, 0])
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal, Optional, Union

import numpy as np
import scipy.sparse as sp
from pydantic import (BaseModel, ConfigDict, Discriminator, Field, PositiveInt, Tag, ValidationInfo, field_validator,
                      model_validator)

from ..base import BYTES_PER_CODED_BIT, Code, CodeSpec, DecodeReport
from ..simd import Quantization
from .decoding import BeliefPropagation
from .encoding import DualDiagonalEncoder, SystematicEncoder
from .dvbs2 import K_LDPC as DVBS2_K, address_table, dvbs2_code
from .matrices import peg, qc_expand, random_regular, read_alist
from .nr import FILLER_LLR, MAX_K, nr_base_graph, nr_code
from .tables_80211n import base_matrix


class LDPCCode(Code):
    """A binary LDPC code (H, encoder) with its BP decoder chosen at construction.

    ``encoder`` defaults to the Gaussian-elimination systematic encoder of H.
    """

    def __init__(self, H: sp.spmatrix, decoder: BeliefPropagation | None = None, encoder=None, name: str = "LDPC",
                 transmitted: np.ndarray | None = None, known_zero: np.ndarray | None = None):
        self.H = sp.csr_matrix(H, dtype=np.uint8)
        self.encoder = encoder if encoder is not None else SystematicEncoder(self.H)
        self.m, self.n = self.H.shape
        self.graph_n = self.n
        self.transmitted = None if transmitted is None else np.asarray(transmitted, dtype=np.int64)
        self.known_zero = None if known_zero is None or len(known_zero) == 0 else np.asarray(known_zero, dtype=np.int64)
        if self.transmitted is not None:
            self.n = int(self.transmitted.size)
            self._repeats = np.unique(self.transmitted).size != self.transmitted.size
        self.k = int(self.encoder.k)
        self.rate = self.k / self.n
        self.info_positions = np.asarray(getattr(self.encoder, "info_positions", np.arange(self.k)))
        self.decoder = decoder if decoder is not None else BeliefPropagation(self.H)
        self.name = name

    @property
    def batch_frames(self) -> int:
        """The decoder's lanes: it decodes that many frames in lock-step, so fewer cost the same."""
        return self.decoder.lanes

    def encode(self, u: np.ndarray) -> np.ndarray:
        """uint8 messages (F, k) -> codewords (F, n) with H c^T = 0 (for a rate-matched
        code: the transmitted bits of such a codeword)."""
        c = self.encoder.encode(u)
        return c if self.transmitted is None else np.take(c, self.transmitted, axis=1)  # take: 20x faster than c[:, idx]

    def graph_llrs(self, llr: np.ndarray) -> np.ndarray:
        """Channel LLRs (F, n) -> LLRs of every graph variable (F, graph_n): punctured bits
        0, known (filler) bits large and positive, repeated bits summed."""
        if self.transmitted is None:
            return llr
        full = np.zeros((llr.shape[0], self.graph_n), dtype=np.float32)
        if self._repeats:
            np.add.at(full, (slice(None), self.transmitted), llr)
        else:
            full[:, self.transmitted] = llr
        if self.known_zero is not None:
            full[:, self.known_zero] = FILLER_LLR
        return full

    def posterior(self, llr: np.ndarray) -> np.ndarray:
        """Posterior LLRs (F, graph_n) of every graph variable after BP (float32)."""
        return self.decoder.run(self.graph_llrs(llr))[0]

    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        """Message decisions (F, k), per-frame ``failures`` (syndrome not zero at the end)
        and ``iterations`` run."""
        post, iters, ok = self.decoder.run(self.graph_llrs(llr))
        bits = (post[:, self.info_positions] < 0).view(np.uint8)
        return DecodeReport(bits=np.ascontiguousarray(bits), failures=~ok, iterations=iters)

    def decode(self, llr: np.ndarray) -> np.ndarray:
        """LLRs (F, n) -> message decisions (F, k)."""
        return self.decode_report(llr).bits

    def message_information(self, llr: np.ndarray, iterations: int) -> dict:
        """Mutual information of variable-to-check and check-to-variable messages per
        iteration, measured by the reference flooding sum-product decoder of
        :mod:`shannonlab.theory.exit` on this graph (not the SIMD kernel, whose interface
        gives a-posteriori LLRs only), with the graph's edge degree distributions."""
        from ...theory.ensembles import Ensemble
        from ...theory.exit import ReferenceBP

        iv, ic, ber = ReferenceBP(self.H).run(np.asarray(self.graph_llrs(llr), dtype=np.float64), iterations)
        ensemble = Ensemble.from_check_matrix(self.H)
        return {"variable_to_check": iv.tolist(), "check_to_variable": ic.tolist(), "ber": ber.tolist(),
                "lambda": {str(d): v for d, v in ensemble.lam.items()}, "rho": {str(d): v for d, v in ensemble.rho.items()},
                "decoder": "reference flooding sum-product (theory.exit.ReferenceBP)"}

    def __repr__(self) -> str:
        return f"LDPCCode({self.name}, n={self.n}, k={self.k})"


class _Matrix(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IEEE80211nMatrix(_Matrix):
    """``{standard: ieee80211n, n: 648|1296|1944, rate: "1/2"|"2/3"|"3/4"|"5/6"}``: the 12 codes of 802.11n."""

    standard: Literal["ieee80211n"]
    n: Literal[648, 1296, 1944] = Field(description="code length: 648, 1296 or 1944")
    rate: Literal["1/2", "2/3", "3/4", "5/6"] = Field(description="'1/2', '2/3', '3/4' or '5/6'")

    def describe(self) -> str:
        return f"802.11n n={self.n} R={self.rate}"


class NRMatrix(_Matrix):
    """``{standard: 5g-nr, base_graph: 1|2, k: K, n: E}``: K information bits (with CRC)
    rate-matched to E transmitted bits (see :mod:`.nr`); without ``base_graph``, the graph
    TS 38.212 7.2.2 picks from K and R = K/E (:func:`.nr.nr_base_graph`)."""

    standard: Literal["5g-nr"]
    base_graph: Literal[1, 2] | None = Field(None, description="base graph 1 or 2 (default: chosen from k and k/n as TS 38.212 7.2.2 does)")
    k: PositiveInt = Field(description="information bits K' (with CRC)")
    n: PositiveInt = Field(description="bits sent E")

    @model_validator(mode="after")
    def _fits(self) -> "NRMatrix":
        if self.n <= self.k:
            raise ValueError(f"n = {self.n} transmitted bits must exceed k = {self.k}")
        bg = self.graph
        if self.k > MAX_K[bg]:
            raise ValueError(f"base graph {bg} carries at most {MAX_K[bg]} information bits, got k={self.k}"
                             + ("" if self.base_graph is not None else
                                " (TS 38.212 would segment the block; give base_graph: 1 for one code block)"))
        return self

    @property
    def graph(self) -> int:
        """The base graph given, or the one TS 38.212 7.2.2 picks."""
        return self.base_graph if self.base_graph is not None else nr_base_graph(self.k, self.n)

    def describe(self) -> str:
        return f"5G NR BG{self.graph} k={self.k} n={self.n}"


class DVBS2Matrix(_Matrix):
    """``{standard: dvb-s2, n: 64800|16200, rate: "1/4" ... "9/10"}``: the DVB-S2 LDPC codes
    of EN 302 307-1 (normal and short frames, see :mod:`.dvbs2`)."""

    standard: Literal["dvb-s2"]
    n: Literal[64800, 16200] = Field(description="frame length: 64800 (normal) or 16200 (short)")
    rate: Literal["1/4", "1/3", "2/5", "1/2", "3/5", "2/3", "3/4", "4/5", "5/6", "8/9", "9/10"] = Field(
        description="'1/4', '1/3', '2/5', '1/2', '3/5', '2/3', '3/4', '4/5', '5/6', '8/9', '9/10' (short frames: no 9/10)")

    @model_validator(mode="after")
    def _exists(self) -> "DVBS2Matrix":
        address_table(self.n, self.rate)  # one-line error for a rate the frame size lacks
        return self

    def describe(self) -> str:
        return f"DVB-S2 {'normal' if self.n == 64800 else 'short'} n={self.n} R={self.rate} (k={DVBS2_K[self.n][self.rate]})"


class AlistMatrix(_Matrix):
    """``{alist: PATH}``: H from an alist file."""

    alist: str = Field(description="path of an alist file")

    def describe(self) -> str:
        return f"alist {self.alist}"


class RandomMatrix(_Matrix):
    """``{random: regular|peg, n: N, dv: DV, dc: DC, seed: S}`` (m = n dv / dc checks)."""

    random: Literal["regular", "peg"] = Field(description="'regular' (random edges) or 'peg' (progressive edge growth)")
    n: PositiveInt = Field(description="code length")
    dv: int = Field(ge=2, description="variable degree")
    dc: int = Field(ge=3, description="check degree (m = n dv / dc)")
    seed: int = Field(0, ge=0, description="seed of the construction")

    def describe(self) -> str:
        return f"{self.random} ({self.dv},{self.dc}) n={self.n} seed={self.seed}"


#: The matrix sources by the key that names them (``standard`` by its value).
_SOURCES = {"ieee80211n": "IEEE80211nMatrix", "5g-nr": "NRMatrix", "dvb-s2": "DVBS2Matrix", "alist": "AlistMatrix",
            "random": "RandomMatrix"}


def _matrix_source(data) -> str | None:
    if isinstance(data, BaseModel):
        return type(data).__name__
    if not isinstance(data, dict):
        return None
    given = [key for key in ("standard", "alist", "random") if key in data]
    if len(given) != 1:
        return None
    return _SOURCES.get(data["standard"] if given[0] == "standard" else given[0])


#: Where H comes from: exactly one of ``standard``, ``alist`` and ``random``.
LDPCMatrixSpec = Annotated[
    Union[Annotated[IEEE80211nMatrix, Tag("IEEE80211nMatrix")], Annotated[NRMatrix, Tag("NRMatrix")],
          Annotated[DVBS2Matrix, Tag("DVBS2Matrix")],
          Annotated[AlistMatrix, Tag("AlistMatrix")], Annotated[RandomMatrix, Tag("RandomMatrix")]],
    Discriminator(_matrix_source, custom_error_type="matrix_source",
                  custom_error_message="give exactly one of 'standard' (ieee80211n, 5g-nr, dvb-s2), 'alist' (a file) or "
                                       "'random' (regular, peg)"),
]


class LDPCDecoderSpec(BaseModel):
    """Belief propagation: check-node rule, schedule, iterations, early stopping, fixed point."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    algorithm: Literal["sum-product", "min-sum", "normalized-min-sum", "offset-min-sum"] = Field(
        "sum-product", description="check-node rule")
    schedule: Literal["flooding", "layered"] = Field("flooding", description="flooding: all checks at once; layered: check by check")
    max_iterations: PositiveInt = 20
    alpha: float = Field(0.8, gt=0.0, le=1.0, allow_inf_nan=False,
                         description="normalized-min-sum scale (0.8: best of 0.7-0.85 on 802.11n n=648 at 2 dB)")
    beta: float = Field(0.5, ge=0.0, allow_inf_nan=False, description="offset-min-sum offset")
    early_stop: bool = Field(True, description="stop a frame once its syndrome is zero")
    quantization: Optional[Quantization] = Field(
        None, description="fixed-point decoding {bits, fraction_bits, message_bits} (min-sum family only)")

    @field_validator("quantization")
    @classmethod
    def _min_sum_only(cls, value, info: ValidationInfo):
        if value is not None and info.data.get("algorithm") == "sum-product":
            raise ValueError("applies to the min-sum family (min-sum, normalized-min-sum, offset-min-sum), "
                             "not to sum-product")
        return value


@functools.lru_cache(maxsize=32)
def _matrix_and_encoder(spec: LDPCMatrixSpec):
    """H and its encoder, built (and Gaussian-eliminated) once per matrix spec."""
    if isinstance(spec, IEEE80211nMatrix):
        base = base_matrix(spec.n, spec.rate)
        z = spec.n // 24
        return qc_expand(base, z), DualDiagonalEncoder(base, z), None, None
    if isinstance(spec, NRMatrix):
        nr = nr_code(spec.graph, spec.k, spec.n)
        return nr.H, nr.encoder, nr.transmitted, nr.fillers
    if isinstance(spec, DVBS2Matrix):
        code = dvbs2_code(spec.n, spec.rate)
        return code.H, code.encoder, None, None
    if isinstance(spec, AlistMatrix):
        H = read_alist(spec.alist)
    elif spec.random == "regular":
        H = random_regular(spec.n, spec.dv, spec.dc, spec.seed)
    else:
        H = peg(spec.n, spec.dv, spec.dc, spec.seed)
    return H, SystematicEncoder(H), None, None


class LDPCSpec(CodeSpec):
    """``{type: ldpc, matrix: {...}, decoder: {...}}``: a binary LDPC code with BP decoding."""

    type: Literal["ldpc"] = "ldpc"
    matrix: LDPCMatrixSpec
    decoder: LDPCDecoderSpec = LDPCDecoderSpec()

    def memory_needs(self) -> dict[str, tuple[float, str]]:
        matrix = self.matrix
        if isinstance(matrix, RandomMatrix):
            # the systematic encoder eliminates H densely: m x n bytes, a few copies
            m = matrix.n * matrix.dv / matrix.dc
            return {"matrix.n": (3.0 * m * matrix.n + matrix.n * BYTES_PER_CODED_BIT,
                                 f"the dense {int(m)} x {matrix.n} elimination of H for the encoder")}
        if isinstance(matrix, NRMatrix):  # E transmitted bits per frame (repetitions beyond the graph)
            return {"matrix.n": (matrix.n * BYTES_PER_CODED_BIT, f"one frame of {matrix.n} transmitted bits in flight")}
        return {}

    def build(self) -> LDPCCode:
        H, encoder, transmitted, known_zero = _matrix_and_encoder(self.matrix)
        d = self.decoder
        decoder = BeliefPropagation(H, d.algorithm, d.schedule, d.max_iterations, d.alpha, d.beta, d.early_stop,
                                    d.quantization)
        extra = {"normalized-min-sum": f" a={d.alpha:g}", "offset-min-sum": f" b={d.beta:g}"}.get(d.algorithm, "")
        extra += f" {d.quantization.describe()}" if d.quantization is not None else ""
        name = f"LDPC {self.matrix.describe()} {d.algorithm}{extra} {d.schedule} {d.max_iterations} it"
        return LDPCCode(H, decoder, encoder, name, transmitted, known_zero)
