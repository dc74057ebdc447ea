r"""Polar encoding on a batch: the transform :math:`x = u\,G_N`, :math:`G_N = F^{\otimes n}`.

:func:`polar_transform` applies :math:`G_N` with n butterfly stages
(:math:`x_{[a, a+h)} \mathrel{\oplus}= x_{[a+h, a+2h)}` for every block of 2h). Since
:math:`G_N^2 = I` over GF(2) the transform is an involution.

Non-systematic: u carries the information bits at the non-frozen indices A, zeros
elsewhere, and x = u G. Systematic (Arikan 2011): the information shows up in x itself,
:math:`x_A = d`; with v = d placed on A, :math:`x = ((v\,G)|_{A}\text{, 0 elsewhere})\,G`.
This holds when A is closed under the polar partial order (true for every construction in
:mod:`.construction` at practical design SNRs); :func:`systematic_encode` checks it.

Example
-------
>>> import numpy as np
>>> polar_transform(np.array([[1, 0, 0, 0], [0, 0, 0, 1]], dtype=np.uint8)).tolist()
[[1, 0, 0, 0], [1, 1, 1, 1]]
>>> frozen = np.array([True, True, False, False])
>>> x = systematic_encode(np.array([[1, 0]], dtype=np.uint8), frozen)
>>> x[:, ~frozen].tolist()
[[1, 0]]
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _transform_rows(x):
    frames, n = x.shape
    for f in range(frames):
        h = 1
        while h < n:
            for blk in range(0, n, 2 * h):
                for i in range(blk, blk + h):
                    x[f, i] ^= x[f, i + h]
            h *= 2


def polar_transform(u: np.ndarray) -> np.ndarray:
    """(F, N) uint8 -> (F, N) uint8: rows multiplied by G_N (a new array)."""
    x = np.array(u, dtype=np.uint8, copy=True, order="C")
    if x.ndim != 2:
        raise ValueError(f"polar_transform takes a (frames, N) array, got shape {x.shape}")
    _transform_rows(x)
    return x


def place(info: np.ndarray, frozen: np.ndarray) -> np.ndarray:
    """(F, K) information bits -> (F, N) u with zeros on the frozen indices."""
    u = np.zeros((info.shape[0], frozen.size), dtype=np.uint8)
    u[:, ~frozen] = info
    return u


def encode(info: np.ndarray, frozen: np.ndarray) -> np.ndarray:
    """Non-systematic polar encoding: x = u G_N with u_A = info, u_F = 0."""
    return polar_transform(place(info, frozen))


def systematic_encode(info: np.ndarray, frozen: np.ndarray) -> np.ndarray:
    """Systematic polar encoding: x_A = info and x = u G_N for some u with u_F = 0."""
    u = polar_transform(place(info, frozen))
    u[:, frozen] = 0
    x = polar_transform(u)
    if not np.array_equal(x[:, ~frozen], np.asarray(info, dtype=np.uint8)):
        raise ValueError("the information set is not closed under the polar partial order: "
                         "systematic encoding needs a domination-contiguous frozen set")
    return x
