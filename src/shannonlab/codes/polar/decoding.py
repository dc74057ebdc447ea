r"""Successive-cancellation decoders for polar codes: SC and (CRC-aided) SC-list.

Both walk the decoding tree of :math:`x = u\,G_N` (a node of size m at codeword offset o
covers :math:`x_{[o, o+m)}`) with the min-sum update rules on LLRs

.. math::
    f(a, b) = \operatorname{sign}(a)\operatorname{sign}(b)\min(|a|, |b|), \qquad
    g(a, b, s) = b + (1 - 2s)\,a,

and the partial-sum combination :math:`x = (x_\text{left} \oplus x_\text{right},\ x_\text{right})`.
The tree is flattened once per frozen set into a schedule (:func:`schedule`) of operations
``(op, m, offset)``: ``F``/``G`` compute the left/right child's LLRs from the parent's,
``COMBINE`` forms the parent's partial sums, and leaves are whole subtrees decided at once:

* rate-0 (all frozen): x = 0;
* rate-1 (no frozen bit): x = hard decisions of the node's LLRs;
* repetition (only the last bit free): x = all equal to the sign of :math:`\sum_i \alpha_i`.

These shortcuts give exactly the decisions of bit-by-bit SC (Alamdar-Yazdi & Kschischang's
SSC; the repetition rule is what bit-by-bit SC computes for that node), ties aside.

LLRs of a node of size m live in ``alpha[m:2m]`` (the channel LLRs at ``alpha[N:2N]``), so
the whole decoder state is 2N LLRs and N partial sums, preallocated once per batch; SC runs
:data:`SC_BLOCK` frames in lock-step (frame index innermost) so that even the small nodes'
loops vectorize, and it forms u = x G node by node (rate-1: :math:`x G_m`; repetition: one bit).

SC-list (Tal & Vardy 2015) keeps up to L paths with the LLR-based path metric of
Balatsoukas-Stimming et al. (2015): deciding bit :math:`\hat u` against LLR :math:`\lambda`
adds :math:`|\lambda|` when :math:`\hat u \ne \mathbb{1}[\lambda < 0]`, else 0. A rate-0
node adds :math:`\sum_i |\alpha_i|\,\mathbb{1}[\alpha_i<0]`; a repetition node forks into
x = 0 and x = 1 with :math:`\sum_i |\alpha_i|\,\mathbb{1}[\alpha_i<0]` and
:math:`\sum_i |\alpha_i|\,\mathbb{1}[\alpha_i>0]`; a rate-1 node starts from the hard
decisions and forks, one position at a time, on its min(L - 1, m) least reliable positions
(flipping one costs :math:`|\alpha_i|`): Hashemi, Condo & Gross's Fast-SSCL rules, which
they show match SCL's error rate. With L = 1 every rule reduces to SC's decision.
Paths share LLR and partial-sum arrays level by level through pointer tables with reference
counts (lazy copy): forking a path copies n+1 pointers, never an array, and a level is
given a private array only when a path writes it while it is shared. The decoder returns
every surviving path's codeword sorted by metric; a CRC, when present, picks the first
path that satisfies it (CA-SCL, Niu & Chen 2012).

Example
-------
>>> import numpy as np
>>> frozen = np.array([True, True, True, False, True, False, False, False])
>>> ops = schedule(frozen, rate1=True)
>>> x = np.array([[0, 1, 1, 0, 0, 1, 1, 0]], dtype=np.uint8)   # a codeword: (x G)_F = 0
>>> llr = 4.0 * (1.0 - 2.0 * x)
>>> llr[0, 2] = -0.5                                          # one unreliable wrong sign
>>> sc_decode(llr, ops).tolist()
[[0, 1, 1, 0, 0, 1, 1, 0]]
>>> cands, metrics, count = scl_decode(llr, ops, 4)
>>> cands[0, 0].tolist(), int(count[0]), float(metrics[0, 0])
([0, 1, 1, 0, 0, 1, 1, 0], 4, 0.0)
"""

from __future__ import annotations

import numpy as np
from numba import njit

OP_F, OP_G, OP_COMBINE, OP_RATE0, OP_RATE1, OP_REP = 0, 1, 2, 3, 4, 5


def schedule(frozen: np.ndarray, rate1: bool = True) -> np.ndarray:
    """The decoding tree as an (n_ops, 3) int64 array of ``(op, m, offset)``, depth first.

    ``rate1=False`` splits rate-1 nodes down to single bits (repetition nodes of size 1):
    bit-by-bit decisions, useful to check the rate-1 shortcuts against.

    >>> schedule(np.array([True, False]), rate1=True).tolist()
    [[5, 2, 0]]
    >>> schedule(np.array([True, False, False, False])).tolist()
    [[0, 4, 0], [5, 2, 0], [1, 4, 0], [4, 2, 2], [2, 4, 0]]
    """
    frozen = np.asarray(frozen, dtype=bool)
    ops: list[tuple[int, int, int]] = []

    def build(offset: int, m: int) -> None:
        node = frozen[offset : offset + m]
        if node.all():
            ops.append((OP_RATE0, m, offset))
        elif not node[:-1].any() and m == 1:
            ops.append((OP_REP, 1, offset))
        elif rate1 and not node.any():
            ops.append((OP_RATE1, m, offset))
        elif node[:-1].all():
            ops.append((OP_REP, m, offset))
        else:
            h = m // 2
            ops.append((OP_F, m, offset))
            build(offset, h)
            ops.append((OP_G, m, offset))
            build(offset + h, h)
            ops.append((OP_COMBINE, m, offset))

    build(0, frozen.size)
    return np.array(ops, dtype=np.int64).reshape(-1, 3)


#: Frames decoded in lock-step by the SC kernel (frame index innermost, as in AFF3CT's
#: inter-frame SIMD): every operation of the schedule runs once per block of frames.
SC_BLOCK = 16


@njit(cache=True)
def _sc_frames(llr, ops, out_x, out_u):
    frames, n = llr.shape
    B = SC_BLOCK
    alpha = np.zeros((2 * n, B), dtype=np.float32)
    beta = np.zeros((n, B), dtype=np.uint8)
    u = np.zeros((n, B), dtype=np.uint8)
    s = np.zeros(B, dtype=np.float32)
    one, two = np.float32(1.0), np.float32(2.0)
    for f0 in range(0, frames, B):
        nb = min(B, frames - f0)
        for i in range(n):
            for b in range(nb):
                alpha[n + i, b] = llr[f0 + b, i]
            for b in range(nb, B):
                alpha[n + i, b] = 0.0
        for j in range(ops.shape[0]):
            op, m, off = ops[j, 0], ops[j, 1], ops[j, 2]
            h = m // 2
            if op == OP_F:
                for i in range(h):
                    for b in range(B):
                        x, y = alpha[m + i, b], alpha[m + h + i, b]
                        alpha[h + i, b] = np.copysign(min(abs(x), abs(y)), x * y)
            elif op == OP_G:
                for i in range(h):
                    for b in range(B):
                        alpha[h + i, b] = alpha[m + h + i, b] + alpha[m + i, b] * (one - two * beta[off + i, b])
            elif op == OP_COMBINE:
                for i in range(h):
                    for b in range(B):
                        beta[off + i, b] ^= beta[off + h + i, b]
            elif op == OP_RATE0:
                for i in range(m):
                    for b in range(B):
                        beta[off + i, b] = 0
                        u[off + i, b] = 0
            elif op == OP_RATE1:
                for i in range(m):
                    for b in range(B):
                        beta[off + i, b] = alpha[m + i, b] < 0
                        u[off + i, b] = beta[off + i, b]
                step = 1  # u = x G_m for the node (G_m is an involution)
                while step < m:
                    for blk in range(off, off + m, 2 * step):
                        for i in range(blk, blk + step):
                            for b in range(B):
                                u[i, b] ^= u[i + step, b]
                    step *= 2
            else:  # OP_REP
                for b in range(B):
                    s[b] = 0.0
                for i in range(m):
                    for b in range(B):
                        s[b] += alpha[m + i, b]
                for i in range(m - 1):
                    for b in range(B):
                        beta[off + i, b] = s[b] < 0
                        u[off + i, b] = 0
                for b in range(B):
                    beta[off + m - 1, b] = s[b] < 0
                    u[off + m - 1, b] = s[b] < 0
        for b in range(nb):
            for i in range(n):
                out_x[f0 + b, i] = beta[i, b]
                out_u[f0 + b, i] = u[i, b]


def sc_decode(llr: np.ndarray, ops: np.ndarray, with_u: bool = False):
    """SC decoding of a batch: LLRs (F, N) -> codeword estimates x (F, N) uint8, and with
    ``with_u`` also the bit estimates u = x G_N (computed node by node, no re-encoding)."""
    llr = np.ascontiguousarray(llr, dtype=np.float64)
    out_x = np.empty(llr.shape, dtype=np.uint8)
    out_u = np.empty(llr.shape, dtype=np.uint8)
    _sc_frames(llr, ops, out_x, out_u)
    return (out_x, out_u) if with_u else out_x


@njit(cache=True, inline="always")
def _writable(ptr, ref, p, lv, slots):
    """The slot path p may write at level lv, taking a free one if its slot is shared."""
    s = ptr[p, lv]
    if ref[lv, s] > 1:
        ref[lv, s] -= 1
        for t in range(slots):
            if ref[lv, t] == 0:
                s = t
                break
        ref[lv, s] = 1
        ptr[p, lv] = s
    return s


@njit(cache=True)
def _complete(p, m, off, n, tmp, bbuf, ptr_b, ref_b, slots, xfinal, lv):
    """Node (m, off) of path p is decided with x = tmp[:m]: combine up the right spine and
    store the first left child reached (or the whole codeword at the root)."""
    while m < n:
        if (off // m) % 2 == 0:
            s = _writable(ptr_b, ref_b, p, lv, slots)
            for i in range(m):
                bbuf[s, m + i] = tmp[i]
            return
        left = ptr_b[p, lv]
        for i in range(m):
            tmp[m + i] = tmp[i]
            tmp[i] ^= bbuf[left, m + i]
        off -= m
        m *= 2
        lv += 1
    for i in range(n):
        xfinal[p, i] = tmp[i]


@njit(cache=True)
def _select(cand, n_paths, list_size, keep, order):
    """keep[c] for the list_size smallest candidate metrics (every finite one if they fit)."""
    total = cand.size
    for c in range(total):
        keep[c] = False
        order[c] = c
    if 2 * n_paths <= list_size:
        for c in range(total):
            keep[c] = cand[c] < np.inf
        return
    for t in range(list_size):
        best = t
        for c in range(t + 1, total):
            if cand[order[c]] < cand[order[best]]:
                best = c
        order[t], order[best] = order[best], order[t]
        keep[order[t]] = True


@njit(cache=True)
def _branch(cand, keep, active, pm, branch, parent, ptr_a, ref_a, ptr_b, ref_b):
    """Drop paths without a kept child, fork paths with two; path p's children are
    candidates 2p (branch 0) and 2p+1 (branch 1). ``parent[q]`` tells where q came from."""
    L, levels = ptr_a.shape
    for p in range(L):
        if active[p] and not keep[2 * p] and not keep[2 * p + 1]:
            active[p] = False
            for t in range(levels):
                ref_a[t, ptr_a[p, t]] -= 1
                ref_b[t, ptr_b[p, t]] -= 1
    for p in range(L):
        parent[p] = p
    for p in range(L):
        k0, k1 = keep[2 * p], keep[2 * p + 1]
        if not (k0 or k1):
            continue
        if k0 and k1:
            q = 0
            while active[q] or keep[2 * q] or keep[2 * q + 1]:
                q += 1
            active[q] = True
            for t in range(levels):
                ptr_a[q, t] = ptr_a[p, t]
                ptr_b[q, t] = ptr_b[p, t]
                ref_a[t, ptr_a[p, t]] += 1
                ref_b[t, ptr_b[p, t]] += 1
            pm[q] = cand[2 * p + 1]
            branch[q] = 1
            parent[q] = p
            pm[p] = cand[2 * p]
            branch[p] = 0
        elif k0:
            pm[p] = cand[2 * p]
            branch[p] = 0
        else:
            pm[p] = cand[2 * p + 1]
            branch[p] = 1


@njit(cache=True)
def _scl_frames(llr, ops, list_size, xs, metrics, counts):
    frames, n = llr.shape
    levels = 1
    while (1 << (levels - 1)) < n:
        levels += 1
    L = list_size
    alpha = np.zeros((L, 2 * n), dtype=np.float32)
    bbuf = np.zeros((L, 2 * n), dtype=np.uint8)
    ptr_a = np.zeros((L, levels), dtype=np.int64)
    ptr_b = np.zeros((L, levels), dtype=np.int64)
    ref_a = np.zeros((levels, L), dtype=np.int64)
    ref_b = np.zeros((levels, L), dtype=np.int64)
    pm = np.zeros(L)
    active = np.zeros(L, dtype=np.bool_)
    tmp = np.zeros(n, dtype=np.uint8)
    xfinal = np.zeros((L, n), dtype=np.uint8)
    xnode = np.zeros((L, n), dtype=np.uint8)
    lrpos = np.zeros((L, L), dtype=np.int64)
    lrval = np.zeros((L, L), dtype=np.float32)
    cand = np.zeros(2 * L)
    keep = np.zeros(2 * L, dtype=np.bool_)
    order = np.zeros(2 * L, dtype=np.int64)
    branch = np.zeros(L, dtype=np.uint8)
    parent = np.zeros(L, dtype=np.int64)
    for fr in range(frames):
        ref_a[:, :] = 0
        ref_b[:, :] = 0
        ptr_a[:, :] = 0
        ptr_b[:, :] = 0
        ref_a[:, 0] = 1
        ref_b[:, 0] = 1
        active[:] = False
        active[0] = True
        pm[:] = 0.0
        for i in range(n):
            alpha[0, n + i] = llr[fr, i]
        for j in range(ops.shape[0]):
            op, m, off = ops[j, 0], ops[j, 1], ops[j, 2]
            h = m // 2
            lv = 0
            while (1 << lv) < m:
                lv += 1
            if op == OP_F or op == OP_G:
                for p in range(L):
                    if not active[p]:
                        continue
                    src = ptr_a[p, lv]
                    dst = _writable(ptr_a, ref_a, p, lv - 1, L)
                    if op == OP_F:
                        for i in range(h):
                            a, b = alpha[src, m + i], alpha[src, m + h + i]
                            alpha[dst, h + i] = np.copysign(min(abs(a), abs(b)), a * b)
                    else:
                        left = ptr_b[p, lv - 1]
                        for i in range(h):
                            alpha[dst, h + i] = alpha[src, m + h + i] + alpha[src, m + i] * (
                                np.float32(1.0) - np.float32(2.0) * bbuf[left, h + i])
            elif op == OP_RATE0:
                for p in range(L):
                    if not active[p]:
                        continue
                    src = ptr_a[p, lv]
                    penalty = 0.0
                    for i in range(m):
                        a = alpha[src, m + i]
                        if a < 0:
                            penalty -= a
                        tmp[i] = 0
                    pm[p] += penalty
                    _complete(p, m, off, n, tmp, bbuf, ptr_b, ref_b, L, xfinal, lv)
            elif op == OP_REP:
                n_active = 0
                for p in range(L):
                    if not active[p]:
                        cand[2 * p] = np.inf
                        cand[2 * p + 1] = np.inf
                        continue
                    n_active += 1
                    src = ptr_a[p, lv]
                    s0 = 0.0
                    s1 = 0.0
                    for i in range(m):
                        a = alpha[src, m + i]
                        if a < 0:
                            s0 -= a
                        else:
                            s1 += a
                    cand[2 * p] = pm[p] + s0
                    cand[2 * p + 1] = pm[p] + s1
                _select(cand, n_active, L, keep, order)
                _branch(cand, keep, active, pm, branch, parent, ptr_a, ref_a, ptr_b, ref_b)
                for p in range(L):
                    if active[p]:
                        for i in range(m):
                            tmp[i] = branch[p]
                        _complete(p, m, off, n, tmp, bbuf, ptr_b, ref_b, L, xfinal, lv)
            elif op == OP_RATE1:
                # Fast-SSCL rate-1 node: hard decisions, then fork on the min(L-1, m) least
                # reliable positions one at a time (flip penalty |alpha|).
                T = min(L - 1, m)
                for p in range(L):
                    if not active[p]:
                        continue
                    src = ptr_a[p, lv]
                    cnt = 0
                    for i in range(m):
                        a = alpha[src, m + i]
                        xnode[p, i] = a < 0
                        v = abs(a)
                        if T > 0 and (cnt < T or v < lrval[p, T - 1]):
                            if cnt < T:
                                cnt += 1
                            k = cnt - 1
                            while k > 0 and lrval[p, k - 1] > v:
                                lrval[p, k] = lrval[p, k - 1]
                                lrpos[p, k] = lrpos[p, k - 1]
                                k -= 1
                            lrval[p, k] = v
                            lrpos[p, k] = i
                for t in range(T):
                    n_active = 0
                    for p in range(L):
                        if not active[p]:
                            cand[2 * p] = np.inf
                            cand[2 * p + 1] = np.inf
                            continue
                        n_active += 1
                        cand[2 * p] = pm[p]
                        cand[2 * p + 1] = pm[p] + lrval[p, t]
                    _select(cand, n_active, L, keep, order)
                    _branch(cand, keep, active, pm, branch, parent, ptr_a, ref_a, ptr_b, ref_b)
                    for q in range(L):
                        par = parent[q]
                        if active[q] and par != q:
                            for i in range(m):
                                xnode[q, i] = xnode[par, i]
                            for i in range(t, T):
                                lrpos[q, i] = lrpos[par, i]
                                lrval[q, i] = lrval[par, i]
                    for q in range(L):
                        if active[q] and branch[q] == 1:
                            xnode[q, lrpos[q, t]] ^= 1
                for p in range(L):
                    if active[p]:
                        for i in range(m):
                            tmp[i] = xnode[p, i]
                        _complete(p, m, off, n, tmp, bbuf, ptr_b, ref_b, L, xfinal, lv)
            # OP_COMBINE is implicit in _complete
        # survivors sorted by metric
        count = 0
        for p in range(L):
            if active[p]:
                cand[count] = pm[p]
                order[count] = p
                count += 1
        for t in range(count):  # selection sort of at most L entries
            best = t
            for c in range(t + 1, count):
                if cand[c] < cand[best]:
                    best = c
            cand[t], cand[best] = cand[best], cand[t]
            order[t], order[best] = order[best], order[t]
            xs[fr, t] = xfinal[order[t]]
            metrics[fr, t] = cand[t]
        for t in range(count, L):
            metrics[fr, t] = np.inf
        counts[fr] = count


def scl_decode(llr: np.ndarray, ops: np.ndarray, list_size: int):
    """SC-list decoding of a batch with ``ops = schedule(frozen)``.

    Returns ``(x, metrics, count)``: candidate codewords (F, L, N) sorted by path metric
    (F, L) ascending, of which the first ``count[f]`` are valid (the rest have metric inf).
    """
    llr = np.ascontiguousarray(llr, dtype=np.float64)
    frames, n = llr.shape
    xs = np.zeros((frames, list_size, n), dtype=np.uint8)
    metrics = np.empty((frames, list_size))
    counts = np.zeros(frames, dtype=np.int64)
    _scl_frames(llr, ops, int(list_size), xs, metrics, counts)
    return xs, metrics, counts
