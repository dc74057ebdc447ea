r"""What the inter-frame SIMD decoders share: the register width of this CPU, fixed-point
quantisation of LLRs and its YAML spec, and factory-made kernels that numba can cache
(:func:`local_kernel`). The vectors themselves are in :mod:`shannonlab.codes.vector`.

**Lanes.** The decoders put the frame index innermost, in lanes of the CPU's vector
register (AFF3CT's inter-frame SIMD): ``VECTOR_BYTES`` is detected at import from the
features LLVM reports for the host (64 with AVX-512F, 32 with AVX2, 16 otherwise), so
:data:`F32_LANES` float32 or :data:`I8_LANES` int8 values fill one register (8 and 32 on
an AVX2 machine). numba compiles for the host CPU, so the width the kernels are written
for is the width the compiler targets; ``SHANNONLAB_VECTOR_BYTES`` overrides it (16, 32
or 64) to study another width.

**Fixed point.** ``quantization: {bits: B, fraction_bits: F, message_bits: M}`` maps a
channel LLR L to the integer :math:`q = \mathrm{clip}(\mathrm{round}(2^F L), -Q_B, Q_B)`,
:math:`Q_B = 2^{B-1} - 1` (one integer step is :math:`2^{-F}` in LLR), as the
analog-to-digital side of a receiver would. The decoder then works on integers of M bits
(default: the container, 8 when B <= 8 else 16, as AFF3CT's fixed-point decoders do; the
path metrics of trellis decoders are int16, saturated at its range):
every sum saturates at :math:`\pm Q_M` (:func:`~shannonlab.codes.vector.adds`). The
saturation is symmetric: −2^{M−1} never occurs, so negation and absolute values cannot
overflow (as in most hardware min-sum decoders). Values live in int8 for M <= 8 and in
int16 above.

Example
-------
>>> import numpy as np
>>> q = Quantization(bits=6, fraction_bits=2)
>>> (q.channel_max, q.message_max, q.step, q.dtype.__name__)
(31, 127, 0.25, 'int8')
>>> q.quantize(np.array([0.1, -0.13, 3.0, 100.0, -100.0])).tolist()
[0, -1, 12, 31, -31]
>>> Quantization(bits=8, fraction_bits=2, message_bits=10).dtype.__name__
'int16'
"""

from __future__ import annotations

import hashlib
import inspect
import os

import numpy as np
from llvmlite import binding as _llvm
from numba import njit
from numba.core.extending import overload
from pydantic import BaseModel, ConfigDict, Field, model_validator


def _vector_bytes() -> int:
    forced = os.environ.get("SHANNONLAB_VECTOR_BYTES")
    if forced in ("16", "32", "64"):
        return int(forced)
    return host_vector_bytes()


def host_vector_bytes() -> int:
    """Bytes in one SIMD register of the host CPU, as LLVM reports its features (no override)."""
    try:
        features = _llvm.get_host_cpu_features()
    except Exception:  # pragma: no cover - an LLVM without host feature detection
        return 16
    if features.get("avx512f") and features.get("avx512bw"):
        return 64
    if features.get("avx2"):
        return 32
    return 16


#: Bytes in one SIMD register of this CPU (detected at import).
VECTOR_BYTES = _vector_bytes()
#: float32 (and int32) values per register.
F32_LANES = VECTOR_BYTES // 4
#: int16 values per register.
I16_LANES = VECTOR_BYTES // 2
#: int8 values per register.
I8_LANES = VECTOR_BYTES


def simd_name() -> str:
    """The instruction set the lane count was chosen for ('AVX-512', 'AVX2' or 'SSE')."""
    return {64: "AVX-512", 32: "AVX2", 16: "SSE"}[VECTOR_BYTES]


# ----------------------------------------------------------------------------- kernels


def local_kernel(func):
    """A numba-callable stand-in for a kernel written inside a factory (for a lane count W
    held in its closure), compiled into whatever jitted function calls it.

    A cached numba function finds its cache entry by its bytecode and the pickled values
    of its closure; a jitted function (a dispatcher) in that closure pickles with a random
    id, so a factory-made kernel calling another would be compiled anew in every process.
    This stand-in is a plain function with an ``overload`` that returns ``func``, so it
    pickles the same in every process and the caller's cache is found.

    >>> import numpy as np
    >>> from numba import njit
    >>> def make(W):
    ...     def double(x):
    ...         for w in range(W):
    ...             x[w] *= 2
    ...     double_ = local_kernel(double)
    ...     @njit
    ...     def run(x):
    ...         double_(x)
    ...         return x
    ...     return run
    >>> make(2)(np.ones(3)).tolist()
    [2.0, 2.0, 1.0]
    """
    params = ", ".join(inspect.signature(func).parameters)
    namespace = {"func": func, "__name__": func.__module__}  # numba finds the module by this name
    # The stub holds no reference to func (that would pickle func's globals, dispatchers
    # among them), only its name, signature and a digest of what func computes: its code
    # and the constants of its closure (a lane count, a trellis table, another stand-in's
    # digest), so that two kernels from one factory with different constants never share
    # a cache entry.
    key = _kernel_key(func)
    # numba names a compiled function by its qualified name and a per-process counter; two
    # cached libraries made in different processes may then define the same symbol for
    # different closures, and the first one loaded wins. The digest in the name prevents it.
    func.__qualname__ = f"{func.__qualname__}_{key}"
    exec(f"def {func.__name__}({params}):\n"
         f"    raise TypeError('{func.__name__} runs inside numba-compiled code only ({key})')\n"
         f"def typer({params}):\n    return func\n", namespace)
    stub = namespace[func.__name__]
    stub.__doc__ = func.__doc__
    stub._kernel_key = key
    overload(stub, jit_options={"error_model": "numpy"})(namespace["typer"])
    return stub


def factory_jit(func):
    """``njit(cache=True)`` for a kernel written inside a factory: the kernel's name gets the
    digest of its code and closure constants (see :func:`local_kernel`), so that cached
    kernels of one factory never share a symbol."""
    func.__qualname__ = f"{func.__qualname__}_{_kernel_key(func)}"
    return njit(cache=True, error_model="numpy")(func)


def _kernel_key(func) -> str:
    parts = [func.__module__, func.__qualname__, func.__code__.co_code.hex(), repr(func.__code__.co_consts)]
    for name, cell in zip(func.__code__.co_freevars, func.__closure__ or ()):
        value = cell.cell_contents
        if hasattr(value, "_kernel_key"):
            value = value._kernel_key
        elif hasattr(value, "py_func"):  # a numba dispatcher: its function's name (stable)
            value = f"{value.py_func.__module__}.{value.py_func.__qualname__}"
        elif callable(value):
            value = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
        parts.append(f"{name}={value!r}")
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------- fixed point


class Quantization(BaseModel):
    """Fixed-point decoding in integer arithmetic, with saturated sums.

    Channel LLRs are rounded to ``bits``-bit integers with ``fraction_bits`` fractional
    bits; the decoder's sums saturate at ``message_bits`` (see the module text)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bits: int = Field(ge=2, le=16, description="bits of a quantised channel LLR, sign included (2..16)")
    fraction_bits: int = Field(0, ge=0, description="fractional bits of the channel LLRs: one step is 2^-fraction_bits (0..bits-2)")
    message_bits: int | None = Field(None, ge=2, le=16, description="bits of the decoder's messages and sums, saturated "
                                     "symmetrically (LDPC only: bits..16; default 8 when bits <= 8, else 16; "
                                     "trellis decoders have int16 metrics)")

    @model_validator(mode="after")
    def _check(self) -> "Quantization":
        if self.fraction_bits > self.bits - 2:
            raise ValueError(f"fraction_bits must be at most bits - 2 = {self.bits - 2} (one integer bit and the sign), "
                             f"got {self.fraction_bits}")
        if self.message_bits is not None and self.message_bits < self.bits:
            raise ValueError(f"message_bits must be at least bits = {self.bits}, got {self.message_bits}")
        return self

    @property
    def width(self) -> int:
        """M, the bits of the decoder's values."""
        return self.message_bits if self.message_bits is not None else (8 if self.bits <= 8 else 16)

    @property
    def channel_max(self) -> int:
        """Q_B = 2^(bits-1) - 1, the largest quantised channel LLR."""
        return (1 << (self.bits - 1)) - 1

    @property
    def message_max(self) -> int:
        """Q_M = 2^(M-1) - 1, where the decoder's sums saturate."""
        return (1 << (self.width - 1)) - 1

    @property
    def step(self) -> float:
        """LLR value of one integer step."""
        return 2.0**-self.fraction_bits

    @property
    def dtype(self) -> type:
        return np.int8 if self.width <= 8 else np.int16

    def quantize(self, llr: np.ndarray) -> np.ndarray:
        """round(2^F L) clipped to ±Q_B, in :attr:`dtype` (round half to even), any shape."""
        llr = np.ascontiguousarray(llr, dtype=np.float64)
        out = np.empty(llr.shape, self.dtype)
        _quantize(llr.reshape(-1), 2.0**self.fraction_bits, float(self.channel_max), out.reshape(-1))
        return out

    def describe(self) -> str:
        return f"Q{self.bits}.{self.fraction_bits}" + (f"/{self.message_bits}" if self.message_bits is not None else "")


@njit(cache=True, error_model="numpy")
def _quantize(llr, scale, limit, out):
    for i in range(llr.size):
        q = np.rint(llr[i] * scale)
        out[i] = min(max(q, -limit), limit)
