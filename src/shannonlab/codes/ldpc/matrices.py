r"""Parity-check matrices: quasi-cyclic expansion of the IEEE 802.11n base matrices, alist
files, random regular graphs and progressive edge growth (PEG).

Every constructor returns H as a ``scipy.sparse.csr_matrix`` of ``uint8`` (m x n); a
codeword c satisfies :math:`H c^T = 0` over GF(2).

Quasi-cyclic expansion: a base matrix B (mb x nb) and a lifting size Z give H (mb Z x nb Z)
whose block (i, j) is zero for :math:`B_{ij} = -1` and otherwise the identity cyclically
shifted right by :math:`B_{ij}`: row r of the block has its one in column
:math:`(r + B_{ij}) \bmod Z`.

Example
-------
>>> H = ieee80211n(648, "1/2")
>>> H.shape, int(H.sum())
((324, 648), 2376)
>>> sorted(set(column_weights(H).tolist()))
[2, 3, 12]
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ...validation import format_bytes, memory_limit
from .tables_80211n import base_matrix

#: Largest alist file read (a 10^5-bit code of degree 3 takes about 2 MiB).
MAX_ALIST_BYTES = 64 << 20


def qc_expand(base: np.ndarray, z: int) -> sp.csr_matrix:
    """The binary matrix of a quasi-cyclic base matrix (-1: zero block, s >= 0: identity
    shifted right by s) lifted by Z.

    >>> qc_expand(np.array([[1, -1]]), 3).toarray().tolist()
    [[0, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]]
    """
    base = np.asarray(base, dtype=np.int64)
    mb, nb = base.shape
    i, j = np.nonzero(base >= 0)
    r = np.arange(z)
    rows = (i[:, None] * z + r[None, :]).ravel()
    cols = (j[:, None] * z + (r[None, :] + base[i, j][:, None]) % z).ravel()
    data = np.ones(rows.size, dtype=np.uint8)
    return sp.csr_matrix((data, (rows, cols)), shape=(mb * z, nb * z), dtype=np.uint8)


def ieee80211n(n: int, rate: str) -> sp.csr_matrix:
    """H of the IEEE 802.11n LDPC code of length n (648, 1296, 1944) and rate "1/2",
    "2/3", "3/4" or "5/6": the base matrix of the standard lifted by Z = n / 24.

    >>> ieee80211n(1944, "5/6").shape
    (324, 1944)
    """
    return qc_expand(base_matrix(n, rate), int(n) // 24)


def column_weights(H: sp.spmatrix) -> np.ndarray:
    """Number of ones in each column (the variable-node degrees)."""
    return np.asarray(sp.csc_matrix(H).getnnz(axis=0), dtype=np.int64)


def row_weights(H: sp.spmatrix) -> np.ndarray:
    """Number of ones in each row (the check-node degrees)."""
    return np.asarray(sp.csr_matrix(H).getnnz(axis=1), dtype=np.int64)


def gf2_eliminate(rows: np.ndarray, n: int) -> list[int]:
    """Gauss–Jordan elimination over GF(2), in place, on bit-packed rows (``np.packbits``
    of an m x n matrix along axis 1); returns the pivot columns, one per independent row.

    >>> rows = np.packbits(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], np.uint8), axis=1)
    >>> gf2_eliminate(rows, 3)
    [0, 1]
    """
    m = rows.shape[0]
    pivots: list[int] = []
    for col in range(n):
        rank = len(pivots)
        if rank == m:
            break
        byte, mask = col // 8, np.uint8(0x80 >> (col % 8))
        hits = np.nonzero(rows[rank:, byte] & mask)[0]
        if hits.size == 0:
            continue
        pivot = rank + hits[0]
        if pivot != rank:
            rows[[rank, pivot]] = rows[[pivot, rank]]
        others = np.nonzero(rows[:, byte] & mask)[0]
        others = others[others != rank]
        rows[others] ^= rows[rank]
        pivots.append(col)
    return pivots


def gf2_rank(H: sp.spmatrix | np.ndarray) -> int:
    """Rank of H over GF(2) (Gaussian elimination on bit-packed rows).

    >>> gf2_rank(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]]))
    2
    """
    dense = H.toarray() if sp.issparse(H) else np.asarray(H)
    return len(gf2_eliminate(np.packbits(dense.astype(np.uint8) & 1, axis=1), dense.shape[1]))


# ---------------------------------------------------------------------------- alist


class AlistError(ValueError):
    """A malformed alist file (the message names the file and what is wrong)."""


def read_alist(path: str | os.PathLike) -> sp.csr_matrix:
    """Read H from MacKay's alist format::

        n m
        max_column_weight max_row_weight
        n column weights
        m row weights
        n lines: the 1-based row indices of each column (zero padding allowed)
        m lines: the 1-based column indices of each row (zero padding allowed)

    The row lists must describe the same ones as the column lists.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "h.alist")
    >>> write_alist(np.array([[1, 1, 0], [0, 1, 1]]), path)
    >>> read_alist(path).toarray().tolist()
    [[1, 1, 0], [0, 1, 1]]
    """
    name = os.fspath(path)
    try:
        with open(path, "rb") as handle:  # bounded: /dev/zero or a huge file is refused, not read
            data = handle.read(MAX_ALIST_BYTES + 1)
        if len(data) > MAX_ALIST_BYTES:
            raise AlistError(f"alist file {name!r}: larger than {MAX_ALIST_BYTES >> 20} MiB, not an alist file")
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise AlistError(f"alist file {name!r}: not a text file of integers") from None
    except OSError as exc:
        raise AlistError(f"alist file {name!r}: cannot be read ({exc.strerror or exc})") from None
    lines = [line.split() for line in text.splitlines() if line.strip()]

    def numbers(i: int, what: str) -> list[int]:
        if i >= len(lines):
            raise AlistError(f"alist file {name!r}: ends early, expected {what} on line {i + 1}")
        try:
            return [int(v) for v in lines[i]]
        except ValueError:
            raise AlistError(f"alist file {name!r}: line {i + 1} ({what}) must hold integers, got {' '.join(lines[i])!r}") from None

    head = numbers(0, "'n m'")
    if len(head) != 2 or min(head) < 1:
        raise AlistError(f"alist file {name!r}: line 1 must be 'n m' with two positive integers")
    n, m = head
    if 3.0 * n * m > memory_limit():  # the encoder eliminates H densely
        raise AlistError(f"alist file {name!r}: an {m} x {n} H needs about {format_bytes(3.0 * n * m)} of memory "
                         f"for its encoder, more than the {format_bytes(memory_limit())} allowed (SHANNONLAB_MEMORY_LIMIT)")
    maxima = numbers(1, "the maximum column and row weights")
    if len(maxima) != 2:
        raise AlistError(f"alist file {name!r}: line 2 must hold the maximum column and row weights")
    col_w, row_w = numbers(2, "the column weights"), numbers(3, "the row weights")
    if len(col_w) != n or len(row_w) != m:
        raise AlistError(f"alist file {name!r}: lines 3-4 must hold {n} column weights and {m} row weights, got {len(col_w)} and {len(row_w)}")
    if sum(col_w) != sum(row_w):
        raise AlistError(f"alist file {name!r}: column weights sum to {sum(col_w)} but row weights to {sum(row_w)}")
    if len(lines) < 4 + n + m:
        raise AlistError(f"alist file {name!r}: ends early, expected {n} column lines and {m} row lines after line 4")
    ones_by_col = set()
    for j in range(n):
        entries = [v for v in numbers(4 + j, f"the rows of column {j + 1}") if v != 0]
        if len(entries) != col_w[j] or any(not 1 <= v <= m for v in entries) or len(set(entries)) != len(entries):
            raise AlistError(f"alist file {name!r}: line {5 + j} must list {col_w[j]} distinct rows in 1..{m} for column {j + 1}")
        ones_by_col.update((v - 1, j) for v in entries)
    ones_by_row = set()
    for i in range(m):
        entries = [v for v in numbers(4 + n + i, f"the columns of row {i + 1}") if v != 0]
        if len(entries) != row_w[i] or any(not 1 <= v <= n for v in entries) or len(set(entries)) != len(entries):
            raise AlistError(f"alist file {name!r}: line {5 + n + i} must list {row_w[i]} distinct columns in 1..{n} for row {i + 1}")
        ones_by_row.update((i, v - 1) for v in entries)
    if ones_by_col != ones_by_row:
        raise AlistError(f"alist file {name!r}: the row lists and the column lists describe different matrices")
    rows, cols = (np.array(sorted(ones_by_col), dtype=np.int64).reshape(-1, 2).T)
    return sp.csr_matrix((np.ones(rows.size, np.uint8), (rows, cols)), shape=(m, n), dtype=np.uint8)


def write_alist(H: sp.spmatrix | np.ndarray, path: str | os.PathLike) -> None:
    """Write H in alist format (zero-padded lists, as MacKay's files are)."""
    csr = sp.csr_matrix(H, dtype=np.uint8)
    csr.eliminate_zeros()
    csc = csr.tocsc()
    m, n = csr.shape
    cw, rw = np.diff(csc.indptr), np.diff(csr.indptr)
    out = [f"{n} {m}", f"{int(cw.max(initial=0))} {int(rw.max(initial=0))}",
           " ".join(map(str, cw)), " ".join(map(str, rw))]
    for j in range(n):
        idx = sorted(csc.indices[csc.indptr[j]:csc.indptr[j + 1]] + 1)
        out.append(" ".join(map(str, idx + [0] * (int(cw.max()) - len(idx)))))
    for i in range(m):
        idx = sorted(csr.indices[csr.indptr[i]:csr.indptr[i + 1]] + 1)
        out.append(" ".join(map(str, idx + [0] * (int(rw.max()) - len(idx)))))
    Path(path).write_text("\n".join(out) + "\n")


# ---------------------------------------------------------------------------- random


def _check_degrees(n: int, dv: int, dc: int) -> int:
    if dv < 1 or dc < 2:
        raise ValueError(f"need dv >= 1 and dc >= 2, got dv={dv}, dc={dc}")
    if (n * dv) % dc:
        raise ValueError(f"n*dv = {n * dv} must be a multiple of dc = {dc} (m = n*dv/dc checks)")
    m = n * dv // dc
    if m >= n:
        raise ValueError(f"dv={dv}, dc={dc} give m = {m} >= n = {n} checks: the rate 1 - dv/dc must be positive")
    if dv > m:
        raise ValueError(f"dv = {dv} exceeds the number of checks m = {m}")
    return m


def random_regular(n: int, dv: int, dc: int, seed: int = 0) -> sp.csr_matrix:
    """A random (dv, dc)-regular H (m = n dv / dc rows): the configuration model, edge
    sockets matched by a seeded random permutation, double edges removed by random swaps.

    >>> H = random_regular(96, 3, 6, seed=1)
    >>> H.shape, set(column_weights(H).tolist()), set(row_weights(H).tolist())
    ((48, 96), {3}, {6})
    """
    m = _check_degrees(n, dv, dc)
    rng = np.random.default_rng(seed)
    var = np.repeat(np.arange(n), dv)
    chk = rng.permutation(np.repeat(np.arange(m), dc))
    for _ in range(1000):
        key = var * m + chk
        order = np.argsort(key, kind="stable")
        dup = np.zeros(key.size, bool)
        dup[order[1:]] = key[order[1:]] == key[order[:-1]]
        bad = np.nonzero(dup)[0]
        if bad.size == 0:
            break
        partners = rng.integers(0, key.size, size=bad.size)
        chk[bad], chk[partners] = chk[partners], chk[bad].copy()
    else:
        raise ValueError(f"could not build a simple ({dv}, {dc})-regular graph with n = {n}")
    return sp.csr_matrix((np.ones(var.size, np.uint8), (chk, var)), shape=(m, n), dtype=np.uint8)


def peg(n: int, dv: int, dc: int, seed: int = 0) -> sp.csr_matrix:
    """Progressive edge growth (Hu, Eleftheriou, Arnold 2005) with m = n dv / dc checks:
    each variable in turn gets dv edges; the first goes to a check of least degree, each
    further one to a least-degree check *outside* the variable's current depth-l
    neighbourhood (or, if every check is reachable, at the largest distance), which
    maximises the local girth. Only checks with fewer than dc edges qualify, so the graph
    is exactly (dv, dc)-regular. Ties go to the least-degree check, then to the seeded
    generator.

    >>> H = peg(60, 3, 6, seed=2)
    >>> H.shape, set(column_weights(H).tolist()), set(row_weights(H).tolist())
    ((30, 60), {3}, {6})
    """
    m = _check_degrees(n, dv, dc)
    rng = np.random.default_rng(seed)
    chk_deg = np.zeros(m, np.int64)
    var_adj: list[list[int]] = [[] for _ in range(n)]
    chk_adj: list[list[int]] = [[] for _ in range(m)]

    def pick(candidates: np.ndarray) -> int:
        if candidates.size == 0:
            raise ValueError(f"PEG could not complete a ({dv}, {dc})-regular graph with n = {n} (try another seed)")
        degs = chk_deg[candidates]
        best = candidates[degs == degs.min()]
        return int(best[rng.integers(best.size)])

    for v in range(n):
        for _ in range(dv):
            # distance (in check layers) from v to every check; unreachable: m + 1
            depth = np.full(m, m + 1, np.int64)
            frontier_v, seen_v, level = {v}, {v}, 0
            while frontier_v:
                new_checks = {c2 for u in frontier_v for c2 in var_adj[u] if depth[c2] > m}
                if not new_checks:
                    break
                depth[list(new_checks)] = level
                level += 1
                frontier_v = {u for c2 in new_checks for u in chk_adj[c2] if u not in seen_v}
                seen_v |= frontier_v
            open_checks = np.array([c2 for c2 in np.nonzero(chk_deg < dc)[0] if c2 not in var_adj[v]], dtype=np.int64)
            if open_checks.size:
                open_checks = open_checks[depth[open_checks] == depth[open_checks].max()]
            c = pick(open_checks)
            var_adj[v].append(c)
            chk_adj[c].append(v)
            chk_deg[c] += 1
    rows = np.array([c for v in range(n) for c in var_adj[v]])
    cols = np.repeat(np.arange(n), dv)
    return sp.csr_matrix((np.ones(rows.size, np.uint8), (rows, cols)), shape=(m, n), dtype=np.uint8)
