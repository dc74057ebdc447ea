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
from .lanes import copy_lanes, f_lanes, g_lanes, hard_lanes, mul_lanes, next_least_reliable

#: The largest list the decoders accept.
MAX_LIST_SIZE = 128


@njit(cache=True, _nrt=False, inline="always")
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


@njit(cache=True, _nrt=False, inline="always")
def _release(ref, free, nfree, lv, s):
    ref[lv, s] -= 1
    if ref[lv, s] == 0:
        free[lv, nfree[lv]] = s
        nfree[lv] += 1


@njit(cache=True, _nrt=False, inline="always")
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


@njit(cache=True, _nrt=False, inline="always")
def _select(cand, total, list_size, keep, scratch):
    """keep[c] for the list_size smallest of the metrics cand[:total] (all of them if they
    fit); on equal metrics the lower candidate index wins."""
    if total <= list_size:
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


@njit(cache=True, _nrt=False, inline="always")
def _materialize(nv, vorig, vpm, vpath, used, active, pm, ptr_a, ref_a, free_a, nfree_a, ptr_b, ref_b, free_b, nfree_b):
    """Turn the nv surviving candidates of a node (each an origin path ``vorig[v]`` and a
    metric) into paths: an origin without survivors is dropped, its first survivor keeps
    its index, the others take free indices sharing its arrays (2 log2 N pointer copies).
    ``vpath[v]`` is the path of candidate v."""
    L, levels = ptr_a.shape
    used[:] = 0
    for v in range(nv):
        used[vorig[v]] += 1
    for p in range(L):
        if active[p] and used[p] == 0:
            active[p] = False
            for t in range(levels):
                _release(ref_a, free_a, nfree_a, t, ptr_a[p, t])
                _release(ref_b, free_b, nfree_b, t, ptr_b[p, t])
    q = 0
    for v in range(nv):
        o = vorig[v]
        if used[o] > 0:  # the origin's first survivor stays where it is
            used[o] = -1
            vpath[v] = o
        else:
            while active[q]:
                q += 1
            active[q] = True
            for t in range(levels):
                ptr_a[q, t] = ptr_a[o, t]
                ptr_b[q, t] = ptr_b[o, t]
                ref_a[t, ptr_a[o, t]] += 1
                ref_b[t, ptr_b[o, t]] += 1
            vpath[v] = q
        pm[vpath[v]] = vpm[v]


@njit(cache=True, _nrt=False, inline="always")
def _survivors(cand, n_cand, list_size, keep, scratch, vorig, vpm, vtag, nvorig, nvpm, nvtag, tag_flip):
    """One decision for every candidate list: keep the list_size best of the n_cand
    candidates (candidate 2v + b continues candidate v with branch b), and write the
    survivors' origin, metric and tag (tag of v, XOR ``tag_flip`` for branch 1) to the
    ``n*`` arrays. Returns their number."""
    _select(cand, n_cand, list_size, keep, scratch)
    nn = 0
    for c in range(n_cand):
        if keep[c]:
            v = c // 2
            nvorig[nn] = vorig[v]
            nvpm[nn] = cand[c]
            for w in range(vtag.shape[1]):
                nvtag[nn, w] = vtag[v, w] ^ tag_flip[w] if c & 1 else vtag[v, w]
            nn += 1
    return nn


@njit(cache=True, _nrt=False, inline="always")
def _sort_candidates(nv, vorig, vpm, vtag):
    """Sort candidates 0..nv-1 by metric (insertion, stable: equal metrics keep their order)."""
    for v in range(1, nv):
        o, pmv = vorig[v], vpm[v]
        k = v
        while k > 0 and vpm[k - 1] > pmv:
            k -= 1
        if k < v:
            for w in range(vtag.shape[1]):
                tag = vtag[v, w]
                for i in range(v, k, -1):
                    vtag[i, w] = vtag[i - 1, w]
                vtag[k, w] = tag
            for i in range(v, k, -1):
                vorig[i] = vorig[i - 1]
                vpm[i] = vpm[i - 1]
            vorig[k], vpm[k] = o, pmv


@njit(cache=True, _nrt=False, inline="always")
def _fork(nv, list_size, t, spc, vorig, vpm, vtag, lrval, flip, vorig2, vpm2, vtag2, fm, forder):
    """One fork of a rate-1 or SPC node on the t-th least reliable position, for the
    candidates 0..nv-1 sorted by metric: each may stay (same metric) or flip it (metric
    + its cost >= 0); the list_size best survive, still sorted (a merge of the stays and
    the sorted flips; a stay wins a tie). Returns their number, or -1 when the list is full
    and no flip beats its worst stay: then no later position can either (their costs only
    grow), and the node's decisions are final."""
    full = nv == list_size
    worst = vpm[nv - 1]
    useful = not full
    for v in range(nv):
        o = vorig[v]
        cost = lrval[o, t]
        if spc:
            cost += -lrval[o, 0] if vtag[v, 0] & np.uint64(1) else lrval[o, 0]
        fm[v] = vpm[v] + cost
        useful |= fm[v] < worst
        forder[v] = v
    if not useful:
        return -1
    for v in range(1, nv):  # flips by metric (stable)
        f = forder[v]
        k = v
        while k > 0 and fm[forder[k - 1]] > fm[f]:
            forder[k] = forder[k - 1]
            k -= 1
        forder[k] = f
    i = 0
    j = 0
    nn = 0
    while nn < list_size and (i < nv or j < nv):
        if j >= nv or (i < nv and vpm[i] <= fm[forder[j]]):
            vorig2[nn] = vorig[i]
            vpm2[nn] = vpm[i]
            for w in range(vtag.shape[1]):
                vtag2[nn, w] = vtag[i, w]
            i += 1
        else:
            f = forder[j]
            vorig2[nn] = vorig[f]
            vpm2[nn] = fm[f]
            for w in range(vtag.shape[1]):
                vtag2[nn, w] = vtag[f, w] ^ flip[w]
            j += 1
        nn += 1
    for v in range(nn):
        vorig[v] = vorig2[v]
        vpm[v] = vpm2[v]
        for w in range(vtag.shape[1]):
            vtag[v, w] = vtag2[v, w]
    return nn


@njit(cache=True, _nrt=False, inline="always")
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


@njit(cache=True, _nrt=False, inline="always")
def _extend_least_reliable(alpha, src, m, T, o, lrpos, lrval, lrcount):
    """Append the next least reliable position of origin o's node (alpha[src:src+m],
    magnitudes ascending, the first position on ties) to lrpos[o], lrval[o]. A small node
    (m <= 32) is sorted at once, the T first kept, by insertion; a larger one is searched on
    demand, one vector pass per position, since a full list often stops forking after a
    position or two."""
    c = lrcount[o]
    if m <= 32:
        if c > 0:
            return
        cnt = 0
        for i in range(m):
            a = np.float64(alpha[src + i])
            v = -a if a < 0 else a
            if cnt < T or v < lrval[o, T - 1]:
                k = cnt if cnt < T else T - 1
                cnt = min(cnt + 1, T)
                while k > 0 and lrval[o, k - 1] > v:
                    lrval[o, k] = lrval[o, k - 1]
                    lrpos[o, k] = lrpos[o, k - 1]
                    k -= 1
                lrval[o, k] = v
                lrpos[o, k] = i
        lrcount[o] = T
        return
    mtype = alpha.dtype.type
    after_value = mtype(lrval[o, c - 1]) if c > 0 else mtype(-1)
    after_index = lrpos[o, c - 1] if c > 0 else -1
    value, index = next_least_reliable(alpha, src, m, after_value, after_index)
    lrval[o, c] = np.float64(value)
    lrpos[o, c] = index
    lrcount[o] = c + 1


@njit(cache=True, _nrt=False)
def scl_frames(llr, ops, q, xs, metrics, counts, work):
    """SC-list on every frame of ``llr`` (F, N) with the schedule ``ops`` and the list
    size, message type and buffers of ``work`` (:func:`scl_workspace`), ``q`` the
    saturation of integer messages. Candidates go to xs (F, L, N) uint8 sorted by metric
    (F, L) ascending, of which the first ``counts[f]`` are valid (the others: metric inf)."""
    (alpha, beta, ptr_a, ptr_b, ref_a, ref_b, free_a, free_b, nfree_a, nfree_b, base, pm, active, tmp, xfinal,
     lrpos, lrval, lrcount, vorig, vpm, vtag, vorig2, vpm2, vtag2, vpath, used, flip, cand, scratch, keep, order) = work
    frames, n = llr.shape
    L, levels = ptr_a.shape
    top = levels - 1
    words = vtag.shape[1]
    chan = base[top]  # the channel level has one slot, shared by every path
    mtype = alpha.dtype.type
    one = mtype(1)
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
                    for i in range(m):  # max(), not if: the sign of an LLR is a coin the branch predictor loses
                        penalty += max(-np.float64(alpha[src + i]), 0.0)
                        tmp[i] = one
                    pm[p] += penalty
                    _complete(p, m, off, lv, n, top, tmp, beta, base, ptr_b, ref_b, free_b, nfree_b, xfinal)
            elif op == OP_REP or op == OP_RATE1 or op == OP_SPC:
                # Candidates v = 0..nv-1 (origin path, metric, tag) go through the node's
                # decisions without touching the pointer tables; the survivors become paths
                # once, at the end. REP: one decision, tag bit 0 = "x = 1". RATE1/SPC: tag
                # bit t = "t-th least reliable position flipped" (SPC: bit 0 keeps the parity).
                rep = op == OP_REP
                spc = op == OP_SPC
                T = 1 if rep else (min(L, m) if spc else min(L - 1, m))
                nv = 0
                for p in range(L):
                    if not active[p]:
                        continue
                    src = chan if lv == top else base[lv] + ptr_a[p, lv] * m
                    vorig[nv] = p
                    vpm[nv] = pm[p]
                    for w in range(words):
                        vtag[nv, w] = 0
                    if rep:
                        s0 = 0.0
                        s1 = 0.0
                        for i in range(m):  # branch-free, as for rate-0
                            a = np.float64(alpha[src + i])
                            s0 += max(-a, 0.0)
                            s1 += max(a, 0.0)
                        lrval[p, 0] = s0  # metric of x = 0 and of x = 1
                        lrval[p, 1] = s1
                    else:
                        lrcount[p] = 0
                        if spc:
                            _extend_least_reliable(alpha, src, m, T, p, lrpos, lrval, lrcount)
                            odd = False
                            for i in range(m):
                                odd ^= alpha[src + i] < 0  # (a XOR, no branch)
                            if odd:  # Wagner: the least reliable decision fixes the parity
                                vtag[nv, 0] = 1
                                vpm[nv] += lrval[p, 0]
                    nv += 1
                if rep:
                    for v in range(nv):
                        o = vorig[v]
                        cand[2 * v] = vpm[v] + lrval[o, 0]
                        cand[2 * v + 1] = vpm[v] + lrval[o, 1]
                    flip[0] = np.uint64(1)
                    for w in range(1, words):
                        flip[w] = 0
                    nv = _survivors(cand, 2 * nv, L, keep, scratch, vorig, vpm, vtag, vorig2, vpm2, vtag2, flip)
                    for v in range(nv):  # (copied back: swapping array variables costs reference counts)
                        vorig[v] = vorig2[v]
                        vpm[v] = vpm2[v]
                        for w in range(words):
                            vtag[v, w] = vtag2[v, w]
                elif T > (1 if spc else 0):  # SPC: position 0 only keeps the parity
                    _sort_candidates(nv, vorig, vpm, vtag)
                    for t in range(1 if spc else 0, T):
                        for w in range(words):
                            flip[w] = 0
                        flip[t >> 6] = np.uint64(1) << np.uint64(t & 63)
                        if spc:
                            flip[0] ^= np.uint64(1)
                        for v in range(nv):
                            o = vorig[v]
                            if lrcount[o] <= t:
                                src = chan if lv == top else base[lv] + ptr_a[o, lv] * m
                                _extend_least_reliable(alpha, src, m, T, o, lrpos, lrval, lrcount)
                        found = _fork(nv, L, t, spc, vorig, vpm, vtag, lrval, flip, vorig2, vpm2, vtag2, cand, order)
                        if found < 0:
                            break
                        nv = found
                _materialize(nv, vorig, vpm, vpath, used, active, pm, ptr_a, ref_a, free_a, nfree_a, ptr_b, ref_b, free_b,
                             nfree_b)
                for v in range(nv):
                    p = vpath[v]
                    o = vorig[v]
                    if rep:
                        x = -one if vtag[v, 0] & np.uint64(1) else one
                        for i in range(m):
                            tmp[i] = x
                    else:
                        src = chan if lv == top else base[lv] + ptr_a[p, lv] * m
                        hard_lanes(alpha, src, tmp, 0, m)
                        for t in range(lrcount[o]):
                            if (vtag[v, t >> 6] >> np.uint64(t & 63)) & np.uint64(1):
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


def scl_workspace(n: int, list_size: int, dtype=np.float32) -> tuple:
    """Every buffer :func:`scl_frames` uses, allocated here: the kernel is compiled without
    numba's reference counting (``_nrt=False``: about 30 cycles saved on each array passed
    to a helper, the cost of SCL's many small operations), so it allocates nothing.

    LLRs of level lv (nodes of 2^lv values) and partial sums of left children take L slots
    per level (``base[lv]``: where level lv starts); the channel level has one slot."""
    L = int(list_size)
    levels = int(n).bit_length()  # log2(n) + 1
    base = np.zeros(levels, dtype=np.int64)
    for lv in range(1, levels):
        base[lv] = base[lv - 1] + L * (1 << (lv - 1))
    words = (L + 63) // 64
    i64 = np.int64
    return (np.zeros(L * (n - 1) + n, dtype=dtype), np.ones(max(L * (n - 1), 1), dtype=dtype),  # alpha, beta
            np.zeros((L, levels), i64), np.zeros((L, levels), i64),  # ptr_a, ptr_b
            np.zeros((levels, L), i64), np.zeros((levels, L), i64),  # ref_a, ref_b
            np.zeros((levels, L), i64), np.zeros((levels, L), i64),  # free_a, free_b
            np.zeros(levels, i64), np.zeros(levels, i64), base,  # nfree_a, nfree_b, base
            np.zeros(L), np.zeros(L, dtype=np.bool_),  # pm, active
            np.ones(2 * n, dtype=dtype), np.ones(L * n, dtype=dtype),  # tmp, xfinal
            np.zeros((L, max(L, 2)), i64), np.zeros((L, max(L, 2))), np.zeros(L, i64),  # lrpos, lrval, lrcount
            np.zeros(L, i64), np.zeros(L), np.zeros((L, words), np.uint64),  # vorig, vpm, vtag
            np.zeros(L, i64), np.zeros(L), np.zeros((L, words), np.uint64),  # vorig2, vpm2, vtag2
            np.zeros(L, i64), np.zeros(L, i64), np.zeros(words, np.uint64),  # vpath, used, flip
            np.zeros(2 * L), np.zeros(2 * L), np.zeros(2 * L, dtype=np.bool_), np.zeros(L, i64))  # cand, scratch, keep, order


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
    xs = np.zeros((frames, list_size, n), dtype=np.uint8)
    metrics = np.empty((frames, list_size))
    counts = np.zeros(frames, dtype=np.int64)
    scl_frames(llr, ops, q, xs, metrics, counts, scl_workspace(n, list_size, dtype))
    return xs, metrics, counts
