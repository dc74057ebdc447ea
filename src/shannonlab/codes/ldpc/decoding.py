r"""Belief-propagation decoders of a binary LDPC code on a batch of frames.

The Tanner graph is stored check-major (CSR): the edges of check c are
``check_ptr[c] .. check_ptr[c+1]-1`` and ``edge_var[e]`` is the variable of edge e.
Messages live in edge-indexed float32 arrays. LLR(b) = ln P(b=0)/P(b=1).

Speed (AFF3CT's inter-frame SIMD): one kernel call decodes :data:`LANES` frames in
lock-step (:mod:`.kernels`), the frame index innermost: every message is a vector of one
value per frame, held in SIMD registers (:mod:`shannonlab.codes.vector`), and every
update is branch-free (selects, min/max, sign bits). When a frame stops (zero syndrome or
``max_iterations``) its lane takes the next frame of the batch at once, so a stopped
frame costs nothing more. Frames never interact: a frame decodes to the same result
alone or in any batch, in any lane. Messages are float32 end to end (the channel LLRs are
converted once); the exponential and logarithm of sum-product are float32 polynomials on
the vectors. What is not vectorised, and why: putting a frame into a lane and taking it
out (one column of the lane arrays, n scalar moves per frame), the parity check of a
frame's channel decisions before it enters (a scalar loop that ends at the first failed
check, so it costs a few checks on a noisy frame), and the per-iteration syndrome's XOR
over edges, which works on words holding one decision bit per lane (64 lanes per XOR).

Check-node rules (``rule``, the only thing that differs between the algorithms; the
extrinsic message on edge e of a check with incoming messages :math:`x_j`):

* ``sum-product``: :math:`2\,\mathrm{artanh}\prod_{j\ne e}\tanh(x_j/2)`, computed with
  magnitudes :math:`t_j = (1 - e^{-|x_j|})/(1 + e^{-|x_j|})`, forward-backward products
  (no division by t, exact when some :math:`x_j = 0`) and :math:`\ln\frac{1+p}{1-p}` with
  p kept at most :math:`1 - 2^{-23}` (check messages at most ln(2^24) = 16.6).
* ``min-sum``: :math:`\prod_{j\ne e}\mathrm{sgn}(x_j)\,\min_{j\ne e}|x_j|`;
* ``normalized-min-sum``: the min-sum magnitude times :math:`\alpha`;
* ``offset-min-sum``: :math:`\max(\min_{j\ne e}|x_j| - \beta, 0)`.

Schedules: ``flooding`` (all checks from the previous iteration's variable messages,
:math:`v_{e} = L_v + \sum_{e' \ni v} c_{e'} - c_e`) and ``layered`` (check by check, the
posterior :math:`L^{post}_v` updated at once, so later checks in the same iteration see
the new values; about half the iterations of flooding).

Early stopping: before each iteration the hard decisions of the posterior are checked
against every parity; a frame whose syndrome is zero stops (and costs nothing more). The
reported iteration count of a frame is the number of iterations it ran (0 if its channel
decisions were already a codeword).

Fixed point (``quantization``, min-sum family): the channel LLRs are quantised
(:class:`~shannonlab.codes.simd.Quantization`) and the same kernels run on int8 or int16
vectors with saturated additions (``vpaddsb``: :data:`INT_LANES` frames per call); the
normalized-min-sum factor becomes a multiplier with 8 fractional bits (round(256 α)/256,
product rounded to the nearest integer), the offset β is rounded to the LLR step. The
returned posteriors are the integers times the step.

Signs: a check message takes the sign product from the sign bits, so a message of −0.0
counts as negative where the sign test ``x < 0`` would not; a zero message carries no
sign, and the magnitudes (hence every decision) are the same either way.

Example
-------
>>> import numpy as np, scipy.sparse as sp
>>> H = sp.csr_matrix(np.array([[1, 1, 1, 0], [0, 1, 1, 1]], dtype=np.uint8))
>>> dec = BeliefPropagation(H, "sum-product", "flooding", max_iterations=5)
>>> post, iters, ok = dec.run(np.array([[2.0, -0.5, 3.0, 1.0]]))
>>> (post < 0).astype(int).tolist(), iters.tolist(), ok.tolist()
([[0, 0, 0, 0]], [1], [True])
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..simd import F32_LANES, I8_LANES, I16_LANES, Quantization
from .kernels import kernels

#: ``rule`` codes of the check-node update.
RULES = {"sum-product": 0, "min-sum": 1, "normalized-min-sum": 2, "offset-min-sum": 3}
SCHEDULES = ("flooding", "layered")

#: Frames decoded in lock-step by one float32 kernel call: the float32 lanes of two of the
#: CPU's vector registers (the min-sum recurrences of one register wait on the latency of
#: the previous edge; two registers interleave; of 1, 2, 4 and 8 registers, 2 measured
#: fastest on AVX2). At most 64 (one bit per lane in a syndrome word).
LANES = min(64, 2 * F32_LANES)
#: Lanes of the fixed-point kernels: two registers of int8 or int16 values, at most 64.
INT_LANES = {np.int8: min(64, 2 * I8_LANES), np.int16: min(64, 2 * I16_LANES)}


class BeliefPropagation:
    """BP decoding of the code of H with a check-node ``rule`` (see :data:`RULES`) and a
    ``schedule`` ("flooding" or "layered"); ``alpha`` scales (normalized min-sum),
    ``beta`` offsets (offset min-sum); ``early_stop`` ends a frame once its syndrome is 0.

    ``run(llr)`` takes channel LLRs (F, n) and returns the posterior LLRs (F, n) float32,
    the iterations each frame ran (F,) and whether its final syndrome is zero (F,).
    ``quantization`` (min-sum family) decodes in fixed point.
    """

    def __init__(self, H: sp.spmatrix, rule: str = "sum-product", schedule: str = "flooding",
                 max_iterations: int = 20, alpha: float = 0.8, beta: float = 0.5, early_stop: bool = True,
                 quantization: Quantization | None = None):
        if rule not in RULES:
            raise ValueError(f"unknown rule {rule!r} (allowed: {', '.join(RULES)})")
        if schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule {schedule!r} (allowed: {', '.join(SCHEDULES)})")
        if max_iterations < 1:
            raise ValueError(f"max_iterations must be a positive integer, got {max_iterations}")
        csr = sp.csr_matrix(H, dtype=np.uint8)
        csr.eliminate_zeros()
        csr.sort_indices()
        self.m, self.n = csr.shape
        self.check_ptr = csr.indptr.astype(np.int64)
        self.edge_var = csr.indices.astype(np.int64)
        self.rule, self.schedule = rule, schedule
        self.max_iterations = int(max_iterations)
        self.alpha, self.beta = float(alpha), float(beta)
        self.early_stop = bool(early_stop)
        if quantization is not None and rule == "sum-product":
            raise ValueError("quantization applies to the min-sum family (min-sum, normalized-min-sum, offset-min-sum), "
                             "not to sum-product")
        self.quantization = quantization
        #: Frames one kernel call decodes in lock-step (a batch of fewer costs the same).
        self.lanes = LANES if quantization is None else INT_LANES[quantization.dtype]

    def run(self, llr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        llr = np.asarray(llr)
        if llr.ndim != 2 or llr.shape[1] != self.n:
            raise ValueError(f"LLRs must have shape (frames, {self.n}), got {llr.shape}")
        F = llr.shape[0]
        rule = RULES[self.rule]
        if self.quantization is None:
            llr = np.ascontiguousarray(llr, dtype=np.float32)
            dt, lanes = np.float32, LANES
            big, q = np.float32(np.finfo(np.float32).max), np.float32(0)
            beta = np.float32(self.beta)
            step = np.float32(1.0)
        else:
            qz = self.quantization
            llr = qz.quantize(llr)
            dt = qz.dtype
            lanes = INT_LANES[dt]
            big, q = dt(np.iinfo(dt).max), dt(qz.message_max)
            beta = dt(round(self.beta * 2**qz.fraction_bits))
            step = np.float32(qz.step)
        decode = kernels(lanes, rule == 0).decode
        post = np.empty((F, self.n), dtype=np.float32)
        iters = np.empty(F, dtype=np.int64)
        ok = np.empty(F, dtype=np.bool_)
        decode(rule, llr, self.check_ptr, self.edge_var, np.float32(self.alpha), beta, q, big,
               self.max_iterations, self.early_stop, self.schedule == "layered", post, step, iters, ok)
        return post, iters, ok
