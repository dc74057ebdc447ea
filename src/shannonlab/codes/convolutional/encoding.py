r"""Convolutional encoding of a batch of frames, with the three terminations.

- ``zero-tail``: after the k information bits, m = K − 1 tail inputs drive the register
  back to state 0 (zeros for a feed-forward code, the feedback parity for a recursive one);
  the codeword has n·(k + m) bits and the rate counts the tail.
- ``truncated``: the encoder starts in state 0 and simply stops after k inputs (n·k bits).
- ``tail-biting``: a feed-forward encoder starts in the state its last m inputs leave it
  in, :math:`s_0 = (u_{k-1}, \dots, u_{k-m})`, so the trellis path is a circle (n·k bits).

Output bits are interleaved per time step: :math:`c = (c_{0,0}, \dots, c_{0,n-1}, c_{1,0}, \dots)`.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.convolutional.trellis import Trellis
>>> t = Trellis.from_octal(["7", "5"])
>>> encode(t, np.array([[1, 0, 1, 1]], np.uint8), "zero-tail").tolist()
[[1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1]]
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .trellis import Trellis

TERMINATIONS = ("zero-tail", "truncated", "tail-biting")


@njit(cache=True)
def _encode_kernel(u, next_u, out_u, tail_input, n, m, tail, start_states, c):
    F, k = u.shape
    for f in range(F):
        s = start_states[f]
        pos = 0
        for t in range(k + tail):
            bit = u[f, t] if t < k else tail_input[s]
            label = out_u[s, bit]
            for j in range(n):
                c[f, pos] = (label >> j) & 1
                pos += 1
            s = next_u[s, bit]


def tail_biting_start(u: np.ndarray, m: int) -> np.ndarray:
    r"""Start state of a feed-forward tail-biting encoder: the register holding the last m
    inputs, :math:`s_0 = \sum_{i=1}^{m} u_{k-i}\,2^{m-i}`.

    >>> tail_biting_start(np.array([[0, 0, 1, 1, 0]], np.uint8), 2).tolist()
    [1]
    """
    k = u.shape[1]
    if k < m:
        raise ValueError(f"tail-biting needs k >= K - 1 = {m}, got k = {k}")
    s = np.zeros(u.shape[0], np.int64)
    for i in range(1, m + 1):
        s |= u[:, k - i].astype(np.int64) << (m - i)
    return s


def encode(trellis: Trellis, u: np.ndarray, termination: str) -> np.ndarray:
    """Encode messages u (F, k) into the unpunctured codewords (F, n·T) with T = k + m for
    ``zero-tail`` and T = k otherwise."""
    u = np.ascontiguousarray(u, dtype=np.uint8)
    if u.ndim != 2:
        raise ValueError(f"messages must be a (frames, k) array, got shape {u.shape}")
    F, k = u.shape
    tail = trellis.m if termination == "zero-tail" else 0
    if termination == "tail-biting":
        if trellis.recursive:
            raise ValueError("tail-biting is available for feed-forward codes only")
        start = tail_biting_start(u, trellis.m)
    else:
        start = np.zeros(F, np.int64)
    c = np.empty((F, trellis.n * (k + tail)), np.uint8)
    _encode_kernel(u, trellis.next_u, trellis.out_u, trellis.tail_input, trellis.n, trellis.m, tail, start, c)
    return c
