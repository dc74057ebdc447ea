r"""5G NR polar rate matching (3GPP TS 38.212, Sections 5.3.1, 5.3.1.2 and 5.4.1): a polar
code of any K information bits (CRC included) sent in any number E of coded bits.

**Mother length** (Section 5.3.1): :math:`N = 2^n` with

.. math::
    n_1 = \begin{cases} \lceil\log_2 E\rceil - 1 & E \le \tfrac98 2^{\lceil\log_2 E\rceil - 1}
          \text{ and } K/E < \tfrac{9}{16} \\ \lceil\log_2 E\rceil & \text{otherwise}\end{cases},
    \quad n_2 = \lceil \log_2 (K / R_\min) \rceil,\ R_\min = \tfrac18, \quad
    n = \max(\min(n_1, n_2, n_\max), n_\min),\ n_\min = 5,

:math:`n_\max` = 10 for uplink control information (PUCCH/PUSCH, the default here) and 9
for downlink (PDCCH/PBCH). No parity-check bits (n_PC = 0: 5G adds 3 of them only for
uplink payloads of 12..19 bits) and no input-bit or channel interleaver (they permute bits
without changing error rates on a memoryless channel).

**Sub-block interleaver** (Section 5.4.1.1): the N coded bits d form 32 sub-blocks of
N/32 bits, reordered by the pattern P of Table 5.4.1.1-1 (:data:`SUBBLOCK_PATTERN`):
:math:`y_n = d_{J(n)}`, :math:`J(n) = P(\lfloor 32n/N\rfloor)\,N/32 + n \bmod N/32`.

**Bit selection** (Section 5.4.1.2), a circular buffer of the N bits y:

* E >= N, repetition: :math:`e_k = y_{k \bmod N}`;
* E < N and K/E <= 7/16, puncturing: :math:`e_k = y_{k + N - E}` (the first N - E are not sent);
* E < N otherwise, shortening: :math:`e_k = y_k` (the last N - E are not sent, and are 0).

**Frozen set** (Section 5.3.1.2): the K most reliable indices of the 5G sequence restricted
to < N, skipping :math:`\bar Q_F`: for puncturing :math:`J(0..N-E-1)` and the indices below
:math:`\lceil 3N/4 - E/2\rceil` (E >= 3N/4) or :math:`\lceil 9N/16 - E/4\rceil` (otherwise);
for shortening :math:`J(E..N-1)`, so that u there is 0 and so are the shortened bits (G_N is
lower triangular on these sets). The Gaussian-approximation and Bhattacharyya constructions
follow the same puncturing/shortening and freeze the same J sets, with each mother position's
channel as sent: a punctured one carries nothing, a shortened one is known, a repeated one
counts once per copy (:func:`repetitions`).

**Receiver**: the LLRs of repeated copies are summed, a punctured position gets 0 and a
shortened one :data:`SHORTENED_LLR` (a known 0), then the sub-block interleaver is undone.

Example
-------
>>> rm = RateMatch(k=100, e=300)                                 # K/E = 1/3
>>> (rm.n, rm.mode, rm.n - rm.e)
(512, 'puncturing', 212)
>>> RateMatch(k=100, e=150).mode, RateMatch(k=100, e=1100).mode, RateMatch(k=100, e=1100).n
('shortening', 'repetition', 1024)
>>> subblock_interleaver(32).tolist() == SUBBLOCK_PATTERN.tolist()
True
"""

from __future__ import annotations

import math

import numpy as np

from .construction import RELIABILITY_5G

#: Table 5.4.1.1-1 of TS 38.212: the order in which the 32 sub-blocks are read.
SUBBLOCK_PATTERN = np.array([0, 1, 2, 4, 3, 5, 6, 7, 8, 16, 9, 17, 10, 18, 11, 19,
                             12, 20, 13, 21, 14, 22, 15, 23, 24, 25, 26, 28, 27, 29, 30, 31], dtype=np.int64)

#: LLR of a shortened (known 0) bit: the channels' LLR_MAX (codes do not import channels).
SHORTENED_LLR = 100.0

#: log2 of the smallest mother length (Section 5.3.1).
N_MIN_LOG2 = 5


def mother_length(k: int, e: int, n_max: int = 10) -> int:
    """N of Section 5.3.1 for K bits (CRC included) sent in E bits, 2^n_max at most.

    >>> mother_length(100, 300), mother_length(100, 150), mother_length(12, 4000, n_max=9)
    (512, 256, 128)
    """
    if k < 1 or e < 1:
        raise ValueError(f"k and e must be positive, got k = {k}, e = {e}")
    ceil_log2_e = math.ceil(math.log2(e))
    if e <= 9 / 8 * 2 ** (ceil_log2_e - 1) and k / e < 9 / 16:
        n1 = ceil_log2_e - 1
    else:
        n1 = ceil_log2_e
    n2 = math.ceil(math.log2(k * 8))  # K / R_min, R_min = 1/8
    return 1 << max(min(n1, n2, n_max), N_MIN_LOG2)


def subblock_interleaver(n: int) -> np.ndarray:
    """J(0..N-1) of Section 5.4.1.1: y_j = d_{J(j)} (N a power of two >= 32).

    >>> subblock_interleaver(64)[:8].tolist()
    [0, 1, 2, 3, 4, 5, 8, 9]
    """
    if n < 32 or n & (n - 1):
        raise ValueError(f"the sub-block interleaver needs N a power of two >= 32, got {n}")
    j = np.arange(n)
    block = n // 32
    return SUBBLOCK_PATTERN[32 * j // n] * block + j % block


class RateMatch:
    """Rate matching of K bits (CRC included) to E: mother length, mode, the selection
    of sent bits and the recovery of mother-code LLRs."""

    def __init__(self, k: int, e: int, n_max: int = 10):
        if n_max not in (9, 10):
            raise ValueError(f"n_max must be 9 (downlink) or 10 (uplink), got {n_max}")
        self.k, self.e, self.n_max = int(k), int(e), int(n_max)
        self.n = mother_length(self.k, self.e, self.n_max)
        if self.k > self.n:
            raise ValueError(f"k + CRC bits = {self.k} exceed the mother code length N = {self.n} (n_max = {n_max})")
        if self.k > self.e:
            raise ValueError(f"k + CRC bits = {self.k} exceed e = {self.e}")
        self.interleaver = subblock_interleaver(self.n)
        n, e = self.n, self.e
        if e >= n:
            self.mode = "repetition"
            buffer = np.arange(e) % n
        elif self.k / e <= 7 / 16:
            self.mode = "puncturing"
            buffer = np.arange(e) + n - e
        else:
            self.mode = "shortening"
            buffer = np.arange(e)
        #: Mother-code position of each sent bit: e_k = d[sent[k]].
        self.sent = self.interleaver[buffer]
        #: Mother-code positions never sent: punctured (LLR 0) or shortened (known 0).
        self.unsent = np.sort(self.interleaver[: n - e] if self.mode == "puncturing" else self.interleaver[e:])
        self._copies = np.bincount(self.sent, minlength=n)

    def repetitions(self) -> np.ndarray:
        """How many times each mother position is observed: 0 punctured, inf shortened
        (known), the number of copies otherwise."""
        copies = self._copies.astype(np.float64)
        if self.mode == "shortening":
            copies[self.unsent] = np.inf
        return copies

    def frozen_5g(self) -> np.ndarray:
        """The frozen mask of Section 5.3.1.2: the K most reliable indices of the 5G
        sequence outside the punctured/shortened set (and, when puncturing, outside the
        first ceil(3N/4 - E/2) or ceil(9N/16 - E/4) indices)."""
        n, e = self.n, self.e
        excluded = np.zeros(n, dtype=bool)
        excluded[self.unsent] = True
        if self.mode == "puncturing":
            low = math.ceil(3 * n / 4 - e / 2) if e >= 3 * n / 4 else math.ceil(9 * n / 16 - e / 4)
            excluded[:low] = True
        order = RELIABILITY_5G[RELIABILITY_5G < n][::-1]  # most reliable first
        chosen = order[~excluded[order]][: self.k]
        if chosen.size < self.k:
            raise ValueError(f"only {chosen.size} indices remain after {self.mode} for k + CRC bits = {self.k}")
        frozen = np.ones(n, dtype=bool)
        frozen[chosen] = False
        return frozen

    def select(self, x: np.ndarray) -> np.ndarray:
        """Mother codewords (F, N) -> the E sent bits (F, E)."""
        return np.ascontiguousarray(x[:, self.sent])

    def recover(self, llr: np.ndarray) -> np.ndarray:
        """Channel LLRs (F, E) -> mother-code LLRs (F, N) in float32: copies summed,
        punctured 0, shortened +SHORTENED_LLR."""
        llr = np.asarray(llr)
        full = np.zeros((llr.shape[0], self.n), dtype=np.float32)
        if self.mode == "repetition":
            for start in range(0, self.e, self.n):  # whole passes of the circular buffer
                stop = min(start + self.n, self.e)
                full[:, self.sent[start:stop]] += llr[:, start:stop]
        else:
            full[:, self.sent] = llr
            if self.mode == "shortening":
                full[:, self.unsent] = SHORTENED_LLR
        return full

    def describe(self) -> str:
        return f"N={self.n} {self.mode}"
