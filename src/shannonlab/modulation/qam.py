r"""M-PAM and square M-QAM.

**M-PAM**: amplitudes :math:`M-1, M-3, \dots, -(M-1)` (point i has amplitude
:math:`M - 1 - 2i`, so label 0 is the largest, and 2-PAM is BPSK's 1 - 2b) on the real axis,
scaled to unit energy :math:`E_s = (M^2-1)/3 \cdot a^2 = 1`. Gray: point i gets :math:`g(i)`;
natural and set-partition: label i (the natural order halves a PAM line into two of twice
the spacing at every bit, which is Ungerboeck's partition).

**Square M-QAM** (M = 4, 16, ..., 1024): the product of two :math:`\sqrt M`-PAM rails, the
in-phase rail carrying the first m/2 bits of the label and the quadrature rail the last m/2
(IEEE 802.11 order), energy :math:`E_s = 2(M-1)/3 \cdot a^2 = 1`. Gray and natural labels
are products of the rails' labels, so the demapper and the capacity quadrature work rail by
rail (:attr:`~shannonlab.modulation.Constellation.rail`); set-partition labels are
:func:`~shannonlab.modulation.labelling.qam_set_partition` and are not a product.

Example
-------
>>> points, labels = square_qam(16, "gray")
>>> round(float(np.mean(np.abs(points) ** 2)), 12)
1.0
>>> labels[:4].tolist()  # top row, left to right: I bits vary (Gray), Q bits 00
[8, 12, 4, 0]
"""

from __future__ import annotations

import math

import numpy as np

from .labelling import gray_code, qam_set_partition


def pam_amplitudes(L: int) -> np.ndarray:
    """Unnormalised amplitudes L-1, L-3, ..., -(L-1) (index i has amplitude L - 1 - 2i)."""
    return (L - 1 - 2 * np.arange(L)).astype(np.float64)


def pam(M: int, labelling: str = "gray") -> tuple[np.ndarray, np.ndarray]:
    """Points (real, stored complex, unit energy) and labels of M-PAM."""
    a = pam_amplitudes(M)
    a /= math.sqrt(np.mean(a * a))
    labels = gray_code(M) if labelling == "gray" else np.arange(M, dtype=np.int64)
    return a.astype(np.complex128), labels


def square_qam(M: int, labelling: str = "gray") -> tuple[np.ndarray, np.ndarray]:
    """Points (row-major: the quadrature amplitude falls by row, the in-phase one grows...
    by column index as PAM, i.e. index = row·side + column) and labels of square M-QAM."""
    side = math.isqrt(M)
    h = side.bit_length() - 1  # bits per rail
    a = pam_amplitudes(side)
    # row r has quadrature amplitude a[r], column c in-phase amplitude a[::-1][c] (left to right)
    columns = a[::-1]
    re = np.tile(columns, side)
    im = np.repeat(a, side)
    points = (re + 1j * im) / math.sqrt(2.0 * (M - 1) / 3.0)
    if labelling == "set-partition":
        return points, qam_set_partition(side)
    rail = gray_code(side) if labelling == "gray" else np.arange(side, dtype=np.int64)
    # in-phase rail label of column c: the PAM label of amplitude columns[c] = a[side-1-c]
    i_labels = rail[side - 1 - np.arange(side)]
    q_labels = rail  # row r has amplitude a[r]: PAM index r
    labels = (np.tile(i_labels, side) << h) | np.repeat(q_labels, side)
    return points, labels
