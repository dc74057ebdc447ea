r"""Encoders for a parity-check matrix H (m x n, full rank m over GF(2)).

* :class:`SystematicEncoder` works for any full-rank H. Gaussian elimination (once per
  code) brings H to :math:`[A \mid I]` up to a column permutation, choosing pivots from the
  last columns first; the k = n - m non-pivot positions carry the message and the m pivot
  positions the parities :math:`p = A u` (mod 2). For the 802.11n codes the message lands
  in the first k positions, as the standard sends it.
* :class:`DualDiagonalEncoder` is the linear-time encoder of the 802.11n quasi-cyclic codes
  (base matrix :math:`[H_s \mid h_b \mid H_{dd}]`, :math:`h_b` of shifts (1, 0, 1), H_dd
  the dual diagonal): with the block syndromes :math:`\lambda_i = \sum_j P^{B_{ij}} u_j`,
  :math:`p_0 = \sum_i \lambda_i`, :math:`p_1 = \lambda_0 + P^{b_0} p_0` and
  :math:`p_{i+1} = p_i + \lambda_i + P^{b_i} p_0`.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.ldpc.matrices import ieee80211n
>>> H = ieee80211n(648, "1/2")
>>> u = np.random.default_rng(0).integers(0, 2, size=(3, 324), dtype=np.uint8)
>>> c = SystematicEncoder(H).encode(u)
>>> bool(((H @ c.T) % 2 == 0).all()), bool((c[:, :324] == u).all())
(True, True)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .matrices import gf2_eliminate


class RankDeficientError(ValueError):
    """H has dependent rows, so it does not define an (n, n - m) code to encode."""


class SystematicEncoder:
    """Encoder of any full-rank H by Gaussian elimination (done once, at construction).

    ``info_positions`` (k,) are where the message sits in the codeword,
    ``parity_positions`` (m,) where the parities go; ``encode`` takes (F, k) uint8.
    """

    def __init__(self, H: sp.spmatrix | np.ndarray):
        dense = (H.toarray() if sp.issparse(H) else np.asarray(H)).astype(np.uint8) & 1
        m, n = dense.shape
        # eliminate on the reversed column order so parities prefer the last columns
        work = np.packbits(dense[:, ::-1], axis=1)
        pivots = gf2_eliminate(work, n)
        rank = len(pivots)
        if rank < m:
            raise RankDeficientError(
                f"H ({m} x {n}) has GF(2) rank {rank} < {m} rows, so it is not an ({n}, {n - m}) code; "
                "systematic encoding needs a full-rank H (use another seed or remove the dependent rows)"
            )
        reduced = np.unpackbits(work, axis=1, count=n)[:, ::-1]  # back to the original order
        parity_positions = n - 1 - np.array(pivots)
        is_parity = np.zeros(n, bool)
        is_parity[parity_positions] = True
        self.n, self.k, self.m = n, n - m, m
        self.info_positions = np.nonzero(~is_parity)[0]
        self.parity_positions = parity_positions
        # row r of the reduced matrix: c[parity_positions[r]] + A[r] . u = 0
        self._a_t = reduced[:, self.info_positions].T.astype(np.float32)  # (k, m)

    def encode(self, u: np.ndarray) -> np.ndarray:
        """uint8 messages (F, k) -> codewords (F, n)."""
        u = np.asarray(u, dtype=np.uint8)
        c = np.empty((u.shape[0], self.n), dtype=np.uint8)
        c[:, self.info_positions] = u
        # float32 products are exact below 2^24 ones per row
        c[:, self.parity_positions] = (u.astype(np.float32) @ self._a_t).astype(np.int64) & 1
        return c


class DualDiagonalEncoder:
    """Linear-time encoder of a quasi-cyclic code whose base matrix ends in the 802.11n
    parity part: a column with three nonzero shifts (a, 0 in some middle row, a) followed
    by the identity dual diagonal. Message in the first k = (nb - mb) Z positions."""

    def __init__(self, base: np.ndarray, z: int):
        base = np.asarray(base, dtype=np.int64)
        mb, nb = base.shape
        kb = nb - mb
        hb = base[:, kb]
        dd = base[:, kb + 1:]
        expected = np.full((mb, mb - 1), -1)
        expected[np.arange(mb - 1), np.arange(mb - 1)] = 0
        expected[np.arange(1, mb), np.arange(mb - 1)] = 0
        rows = np.nonzero(hb >= 0)[0]
        if not (np.array_equal(dd, expected) and len(rows) == 3 and rows[0] == 0 and rows[-1] == mb - 1
                and hb[0] == hb[-1] and hb[rows[1]] == 0):
            raise ValueError("base matrix does not have the 802.11n dual-diagonal parity structure")
        self.base, self.z, self.mb, self.kb = base, int(z), mb, kb
        self.n, self.k = nb * z, kb * z
        self._hb = hb
        self._blocks = [[(j, int(base[i, j])) for j in range(kb) if base[i, j] >= 0] for i in range(mb)]

    def _shift(self, x: np.ndarray, s: int) -> np.ndarray:
        """P^s x for a batch of Z-blocks: (P^s x)[r] = x[(r + s) mod Z]."""
        return np.roll(x, -s, axis=1) if s else x

    def encode(self, u: np.ndarray) -> np.ndarray:
        """uint8 messages (F, k) -> codewords (F, n), systematic in the first k bits."""
        u = np.asarray(u, dtype=np.uint8)
        F, z = u.shape[0], self.z
        ub = u.reshape(F, self.kb, z)
        lam = np.zeros((F, self.mb, z), dtype=np.uint8)
        for i, blocks in enumerate(self._blocks):
            for j, s in blocks:
                lam[:, i] ^= self._shift(ub[:, j], s)
        p = np.empty((F, self.mb, z), dtype=np.uint8)
        p[:, 0] = np.bitwise_xor.reduce(lam, axis=1)  # the shifts of h_b cancel but the middle 0
        acc = np.zeros((F, z), dtype=np.uint8)
        for i in range(self.mb - 1):
            acc ^= lam[:, i]
            if self._hb[i] >= 0:
                acc ^= self._shift(p[:, 0], int(self._hb[i]))
            p[:, i + 1] = acc
        c = np.empty((F, self.n), dtype=np.uint8)
        c[:, : self.k] = u
        c[:, self.k:] = p.reshape(F, -1)
        return c
