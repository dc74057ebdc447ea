r"""Successive-cancellation decoding of polar codes: the decoding tree and its special nodes,
and the SC kernel that decodes a register's worth of frames in lock-step.

SC walks the decoding tree of :math:`x = u\,G_N` (a node of size m at codeword offset o
covers :math:`x_{[o, o+m)}`) with the min-sum rules on LLRs

.. math::
    f(a, b) = \operatorname{sign}(a)\operatorname{sign}(b)\min(|a|, |b|), \qquad
    g(a, b, s) = b + (1 - 2s)\,a,

and the partial sums :math:`x = (x_\text{left} \oplus x_\text{right},\ x_\text{right})`.
:func:`schedule` flattens the tree once per frozen set into operations ``(op, m, offset)``:
``F``/``G`` compute the left/right child's LLRs from the parent's, ``COMBINE`` forms the
parent's partial sums, and a leaf is a whole subtree decided at once when its frozen
pattern is special (Alamdar-Yazdi & Kschischang 2011; Sarkis et al. 2014, "Fast-SSC"):

* rate-0 (all frozen): x = 0;
* rate-1 (no frozen bit): x = the hard decisions of the node's LLRs;
* repetition (only the last bit free): every x_i = the sign of :math:`\sum_i \alpha_i`;
* single parity check, SPC (only the first bit frozen): the hard decisions, and if their
  parity is odd the least reliable one flipped (Wagner's rule).

Each rule returns exactly the decisions bit-by-bit min-sum SC takes in that subtree (for
repetition the sum is even formed in SC's order, pairwise by halves); for rate-1 and SPC
this is the min-sum identity :math:`|f| [\hat v \ne h(f)] + |g| [\hat w \ne h(g)] =
|a| [\hat v \oplus \hat w \ne h(a)] + |b| [\hat w \ne h(b)]` (h = hard decision) applied
down the subtree. Ties (equal magnitudes, which continuous noise never produces) may be
broken differently. The decoders' node sets:

========== ===================================== ==========================
algorithm  leaves                                 decisions
========== ===================================== ==========================
(bit)      single bits (``schedule(.., bits)``)   the textbook SC, reference
sc         rate-0, rate-1, repetition             = bit-by-bit SC
fast-ssc   rate-0, rate-1, repetition, SPC        = bit-by-bit SC
========== ===================================== ==========================

No ML node: an ML decision inside a node is better than SC's and so differs from it.

**Layout (inter-frame SIMD).** The kernel decodes :func:`~.fixed_point.lanes` frames at
once (8 float32 frames per AVX2 register), frame index innermost: position i of a level
holds the lanes ``[i*B, (i+1)*B)``, so every operation of a node of size m is one loop over
m·B contiguous values that LLVM turns into register-wide instructions. LLRs of a node of
size m live at ``alpha[m*B:2*m*B]`` (the channel at ``alpha[N*B:2*N*B]``); partial sums
are kept as ±1 in the message type (``beta``, x = 0 ↔ +1), so g is ``b + s·a`` and a
COMBINE is a product. Messages are float32 or, with a :class:`~.fixed_point.Quantization`,
int8/int16 with every sum saturated; the channel LLRs are read in whatever dtype they come
(float64 from the channels, no conversion pass). Bits u = x G are formed node by node (a
rate-1 or SPC node: :math:`x G_m`; repetition: its last bit) only for non-systematic codes.

Example
-------
>>> import numpy as np
>>> frozen = np.array([True, True, True, False, True, False, False, False])
>>> ops = schedule(frozen)
>>> x = np.array([[0, 1, 1, 0, 0, 1, 1, 0]], dtype=np.uint8)   # a codeword: (x G)_F = 0
>>> llr = 4.0 * (1.0 - 2.0 * x)
>>> llr[0, 2] = -0.5                                          # one unreliable wrong sign
>>> sc_decode(llr, ops).tolist()
[[0, 1, 1, 0, 0, 1, 1, 0]]
>>> sc_decode(llr, schedule(frozen, spc=True)).tolist()
[[0, 1, 1, 0, 0, 1, 1, 0]]
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .fixed_point import lanes
from .lanes import (add_lanes, add_rate1_lanes, bcast_lanes, copy_lanes, f_lanes, fill_lanes, g_lanes, g_rate1_lanes,
                    hard_lanes, lanes_in, lanes_in_quantized, lanes_out, mul_lanes, spc_lanes, transform_lanes)

OP_F, OP_G, OP_COMBINE, OP_RATE0, OP_RATE1, OP_REP, OP_SPC = 0, 1, 2, 3, 4, 5, 6
# fused (SC only): G and COMBINE after a rate-0 left child (whose F is skipped), and a
# rate-1 right child decided inside its parent's G with the COMBINE
OP_G0, OP_COMBINE0, OP_G_RATE1, OP_G0_RATE1 = 7, 8, 9, 10
OP_NAMES = ("F", "G", "COMBINE", "RATE0", "RATE1", "REP", "SPC", "G0", "COMBINE0", "G+RATE1", "G0+RATE1")


def schedule(frozen: np.ndarray, rate1: bool = True, spc: bool = False, bits: bool = False,
             fused: bool = False) -> np.ndarray:
    """The decoding tree as an (n_ops, 3) int64 array of ``(op, m, offset)``, depth first.

    Leaves: rate-0 and repetition nodes always (as SC), rate-1 nodes with ``rate1``, SPC
    nodes with ``spc``. ``rate1=False`` splits rate-1 nodes down to single bits (repetition
    nodes of size 1); ``bits=True`` splits every node down to single bits (a frozen bit is
    a rate-0 node of size 1, an information bit a repetition node of size 1): the
    textbook decoder the shortcuts are checked against.

    ``fused=True`` (the SC kernel's form; the list decoder takes the plain one) drops the F
    and the leaf of a rate-0 left child, turning its parent's G into a sum (``G0``) and
    its COMBINE into a copy (``COMBINE0``), and decides a rate-1 right child inside its
    parent's G, COMBINE included (``G+RATE1``, ``G0+RATE1``).

    >>> schedule(np.array([True, False]), rate1=True).tolist()
    [[5, 2, 0]]
    >>> schedule(np.array([True, False, False, False])).tolist()
    [[0, 4, 0], [5, 2, 0], [1, 4, 0], [4, 2, 2], [2, 4, 0]]
    >>> schedule(np.array([True, False, False, False]), spc=True).tolist()
    [[6, 4, 0]]
    >>> schedule(np.array([True, True, False, False]), fused=True).tolist()
    [[10, 4, 0]]
    """
    frozen = np.asarray(frozen, dtype=bool)
    ops: list[tuple[int, int, int]] = []

    def kind(offset: int, m: int) -> int:
        """The leaf op deciding node (offset, m), or -1 to split it."""
        node = frozen[offset : offset + m]
        if m == 1:
            return OP_RATE0 if node[0] else OP_REP
        if bits:
            return -1
        if node.all():
            return OP_RATE0
        if rate1 and not node.any():
            return OP_RATE1
        if node[:-1].all():
            return OP_REP
        if spc and node[0] and not node[1:].any():
            return OP_SPC
        return -1

    def build(offset: int, m: int) -> None:
        op = kind(offset, m)
        if op < 0:
            split(offset, m)
        else:
            ops.append((op, m, offset))

    def split(offset: int, m: int) -> None:
        h = m // 2
        zero_left = fused and kind(offset, h) == OP_RATE0
        if not zero_left:
            ops.append((OP_F, m, offset))
            build(offset, h)
        if fused and kind(offset + h, h) == OP_RATE1:
            ops.append((OP_G0_RATE1 if zero_left else OP_G_RATE1, m, offset))
            return
        ops.append((OP_G0 if zero_left else OP_G, m, offset))
        build(offset + h, h)
        ops.append((OP_COMBINE0 if zero_left else OP_COMBINE, m, offset))

    build(0, frozen.size)
    return np.array(ops, dtype=np.int64).reshape(-1, 3)


def node_counts(ops: np.ndarray) -> dict[str, int]:
    """How many operations of each kind a schedule holds.

    >>> node_counts(schedule(np.array([True, False, False, False]), spc=True))
    {'SPC': 1}
    """
    counts = np.bincount(ops[:, 0], minlength=len(OP_NAMES))
    return {OP_NAMES[i]: int(c) for i, c in enumerate(counts) if c}


# ----------------------------------------------------------------------------- SC kernel


@njit(cache=True)
def rep_sum_lanes(a, m, B, q):
    """The repetition node's LLR sum per lane, formed pairwise by halves as bit-by-bit SC
    forms it (each g with a frozen left child is a sum), left in ``a[B:2B]``."""
    d = m
    while d > 1:
        h = d // 2
        add_lanes(a, d * B, a, (d + h) * B, a, h * B, h * B, q)
        d = h


@njit(cache=True)
def sc_lanes(llr, ops, info, want_u, q, alpha, beta, u, out, scale=0.0, limit=0.0):
    """SC on every frame of ``llr`` (F, N), B = len(alpha) / 2N frames at a time.

    ``alpha`` (2N·B), ``beta`` and ``u`` (N·B) are the lane buffers in the message type,
    ``q`` the saturation (integers) in that type. ``out`` (F, len(info)) receives the
    bits at positions ``info``: of u = x G (``want_u``) or of x. With ``scale`` > 0
    float LLRs are quantised on the way in: clip(rint(scale·L), -limit, limit)."""
    frames, n = llr.shape
    B = alpha.size // (2 * n)
    one = beta.dtype.type(1)
    mtype = alpha.dtype.type
    for f0 in range(0, frames, B):
        nb = min(B, frames - f0)
        if nb == B and n % B == 0:  # channel LLRs into lanes, converted (or quantised) on the way
            if scale > 0:
                lanes_in_quantized(llr, f0, alpha, n * B, scale, limit)
            else:
                lanes_in(llr, f0, alpha, n * B)
        else:
            for b in range(nb):
                for i in range(n):
                    x = llr[f0 + b, i]
                    if scale > 0:
                        x = min(max(np.rint(x * scale), -limit), limit)
                    alpha[(n + i) * B + b] = mtype(x)
            for b in range(nb, B):
                for i in range(n):
                    alpha[(n + i) * B + b] = 0
        for j in range(ops.shape[0]):
            op = ops[j, 0]
            m = ops[j, 1]
            off = ops[j, 2]
            h = m // 2
            if op == OP_F:
                f_lanes(alpha, m * B, alpha, (m + h) * B, alpha, h * B, h * B)
            elif op == OP_G:
                g_lanes(alpha, m * B, alpha, (m + h) * B, beta, off * B, alpha, h * B, h * B, q)
            elif op == OP_COMBINE:
                mul_lanes(beta, off * B, beta, (off + h) * B, beta, off * B, h * B)
            elif op == OP_G0:
                add_lanes(alpha, m * B, alpha, (m + h) * B, alpha, h * B, h * B, q)
            elif op == OP_COMBINE0:
                copy_lanes(beta, (off + h) * B, beta, off * B, h * B)
            elif op == OP_G_RATE1 or op == OP_G0_RATE1:
                if op == OP_G_RATE1:
                    g_rate1_lanes(alpha, m * B, alpha, (m + h) * B, beta, off * B, beta, (off + h) * B, beta, off * B,
                                  h * B, q)
                else:
                    add_rate1_lanes(alpha, m * B, alpha, (m + h) * B, beta, (off + h) * B, beta, off * B, h * B, q)
                if want_u:
                    copy_lanes(beta, (off + h) * B, u, (off + h) * B, h * B)
                    transform_lanes(u, (off + h) * B, h)
            elif op == OP_RATE0:  # (u stays +1 at frozen positions: nothing else writes there)
                fill_lanes(beta, off * B, m * B, one)
            elif op == OP_RATE1 or op == OP_SPC:
                if op == OP_RATE1:
                    hard_lanes(alpha, m * B, beta, off * B, m * B)
                else:
                    spc_lanes(alpha, m * B, beta, off * B, m)
                if want_u:
                    copy_lanes(beta, off * B, u, off * B, m * B)
                    transform_lanes(u, off * B, m)
            else:  # OP_REP
                if m > 1:
                    rep_sum_lanes(alpha, m, B, q)
                last = (off + m - 1) * B
                hard_lanes(alpha, B, beta, last, B)
                bcast_lanes(beta, last, beta, off * B, m - 1)
                if want_u:  # (u stays +1 at the frozen positions)
                    copy_lanes(beta, last, u, last, B)
        src = u if want_u else beta
        full = info.size - info.size % B if nb == B else 0
        for t0 in range(0, full, B):
            lanes_out(src, info, t0, out, f0)
        for t in range(full, info.size):
            p = info[t] * B
            for b in range(nb):
                out[f0 + b, t] = src[p + b] < 0


def sc_buffers(n: int, dtype=np.float32):
    """Lane buffers (alpha, beta, u) for length-n codes and messages of ``dtype``."""
    B = lanes(dtype)
    return np.zeros(2 * n * B, dtype=dtype), np.ones(n * B, dtype=dtype), np.ones(n * B, dtype=dtype)


def sc_bits(llr: np.ndarray, ops: np.ndarray, info: np.ndarray, want_u: bool, quantization=None,
            buffers=None) -> np.ndarray:
    """SC decisions at positions ``info``: (F, len(info)) uint8 bits of u (``want_u``) or x.

    ``llr`` is read as it is (float32 or float64); with ``quantization`` it is first
    quantised and the decoder runs in that integer type."""
    llr = np.ascontiguousarray(llr)
    if llr.dtype not in (np.float32, np.float64):
        llr = llr.astype(np.float32)
    scale, limit = 0.0, 0.0
    if quantization is not None:  # quantised as the lanes are loaded
        dtype, q = quantization.dtype, quantization.dtype(quantization.max_int)
        scale, limit = 2.0**quantization.fraction_bits, float(quantization.channel_max_int)
    else:
        dtype, q = np.float32, np.float32(0.0)
    alpha, beta, u = buffers if buffers is not None else sc_buffers(llr.shape[1], dtype)
    out = np.empty((llr.shape[0], info.size), dtype=np.uint8)
    sc_lanes(llr, ops, np.asarray(info, dtype=np.int64), bool(want_u), q, alpha, beta, u, out, scale, limit)
    return out


def sc_decode(llr: np.ndarray, ops: np.ndarray, with_u: bool = False, quantization=None):
    """SC decoding of a batch: LLRs (F, N) -> codeword estimates x (F, N) uint8, and with
    ``with_u`` also the bit estimates u = x G_N (formed node by node, no re-encoding)."""
    n = np.asarray(llr).shape[1]
    every = np.arange(n, dtype=np.int64)
    x = sc_bits(llr, ops, every, False, quantization)
    return (x, sc_bits(llr, ops, every, True, quantization)) if with_u else x
