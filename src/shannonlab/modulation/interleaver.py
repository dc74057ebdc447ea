r"""Bit interleavers between a code and a mapper (BICM): coded bit ``perm[p]`` is sent at
position p of the mapped stream (symbol p // m, label bit p % m); the receiver writes the
LLR of position p back to coded bit ``perm[p]``.

* ``random``: a uniformly random permutation of the n coded bits, drawn from
  ``SeedSequence([seed, n])``: fixed by the channel spec (its ``interleaver_seed``) and the
  codeword length, the same in every chunk, worker and run, and independent of the noise.
* ``row-column``: the coded bits are written column by column into a table of m columns
  and :math:`S = \lceil n/m\rceil` rows (column j holds bits jS .. jS + S - 1) and read row
  by row, so row s is symbol s (the DVB-S2 bit interleaver); cells past n are skipped. The m
  bits of a symbol come from m distant parts of the codeword.
* ``none``: the identity.

Example
-------
>>> Interleaver("row-column").permutation(8, 2).tolist()
[0, 4, 1, 5, 2, 6, 3, 7]
>>> import numpy as np
>>> il = Interleaver("random", seed=3)
>>> c = np.arange(10)[None, :]
>>> bool((il.deinterleave(il.interleave(c, 2).astype(float), 2) == c).all())
True
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

INTERLEAVERS = ("random", "row-column", "none")


@lru_cache(maxsize=256)
def _permutation(kind: str, seed: int, n: int, m: int) -> np.ndarray:
    if kind == "random":
        perm = np.random.default_rng(np.random.SeedSequence([int(seed), int(n)])).permutation(n)
    elif kind == "row-column":
        rows = -(-n // m)
        perm = np.array([j * rows + s for s in range(rows) for j in range(m) if j * rows + s < n], dtype=np.int64)
    else:
        perm = np.arange(n, dtype=np.int64)
    perm.flags.writeable = False
    return perm


class Interleaver:
    """A bit interleaver of kind ``random``, ``row-column`` or ``none`` (see the module)."""

    def __init__(self, kind: str = "random", seed: int = 1):
        if kind not in INTERLEAVERS:
            raise ValueError(f"interleaver must be one of {', '.join(INTERLEAVERS)}, got {kind!r}")
        self.kind, self.seed = kind, int(seed)

    def permutation(self, n: int, m: int) -> np.ndarray:
        """perm (n,): position p of the mapped stream carries coded bit perm[p]."""
        return _permutation(self.kind, self.seed, int(n), int(m))

    def interleave(self, c: np.ndarray, m: int) -> np.ndarray:
        """Coded bits (F, n) in the order they are mapped."""
        return c if self.kind == "none" else c[:, self.permutation(c.shape[1], m)]

    def deinterleave(self, llr: np.ndarray, m: int) -> np.ndarray:
        """LLRs (F, n) of the mapped stream back in codeword order."""
        if self.kind == "none":
            return llr
        out = np.empty_like(llr)
        out[:, self.permutation(llr.shape[1], m)] = llr
        return out

    def __repr__(self) -> str:
        return f"Interleaver({self.kind!r}, seed={self.seed})"
