r"""Binary linear block codes in systematic form, with a hard syndrome decoder and an
exhaustive soft maximum-likelihood decoder.

Construction
------------
An (n, k) code is given by its k x (n - k) parity submatrix P:

.. math::  G = [\,I_k \mid P\,], \qquad H = [\,P^\mathsf{T} \mid I_{n-k}\,], \qquad
           H G^\mathsf{T} = P^\mathsf{T} + P^\mathsf{T} = 0 \pmod 2,

so a message u (a row of k bits) is sent as :math:`c = uG = [\,u \mid uP\,]` and the
message is read back from the first k positions of a codeword. The syndrome of a received
word y is :math:`s = H y^\mathsf{T}`; it is zero exactly for codewords and depends only on
the error pattern e = y + c.

Decoders
--------
``syndrome`` (hard, bounded distance): slice the LLRs, compute s, look up the coset leader
(a lowest-weight error pattern with that syndrome) and flip it, if its weight is at most
:math:`t = \lfloor (d_{\min} - 1)/2 \rfloor`. A coset of heavier weight means an error was
*detected* but not corrected: the frame is flagged as a decoding failure and the sliced
message is returned as it is (SECDED behaviour for the extended Hamming code). For a perfect
code (Hamming, odd repetition) every coset leader has weight <= t and it is the complete
minimum-distance decoder. When n <= 16 the whole map "received word -> message, failure"
is one table of 2^n entries (a 7-bit word indexes a 128-entry table for Hamming(7,4)).

``ml`` (soft, exhaustive): the codeword maximising the correlation
:math:`\sum_j (1 - 2c_j) L_j`, i.e. the maximum-likelihood codeword for any memoryless
channel whose LLRs are L. All 2^k codewords are visited in Gray-code order, so each step
flips one generator row and updates the metric on that row's support only; k <= 16.
Ties (which the BSC produces) go to the first codeword visited.

Example
-------
>>> import numpy as np
>>> code = LinearBlockCode(np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]]), name="Hamming(7,4)")
>>> code.generator_matrix
array([[1, 0, 0, 0, 1, 1, 0],
       [0, 1, 0, 0, 1, 0, 1],
       [0, 0, 1, 0, 0, 1, 1],
       [0, 0, 0, 1, 1, 1, 1]], dtype=uint8)
>>> c = code.encode(np.array([[1, 0, 1, 1]], np.uint8)); c.tolist()
[[1, 0, 1, 1, 0, 1, 0]]
>>> y = c.copy(); y[0, 2] ^= 1; code.syndromes(y).tolist()
[[0, 1, 1]]
>>> code.decode(4.0 * (1.0 - 2.0 * y)).tolist()
[[1, 0, 1, 1]]
>>> code.minimum_distance(), code.weight_distribution().tolist()
(3, [1, 0, 0, 7, 7, 0, 0, 1])
"""

from __future__ import annotations

import itertools
from functools import cached_property
from typing import Literal

import numpy as np
from numba import njit
from pydantic import BaseModel, ConfigDict, model_validator

from ..base import Code, CodeSpec, DecodeReport

#: Received-word tables (2^n entries) are used up to this length; beyond it the decoder
#: computes the syndrome and looks up the coset leader (2^(n-k) entries).
WORD_TABLE_MAX_N = 16
#: Largest n - k for a coset-leader table (2^24 syndromes).
SYNDROME_TABLE_MAX_R = 24
#: Largest k for enumerating codewords (weight distribution, ML decoding is capped lower).
ENUMERATION_MAX_K = 24
#: Largest k for the exhaustive soft ML decoder.
ML_MAX_K = 16


class BlockDecoder(BaseModel):
    """Hard syndrome-table decoding (``syndrome``, default) or exhaustive soft ML (``ml``, k <= 16).

    YAML: ``decoder: {algorithm: syndrome | ml}``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    algorithm: Literal["syndrome", "ml"] = "syndrome"


# --------------------------------------------------------------------------------------
# kernels (numba, one frame per outer iteration, a whole batch per call)


@njit(cache=True)
def _encode_packed(u, prows, n, out):
    """c = [u | uP] with the rows of P packed into integers (n - k <= 63)."""
    frames, k = u.shape
    for f in range(frames):
        parity = np.int64(0)
        for i in range(k):
            out[f, i] = u[f, i]
            parity ^= prows[i] * np.int64(u[f, i])
        for j in range(n - k):
            out[f, k + j] = (parity >> j) & 1


@njit(cache=True)
def _decode_word_table(llr, table, fail_table, out, failures):
    """Slice the n LLRs of a frame into an n-bit word w (bit j = position j) and read the
    corrected message and the failure flag from tables indexed by w (n <= 16)."""
    frames, n = llr.shape
    k = out.shape[1]
    for f in range(frames):
        w = 0
        for j in range(n):
            w |= np.int64(llr[f, j] < 0.0) << j
        m = table[w]
        for i in range(k):
            out[f, i] = (m >> i) & 1
        failures[f] = fail_table[w]


@njit(cache=True)
def _decode_word_table_rows(llr, rows, fail_table, out, failures):
    """As :func:`_decode_word_table` with the k message bytes of each table entry packed
    into one integer (k = 1, 2, 4 or 8): ``out`` is the (F, k) uint8 output viewed as one
    integer per frame, so a frame is one load and one store."""
    frames, n = llr.shape
    for f in range(frames):
        w = 0
        for j in range(n):
            w |= np.int64(llr[f, j] < 0.0) << j
        out[f] = rows[w]
        failures[f] = fail_table[w]


@njit(cache=True)
def _decode_syndrome(llr, hcols, leaders, leader_len, fail_table, out, failures):
    """Slice, accumulate s = sum_j y_j h_j over packed columns of H, and flip the info
    positions of the coset leader of s unless that coset is flagged as a failure."""
    frames, n = llr.shape
    k = out.shape[1]
    for f in range(frames):
        s = np.int64(0)
        for j in range(n):
            b = np.int64(llr[f, j] < 0.0)
            if j < k:
                out[f, j] = b
            s ^= hcols[j] * b
        if fail_table[s]:
            failures[f] = 1
        else:
            failures[f] = 0
            for q in range(leader_len[s]):
                pos = leaders[s, q]
                if pos < k:
                    out[f, pos] ^= 1


@njit(cache=True)
def _decode_ml(llr, supports, support_len, out):
    """Exhaustive ML: maximise sum_j (1 - 2c_j) L_j over all 2^k codewords, visited in
    Gray-code order so that step t flips generator row i = (trailing zeros of t)."""
    frames, n = llr.shape
    k = out.shape[1]
    sign = np.empty(n)
    for f in range(frames):
        metric = 0.0
        scale = 0.0
        for j in range(n):
            sign[j] = 1.0
            metric += llr[f, j]
            scale += abs(llr[f, j])
        tol = 1e-9 * scale  # sums of equal-magnitude LLRs (BSC) tie exactly in theory
        best = metric
        best_u = np.int64(0)
        u = np.int64(0)
        for t in range(1, 1 << k):
            i = 0
            while not (t >> i) & 1:
                i += 1
            u ^= np.int64(1) << i
            delta = 0.0
            for q in range(support_len[i]):
                j = supports[i, q]
                delta += sign[j] * llr[f, j]
                sign[j] = -sign[j]
            metric -= 2.0 * delta
            if metric > best + tol:
                best = metric
                best_u = u
        for i in range(k):
            out[f, i] = (best_u >> i) & 1


# --------------------------------------------------------------------------------------


def _pack_rows(matrix: np.ndarray) -> np.ndarray:
    """Each row of a 0/1 matrix (at most 63 columns) as an integer, column j = bit j."""
    weights = np.left_shift(np.int64(1), np.arange(matrix.shape[1], dtype=np.int64))
    return (matrix.astype(np.int64) * weights).sum(axis=1).astype(np.int64)


class LinearBlockCode(Code):
    r"""A binary (n, k) linear block code in systematic form c = [u | uP].

    ``parity``: the k x (n - k) submatrix P; ``decoder``: ``"syndrome"`` or ``"ml"``;
    ``d_min``: the minimum distance when it is known (otherwise found by enumeration on
    first use; the syndrome decoder corrects up to t = (d_min - 1) // 2 errors).
    """

    def __init__(self, parity, name: str | None = None, decoder: str = "syndrome", d_min: int | None = None):
        parity = np.asarray(parity)
        if parity.ndim != 2 or not np.isin(parity, (0, 1)).all():
            raise ValueError("the parity submatrix P must be a 2-D array of 0s and 1s")
        if decoder not in ("syndrome", "ml"):
            raise ValueError(f"decoder must be 'syndrome' or 'ml', got {decoder!r}")
        self.parity = np.ascontiguousarray(parity, dtype=np.uint8)
        self.k, r = self.parity.shape
        if self.k < 1:
            raise ValueError("a code needs k >= 1 information bits")
        self.n = self.k + r
        self.rate = self.k / self.n
        self.decoder = decoder
        if decoder == "ml" and self.k > ML_MAX_K:
            raise ValueError(f"decoder 'ml' enumerates all 2^k codewords and needs k <= {ML_MAX_K}, got k = {self.k}")
        self.name = name or f"linear ({self.n},{self.k}) {decoder}"
        self._d_min = d_min

    # ---- matrices ------------------------------------------------------------------
    @cached_property
    def generator_matrix(self) -> np.ndarray:
        """G = [I_k | P], k x n."""
        return np.hstack([np.eye(self.k, dtype=np.uint8), self.parity])

    @cached_property
    def check_matrix(self) -> np.ndarray:
        """H = [P^T | I_(n-k)], (n-k) x n, with H G^T = 0."""
        return np.hstack([self.parity.T, np.eye(self.n - self.k, dtype=np.uint8)])

    @cached_property
    def _prows(self) -> np.ndarray:
        """Row i of P packed as an integer (parity bit j = bit j)."""
        return _pack_rows(self.parity) if self.n > self.k else np.zeros(self.k, np.int64)

    @cached_property
    def _hcols(self) -> np.ndarray:
        """Column j of H packed as an integer (syndrome bit i = bit i)."""
        if self.n - self.k > 63:
            raise ValueError(f"packed syndromes need n - k <= 63, got {self.n - self.k}")
        return _pack_rows(self.check_matrix.T)

    # ---- encoding and syndromes ----------------------------------------------------
    def encode(self, u: np.ndarray) -> np.ndarray:
        """uint8 messages (F, k) -> codewords (F, n) = [u | uP mod 2]."""
        u = np.ascontiguousarray(u, dtype=np.uint8)
        if u.ndim != 2 or u.shape[1] != self.k:
            raise ValueError(f"messages must have shape (frames, {self.k}), got {u.shape}")
        if self.n - self.k <= 63:
            out = np.empty((u.shape[0], self.n), dtype=np.uint8)
            _encode_packed(u, self._prows, self.n, out)
            return out
        parity = (u.astype(np.int32) @ self.parity.astype(np.int32)) & 1
        return np.hstack([u, parity.astype(np.uint8)])

    def syndromes(self, words: np.ndarray) -> np.ndarray:
        """uint8 syndromes (F, n - k) = y H^T mod 2 of received hard words y (F, n)."""
        words = np.asarray(words, dtype=np.int32)
        return ((words @ self.check_matrix.T.astype(np.int32)) & 1).astype(np.uint8)

    # ---- distance properties -------------------------------------------------------
    def codeword_weights(self) -> np.ndarray:
        """Hamming weight of the codeword of every message m = 0 .. 2^k - 1 (bit i of m is
        u_i), by enumeration; k <= 24."""
        if self.k > ENUMERATION_MAX_K:
            raise ValueError(f"enumerating 2^k codewords needs k <= {ENUMERATION_MAX_K}, got k = {self.k}")
        shifts = np.arange(self.k, dtype=np.int64)
        parity = self.parity.astype(np.int32)
        weights = np.empty(1 << self.k, dtype=np.int64)
        step = 1 << 15
        for start in range(0, 1 << self.k, step):
            m = np.arange(start, min(start + step, 1 << self.k), dtype=np.int64)
            u = ((m[:, None] >> shifts) & 1).astype(np.int32)
            weights[start:start + len(m)] = u.sum(axis=1) + ((u @ parity) & 1).sum(axis=1)
        return weights

    def weight_distribution(self) -> np.ndarray:
        """A_w, the number of codewords of weight w = 0 .. n, by enumeration (k <= 24)."""
        return np.bincount(self.codeword_weights(), minlength=self.n + 1)

    def minimum_distance(self) -> int:
        """d_min: the given value, or the least weight of a nonzero codeword (enumeration)."""
        if self._d_min is None:
            weights = self.weight_distribution()
            nonzero = np.flatnonzero(weights[1:])
            self._d_min = int(nonzero[0] + 1) if nonzero.size else self.n + 1
        return self._d_min

    # ---- syndrome decoder tables ---------------------------------------------------
    @cached_property
    def coset_leaders(self) -> tuple[np.ndarray, np.ndarray]:
        """For every syndrome s (bit i = row i of H): the positions of a lowest-weight
        error pattern with that syndrome (padded with -1) and its weight. Patterns are
        enumerated by increasing weight, each weight in lexicographic order."""
        r = self.n - self.k
        if r > SYNDROME_TABLE_MAX_R:
            raise ValueError(f"a syndrome table needs n - k <= {SYNDROME_TABLE_MAX_R}, got {r}")
        size = 1 << r
        weight = np.full(size, -1, dtype=np.int64)
        weight[0] = 0
        found = [np.zeros((1, 0), dtype=np.int64)]
        rows = [np.zeros(1, dtype=np.int64)]
        hcols = self._hcols
        remaining = size - 1
        w = 0
        while remaining > 0:
            w += 1
            if w > self.n:
                raise ValueError("the check matrix does not have full rank")
            combos = np.array(list(itertools.combinations(range(self.n), w)), dtype=np.int64)
            s = np.bitwise_xor.reduce(hcols[combos], axis=1)
            s_unique, first = np.unique(s, return_index=True)
            new = weight[s_unique] < 0
            s_new, idx = s_unique[new], first[new]
            weight[s_new] = w
            found.append(combos[idx])
            rows.append(s_new)
            remaining -= len(s_new)
        leaders = np.full((size, max(w, 1)), -1, dtype=np.int64)
        for positions, syn in zip(found[1:], rows[1:]):
            leaders[syn, : positions.shape[1]] = positions
        return leaders, weight

    @cached_property
    def _syndrome_tables(self):
        leaders, weight = self.coset_leaders
        t = (self.minimum_distance() - 1) // 2
        fail = (weight > t).astype(np.uint8)
        return leaders, weight, fail

    @cached_property
    def _word_tables(self) -> tuple[np.ndarray, np.ndarray]:
        """Received word w (bit j = position j) -> corrected message (bit i = u_i), failure."""
        leaders, weight, fail = self._syndrome_tables
        words = np.arange(1 << self.n, dtype=np.int64)
        s = np.zeros_like(words)
        for j, h in enumerate(self._hcols):
            s ^= ((words >> j) & 1) * h
        info = np.int64((1 << self.k) - 1)
        leader_mask = np.zeros(len(leaders), dtype=np.int64)
        for q in range(leaders.shape[1]):
            pos = leaders[:, q]
            leader_mask |= np.where(pos >= 0, np.left_shift(np.int64(1), np.maximum(pos, 0)), 0)
        correction = np.where(fail[s] == 1, 0, leader_mask[s])
        return ((words ^ correction) & info).astype(np.int64), fail[s].astype(np.uint8)

    @cached_property
    def _word_table_rows(self) -> np.ndarray | None:
        """The word table as message byte rows, each row one integer (k = 1, 2, 4, 8)."""
        dtype = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}.get(self.k)
        if dtype is None:
            return None
        table, _ = self._word_tables
        rows = ((table[:, None] >> np.arange(self.k)) & 1).astype(np.uint8)
        return np.ascontiguousarray(rows).view(dtype).reshape(-1)

    @cached_property
    def _ml_supports(self) -> tuple[np.ndarray, np.ndarray]:
        g = self.generator_matrix
        lengths = g.sum(axis=1).astype(np.int64)
        supports = np.full((self.k, int(lengths.max())), -1, dtype=np.int64)
        for i in range(self.k):
            nz = np.flatnonzero(g[i])
            supports[i, : len(nz)] = nz
        return supports, lengths

    # ---- decoding --------------------------------------------------------------------
    def decode_report(self, llr: np.ndarray) -> DecodeReport:
        """Decisions on the messages and, for the syndrome decoder, the frames whose error
        was detected but not corrected (syndrome of a coset heavier than t)."""
        llr = np.ascontiguousarray(llr, dtype=np.float64)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        out = np.empty((llr.shape[0], self.k), dtype=np.uint8)
        if self.decoder == "ml":
            supports, lengths = self._ml_supports
            _decode_ml(llr, supports, lengths, out)
            return DecodeReport(out)
        failures = np.empty(llr.shape[0], dtype=np.uint8)
        if self.n <= WORD_TABLE_MAX_N:
            table, fail = self._word_tables
            rows = self._word_table_rows
            if rows is not None:
                _decode_word_table_rows(llr, rows, fail, out.view(rows.dtype).reshape(-1), failures)
            else:
                _decode_word_table(llr, table, fail, out, failures)
        else:
            leaders, weight, fail = self._syndrome_tables
            _decode_syndrome(llr, self._hcols, leaders, np.maximum(weight, 0), fail, out, failures)
        return DecodeReport(out, failures=failures)

    def decode(self, llr: np.ndarray) -> np.ndarray:
        """float64 LLRs (F, n) -> uint8 message estimates (F, k)."""
        return self.decode_report(llr).bits

    # ---- exact performance on the BSC -------------------------------------------------
    def exact_bsc_rates(self, p: float) -> tuple[float, float]:
        """Exact (BER, WER) of the syndrome decoder on a BSC with crossover p, enumerating
        all 2^n error patterns e (n <= 20): the decision depends on e only, through its
        syndrome, so BER = sum_e P(e) wt(residual info bits)/k with P(e) = p^w (1-p)^(n-w)."""
        if self.n > 20:
            raise ValueError(f"enumerating 2^n error patterns needs n <= 20, got n = {self.n}")
        leaders, weight, fail = self._syndrome_tables
        e = np.arange(1 << self.n, dtype=np.int64)
        s = np.zeros_like(e)
        for j, h in enumerate(self._hcols):
            s ^= ((e >> j) & 1) * h
        leader_word = np.zeros(len(leaders), dtype=np.int64)
        for q in range(leaders.shape[1]):
            pos = leaders[:, q]
            leader_word |= np.where(pos >= 0, np.left_shift(np.int64(1), np.maximum(pos, 0)), 0)
        residual = np.where(fail[s] == 1, e, e ^ leader_word[s]) & ((1 << self.k) - 1)
        info_errors = _popcount(residual)
        w = _popcount(e)
        prob = np.power(p, w) * np.power(1.0 - p, self.n - w)
        return float((prob * info_errors).sum() / self.k), float(prob[info_errors > 0].sum())

    def reference_ber(self, channel) -> float | None:
        """Exact BER of the syndrome decoder by enumeration (n <= 20) on a BSC, and on
        BPSK/AWGN through the BSC of the sliced channel; None otherwise."""
        p = channel.hard_crossover()
        if self.decoder != "syndrome" or p is None or self.n > 20:
            return None
        return self.exact_bsc_rates(p)[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={self.n}, k={self.k}, decoder={self.decoder!r})"


def _popcount(x: np.ndarray) -> np.ndarray:
    return np.unpackbits(x.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1).astype(np.int64)


def systematic_parity(generator=None, parity_check=None) -> tuple[np.ndarray, list[int]]:
    """P of the systematic code [I_k | P] equivalent to the code with generator rows
    ``generator`` (or null space of ``parity_check``), and the column order used: the
    information set (pivot columns) first, then the others. When the pivots are the first k
    columns the order is the identity and the code is the same code; otherwise it is the
    same code with its coordinates permuted (same weights, same performance on a memoryless
    channel).

    >>> p, order = systematic_parity(generator=[[1, 1, 0], [0, 1, 1]])
    >>> p.tolist(), order
    ([[1], [1]], [0, 1, 2])
    """
    from ...theory.weight_spectrum import dual_basis, gf2_row_reduce

    if (generator is None) == (parity_check is None):
        raise ValueError("give exactly one of generator or parity_check")
    name = "generator" if generator is not None else "parity_check"
    matrix = np.asarray(generator if generator is not None else parity_check)
    if matrix.ndim != 2 or matrix.size == 0 or not np.isin(matrix, (0, 1)).all():
        raise ValueError(f"{name}: must be a non-empty list of equal-length rows of 0s and 1s")
    g = matrix.astype(np.uint8) if generator is not None else dual_basis(matrix.astype(np.uint8))
    rref, pivots = gf2_row_reduce(g)
    if rref.shape[0] == 0:
        raise ValueError(f"{name}: the code has dimension 0")
    if rref.shape[0] == rref.shape[1]:
        raise ValueError(f"{name}: the code is the whole space (k = n), nothing to decode")
    order = pivots + [c for c in range(rref.shape[1]) if c not in pivots]
    return rref[:, order][:, rref.shape[0]:], order


class LinearSpec(CodeSpec):
    """``{type: linear, generator: [[1,0,...], ...]}`` or ``{type: linear, parity_check: [...]}``:
    any binary linear code, brought to systematic form (columns reordered information set
    first when needed; see :func:`systematic_parity`)."""

    type: Literal["linear"] = "linear"
    generator: list[list[int]] | None = None
    parity_check: list[list[int]] | None = None
    name: str | None = None
    decoder: BlockDecoder = BlockDecoder()

    @model_validator(mode="after")
    def _one_matrix(self):
        if (self.generator is None) == (self.parity_check is None):
            raise ValueError("give exactly one of generator or parity_check")
        systematic_parity(self.generator, self.parity_check)
        return self

    def build(self) -> LinearBlockCode:
        parity, _ = systematic_parity(self.generator, self.parity_check)
        return LinearBlockCode(parity, name=self.name, decoder=self.decoder.algorithm)
