r"""M-PSK: M points on the unit circle, :math:`x_i = e^{j 2\pi i/M}` (BPSK: +1, -1), with
Gray (point i labelled :math:`g(i)`), natural or set-partition (natural order is Ungerboeck's
partition for PSK) labels. QPSK is the square 4-QAM of :mod:`.qam` (points at ±45°), the
convention of every standard; ``4psk`` is the same set rotated to 0°, 90°, ...

Example
-------
>>> points, labels = psk(8, "gray")
>>> labels.tolist()
[0, 1, 3, 2, 6, 7, 5, 4]
>>> round(float(abs(points[1] - points[0])), 4)  # 2 sin(pi/8)
0.7654
"""

from __future__ import annotations

import numpy as np

from .labelling import gray_code


def psk(M: int, labelling: str = "gray") -> tuple[np.ndarray, np.ndarray]:
    """Points (complex, unit energy) and their labels (labels[i] is the label of points[i])."""
    points = np.exp(2j * np.pi * np.arange(M) / M)
    points.real[np.abs(points.real) < 1e-15] = 0.0  # exact axes for BPSK and 4-PSK
    points.imag[np.abs(points.imag) < 1e-15] = 0.0
    labels = gray_code(M) if labelling == "gray" else np.arange(M, dtype=np.int64)
    return points, labels
