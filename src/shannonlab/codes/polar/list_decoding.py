r"""SC-list decoding of polar codes (Tal & Vardy 2015) with the fast-SSCL node rules, and
the list search behind CA-SCL and adaptive CA-SCL.

Up to L paths walk the decoding tree of :mod:`.decoding` together. The path metric is the
LLR-based one of Balatsoukas-Stimming et al. (2015) under min-sum: deciding a bit
:math:`\hat u` against its LLR :math:`\lambda` adds :math:`|\lambda|` when
:math:`\hat u \ne h(\lambda)` (h = hard decision). Under min-sum this sum telescopes: the
metric a path gains over a whole node of size m whose decisions form :math:`x` is
:math:`\sum_i |\alpha_i|\,[x_i \ne h(\alpha_i)]` (the identity quoted in :mod:`.decoding`),
whatever the node's frozen pattern. So every node is decided at once (Hashemi, Condo &
Gross, "Fast-SSCL", 2016/2017) and keeps exactly the L best (path, node word) pairs
bit-by-bit SCL keeps, ties aside:

* rate-0: x = 0, the metric grows by :math:`\sum_i |\alpha_i| [\alpha_i < 0]`;
* repetition: two candidates per path, x = 0 and x = 1;
* rate-1: start from the hard decisions and fork, one position at a time, on the
  T = min(L - 1, m) least reliable positions (a flip costs :math:`|\alpha_i|`): the L best
  words of a rate-1 node flip no other position;
* single parity check (fast-SSCL only): start from the hard decisions with the least
  reliable one flipped if their parity is odd, then fork on the next T - 1 = min(L, m) - 1
  least reliable positions; flipping one also toggles the least reliable one (parity), at
  cost :math:`|\alpha_t| \pm |\alpha_0|`.

Forking one position at a time keeps the best L because a path's metric is then the
smallest metric any of its completions inside the node can reach (every later flip costs
:math:`\ge 0`). With L = 1 every rule reduces to SC's decision: SCL1 = SC frame for frame.

``scl`` uses the rate-0, rate-1 and repetition nodes (those of the first release),
``fast-sscl`` adds SPC nodes: both return the same list frame for frame (ties aside), as
does the bit-by-bit decoder (``schedule(frozen, bits=True)``) the tests compare them with.

Memory: LLRs of level m (nodes of size m) and the partial sums of left children live in L
slots per level; paths point at slots through tables with reference counts, so a fork
copies 2 log2 N pointers and a level gets a private slot only when a path writes it while
it is shared (lazy copy); free slots are kept on a stack per level. Partial sums are ±1 in
the message type (float32, or int8/int16 with a :class:`~.fixed_point.Quantization`), so a
g is :math:`b + s\,a` and a COMBINE a product, the same register-wide loops as SC
(:mod:`.lanes`) over the m values of one node of one path. Path metrics are float64.
Candidates are chosen by a quickselect of the L-th smallest metric (ties by path index),
O(L) per decision, so lists of 128 paths stay affordable.

The decoder returns every surviving path's codeword sorted by metric; a CRC, when present,
picks the first path that satisfies it (CA-SCL, Niu & Chen 2012).

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.polar.decoding import schedule
>>> frozen = np.array([True, True, True, False, True, False, False, False])
>>> llr = np.array([[3.1, -2.2, -0.5, 1.7, 4.0, -3.3, -2.9, 1.2]])  # x = 01100110, one weak sign
>>> cands, metrics, count = scl_decode(llr, schedule(frozen), 4)
>>> cands[0, 0].tolist(), int(count[0]), [round(float(v), 2) for v in metrics[0]]
([0, 1, 1, 0, 0, 1, 1, 0], 4, [0.0, 6.3, 7.5, 7.9])
>>> all((scl_decode(llr, schedule(frozen, **nodes), 4)[0] == cands).all() for nodes in ({"spc": True}, {"bits": True}))
True
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .decoding import OP_F, OP_G, OP_RATE0, OP_RATE1, OP_REP, OP_SPC
from .lanes import copy_lanes, f_lanes, g_lanes, hard_lanes, mul_lanes

#: The largest list the decoders accept.
MAX_LIST_SIZE = 128


@njit(cache=True, inline="always")
def _slot(ptr, ref, free, nfree, p, lv):
    """The slot path p may write at level lv, taken from the free stack if it is shared."""
    s = ptr[p, lv]
    if ref[lv, s] > 1:
        ref[lv, s] -= 1
        nfree[lv] -= 1
        s = free[lv, nfree[lv]]
        ref[lv, s] = 1
        ptr[p, lv] = s
    return s


@njit(cache=True, inline="always")
def _release(ref, free, nfree, lv, s):
    ref[lv, s] -= 1
    if ref[lv, s] == 0:
        free[lv, nfree[lv]] = s
        nfree[lv] += 1


@njit(cache=True)
def _kth_smallest(values, count, k):
    """The k-th smallest (0-based) of values[:count], reordering them (quickselect)."""
    lo, hi = 0, count - 1
    while lo < hi:
        mid = (lo + hi) // 2
        a, b, c = values[lo], values[mid], values[hi]  # median of three as pivot
        pivot = b if (a <= b <= c or c <= b <= a) else (a if (b <= a <= c or c <= a <= b) else c)
        i, j = lo, hi
        while i <= j:
            while values[i] < pivot:
                i += 1
            while values[j] > pivot:
                j -= 1
            if i <= j:
                values[i], values[j] = values[j], values[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return values[k]
    return values[k]


@njit(cache=True)
def _select(cand, n_active, list_size, keep, scratch):
    """keep[c] for the list_size smallest candidate metrics (all finite ones if they fit);
    on equal metrics the lower candidate index wins."""
    total = cand.size
    if 2 * n_active <= list_size:
        for c in range(total):
            keep[c] = cand[c] < np.inf
        return
    for c in range(total):
        scratch[c] = cand[c]
    threshold = _kth_smallest(scratch, total, list_size - 1)
    kept = 0
    for c in range(total):
        keep[c] = cand[c] < threshold
        kept += keep[c]
    for c in range(total):
        if kept == list_size:
            break
        if cand[c] == threshold:
            keep[c] = True
            kept += 1


@njit(cache=True)
def _branch(cand, keep, active, pm, branch, parent, ptr_a, ref_a, free_a, nfree_a, ptr_b, ref_b, free_b, nfree_b):
    """Drop paths without a kept child, fork paths with two; path p's children are
    candidates 2p (branch 0) and 2p+1 (branch 1). ``parent[q]`` tells where q came from."""
    L, levels = ptr_a.shape
    for p in range(L):
        if active[p] and not keep[2 * p] and not keep[2 * p + 1]:
            active[p] = False
            for t in range(levels):
                _release(ref_a, free_a, nfree_a, t, ptr_a[p, t])
                _release(ref_b, free_b, nfree_b, t, ptr_b[p, t])
    for p in range(L):
        parent[p] = p
    q = 0
    for p in range(L):
        k0, k1 = keep[2 * p], keep[2 * p + 1]
        if not (k0 or k1):
            continue
        if k0 and k1:
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
def _complete(p, m, off, lv, n, top, tmp, beta, base, ptr_b, ref_b, free_b, nfree_b, xfinal):
    """Node (m, off) at level lv of path p is decided with x = tmp[:m] (±1): combine up
    the right spine and store the first left child reached (or the codeword at the root)."""
    while lv < top:
        if ((off >> lv) & 1) == 0:
            s = _slot(ptr_b, ref_b, free_b, nfree_b, p, lv)
            copy_lanes(tmp, 0, beta, base[lv] + s * m, m)
            return
        left = base[lv] + ptr_b[p, lv] * m
        copy_lanes(tmp, 0, tmp, m, m)
        mul_lanes(tmp, 0, beta, left, tmp, 0, m)
        off -= m
        m *= 2
        lv += 1
    copy_lanes(tmp, 0, xfinal, p * n, n)


@njit(cache=True)
def _least_reliable(alpha, src, m, T, lrpos, lrval, p):
    """lrpos[p, :T], lrval[p, :T]: the T smallest |alpha[src:src+m]| ascending (the
    first position on equal magnitudes)."""
    cnt = 0
    for i in range(m):
        a = alpha[src + i]
        v = np.float64(-a if a < 0 else a)
        if cnt < T or v < lrval[p, T - 1]:
            if cnt < T:
                cnt += 1
            k = cnt - 1
            while k > 0 and lrval[p, k - 1] > v:
                lrval[p, k] = lrval[p, k - 1]
                lrpos[p, k] = lrpos[p, k - 1]
                k -= 1
            lrval[p, k] = v
            lrpos[p, k] = i


@njit(cache=True)
def scl_frames(llr, ops, list_size, q, alpha, beta, xs, metrics, counts):
    """SC-list on every frame of ``llr`` (F, N) with the schedule ``ops``.

    ``alpha`` (L(N-1) + N) and ``beta`` (L(N-1)) are the level buffers in the message type
    (``q`` its saturation); candidates go to xs (F, L, N) uint8 sorted by metric (F, L)
    ascending, of which the first ``counts[f]`` are valid (the others have metric inf)."""
    frames, n = llr.shape
    L = list_size
    top = 0
    while (1 << top) < n:
        top += 1
    levels = top + 1
    base = np.zeros(levels, dtype=np.int64)  # level lv: L slots of 2^lv values
    for lv in range(1, levels):
        base[lv] = base[lv - 1] + L * (1 << (lv - 1))
    chan = base[top]  # the channel level has one slot, shared by every path
    mtype = alpha.dtype.type
    one = mtype(1)
    ptr_a = np.zeros((L, levels), dtype=np.int64)
    ptr_b = np.zeros((L, levels), dtype=np.int64)
    ref_a = np.zeros((levels, L), dtype=np.int64)
    ref_b = np.zeros((levels, L), dtype=np.int64)
    free_a = np.zeros((levels, L), dtype=np.int64)
    free_b = np.zeros((levels, L), dtype=np.int64)
    nfree_a = np.zeros(levels, dtype=np.int64)
    nfree_b = np.zeros(levels, dtype=np.int64)
    pm = np.zeros(L)
    active = np.zeros(L, dtype=np.bool_)
    tmp = np.ones(2 * n, dtype=alpha.dtype)
    xfinal = np.ones(L * n, dtype=alpha.dtype)
    lrpos = np.zeros((L, L), dtype=np.int64)
    lrval = np.zeros((L, L), dtype=np.float64)
    orig = np.zeros(L, dtype=np.int64)
    flips = np.zeros((L, (L + 63) // 64), dtype=np.uint64)
    cand = np.zeros(2 * L)
    scratch = np.zeros(2 * L)
    keep = np.zeros(2 * L, dtype=np.bool_)
    order = np.zeros(L, dtype=np.int64)
    branch = np.zeros(L, dtype=np.uint8)
    parent = np.zeros(L, dtype=np.int64)
    for fr in range(frames):
        for lv in range(levels):
            for s in range(L):
                ref_a[lv, s] = 0
                ref_b[lv, s] = 0
                free_a[lv, s] = L - 1 - s  # pops hand out slots 1, 2, ...
                free_b[lv, s] = L - 1 - s
            ref_a[lv, 0] = 1
            ref_b[lv, 0] = 1
            nfree_a[lv] = L - 1
            nfree_b[lv] = L - 1
        for p in range(L):
            active[p] = False
            for lv in range(levels):
                ptr_a[p, lv] = 0
                ptr_b[p, lv] = 0
        active[0] = True
        pm[0] = 0.0
        for i in range(n):
            alpha[chan + i] = mtype(llr[fr, i])
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
                    src = chan if lv == top else base[lv] + ptr_a[p, lv] * m
                    dst = base[lv - 1] + _slot(ptr_a, ref_a, free_a, nfree_a, p, lv - 1) * h
                    if op == OP_F:
                        f_lanes(alpha, src, alpha, src + h, alpha, dst, h)
                    else:
                        left = base[lv - 1] + ptr_b[p, lv - 1] * h
                        g_lanes(alpha, src, alpha, src + h, beta, left, alpha, dst, h, q)
            elif op == OP_RATE0:
                for p in range(L):
                    if not active[p]:
                        continue
                    src = chan if lv == top else base[lv] + ptr_a[p, lv] * m
                    penalty = 0.0
                    for i in range(m):
                        a = alpha[src + i]
                        if a < 0:
                            penalty -= a
                        tmp[i] = one
                    pm[p] += penalty
                    _complete(p, m, off, lv, n, top, tmp, beta, base, ptr_b, ref_b, free_b, nfree_b, xfinal)
            elif op == OP_REP:
                n_active = 0
                for p in range(L):
                    if not active[p]:
                        cand[2 * p] = np.inf
                        cand[2 * p + 1] = np.inf
                        continue
                    n_active += 1
                    src = chan if lv == top else base[lv] + ptr_a[p, lv] * m
                    s0 = 0.0
                    s1 = 0.0
                    for i in range(m):
                        a = alpha[src + i]
                        if a < 0:
                            s0 -= a
                        else:
                            s1 += a
                    cand[2 * p] = pm[p] + s0
                    cand[2 * p + 1] = pm[p] + s1
                _select(cand, n_active, L, keep, scratch)
                _branch(cand, keep, active, pm, branch, parent, ptr_a, ref_a, free_a, nfree_a, ptr_b, ref_b, free_b,
                        nfree_b)
                for p in range(L):
                    if active[p]:
                        v = one if branch[p] == 0 else -one
                        for i in range(m):
                            tmp[i] = v
                        _complete(p, m, off, lv, n, top, tmp, beta, base, ptr_b, ref_b, free_b, nfree_b, xfinal)
            elif op == OP_RATE1 or op == OP_SPC:  # hard decisions, then forks on the least reliable
                spc = op == OP_SPC
                T = min(L, m) if spc else min(L - 1, m)
                for p in range(L):
                    if not active[p]:
                        continue
                    src = chan if lv == top else base[lv] + ptr_a[p, lv] * m
                    orig[p] = p
                    for w in range(flips.shape[1]):
                        flips[p, w] = 0
                    if T > 0:
                        _least_reliable(alpha, src, m, T, lrpos, lrval, p)
                    if spc:
                        odd = False
                        for i in range(m):
                            odd ^= alpha[src + i] < 0
                        if odd:  # Wagner: the least reliable decision fixes the parity
                            flips[p, 0] = 1
                            pm[p] += lrval[p, 0]
                for t in range(1 if spc else 0, T):
                    n_active = 0
                    for p in range(L):
                        if not active[p]:
                            cand[2 * p] = np.inf
                            cand[2 * p + 1] = np.inf
                            continue
                        n_active += 1
                        o = orig[p]
                        cost = lrval[o, t]
                        if spc:
                            cost += -lrval[o, 0] if flips[p, 0] & np.uint64(1) else lrval[o, 0]
                        cand[2 * p] = pm[p]
                        cand[2 * p + 1] = pm[p] + cost
                    _select(cand, n_active, L, keep, scratch)
                    _branch(cand, keep, active, pm, branch, parent, ptr_a, ref_a, free_a, nfree_a, ptr_b, ref_b,
                            free_b, nfree_b)
                    for p in range(L):
                        par = parent[p]
                        if active[p] and par != p:
                            orig[p] = orig[par]
                            for w in range(flips.shape[1]):
                                flips[p, w] = flips[par, w]
                    for p in range(L):
                        if active[p] and branch[p] == 1:
                            flips[p, t >> 6] ^= np.uint64(1) << np.uint64(t & 63)
                            if spc:
                                flips[p, 0] ^= np.uint64(1)
                for p in range(L):
                    if not active[p]:
                        continue
                    src = chan if lv == top else base[lv] + ptr_a[p, lv] * m
                    hard_lanes(alpha, src, tmp, 0, m)
                    o = orig[p]
                    for t in range(T):
                        if (flips[p, t >> 6] >> np.uint64(t & 63)) & np.uint64(1):
                            i = lrpos[o, t]
                            tmp[i] = -tmp[i]
                    _complete(p, m, off, lv, n, top, tmp, beta, base, ptr_b, ref_b, free_b, nfree_b, xfinal)
            # COMBINE is implicit in _complete
        count = 0  # survivors sorted by metric (ties by path index)
        for p in range(L):
            if active[p]:
                k = count
                while k > 0 and pm[order[k - 1]] > pm[p]:
                    order[k] = order[k - 1]
                    k -= 1
                order[k] = p
                count += 1
        for t in range(count):
            p = order[t]
            metrics[fr, t] = pm[p]
            for i in range(n):
                xs[fr, t, i] = xfinal[p * n + i] < 0
        for t in range(count, L):
            metrics[fr, t] = np.inf
        counts[fr] = count


def scl_buffers(n: int, list_size: int, dtype=np.float32):
    """Level buffers (alpha, beta) of :func:`scl_frames` for length-n codes."""
    return np.zeros(list_size * (n - 1) + n, dtype=dtype), np.ones(max(list_size * (n - 1), 1), dtype=dtype)


def scl_decode(llr: np.ndarray, ops: np.ndarray, list_size: int, quantization=None):
    """SC-list decoding of a batch with ``ops = schedule(frozen)`` (or ``spc=True``).

    Returns ``(x, metrics, count)``: candidate codewords (F, L, N) sorted by path metric
    (F, L) ascending, of which the first ``count[f]`` are valid (the rest have metric inf).
    ``llr`` is read as it is; with ``quantization`` it is quantised first and the decoder
    runs in that integer type (metrics then in units of one quantisation step)."""
    if not 1 <= list_size <= MAX_LIST_SIZE:
        raise ValueError(f"list_size must be in 1..{MAX_LIST_SIZE}, got {list_size}")
    if quantization is not None:
        llr = quantization.quantize(llr)
        dtype, q = quantization.dtype, quantization.dtype(quantization.max_int)
    else:
        llr = np.ascontiguousarray(llr)
        if llr.dtype not in (np.float32, np.float64):
            llr = llr.astype(np.float32)
        dtype, q = np.float32, np.float32(0.0)
    frames, n = llr.shape
    alpha, beta = scl_buffers(n, list_size, dtype)
    xs = np.zeros((frames, list_size, n), dtype=np.uint8)
    metrics = np.empty((frames, list_size))
    counts = np.zeros(frames, dtype=np.int64)
    scl_frames(llr, ops, int(list_size), q, alpha, beta, xs, metrics, counts)
    return xs, metrics, counts
