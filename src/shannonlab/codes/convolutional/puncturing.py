r"""Puncturing of a rate-1/n mother code by a periodic pattern.

A pattern is an n × P 0/1 matrix: output j at time t is sent iff ``pattern[j, t mod P]``
is 1. Sending w of the n·P bits of each period turns rate 1/n into P/w (before the tail).
The receiver puts LLR 0 (no information) where bits were not sent.

Named patterns are those of IEEE 802.11 (clause 17.3.5.6) for the rate-1/2 K = 7 (133, 171)
code, also used by DVB-S and many others:

- ``"2/3"``: [[1, 1], [1, 0]]
- ``"3/4"``: [[1, 1, 0], [1, 0, 1]]
- ``"5/6"``: [[1, 1, 0, 1, 0], [1, 0, 1, 0, 1]] (802.11n)

Example
-------
>>> import numpy as np
>>> p = Puncturer(resolve_pattern("3/4", 2), 2, 6)
>>> (p.n_out, p.keep.tolist())
(8, [0, 1, 2, 5, 6, 7, 8, 11])
>>> p.depuncture(np.arange(1.0, 9.0)[None]).tolist()
[[1.0, 2.0, 3.0, 0.0, 0.0, 4.0, 5.0, 6.0, 7.0, 0.0, 0.0, 8.0]]
"""

from __future__ import annotations

import numpy as np

NAMED_PATTERNS: dict[str, list[list[int]]] = {
    "2/3": [[1, 1], [1, 0]],
    "3/4": [[1, 1, 0], [1, 0, 1]],
    "5/6": [[1, 1, 0, 1, 0], [1, 0, 1, 0, 1]],
}


def resolve_pattern(pattern: str | list[list[int]], n: int) -> np.ndarray:
    """The n × P pattern as a uint8 array: a name from :data:`NAMED_PATTERNS` (rate-1/2
    codes only) or a matrix, checked to be 0/1 with one row per output and to send at
    least P bits per period of P inputs (a rate of at most 1)."""
    if isinstance(pattern, str):
        if pattern not in NAMED_PATTERNS:
            raise ValueError(f"unknown pattern {pattern!r} (named: {', '.join(NAMED_PATTERNS)}, or a 0/1 matrix)")
        if n != 2:
            raise ValueError(f"the named pattern {pattern!r} is for rate-1/2 codes, this code has {n} outputs")
        pattern = NAMED_PATTERNS[pattern]
    rows = [list(r) for r in pattern]
    if len(rows) != n:
        raise ValueError(f"needs one row per generator ({n}), got {len(rows)}")
    if len({len(r) for r in rows}) != 1 or not rows[0]:
        raise ValueError("rows must be non-empty and of equal length")
    arr = np.array(rows)
    if not np.isin(arr, (0, 1)).all():
        raise ValueError("entries must be 0 or 1")
    if arr.sum() < arr.shape[1]:
        raise ValueError(f"sends {int(arr.sum())} bits per {arr.shape[1]} inputs, a rate above 1")
    return arr.astype(np.uint8)


class Puncturer:
    """Index bookkeeping for one codeword length: ``keep`` lists the sent positions of the
    interleaved mother codeword of ``n_steps`` trellis steps."""

    def __init__(self, pattern: np.ndarray, n: int, n_steps: int):
        self.pattern = pattern
        P = pattern.shape[1]
        mask = np.array([pattern[j, t % P] for t in range(n_steps) for j in range(n)], dtype=bool)
        self.n_in = n * n_steps
        self.keep = np.flatnonzero(mask)
        self.n_out = int(self.keep.size)

    def puncture(self, c: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(c[:, self.keep])

    def depuncture(self, llr: np.ndarray) -> np.ndarray:
        full = np.zeros((llr.shape[0], self.n_in), dtype=llr.dtype)
        full[:, self.keep] = llr
        return full
