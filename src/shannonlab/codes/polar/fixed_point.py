r"""What the polar kernels need from the machine and from fixed point: the SIMD register
width (lanes), type-generic arithmetic (float, or integers saturated as hardware does), the
``quantization:`` spec, and a look at the generated assembly.

**Lanes.** SC decodes frames in lock-step with the frame index innermost (AFF3CT's
inter-frame SIMD). :data:`VECTOR_BYTES` is detected at import from the features LLVM reports
for the host: 64 with AVX-512 (F and BW), 32 with AVX2, 16 otherwise; numba compiles for the
host CPU, so this is the width the compiler targets (:func:`~shannonlab.codes.simd.host_vector_bytes`,
which the other decoders use too; deliberately without their ``SHANNONLAB_VECTOR_BYTES`` override:
these kernels bake the width in, and numba's cache, keyed by the CPU, would not notice one). One
register holds ``VECTOR_BYTES / itemsize`` messages: 8 float32, 16
int16 or 32 int8 on AVX2.

**Fixed point.** ``quantization: {bits: B, fraction_bits: F, saturation: S}`` maps a channel
LLR L to :math:`q = \mathrm{clip}(\mathrm{round}(2^F L), -Q_S, Q_S)` with
:math:`Q = 2^{B-1} - 1` (symmetric: :math:`-2^{B-1}` is never used, so a negation or an
absolute value cannot overflow) and :math:`Q_S = \min(Q, \mathrm{round}(2^F S))`: an optional
``saturation`` S (in LLR units) clips the channel below the message range, leaving headroom
for the sums the decoder forms. Every message is then a B-bit value: min-sum's f needs no
saturation, every sum (g, repetition) saturates at ±Q (:func:`sat_add`). Messages are int8
for B <= 8, int16 for B <= 16.

Example
-------
>>> import numpy as np
>>> q = Quantization(bits=6, fraction_bits=2)
>>> (q.max_int, q.step, q.dtype.__name__)
(31, 0.25, 'int8')
>>> q.quantize(np.array([0.1, -0.13, 3.0, 100.0, -100.0])).tolist()
[0, -1, 12, 31, -31]
>>> Quantization(bits=6, fraction_bits=2, saturation=2.0).quantize(np.array([100.0])).tolist()
[8]
"""

from __future__ import annotations

import re

import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.core.extending import intrinsic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..simd import host_vector_bytes

#: Bytes in one SIMD register of this CPU (detected at import, never overridden: see above).
VECTOR_BYTES = host_vector_bytes()


def lanes(dtype) -> int:
    """Frames decoded in lock-step for messages of ``dtype``: one register of them.

    >>> lanes(np.float32) * np.dtype(np.float32).itemsize == VECTOR_BYTES
    True
    """
    return VECTOR_BYTES // np.dtype(dtype).itemsize


# ----------------------------------------------------------------------------- arithmetic


def _saturated(builder, op, a, b, q):
    """clip(a op b, -q, q) for LLVM integers of one width (the wide result saturated first)."""
    ty = a.type
    fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ty, [ty, ty]), f"llvm.{op}.sat.i{ty.width}")
    r = builder.call(fn, [a, b])
    r = builder.select(builder.icmp_signed(">", r, q), q, r)
    nq = builder.neg(q)
    return builder.select(builder.icmp_signed("<", r, nq), nq, r)


@intrinsic
def sat_add(typingctx, a, b, q):
    """a + b for floats (q ignored); for signed integers of one type, the sum clipped to
    [-q, q] in that type (``vpaddsb`` + ``vpminsb`` + ``vpmaxsb``), never widened to int64."""
    if isinstance(a, types.Float) and a == b:
        def codegen(context, builder, signature, args):
            return builder.fadd(args[0], args[1])
        return a(a, b, q), codegen
    if isinstance(a, types.Integer) and a == b and a == q and a.signed:
        def codegen(context, builder, signature, args):
            return _saturated(builder, "sadd", *args)
        return a(a, b, q), codegen
    return None


@intrinsic
def sat_sub(typingctx, a, b, q):
    """a - b for floats; for signed integers the difference clipped to [-q, q]."""
    if isinstance(a, types.Float) and a == b:
        def codegen(context, builder, signature, args):
            return builder.fsub(args[0], args[1])
        return a(a, b, q), codegen
    if isinstance(a, types.Integer) and a == b and a == q and a.signed:
        def codegen(context, builder, signature, args):
            return _saturated(builder, "ssub", *args)
        return a(a, b, q), codegen
    return None


@intrinsic
def neg(typingctx, x):
    """-x in the type of x (numba would widen a small integer to int64 first)."""
    if isinstance(x, types.Float):
        def codegen(context, builder, signature, args):
            return builder.fneg(args[0])
        return x(x), codegen
    if isinstance(x, types.Integer):
        def codegen(context, builder, signature, args):
            return builder.neg(args[0])
        return x(x), codegen
    return None


# ----------------------------------------------------------------------------- fixed point


class Quantization(BaseModel):
    """fixed-point decoding: channel LLRs rounded to ``bits``-bit integers with
    ``fraction_bits`` fractional bits, saturated symmetrically; the decoder runs in
    saturated integer arithmetic on them"""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bits: int = Field(ge=2, le=16, description="bits of every LLR and message, sign included (2..16; int8 up to 8, int16 above)")
    fraction_bits: int = Field(0, ge=0, description="fractional bits: one integer step is 2^-fraction_bits in LLR (0..bits-2)")
    saturation: float | None = Field(None, gt=0.0, allow_inf_nan=False,
                                     description="clip channel LLRs at this magnitude (default: the largest value the bits hold)")

    @model_validator(mode="after")
    def _check(self) -> "Quantization":
        if self.fraction_bits > self.bits - 2:
            raise ValueError(f"fraction_bits must be at most bits - 2 = {self.bits - 2} (one integer bit and the sign), "
                             f"got {self.fraction_bits}")
        if self.saturation is not None and self.saturation * 2**self.fraction_bits < 1:
            raise ValueError(f"saturation {self.saturation:g} is below one step 2^-{self.fraction_bits}: every LLR would be 0")
        return self

    @property
    def max_int(self) -> int:
        """Q = 2^(bits-1) - 1, the largest message magnitude."""
        return (1 << (self.bits - 1)) - 1

    @property
    def channel_max_int(self) -> int:
        """The largest channel LLR magnitude after ``saturation``."""
        if self.saturation is None:
            return self.max_int
        return int(min(self.max_int, round(self.saturation * 2**self.fraction_bits)))

    @property
    def step(self) -> float:
        """LLR value of one integer step."""
        return 2.0**-self.fraction_bits

    @property
    def dtype(self) -> type:
        return np.int8 if self.bits <= 8 else np.int16

    def quantize(self, llr: np.ndarray) -> np.ndarray:
        """round(2^F L) clipped to ±channel_max_int, in :attr:`dtype` (round half to even)."""
        q = np.rint(np.asarray(llr, np.float64) * 2.0**self.fraction_bits)
        lim = self.channel_max_int
        return np.clip(q, -lim, lim).astype(self.dtype)

    def describe(self) -> str:
        sat = "" if self.saturation is None else f" sat {self.saturation:g}"
        return f"Q{self.bits}.{self.fraction_bits}{sat}"


# ----------------------------------------------------------------------------- assembly


def vector_report(dispatcher, signature=None) -> dict:
    """Count the register operands of a compiled numba function's assembly by kind:
    ``{"zmm": a, "ymm": b, "xmm": c, "lines": total}`` (first or given signature). Needs
    the function compiled in this process (numba does not keep assembly for cached code)."""
    asm = dispatcher.inspect_asm(signature) if signature is not None else next(iter(dispatcher.inspect_asm().values()))
    counts = {kind: len(re.findall(rf"%{kind}\d+", asm)) for kind in ("zmm", "ymm", "xmm")}
    counts["lines"] = asm.count("\n")
    return counts
