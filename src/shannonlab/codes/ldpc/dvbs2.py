r"""DVB-S2 LDPC codes (ETSI EN 302 307-1 §5.3.2, Annexes B and C): the normal (n = 64 800)
and short (n = 16 200) frames, from the standard's address tables (``dvbs2_64800.txt``,
``dvbs2_16200.txt``).

The codes are irregular repeat-accumulate (IRA). With m = n − k parity bits and
q = m / 360, row j of a rate's table lists the parity addresses x of information bit
360 j; bit 360 j + i (i < 360) is added to the parity accumulators
:math:`(x + i\,q) \bmod m`. The encoder accumulates :math:`\lambda = H_u u` (mod 2) and
then :math:`p_0 = \lambda_0`, :math:`p_r = p_{r−1} \oplus \lambda_r`: the parity part of H
is the staircase (dual diagonal), so the codeword :math:`c = (u, p)` is systematic and
encoding is linear-time, with no dense matrix.

Information lengths k (Tables 5a and 5b): normal 16200 (1/4), 21600 (1/3), 25920 (2/5),
32400 (1/2), 38880 (3/5), 43200 (2/3), 48600 (3/4), 51840 (4/5), 54000 (5/6), 57600 (8/9),
58320 (9/10); short 3240 (1/4), 5400 (1/3), 6480 (2/5), 7200 (1/2), 9720 (3/5),
10800 (2/3), 11880 (3/4), 12600 (4/5), 13320 (5/6), 14400 (8/9) — the short 1/4, 1/2, 3/4,
4/5 and 5/6 codes have effective rates 1/5, 4/9, 11/15, 7/9, 37/45; short frames have no
9/10. All 21 codes of the standard are stored.

Example
-------
>>> import numpy as np
>>> code = dvbs2_code(16200, "1/2")
>>> code.H.shape, code.encoder.k
((9000, 16200), 7200)
>>> c = code.encoder.encode(np.random.default_rng(0).integers(0, 2, (2, 7200), dtype=np.uint8))
>>> bool(((code.H @ c.T) % 2 == 0).all())
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

#: Information bits k of each rate (EN 302 307-1 Tables 5a and 5b).
K_LDPC = {
    64800: {"1/4": 16200, "1/3": 21600, "2/5": 25920, "1/2": 32400, "3/5": 38880, "2/3": 43200, "3/4": 48600,
            "4/5": 51840, "5/6": 54000, "8/9": 57600, "9/10": 58320},
    16200: {"1/4": 3240, "1/3": 5400, "2/5": 6480, "1/2": 7200, "3/5": 9720, "2/3": 10800, "3/4": 11880,
            "4/5": 12600, "5/6": 13320, "8/9": 14400},
}
GROUP = 360


@functools.lru_cache(maxsize=None)
def _tables(n: int) -> dict[str, list[list[int]]]:
    tables: dict[str, list[list[int]]] = {}
    rows: list[list[int]] = []
    for line in Path(__file__).with_name(f"dvbs2_{n}.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("rate"):
            rows = tables.setdefault(line.split()[1], [])
        else:
            rows.append([int(x) for x in line.split()])
    return tables


def address_table(n: int, rate: str) -> list[list[int]]:
    """The rows of parity addresses of the DVB-S2 code (n, rate); one-line error for a
    frame size or rate the standard does not have."""
    if n not in K_LDPC:
        raise ValueError(f"DVB-S2 frames have n = 64800 (normal) or 16200 (short), got {n}")
    if rate not in K_LDPC[n]:
        raise ValueError(f"DVB-S2 {'normal' if n == 64800 else 'short'} frames have rates "
                         f"{', '.join(K_LDPC[n])}, got {rate!r}")
    tables = _tables(n)
    if rate not in tables:
        raise ValueError(f"the DVB-S2 n = {n} rate {rate} address table is not stored yet (EN 302 307-1 Annex B); "
                         f"rates available: {', '.join(tables)}")
    rows = tables[rate]
    if len(rows) * GROUP != K_LDPC[n][rate]:
        raise ValueError(f"DVB-S2 table n = {n} rate {rate} has {len(rows)} rows, expected {K_LDPC[n][rate] // GROUP}")
    return rows


class IRAEncoder:
    """Linear-time encoder of an IRA code: parity accumulators λ = H_u u, then the
    running XOR p_r = p_{r−1} ⊕ λ_r. ``encode`` maps (F, k) messages to (F, n) codewords
    (u, p)."""

    def __init__(self, h_info: sp.csr_matrix):
        self.m, self.k = h_info.shape
        self.n = self.k + self.m
        self.info_positions = np.arange(self.k)
        self._h_info_t = h_info.T.tocsr().astype(np.float32)

    def encode(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=np.uint8)
        if u.ndim != 2 or u.shape[1] != self.k:
            raise ValueError(f"messages must have shape (frames, {self.k}), got {u.shape}")
        lam = (sp.csr_matrix(u, dtype=np.float32) @ self._h_info_t).toarray().astype(np.int64) & 1
        c = np.empty((u.shape[0], self.n), np.uint8)
        c[:, : self.k] = u
        c[:, self.k:] = np.bitwise_xor.accumulate(lam, axis=1)
        return c


@dataclass
class DVBS2Code:
    """H (m x n, sparse) and the IRA encoder of one DVB-S2 code."""

    n: int
    rate: str
    q: int
    H: sp.csr_matrix
    encoder: IRAEncoder


@functools.lru_cache(maxsize=8)
def dvbs2_code(n: int, rate: str) -> DVBS2Code:
    """The DVB-S2 code of frame length ``n`` (64800 or 16200) and ``rate`` ("1/2", ...)."""
    rows = address_table(n, rate)
    k = K_LDPC[n][rate]
    m = n - k
    q = m // GROUP
    i = np.arange(GROUP)
    check_idx, bit_idx = [], []
    for j, row in enumerate(rows):
        x = np.asarray(row, np.int64)
        if x.max() >= m:
            raise ValueError(f"DVB-S2 table n = {n} rate {rate}: address {int(x.max())} >= n - k = {m}")
        check_idx.append(((x[None, :] + i[:, None] * q) % m).reshape(-1))
        bit_idx.append(np.repeat(GROUP * j + i, x.size))
    rows_i, cols_i = np.concatenate(check_idx), np.concatenate(bit_idx)
    h_info = sp.csr_matrix((np.ones(rows_i.size, np.uint8), (rows_i, cols_i)), shape=(m, k))
    h_info.data %= 2  # an address listed twice for one bit would cancel (none does in the standard)
    h_info.eliminate_zeros()
    r = np.arange(m)
    stair = sp.csr_matrix((np.ones(2 * m - 1, np.uint8), (np.concatenate([r, r[1:]]), np.concatenate([r, r[:-1]]))),
                          shape=(m, m))
    H = sp.hstack([h_info, stair], format="csr", dtype=np.uint8)
    return DVBS2Code(n, rate, q, H, IRAEncoder(h_info))
