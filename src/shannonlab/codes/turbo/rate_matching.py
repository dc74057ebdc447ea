r"""LTE turbo rate matching (TS 36.212 §5.1.4.1) as an index map: which of the three
encoder output streams' bits :math:`d^{(0)}, d^{(1)}, d^{(2)}` (each of D = K + 4 bits) is
sent at each of the E positions.

1. **Sub-block interleaving** (§5.1.4.1.1), per stream: C = 32 columns,
   R = ⌈D/32⌉ rows, :math:`N_D = 32R − D` dummy (NULL) bits in front. Streams 0 and 1
   are written row by row into the R × 32 matrix, its columns permuted by
   P = (0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30, 1, 17, 9, 25, 5, 21, 13,
   29, 3, 19, 11, 27, 7, 23, 15, 31) and read column by column; stream 2 reads
   :math:`v^{(2)}_k = y_{\pi(k)}` with :math:`\pi(k) = (P(\lfloor k/R \rfloor) + 32 (k \bmod R) + 1) \bmod K_\Pi`,
   :math:`K_\Pi = 32R`.
2. **Bit collection** (§5.1.4.1.2): the circular buffer
   :math:`w = (v^{(0)}, v^{(1)}_0, v^{(2)}_0, v^{(1)}_1, v^{(2)}_1, \dots)`,
   :math:`K_w = 3K_\Pi`; no limited soft buffer, so :math:`N_{cb} = K_w`.
3. **Bit selection** (§5.1.4.1.2): start at
   :math:`k_0 = R\,(2\lceil N_{cb}/(8R)\rceil\,rv + 2)` and read E bits cyclically,
   skipping NULLs: E above the :math:`K_w − 3N_D` real bits repeats, E below punctures.

Stream bits are numbered s·D + i (stream s, bit i), the layout of
:func:`lte_streams` in :mod:`.code`.

Example
-------
>>> idx = lte_rate_matching(40, 132, rv=0)        # K = 40: D = 44, R = 2, 20 dummies/stream
>>> idx[:4].tolist(), int(idx.size), int(np.unique(idx).size)
([20, 4, 36, 16], 132, 132)
"""

from __future__ import annotations

import numpy as np

#: Inter-column permutation of the sub-block interleaver (TS 36.212 Table 5.1.4-1).
COLUMN_PERMUTATION = np.array([0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30,
                               1, 17, 9, 25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31])
COLUMNS = 32
NULL = -1


def subblock_interleave(d: int, stream: int) -> np.ndarray:
    """Output of the sub-block interleaver of one stream of ``d`` bits as indices into the
    stream (NULL = −1 for a dummy bit); ``stream`` 0 and 1 share one rule, 2 has its own."""
    rows = -(-d // COLUMNS)
    k_pi = rows * COLUMNS
    dummies = k_pi - d
    y = np.arange(k_pi) - dummies  # y_k: the stream bit at matrix position k, or < 0 for NULL
    y[y < 0] = NULL
    if stream in (0, 1):
        matrix = y.reshape(rows, COLUMNS)[:, COLUMN_PERMUTATION]
        return matrix.T.reshape(-1)  # read column by column
    k = np.arange(k_pi)
    pi = (COLUMN_PERMUTATION[k // rows] + COLUMNS * (k % rows) + 1) % k_pi
    return y[pi]


def circular_buffer(k: int) -> tuple[np.ndarray, int]:
    """The circular buffer w (indices s·D + i into the three streams, NULL for dummies)
    of a K-bit code block and the number of rows R of the sub-block interleaver."""
    d = k + 4
    v = [subblock_interleave(d, s) for s in range(3)]
    shifted = [np.where(vs == NULL, NULL, vs + s * d) for s, vs in enumerate(v)]
    w = np.empty(3 * v[0].size, np.int64)
    w[: v[0].size] = shifted[0]
    w[v[0].size::2] = shifted[1]
    w[v[0].size + 1::2] = shifted[2]
    return w, -(-d // COLUMNS)


def lte_rate_matching(k: int, e: int, rv: int = 0) -> np.ndarray:
    """The E stream indices (s·D + i) sent for a K-bit code block at redundancy version
    ``rv`` (0..3), full circular buffer (N_cb = K_w)."""
    if rv not in (0, 1, 2, 3):
        raise ValueError(f"rv must be 0, 1, 2 or 3, got {rv}")
    if e < 1:
        raise ValueError(f"e must be a positive number of bits, got {e}")
    w, rows = circular_buffer(k)
    n_cb = w.size
    k0 = rows * (2 * -(-n_cb // (8 * rows)) * rv + 2)
    order = w[(k0 + np.arange(n_cb)) % n_cb]
    real = order[order != NULL]  # one pass over the buffer from k0, NULLs skipped
    return real[np.arange(e) % real.size]
