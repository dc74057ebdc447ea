r"""Weight spectra of binary linear codes: the weight enumerator :math:`A_w` (number of
codewords of Hamming weight w) and the input–output weight enumerator :math:`A_{i,w}`
(codewords of weight w whose message has weight i).

* **Enumeration** (k up to about 30): the 2^k codewords are visited in Gray-code order, so
  each step XORs one row of G into the running codeword (n bits packed in 64-bit words) and
  counts its weight by popcount — one numba loop, about 1e9 codewords per few seconds.
* **MacWilliams** (n − k up to about 30): enumerate the dual code C⊥ (dimension n − k) and
  transform,

  .. math::  A_w = \frac{1}{|C^\perp|}\sum_{j=0}^{n} B_j\,K_w(j), \qquad
             K_w(j) = \sum_{s} (-1)^s \binom js\binom{n-j}{w-s}

  (Krawtchouk polynomials; MacWilliams and Sloane, *The Theory of Error-Correcting Codes*,
  ch. 5), in exact integer arithmetic.

Any code of the project whose encoder is linear works: G is read as the encoding of the
unit messages (``code.encode(I_k)``), so Hamming, repetition, linear, Golay, LDPC, polar and
terminated convolutional codes all have a spectrum (if k or n − k is small enough).

Example
-------
>>> from shannonlab.codes.block.hamming import HammingCode
>>> weight_enumerator(HammingCode(3)).tolist()
[1, 0, 0, 7, 7, 0, 0, 1]
>>> macwilliams([1, 0, 0, 0, 7, 0, 0, 0], 7).tolist()        # from the (7,3) simplex code
[1, 0, 0, 7, 7, 0, 0, 1]
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import ShannonlabError

#: Enumerating 2^k codewords is attempted up to this k (and the dual up to this n − k).
ENUMERATION_MAX_K = 32


@njit(cache=True, inline="always")
def _popcount64(x):
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True)
def _gray_walk(rows, n, k, with_inputs):
    """Visit all 2^k codewords in Gray order; returns A (n+1,) or A_iw (k+1, n+1)."""
    words = rows.shape[1]
    counts = np.zeros((k + 1 if with_inputs else 1, n + 1), dtype=np.int64)
    current = np.zeros(words, dtype=np.uint64)
    counts[0, 0] = 1
    info = 0
    for i in range(1, 1 << k):
        # the row to flip is the index of the lowest set bit of i
        r = 0
        j = i
        while (j & 1) == 0:
            j >>= 1
            r += 1
        w = 0
        for t in range(words):
            current[t] ^= rows[r, t]
            w += _popcount64(current[t])
        if with_inputs:
            info ^= 1 << r
            counts[_popcount64(np.uint64(info)), w] += 1
        else:
            counts[0, w] += 1
    return counts


def _pack(matrix: np.ndarray) -> np.ndarray:
    """Rows of a 0/1 matrix as uint64 words (bit j of word t = column 64t + j)."""
    k, n = matrix.shape
    words = (n + 63) // 64
    padded = np.zeros((k, words * 64), dtype=np.uint64)
    padded[:, :n] = matrix
    shifts = np.arange(64, dtype=np.uint64)
    return (padded.reshape(k, words, 64) << shifts).sum(axis=2).astype(np.uint64)


def gf2_row_reduce(matrix: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form over GF(2) (zero rows dropped) and the pivot columns."""
    m = np.array(matrix, dtype=np.uint8) % 2
    pivots, row = [], 0
    for col in range(m.shape[1]):
        hits = np.flatnonzero(m[row:, col]) + row
        if hits.size == 0:
            continue
        m[[row, hits[0]]] = m[[hits[0], row]]
        others = np.flatnonzero(m[:, col])
        others = others[others != row]
        m[others] ^= m[row]
        pivots.append(col)
        row += 1
        if row == m.shape[0]:
            break
    return m[:row], pivots


def dual_basis(generator: np.ndarray) -> np.ndarray:
    """A basis (rows) of the dual code: the null space of G over GF(2).

    >>> dual_basis(np.array([[1, 1, 1]], dtype=np.uint8)).tolist()
    [[1, 1, 0], [1, 0, 1]]
    """
    rref, pivots = gf2_row_reduce(generator)
    n = rref.shape[1]
    free = [c for c in range(n) if c not in pivots]
    basis = np.zeros((len(free), n), dtype=np.uint8)
    for t, f in enumerate(free):
        basis[t, f] = 1
        for r, p in enumerate(pivots):
            basis[t, p] = rref[r, f]
    return basis


def generator_of(code) -> np.ndarray:
    """G (k × n) of a project code: ``generator_matrix`` when it has one, otherwise the
    encodings of the unit messages (the encoder being linear)."""
    g = getattr(code, "generator_matrix", None)
    if g is not None and not callable(g):
        return np.asarray(g, dtype=np.uint8)
    k = int(code.k)
    return np.asarray(code.encode(np.eye(k, dtype=np.uint8)), dtype=np.uint8) % 2


def enumerate_spectrum(generator: np.ndarray, inputs: bool = False) -> np.ndarray:
    """A_w by a Gray-code walk over 2^k codewords (``inputs=True``: A_{i,w}, (k+1) × (n+1)).

    >>> enumerate_spectrum(np.array([[1, 1, 0], [0, 1, 1]], dtype=np.uint8)).tolist()
    [1, 0, 3, 0]
    """
    g = np.asarray(generator, dtype=np.uint8) % 2
    k, n = g.shape
    if k > ENUMERATION_MAX_K:
        raise ShannonlabError(f"code: enumerating 2^k codewords needs k <= {ENUMERATION_MAX_K}, got k = {k}")
    counts = _gray_walk(_pack(g), n, k, inputs)
    return counts if inputs else counts[0]


def macwilliams(dual_spectrum, n: int) -> np.ndarray:
    r"""A_w of a code from the weight enumerator B_j of its dual (exact integers).

    >>> macwilliams([1, 0, 0, 0, 0, 0, 0, 1], 7).tolist()[:4]           # dual of repetition
    [1, 0, 21, 0]
    """
    b = [int(v) for v in dual_spectrum]
    size = sum(b)
    totals = [0] * (n + 1)
    for j, bj in enumerate(b):
        if not bj:
            continue
        # K_0 .. K_n at j by the three-term recurrence (w + 1) K_(w+1) = (n - 2j) K_w - (n - w + 1) K_(w-1),
        # exact in integers: O(n) per dual weight instead of O(n^2)
        previous, current = 0, 1
        for w in range(n + 1):
            totals[w] += bj * current
            previous, current = current, ((n - 2 * j) * current - (n - w + 1) * previous) // (w + 1)
    out = []
    for total in totals:
        if total % size:
            raise ShannonlabError("dual_spectrum: not the weight enumerator of a linear code (MacWilliams gave a fraction)")
        out.append(total // size)
    return np.array(out, dtype=object if max(out) > 2 ** 62 else np.int64)


def weight_enumerator(code) -> np.ndarray:
    r"""A_w, w = 0..n, of any linear code of the project: enumeration when k <= 32,
    otherwise MacWilliams from the dual when n − k <= 32.

    >>> from shannonlab.codes.block.golay import GolayCode
    >>> a = weight_enumerator(GolayCode(extended=True))
    >>> {w: int(c) for w, c in enumerate(a) if c}
    {0: 1, 8: 759, 12: 2576, 16: 759, 24: 1}
    """
    g = generator_of(code)
    rref, _ = gf2_row_reduce(g)
    k, n = rref.shape
    if k <= ENUMERATION_MAX_K and (k <= n - k or n - k > ENUMERATION_MAX_K):
        return enumerate_spectrum(rref)
    if n - k <= ENUMERATION_MAX_K:
        return macwilliams(enumerate_spectrum(dual_basis(rref)) if n > k else [1], n)
    raise ShannonlabError(f"code: a weight enumerator needs k <= {ENUMERATION_MAX_K} or n - k <= {ENUMERATION_MAX_K}, got n = {n}, k = {k}")


def input_output_weight_enumerator(code) -> np.ndarray:
    """A_{i,w}: codewords of weight w whose message has weight i, (k+1) × (n+1), by enumeration
    with the code's own encoder map (k <= 32). Its row sums over i give A_w; the bit-error
    union bound uses Σ_i (i/k) A_{i,w}.

    >>> from shannonlab.codes.block.hamming import HammingCode
    >>> input_output_weight_enumerator(HammingCode(3))[:, 3].tolist()      # weight-3 codewords
    [0, 3, 3, 1, 0]
    """
    return enumerate_spectrum(generator_of(code), inputs=True)
