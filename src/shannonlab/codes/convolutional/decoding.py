r"""Viterbi and BCJR decoders for a whole batch of frames, frames innermost.

Both work on blocks of W frames in lock-step (AFF3CT's inter-frame SIMD, :mod:`.kernels`):
the LLRs of the mother code are laid out (block, time, output, lane), one lane per frame,
and every add-compare-select of a trellis step is a handful of whole-register instructions
on W lanes (float32, or int16 in fixed point; W = :data:`LANES` / :data:`INT_LANES`, from the
CPU's register width). A frame decodes to the same result in any lane and batch.

**Branch metric.** With BPSK and LLR :math:`L = \ln P(c=0|y)/P(c=1|y)`, the log-likelihood
of a branch with output bits :math:`c_j` is, up to a constant,
:math:`\gamma = \tfrac12 \sum_j (1 - 2c_j) L_j`. A rate-1/n code has only :math:`2^n`
distinct branch metrics per step; they are computed once per step and looked up.
Punctured positions have L = 0 and add nothing.

**Viterbi** (Viterbi 1967; Forney 1973) keeps, per state, the best path metric
:math:`M_{t+1}(s') = \max_{s \to s'} [M_t(s) + \gamma_t(s, s')]` (correlation metric, the
factor 1/2 dropped) and one decision bit (which of the two predecessors 2j, 2j + 1 won) per
state and step, stored as uint8 in (T, S, F). *Soft* decisions use the LLRs as they are;
*hard* decisions use sign(L) ∈ {−1, 0, +1}, which makes the metric the negative Hamming
distance (an erased/punctured position counts for nothing). Traceback:

- terminated (zero-tail) codes: from state 0 at the end over the whole frame;
- truncated codes: from the best final state over the whole frame (maximum likelihood), or,
  with a traceback depth D, in windows: the bits [iD, iD + D) are traced back from the best
  state at time min(iD + 2D − 1, T − 1), so every decision waits at least D steps;
- tail-biting codes: wrap-around decoding. The trellis is extended circularly by W steps
  before and after the frame (W = 8K, taken modulo T), decoded with all start states
  equally likely, and the middle T decisions are kept.

**BCJR** (Bahl, Cocke, Jelinek, Raviv 1974) in the log domain:
:math:`\alpha_{t+1}(s') = \max^*_{s}[\alpha_t(s) + \gamma_t(s,s')]`,
:math:`\beta_t(s) = \max^*_{s'}[\gamma_t(s,s') + \beta_{t+1}(s')]`,
:math:`L(u_t) = \max^*_{u=0}[\alpha_t + \gamma_t + \beta_{t+1}] - \max^*_{u=1}[\cdot]`, with
:math:`\max^*(a, b) = \max(a, b) + \ln(1 + e^{-|a-b|})` (``log-map``, exact) or
:math:`\max(a, b)` (``max-log``); the correction term is evaluated in branch-free float32
(absolute error below 1e-6, see :func:`_jacobian`) so the frame loop stays SIMD;
``log-map-linear`` replaces it by max(0, 0.6215561 − 0.2390234 |a − b|) (absolute error at
most 0.0717, a few instructions instead of a polynomial). A priori LLRs of the inputs add
:math:`\tfrac12 (1-2u) L_a` to each branch, so the decoder can serve as a turbo
constituent: :meth:`BCJRDecoder.decode_llr` takes them and returns the a posteriori or the
extrinsic LLRs of a batch.

**Fixed point** (``quantization``, Viterbi and max-log BCJR): the channel LLRs are
quantised (:class:`~shannonlab.codes.simd.Quantization`) and the metrics are int16 with
saturated additions (16 lanes per AVX2 register), normalised every step; integer branch
metrics are the whole correlations (twice the float ones), which changes no decision, and
the BCJR output is scaled back to LLR units.

What is not vectorised, and why: the traceback of the Viterbi decoder follows one path per
frame through the decision bits (a chain of dependent loads, one lane at a time), and the
(block, time, output, lane) layout is made by a numpy transpose of the batch.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.convolutional.trellis import Trellis
>>> from shannonlab.codes.convolutional.encoding import encode
>>> t = Trellis.from_octal(["133", "171"])
>>> u = np.array([[1, 0, 1, 1, 0, 0, 1, 0]], np.uint8)
>>> llr = 4.0 * (1.0 - 2.0 * encode(t, u, "zero-tail"))
>>> llr[0, 3] = -llr[0, 3]                      # one channel error
>>> ViterbiDecoder(t, "zero-tail").decode(llr).tolist()
[[1, 0, 1, 1, 0, 0, 1, 0]]
>>> BCJRDecoder(t, "zero-tail").decode_llr(llr)[0, :3] > 0    # LLR > 0 means bit 0
array([False,  True, False])
"""

from __future__ import annotations

import functools

import numpy as np
from numba import njit

from ..simd import F32_LANES, I16_LANES, Quantization, factory_jit
from ..vector import transpose_tile
from .kernels import NEG, kernels
from .trellis import Trellis

#: Frames per block of the float32 BCJR: the float32 lanes of one vector register (its
#: forward metrics, T x S x W, stay within L2 for k = 1024 and 64 states).
LANES = F32_LANES
#: Frames per block of the float32 Viterbi decoder: two registers (its decisions are bits,
#: and the traceback overlaps more paths; measured about 10 % faster than one register).
VITERBI_LANES = min(64, 2 * F32_LANES)
#: Frames per block of the fixed-point kernels (int16 metrics): one register for BCJR,
#: two for Viterbi.
INT_LANES = I16_LANES
VITERBI_INT_LANES = min(64, 2 * I16_LANES)
#: BCJR max* rules (see :mod:`.kernels`).
VARIANTS = {"max-log": 0, "log-map": 1, "log-map-linear": 2}


# ----------------------------------------------------------------------------- scalar max*


@njit(cache=True, error_model="numpy")  # no zero-division check: 2 + z > 0
def _jacobian(d):
    r"""ln(1 + e^{-d}) for d >= 0 to float32 precision (absolute error < 1e-6), in
    straight-line code: :math:`e^{-d} = (e^{-d/32})^{32}` with
    the Taylor series of :math:`e^{-x}`, x <= 1/2, to x^8 and five squarings; then
    :math:`\ln(1 + z) = 2\,\mathrm{atanh}(z / (2 + z))` by its series to s^11 (s <= 1/3).
    Zero (the true value is below 1.2e-7) for d >= 16. The decoders use its vector form
    (:func:`.kernels.jacobian`)."""
    x = min(d, np.float32(16.0)) * np.float32(1.0 / 32.0)
    e = np.float32(1.0) - x * (np.float32(1.0) - x * (np.float32(1 / 2) - x * (np.float32(1 / 6) - x * (
        np.float32(1 / 24) - x * (np.float32(1 / 120) - x * (np.float32(1 / 720) - x * (
            np.float32(1 / 5040) - x * np.float32(1 / 40320))))))))
    e = e * e
    e = e * e
    e = e * e
    e = e * e
    z = e * e
    s = z / (np.float32(2.0) + z)
    s2 = s * s
    series = np.float32(1.0) + s2 * (np.float32(1 / 3) + s2 * (np.float32(1 / 5) + s2 * (np.float32(1 / 7) + s2 * (
        np.float32(1 / 9) + s2 * np.float32(1 / 11)))))
    value = np.float32(2.0) * s * series
    return value if d < np.float32(16.0) else np.float32(0.0)


@njit(cache=True)
def maxstar_log_map(a, b):
    """The Jacobian logarithm max*(a, b) = max(a, b) + ln(1 + e^-|a-b|) = ln(e^a + e^b)."""
    top = a if a > b else b
    return top + _jacobian(abs(a - b))


@njit(cache=True)
def maxstar_max_log(a, b):
    """The max-log approximation max*(a, b) ~ max(a, b)."""
    return a if a > b else b


@njit(cache=True)
def maxstar_log_map_linear(a, b):
    """max*(a, b) ~ max(a, b) + max(0, 0.6215561 - 0.2390234 |a - b|) (error <= 0.0717)."""
    top = a if a > b else b
    corr = np.float32(0.6215561) - np.float32(0.2390234) * abs(a - b)
    return top + (corr if corr > 0 else np.float32(0.0))


# ----------------------------------------------------------------------------- classes


class _Layout:
    """Mother-code LLRs (F, n·T) -> (T', n, F') frames-innermost lanes (F' = F rounded up to
    a multiple of the lanes W, the extra frames zero), with the circular extension of
    tail-biting decoding."""

    def __init__(self, trellis: Trellis, termination: str, k: int):
        self.trellis, self.termination, self.k = trellis, termination, k
        self.steps = k + trellis.m if termination == "zero-tail" else k
        self.wrap = 8 * trellis.K if termination == "tail-biting" else 0
        self.index = np.arange(-self.wrap, self.steps + self.wrap) % self.steps

    def lanes(self, llr: np.ndarray, W: int, quantization: Quantization | None = None,
              scale: float = 1.0) -> np.ndarray:
        n = self.trellis.n
        llr = np.asarray(llr)
        F = llr.shape[0]
        if llr.ndim != 2 or llr.shape[1] != n * self.steps:
            raise ValueError(f"LLRs must have shape (frames, {n * self.steps}), got {llr.shape}")
        llr = np.ascontiguousarray(llr)
        Fp = -(-F // W) * W
        if self.wrap:  # the circular extension: a gather, element by element
            if quantization is not None:  # rounded and clipped in the same pass
                out = np.empty((self.index.size, n, Fp), np.int16)
                _to_lanes(llr, self.index, n, 2.0**quantization.fraction_bits, quantization.channel_max, W, out)
            else:
                out = np.empty((self.index.size, n, Fp), np.float32)
                _to_lanes(llr, self.index, n, scale, 0, W, out)
            return out
        # a plain transpose (F, T n) -> (T n, F'): W x W tiles through registers
        if quantization is not None:
            llr = quantization.quantize(llr)
            out = np.empty((self.steps, n, Fp), np.int16)
            _transposer(I16_LANES)(llr, np.float32(1.0), out.reshape(self.steps * n, Fp))
        else:
            out = np.empty((self.steps, n, Fp), np.float32)
            _transposer(F32_LANES)(llr, np.float32(scale), out.reshape(self.steps * n, Fp))
        return out

    def apriori(self, apriori: np.ndarray | None, F: int, W: int, dtype, scale: float = 1.0) -> np.ndarray:
        """A priori LLRs (F, k) of the inputs -> (T', F'), times ``scale`` (rounded for
        integer metrics); zero for the tail and outside."""
        Fp = -(-F // W) * W
        T = self.index.size
        if apriori is None:
            return np.zeros((T, Fp), dtype)
        apriori = np.asarray(apriori)
        if apriori.shape != (F, self.k):
            raise ValueError(f"apriori LLRs must have shape ({F}, {self.k}), got {apriori.shape}")
        la = np.zeros((T, Fp), np.float32)
        valid = self.index < self.k
        la[valid, :F] = apriori[:, self.index[valid]].T
        if dtype == np.float32:
            la *= np.float32(scale)
            return la
        limit = np.iinfo(dtype).max
        return np.clip(np.rint(la * scale), -limit, limit).astype(dtype)


@functools.lru_cache(maxsize=None)
def _transposer(TS: int):
    """dst (M, F') = src (F, M) transposed, converted to dst's type and times ``scale``
    (floats), zero past frame F: TS x TS tiles by :func:`~shannonlab.codes.vector.transpose_tile`
    (shuffles in registers, 3x faster than element by element), the ragged edges by
    element."""

    @factory_jit
    def transpose(src, scale, dst):
        F, M = src.shape
        Fp = dst.shape[1]
        for f0 in range(0, Fp, TS):
            if f0 + TS <= F:
                for i0 in range(0, M - TS + 1, TS):
                    transpose_tile(src, f0, i0, dst, i0, f0, scale, TS)
                start = M - M % TS
            else:
                start = 0
            for i in range(start, M):
                for r in range(TS):
                    f = f0 + r
                    dst[i, f] = src[f, i] * scale if f < F else 0

    return transpose


@functools.lru_cache(maxsize=None)
def _untransposer(TS: int):
    """dst (F, k) float32 = src[first + i, f] * scale: the LLRs of the frames' inputs out of
    the lanes, by TS x TS tiles through registers (:func:`_transposer` backwards)."""

    @factory_jit
    def untranspose(src, first, scale, dst):
        F, k = dst.shape
        for f0 in range(0, F - TS + 1, TS):
            for i0 in range(0, k - TS + 1, TS):
                transpose_tile(src, first + i0, f0, dst, f0, i0, scale, TS)
            for i in range(k - k % TS, k):
                for f in range(f0, f0 + TS):
                    dst[f, i] = np.float32(src[first + i, f]) * scale
        for f in range(F - F % TS, F):
            for i in range(k):
                dst[f, i] = np.float32(src[first + i, f]) * scale

    return untranspose


@njit(cache=True, error_model="numpy")
def _to_lanes(llr, index, n, scale, limit, W, out):
    """out[t, j, f] = llr[f, index[t] n + j] (frames past the batch: 0): the transpose into
    lanes and the conversion in one pass, W frames at a time (W rows read, contiguous
    writes). Floats: float32(x) times ``scale`` (0.5 or 1, exact); with ``limit`` > 0 the
    quantised value round(x scale) clipped to +-limit (round half to even, as
    :meth:`Quantization.quantize`)."""
    T, _, Fp = out.shape
    F = llr.shape[0]
    for b in range(Fp // W):
        for t in range(T):
            col = index[t] * n
            for j in range(n):
                for w in range(W):
                    f = b * W + w
                    if f >= F:
                        out[t, j, f] = 0
                    elif limit > 0:
                        out[t, j, f] = min(max(np.rint(llr[f, col + j] * scale), -limit), limit)
                    else:
                        out[t, j, f] = np.float32(llr[f, col + j]) * np.float32(scale)


def systematic_output(trellis: Trellis) -> int | None:
    """The output that repeats the input (a generator equal to the feedback polynomial, or
    tapping only the current input of a feed-forward code), or None.

    >>> systematic_output(Trellis.from_octal(["13", "15"], feedback="13")), systematic_output(Trellis.from_octal(["7", "5"]))
    (0, None)
    """
    target = trellis.feedback if trellis.recursive else 1 << (trellis.K - 1)
    return next((j for j, g in enumerate(trellis.generators) if g == target), None)


def _kernels(W: int, variant: int, trellis: Trellis, halve: bool = False):
    """The kernels specialised for this trellis (compiled once per code and lane type)."""
    return kernels(W, variant, trellis.n, trellis.m, tuple(int(x) for x in trellis.out_w.reshape(-1)),
                   tuple(int(x) for x in trellis.inp_w.reshape(-1)), halve)


def _check_quantization(quantization: Quantization | None) -> Quantization | None:
    if quantization is not None and quantization.message_bits is not None:
        raise ValueError("quantization.message_bits applies to LDPC decoders; trellis metrics are int16, "
                         "saturated at the type's range")
    return quantization


class ViterbiDecoder:
    """Maximum-likelihood sequence decoder (soft or hard decisions) for a batch of frames.

    ``decode(llr)`` maps mother-code LLRs (F, n·T), punctured positions set to 0, to the k
    information bits of each frame. ``quantization`` decodes soft decisions in fixed point
    (int16 path metrics).
    """

    def __init__(self, trellis: Trellis, termination: str, k: int | None = None,
                 decision: str = "soft", traceback_depth: int | None = None,
                 quantization: Quantization | None = None):
        if decision not in ("soft", "hard"):
            raise ValueError(f"decision must be 'soft' or 'hard', got {decision!r}")
        if traceback_depth is not None and termination != "truncated":
            raise ValueError("traceback_depth applies to termination 'truncated' only "
                             "(terminated and tail-biting frames are traced back whole)")
        if quantization is not None and decision == "hard":
            raise ValueError("quantization applies to soft decisions (hard decisions are signs already)")
        self.trellis, self.termination, self.decision = trellis, termination, decision
        self.traceback_depth = traceback_depth
        self.quantization = _check_quantization(quantization)
        self._k = k
        self._layouts: dict[int, _Layout] = {}

    def _layout(self, llr: np.ndarray) -> _Layout:
        k = self._k
        if k is None:
            steps = llr.shape[1] // self.trellis.n
            k = steps - self.trellis.m if self.termination == "zero-tail" else steps
        if k not in self._layouts:
            self._layouts[k] = _Layout(self.trellis, self.termination, k)
        return self._layouts[k]

    def decode(self, llr: np.ndarray) -> np.ndarray:
        tr = self.trellis
        layout = self._layout(llr)
        F, k = llr.shape[0], layout.k
        qz = self.quantization
        W = VITERBI_LANES if qz is None else VITERBI_INT_LANES
        lanes = layout.lanes(llr, W, qz)
        if qz is not None:
            q, neg = np.int16(2**15 - 1), np.int16(-(2**15 - 1))
        else:
            q, neg = np.float32(0.0), NEG
        T, S = lanes.shape[0], tr.num_states
        depth = self.traceback_depth or 0
        record = np.zeros(T, np.bool_)
        if depth:
            record[depth - 1::depth] = True
        record[T - 1] = True
        dec = np.empty((T, S), np.uint64)
        best = np.zeros((T, W), np.int32)
        pm, new = (np.empty((S, W), lanes.dtype) for _ in range(2))
        bm = np.empty((1 << tr.n, W), lanes.dtype)
        bits = np.empty((F, k), np.uint8)
        _kernels(W, 0, tr).viterbi(lanes, self.termination != "tail-biting", self.decision == "hard", q, neg, record,
                                   depth, self.termination == "zero-tail", layout.wrap, k, F, dec, best, pm, new, bm,
                                   bits)
        return bits


class BCJRDecoder:
    """Bit-wise MAP decoder (``max-log``, exact ``log-map`` or ``log-map-linear``) for a
    batch of frames.

    ``decode_llr(llr, apriori=None, extrinsic=False)`` returns the a posteriori LLRs
    (F, k) float32 of the information bits, or with ``extrinsic`` their extrinsic part
    :math:`L - L_a - L_s` (L_s the channel LLR of the systematic output of a systematic
    code, else 0): the input a turbo decoder passes to the other constituent.
    ``decode(llr)`` gives the signs (LLR < 0 -> 1). ``quantization`` (max-log only)
    decodes in fixed point with int16 metrics.
    """

    def __init__(self, trellis: Trellis, termination: str, k: int | None = None, variant: str = "max-log",
                 quantization: Quantization | None = None):
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, got {variant!r}")
        if quantization is not None and variant != "max-log":
            raise ValueError(f"quantization applies to the max-log variant, not to {variant!r}")
        self.trellis, self.termination, self.variant = trellis, termination, variant
        self.quantization = _check_quantization(quantization)
        self._viterbi_like = ViterbiDecoder(trellis, termination, k)

    def _run(self, llr: np.ndarray, apriori: np.ndarray | None):
        """The kernel's a posteriori LLRs (T', F') in lanes, with the layout."""
        tr = self.trellis
        layout = self._viterbi_like._layout(llr)
        F = llr.shape[0]
        qz = self.quantization
        W = LANES if qz is None else INT_LANES
        # float branch metrics are half correlations: the LLRs are halved (exactly) once here
        lanes = layout.lanes(llr, W, qz, 0.5)
        if qz is not None:
            q, neg, dt = np.int16(2**15 - 1), np.int16(-(2**15 - 1)), np.int16
            la = layout.apriori(apriori, F, W, np.int16, 2.0**qz.fraction_bits)
        else:
            q, neg, dt = np.float32(0.0), NEG, np.float32
            la = layout.apriori(apriori, F, W, np.float32, 0.5)
        T, S = lanes.shape[0], tr.num_states
        alpha = np.empty((T + 1, S, W), dt)
        bm = np.empty((1 << tr.n, W), dt)
        gam = np.empty((2 << tr.n, W), dt)
        beta, nb = (np.empty((S, W), dt) for _ in range(2))
        out = np.empty((T, lanes.shape[2]), dt)
        _kernels(W, VARIANTS[self.variant], tr).bcjr(lanes, la, self.termination != "tail-biting",
                                                     self.termination == "zero-tail", q, neg, alpha, bm, gam, beta, nb, out)
        return out, layout

    def decode_llr(self, llr: np.ndarray, apriori: np.ndarray | None = None, extrinsic: bool = False) -> np.ndarray:
        out, layout = self._run(llr, apriori)
        F, k, qz, tr = llr.shape[0], layout.k, self.quantization, self.trellis
        post = np.empty((F, k), np.float32)
        # integer metrics are whole correlations (twice the LLR) in steps of 2^-F
        _untransposer(F32_LANES)(out, layout.wrap, np.float32(1.0 if qz is None else qz.step / 2.0), post)
        if extrinsic:
            if apriori is not None:
                post -= np.asarray(apriori, np.float32)
            j = systematic_output(tr)
            if j is not None:
                post -= np.asarray(llr, np.float32).reshape(F, layout.steps, tr.n)[:, :k, j]
        return post

    def decode(self, llr: np.ndarray) -> np.ndarray:
        out, layout = self._run(llr, None)
        post = np.empty((llr.shape[0], layout.k), np.float32)
        _untransposer(F32_LANES)(out, layout.wrap, np.float32(1.0), post)
        return (post < 0).view(np.uint8)


# ----------------------------------------------------------------------------- SISO entry point


def bcjr_siso(trellis: Trellis, llr: np.ndarray, apriori: np.ndarray, variant: str = "max-log",
              known_start: bool = True, known_end: bool = True, workspace: np.ndarray | None = None) -> np.ndarray:
    r"""Soft-in soft-out BCJR on the frames-innermost layout: the one entry point that
    iterative decoders (turbo) call, so the kernels behind it may change freely.

    ``llr`` (T, n, F) float32: channel LLRs of the n outputs of each of the T trellis
    steps (0 where an output is not sent); ``apriori`` (T, F) float32: a-priori LLRs of the
    inputs :math:`u_t` (0 on tail steps). The trellis starts in state 0 if ``known_start``
    and ends there if ``known_end`` (a terminated code). Returns the a-posteriori LLRs
    (T, F) float32 of the inputs,
    :math:`L(u_t) = L_a(u_t) + L_{ch}(u_t) + L_e(u_t)` for a systematic code, so the
    extrinsic part is ``posterior - apriori - llr[:, 0]`` when output 0 is systematic.
    ``variant``: ``max-log``, ``log-map`` or ``log-map-linear``. The SIMD kernels of
    :mod:`.kernels` decode blocks of :data:`LANES` frames (the lanes of one register)
    straight from these arrays (frames already innermost); only an F that is not a
    multiple of the lanes is copied, padded with zeros. ``workspace``: an
    optional flat float32 buffer of at least (T + 1)·S·W values (W = :data:`LANES`) reused
    between calls for the forward metrics.

    >>> from shannonlab.codes.convolutional.encoding import encode
    >>> t = Trellis.from_octal(["13", "15"], feedback="13")
    >>> c = encode(t, np.array([[0, 1, 1, 0]], np.uint8), "zero-tail")     # 4 + 3 tail steps
    >>> llr = (2.0 - 4.0 * c).reshape(7, 2, 1)                            # noiseless, LLR +-2
    >>> (bcjr_siso(t, llr, np.zeros((7, 1), np.float32))[:4, 0] < 0).tolist()
    [False, True, True, False]
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, got {variant!r}")
    llr = np.asarray(llr)
    apriori = np.asarray(apriori)
    T, n, F = llr.shape
    if n != trellis.n or apriori.shape != (T, F):
        raise ValueError(f"llr must be (T, {trellis.n}, F) and apriori (T, F), got {llr.shape} and {apriori.shape}")
    W, S = LANES, trellis.num_states
    Fp = -(-F // W) * W
    if Fp == F and llr.dtype == np.float32 and apriori.dtype == np.float32:
        lanes, la = np.ascontiguousarray(llr), np.ascontiguousarray(apriori)  # no copy: the kernel reads them
    else:
        lanes = np.zeros((T, n, Fp), np.float32)
        lanes[:, :, :F] = llr
        la = np.zeros((T, Fp), np.float32)
        la[:, :F] = apriori
    size = (T + 1) * S * W
    if workspace is not None and workspace.dtype == np.float32 and workspace.size >= size:
        alpha = workspace.reshape(-1)[:size].reshape(T + 1, S, W)
    else:
        alpha = np.empty((T + 1, S, W), np.float32)
    bm = np.empty((1 << n, W), np.float32)
    gam = np.empty((2 << n, W), np.float32)
    beta, nb = np.empty((S, W), np.float32), np.empty((S, W), np.float32)
    post = np.empty((T, Fp), np.float32)
    _kernels(W, VARIANTS[variant], trellis, halve=True).bcjr(lanes, la, known_start, known_end, np.float32(0.0), NEG,
                                                             alpha, bm, gam, beta, nb, post)
    return post if Fp == F else np.ascontiguousarray(post[:, :F])
