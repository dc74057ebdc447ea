r"""5G NR LDPC codes (3GPP TS 38.212 clause 5.3.2 and 5.4.2): base graphs 1 and 2, lifting,
filler bits, the structured encoder and rate matching by shortening and puncturing.

For K' information bits (the code block with its CRC) and base graph BG:

* :math:`K_b = 22` for BG1; for BG2 :math:`K_b` = 10, 9, 8, 6 for K' > 640, > 560, > 192,
  else. The lifting size Z is the least :math:`Z = a\,2^j \le 384`,
  a in {2, 3, 5, 7, 9, 11, 13, 15}, with :math:`K_b Z \ge K'`; the set index
  :math:`i_{LS}` of a picks the shift column of the table, lifted shift :math:`V \bmod Z`.
* The code has :math:`K = 22Z` (BG1) or :math:`10Z` (BG2) systematic bits, the last
  :math:`K - K'` being filler bits (known zeros, never sent); H is 46 x 68 (BG1) or
  42 x 52 (BG2) blocks of Z.
* The first 2Z systematic bits are never sent. Rate matching (redundancy version 0, no
  limited buffer) reads the remaining :math:`N = 66Z` (BG1) or :math:`50Z` (BG2) bits
  cyclically from position 0, skipping fillers, until E = n bits are out: a small n
  punctures the tail of the parity part, a large n repeats bits.

The decoder sees LLR 0 for the punctured bits, a large positive LLR for the fillers and
the sum of the received LLRs of each transmitted (possibly repeated) bit; only the block
rows whose extension parity is transmitted are kept in the graph.

Encoding: H = [[A, B, 0], [C, D, I]] with the 4Z x 4Z core B invertible: the core parities
are :math:`p_1 = B^{-1} A c` (B inverted once per (BG, Z), cached), the extension
parities :math:`p_2 = C c + D p_1`.

Example
-------
>>> p = nr_parameters(1, 8448)
>>> (p.z, p.i_ls, p.k_full, p.fillers)
(384, 1, 8448, 0)
>>> nr_parameters(2, 100).z, nr_parameters(2, 100).kb
(18, 6)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .matrices import qc_expand

#: Lifting-size sets: i_LS -> a, Z = a 2^j <= 384 (TS 38.212 Table 5.3.2-1).
LIFTING_SETS = {0: 2, 1: 3, 2: 5, 3: 7, 4: 9, 5: 11, 6: 13, 7: 15}
#: Base-graph sizes in blocks: (rows, columns, systematic columns).
SHAPES = {1: (46, 68, 22), 2: (42, 52, 10)}
#: Largest K' per base graph.
MAX_K = {1: 22 * 384, 2: 10 * 384}
#: LLR given to filler bits (known zeros).
FILLER_LLR = 100.0


@functools.lru_cache(maxsize=None)
def _lifting_sizes() -> tuple[tuple[int, int], ...]:
    """Every (Z, i_LS), Z ascending."""
    out = []
    for i_ls, a in LIFTING_SETS.items():
        z = a
        while z <= 384:
            out.append((z, i_ls))
            z *= 2
    return tuple(sorted(out))


@functools.lru_cache(maxsize=None)
def _table(bg: int) -> np.ndarray:
    """Rows of (row, column, V_0 .. V_7) of base graph ``bg``."""
    path = Path(__file__).with_name(f"nr_bg{bg}.txt")
    return np.loadtxt(path, dtype=np.int64, comments="#")


def nr_base_matrix(bg: int, z: int) -> np.ndarray:
    """The lifted base matrix of BG ``bg`` for lifting size Z (-1: zero block).

    >>> b = nr_base_matrix(1, 384)
    >>> b.shape, int((b >= 0).sum()), int(b[0, 0])
    ((46, 68), 316, 307)
    """
    sizes = dict(_lifting_sizes())
    if bg not in SHAPES:
        raise ValueError(f"base_graph must be 1 or 2, got {bg}")
    if z not in sizes:
        raise ValueError(f"Z = {z} is not a 5G NR lifting size")
    rows, cols, _ = SHAPES[bg]
    t = _table(bg)
    base = np.full((rows, cols), -1, dtype=np.int64)
    base[t[:, 0], t[:, 1]] = t[:, 2 + sizes[z]] % z
    return base


@dataclass(frozen=True)
class NRParameters:
    """Lifting and sizes of a 5G NR code block: K' = ``k`` information bits, E = ``n``
    transmitted bits."""

    bg: int
    k: int
    kb: int
    z: int
    i_ls: int
    k_full: int  # K: systematic bits including fillers
    fillers: int


def nr_base_graph(k: int, n: int) -> int:
    r"""The base graph TS 38.212 §7.2.2 selects: BG2 if :math:`A \le 292`, or
    :math:`A \le 3824` and :math:`R \le 0.67`, or :math:`R \le 0.25`; BG1 otherwise.

    A is the transport block without its CRC (16 bits for A <= 3824, 24 above, §7.2.1), so
    for one code block of K' = ``k`` bits A <= 292 means K' <= 308 and A <= 3824 means
    K' <= 3840; R = K'/E is the rate ``k / n``.

    >>> nr_base_graph(1024, 2048), nr_base_graph(1024, 1536), nr_base_graph(8448, 12000), nr_base_graph(100, 300)
    (2, 2, 1, 2)
    """
    rate = k / n
    if k <= 292 + 16 or (k <= 3824 + 16 and rate <= 0.67) or rate <= 0.25:
        return 2
    return 1


def nr_parameters(bg: int, k: int) -> NRParameters:
    """Base-graph columns K_b, lifting size Z and fillers for K' = k information bits."""
    if bg not in SHAPES:
        raise ValueError(f"base_graph must be 1 or 2, got {bg}")
    if not 1 <= k <= MAX_K[bg]:
        raise ValueError(f"base graph {bg} carries 1 to {MAX_K[bg]} information bits, got k={k}")
    if bg == 1:
        kb = 22
    else:
        kb = 10 if k > 640 else 9 if k > 560 else 8 if k > 192 else 6
    z, i_ls = next((z, i) for z, i in _lifting_sizes() if kb * z >= k)
    k_full = SHAPES[bg][2] * z
    return NRParameters(bg, k, kb, z, i_ls, k_full, k_full - k)


def _gf2_inverse(m: np.ndarray) -> np.ndarray:
    """Inverse over GF(2) of a square 0/1 matrix (Gauss-Jordan on packed rows)."""
    size = m.shape[0]
    work = np.packbits(np.concatenate([m.astype(np.uint8) & 1, np.eye(size, dtype=np.uint8)], axis=1), axis=1)
    for col in range(size):
        byte, mask = col // 8, np.uint8(0x80 >> (col % 8))
        hits = np.nonzero(work[col:, byte] & mask)[0]
        if hits.size == 0:
            raise ValueError("the core of the base graph is singular for this lifting size")
        pivot = col + hits[0]
        if pivot != col:
            work[[col, pivot]] = work[[pivot, col]]
        others = np.nonzero(work[:, byte] & mask)[0]
        others = others[others != col]
        work[others] ^= work[col]
    return np.unpackbits(work, axis=1, count=2 * size)[:, size:]


@functools.lru_cache(maxsize=16)
def _core_inverse(bg: int, z: int) -> np.ndarray:
    base = nr_base_matrix(bg, z)
    kf = SHAPES[bg][2]
    core = qc_expand(base[:4, kf:kf + 4], z).toarray()
    return _gf2_inverse(core).astype(np.float32)


def core_plan(core: np.ndarray):
    r"""How to solve :math:`B p = s` for the four core parity blocks by cyclic shifts, where
    B is the 4 x 4 core of the base graph (shifts, -1 a zero block; :math:`P^a` the identity
    shifted by a, :math:`(P^a x)_r = x_{(r + a) \bmod Z}`). The sum of all block rows leaves
    one block column with a single shift a (the others cancel in pairs): :math:`p_c =
    P^{-a} \sum_i s_i`; then each step takes a row with one unknown block left. Returns
    ``(c, a, steps)`` with steps ``(row, column, shift, [(known column, shift), ...])``, or
    None when the core has no such structure (the dense inverse is used then).

    >>> core_plan(nr_base_matrix(1, 384)[:4, 22:26])
    (0, 0, [(0, 1, 0, [(0, 1)]), (1, 2, 0, [(0, 0), (1, 0)]), (2, 3, 0, [(2, 0)])])
    """
    core = np.asarray(core)
    first = None
    for col in range(4):
        shifts, counts = np.unique(core[:, col][core[:, col] >= 0], return_counts=True)
        odd = shifts[counts % 2 == 1]
        if odd.size == 1 and first is None:
            first = (col, int(odd[0]))
        elif odd.size:
            return None
    if first is None:
        return None
    known, steps = {first[0]}, []
    while len(known) < 4:
        for row in range(4):
            unknown = [c for c in range(4) if core[row, c] >= 0 and c not in known]
            if len(unknown) == 1:
                col = unknown[0]
                steps.append((row, col, int(core[row, col]), [(k, int(core[row, k])) for k in sorted(known) if core[row, k] >= 0]))
                known.add(col)
                break
        else:
            return None
    return first[0], first[1], steps


class NREncoder:
    """Encoder of a 5G NR code block on the graph's first ``columns`` bits: message (F, k)
    -> [message, fillers (0), core parities, extension parities] (F, columns).

    The core parities solve the 4Z x 4Z core system by cyclic shifts (:func:`core_plan`),
    O(F Z), instead of multiplying by its dense inverse, O(F Z^2)."""

    def __init__(self, params: NRParameters, H: sp.csr_matrix):
        self.params = params
        z, kf = params.z, params.k_full
        self.k = params.k
        self.info_positions = np.arange(params.k)
        self.columns = H.shape[1]
        self._a = H[: 4 * z, :kf].tocsr()
        self._cd = H[4 * z:, : kf + 4 * z].tocsr()
        kb = SHAPES[params.bg][2]
        self._plan = core_plan(nr_base_matrix(params.bg, z)[:4, kb:kb + 4])
        self._binv_t = None if self._plan else np.ascontiguousarray(_core_inverse(params.bg, z).T)

    def _core_parities(self, s: np.ndarray) -> np.ndarray:
        """(F, 4Z) 0/1 sums of the message part of the core rows -> (F, 4Z) core parities."""
        if self._plan is None:
            return (s.astype(np.float32) @ self._binv_t).astype(np.int64) & 1
        z = self.params.z
        s = s.reshape(len(s), 4, z)
        p = np.empty_like(s)
        col, a, steps = self._plan
        p[:, col] = np.roll(np.bitwise_xor.reduce(s, axis=1), a, axis=1)
        for row, col, shift, knowns in steps:
            acc = s[:, row].copy()
            for k, sh in knowns:
                acc ^= np.roll(p[:, k], -sh, axis=1)
            p[:, col] = np.roll(acc, shift, axis=1)
        return p.reshape(len(s), 4 * z)

    def encode(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=np.uint8)
        F = u.shape[0]
        p = self.params
        c = np.zeros((F, self.columns), dtype=np.uint8)
        c[:, : p.k] = u
        s = (self._a @ c[:, : p.k_full].T.astype(np.float32)).T  # (F, 4Z) sums
        s = (s.astype(np.int64) & 1).astype(np.uint8)
        c[:, p.k_full:p.k_full + 4 * p.z] = self._core_parities(s)
        if self._cd.shape[0]:
            ext = (self._cd @ c[:, : p.k_full + 4 * p.z].T.astype(np.float32)).T
            c[:, p.k_full + 4 * p.z:] = ext.astype(np.int64) & 1
        return c


@dataclass
class NRCode:
    """What :class:`~shannonlab.codes.ldpc.code.LDPCCode` needs for a rate-matched 5G NR
    code: the (pruned) H, its encoder, the graph positions of the n transmitted bits and
    of the fillers."""

    params: NRParameters
    H: sp.csr_matrix
    encoder: NREncoder
    transmitted: np.ndarray
    fillers: np.ndarray


def nr_code(bg: int, k: int, n: int) -> NRCode:
    """The 5G NR code with K' = k information bits sent in E = n bits (rv 0).

    >>> code = nr_code(2, 100, 300)
    >>> code.H.shape, code.transmitted[:3].tolist(), int(code.fillers.size)
    ((252, 432), [36, 37, 38], 80)
    """
    params = nr_parameters(bg, k)
    if n <= k:
        raise ValueError(f"n = {n} must exceed k = {k}")
    rows, cols, kf_blocks = SHAPES[bg]
    z = params.z
    n_cb = (cols - 2) * z  # the circular buffer: every bit but the first 2Z
    filler = np.zeros(n_cb, bool)
    filler[max(params.k - 2 * z, 0): params.k_full - 2 * z] = True  # fillers sit at the end of the systematic part
    readable = np.nonzero(~filler)[0]
    positions = readable[np.arange(n) % readable.size] + 2 * z  # graph columns, cyclic, fillers skipped
    last_block = max(int(positions.max()) // z + 1, kf_blocks + 4)
    H = qc_expand(nr_base_matrix(bg, z)[: last_block - kf_blocks, :last_block], z)
    return NRCode(params, H, NREncoder(params, H), positions.astype(np.int64),
                  np.arange(params.k, params.k_full, dtype=np.int64))
