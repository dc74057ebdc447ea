r"""Bit labellings: which m-bit label each point of a constellation carries.

A label is an integer :math:`0 \le \ell < M = 2^m`; its bits, most significant first, are the
m consecutive coded bits :math:`b_0 \dots b_{m-1}` that select the point (so bit :math:`b_0` of
a symbol is the first of its coded bits in the codeword).

* **Gray** (default): neighbouring points differ in one bit, so the most likely symbol error
  costs one bit error. On a line or a circle of points, point i gets the binary-reflected
  Gray code :math:`g(i) = i \oplus \lfloor i/2 \rfloor`; square QAM is the product of two
  Gray PAM rails (the first m/2 bits on the in-phase rail, the last m/2 on the quadrature
  rail, as in IEEE 802.11).
* **natural**: point i gets label i, binary counting along the line or the circle (square
  QAM: the product of two natural PAM rails).
* **set-partition** (Ungerboeck 1982): each bit, least significant first, splits the current
  subset into two whose minimum distance grows (PSK and PAM: the natural order already does;
  square QAM: the lattice chain :math:`\mathbb Z^2 / R\mathbb Z^2 / 2\mathbb Z^2 / \dots`,
  each level doubling the squared distance).

Example
-------
>>> gray_code(8).tolist()
[0, 1, 3, 2, 6, 7, 5, 4]
>>> qam_set_partition(2).tolist()  # 4 points of a 2 x 2 grid, row-major
[0, 1, 3, 2]
"""

from __future__ import annotations

import numpy as np

LABELLINGS = ("gray", "natural", "set-partition")


def gray_code(count: int) -> np.ndarray:
    """Binary-reflected Gray code g(i) = i XOR (i >> 1) for i = 0 .. count-1 (adjacent
    entries differ in exactly one bit, the last and the first too when count is a power of 2)."""
    i = np.arange(count, dtype=np.int64)
    return i ^ (i >> 1)


def bits_of(labels: np.ndarray, m: int) -> np.ndarray:
    """uint8 (M, m): bit j of each label, most significant first.

    >>> bits_of(np.array([0, 5]), 3).tolist()
    [[0, 0, 0], [1, 0, 1]]
    """
    shifts = np.arange(m - 1, -1, -1, dtype=np.int64)
    return ((np.asarray(labels, dtype=np.int64)[:, None] >> shifts) & 1).astype(np.uint8)


def qam_set_partition(side: int) -> np.ndarray:
    r"""Set-partition labels of a side x side square grid (side a power of two), row-major
    (index = row·side + column). Level by level, least significant bit first: the bit is the
    parity :math:`(a + b) \bmod 2` of the grid coordinates (a checkerboard split, squared
    distance doubles), then the coset is rotated by 45° and scaled, :math:`(a, b) \to
    ((a + b)/2, (b - a)/2)`, for the next level. The side x side points are one coset
    representative each of :math:`R^m\mathbb Z^2 = \mathrm{side}\,\mathbb Z^2`, so the labels are
    a permutation."""
    m = 2 * int(side).bit_length() - 2
    labels = np.zeros(side * side, dtype=np.int64)
    for row in range(side):
        for col in range(side):
            a, b, label = col, row, 0
            for level in range(m):
                bit = (a + b) & 1
                label |= bit << level
                a -= bit
                a, b = (a + b) // 2, (b - a) // 2
            labels[row * side + col] = label
    return labels
