r"""Turbo interleavers: a permutation :math:`\pi` of 0..K−1 such that the second constituent
encoder reads :math:`u'_i = u_{\pi(i)}` (the convention of TS 36.212 §5.1.3.2.3,
:math:`c'_i = c_{\Pi(i)}`, and of CCSDS 131.0-B §6.3 g).

* **QPP** (LTE): :math:`\pi(i) = (f_1 i + f_2 i^2) \bmod K`, with (f1, f2) of
  TS 36.212 Table 5.1.3-3 for the 188 block sizes K = 40 .. 6144 (stored in
  ``lte_qpp.txt``), or any (f1, f2) that make a permutation.
* **CCSDS** (131.0-B §6.3 g): K = k1·k2 with k1 = 8, k2 = 223·{1, 2, 4, 5}; for
  s = 1..K, m = (s−1) mod 2, i = ⌊(s−1)/(2k2)⌋, j = ⌊(s−1)/2⌋ − i·k2,
  t = (19i + 1) mod (k1/2), q = t mod 8 + 1, c = (p_q j + 21m) mod k2,
  :math:`\pi(s) = 2(t + c\,k1/2 + 1) − m` (1-based), primes p = 31, 37, 43, 47, 53, 59, 61, 67.
* **S-random** (Dolinar & Divsalar 1995): a random permutation in which any two indices
  closer than S map to values at least S apart; built greedily from a seeded generator,
  backing up when it gets stuck.
* **random**: a seeded uniform permutation.

Example
-------
>>> qpp_parameters(6144)
(263, 480)
>>> qpp_permutation(40)[:6].tolist()
[0, 13, 6, 19, 12, 25]
>>> ccsds_permutation(1784)[:4].tolist()
[3, 170, 299, 466]
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

CCSDS_K = (1784, 3568, 7136, 8920)
_CCSDS_PRIMES = (31, 37, 43, 47, 53, 59, 61, 67)


@functools.lru_cache(maxsize=None)
def lte_qpp_table() -> dict[int, tuple[int, int]]:
    """K -> (f1, f2) for the 188 rows of TS 36.212 Table 5.1.3-3."""
    rows = np.loadtxt(Path(__file__).with_name("lte_qpp.txt"), dtype=np.int64, comments="#")
    return {int(K): (int(f1), int(f2)) for _, K, f1, f2 in rows}


def qpp_parameters(k: int) -> tuple[int, int]:
    """(f1, f2) of the LTE table for block size ``k``; one-line error for any other k."""
    table = lte_qpp_table()
    if k not in table:
        below = [s for s in table if s < k]
        above = [s for s in table if s > k]
        near = ", ".join(str(s) for s in (max(below, default=None), min(above, default=None)) if s is not None)
        raise ValueError(f"K = {k} is not an LTE turbo block size (TS 36.212 Table 5.1.3-3: 40..6144 in steps "
                         f"of 8, 16, 32, 64; nearest {near})")
    return table[k]


def qpp_permutation(k: int, f1: int | None = None, f2: int | None = None) -> np.ndarray:
    r""":math:`\pi(i) = (f_1 i + f_2 i^2) \bmod K`; (f1, f2) from the LTE table when not given.
    Raises if the pair does not give a permutation."""
    if f1 is None and f2 is None:
        f1, f2 = qpp_parameters(k)
    elif f1 is None or f2 is None:
        raise ValueError("give both f1 and f2 (or neither, for the LTE table)")
    i = np.arange(k, dtype=np.int64)
    perm = (f1 * i + (f2 * i % k) * i) % k
    if np.unique(perm).size != k:
        raise ValueError(f"QPP f1 = {f1}, f2 = {f2} is not a permutation of K = {k} "
                         "(f1 must be coprime with K and f2 divisible by every prime factor of K)")
    return perm


def ccsds_permutation(k: int) -> np.ndarray:
    """The CCSDS 131.0-B §6.3 g permutation (0-based) for K = 1784, 3568, 7136 or 8920."""
    if k not in CCSDS_K:
        raise ValueError(f"CCSDS turbo codes have K = {', '.join(map(str, CCSDS_K))}, got {k}")
    k1, k2 = 8, k // 8
    s = np.arange(1, k + 1, dtype=np.int64)
    m = (s - 1) % 2
    i = (s - 1) // (2 * k2)
    j = (s - 1) // 2 - i * k2
    t = (19 * i + 1) % (k1 // 2)
    q = t % 8
    c = (np.asarray(_CCSDS_PRIMES)[q] * j + 21 * m) % k2
    return 2 * (t + c * (k1 // 2) + 1) - m - 1


def s_random_permutation(k: int, s: int, seed: int = 0, max_steps: int | None = None) -> np.ndarray:
    """An S-random permutation: |i − j| < S implies |π(i) − π(j)| ≥ S.

    Greedy from a seeded shuffle: position i takes the first remaining value at least S
    away from the values of positions i − S + 1 .. i − 1; when none is left, the last 2S
    placements go back to the pool, which is reshuffled (at most 20·K steps, then a
    one-line error: S up to about √(K/2)/1.5 succeeds in well under a second at K = 6144)."""
    if s < 1:
        raise ValueError(f"S must be >= 1, got {s}")
    if s * s > k:
        raise ValueError(f"S = {s} is too large for K = {k} (S-random needs about S <= sqrt(K/2) = {int((k / 2) ** 0.5)})")
    rng = np.random.default_rng(seed)
    pool = list(rng.permutation(k))
    perm: list[int] = []
    steps, limit = 0, max_steps or 20 * k
    while len(pool):
        steps += 1
        if steps > limit:
            raise ValueError(f"no S-random permutation with S = {s} found for K = {k} "
                             f"(S <= sqrt(K/2)/1.5 = {int((k / 2) ** 0.5 / 1.5)} usually succeeds)")
        recent = perm[-(s - 1):] if s > 1 else []
        for pos, cand in enumerate(pool):
            if all(abs(cand - r) >= s for r in recent):
                perm.append(pool.pop(pos))
                break
        else:
            back = min(len(perm), 2 * s)
            pool.extend(perm[len(perm) - back:])
            del perm[len(perm) - back:]
            pool = list(rng.permutation(pool))
    return np.asarray(perm, np.int64)


def random_permutation(k: int, seed: int = 0) -> np.ndarray:
    """A uniform random permutation from a seeded generator."""
    return np.random.default_rng(seed).permutation(k).astype(np.int64)
