r"""Explicit SIMD vectors for numba kernels (a small MIPP, the wrapper AFF3CT is written in).

LLVM vectorises a numba loop only when it can prove that its arrays do not overlap, which
it rarely can for the scratch arrays of a decoder, so a loop over the lanes of a register
compiles to scalar code or to runtime overlap checks on every entry. Here a lane group is
a value of type ``Vec(dtype, W)``, an LLVM ``<W x dtype>`` kept in a register: the
decoders load it from a row of an array, compute on it with the operators and functions
below, and store it back, so every instruction is a whole-register one by construction.

Operators on two vectors of one type: ``+ - *`` (and ``/`` for floats), unary ``-``,
comparisons ``< <= > >= == !=`` giving a mask (``Vec(boolean, W)``), ``& | ^`` on masks
and integer vectors, ``<< >>`` on integer vectors (arithmetic right shift for signed).
Functions: :func:`load`, :func:`store`, :func:`splat`, :func:`splat_as`, :func:`where`, :func:`vmin`,
:func:`vmax`, :func:`vabs`, :func:`floor`, :func:`convert`, :func:`bitcast`,
:func:`movemask`, :func:`adds` / :func:`subs` (saturated to ±q), :func:`sadd` /
:func:`ssub` (saturated to the type's range). Floating-point operations carry the flags ``contract`` (fused multiply-add),
``arcp`` and ``nsz`` (see the kernels for where that matters); never ``reassoc``, so
a vector computes exactly what the scalar formula does lane by lane.

``W`` (lanes) must be a compile-time constant: a literal or a global/closure integer.

Example
-------
>>> import numpy as np
>>> from numba import njit
>>> @njit
... def clip_sum(a, b, q):
...     x = adds(load(a, 0, 8), load(b, 0, 8), splat(q, 8))
...     store(a, 1, where(x < splat(np.int8(0), 8), -x, x))
...     return movemask(x < splat(np.int8(0), 8))
>>> a = np.zeros((2, 8), np.int8); a[0] = [100, -100, 5, -5, 0, 1, 2, 3]
>>> b = np.full((1, 8), 50, np.int8)
>>> int(clip_sum(a, b, np.int8(127))), a[1].tolist()   # lane 1 is negative: bit 1
(2, [127, 50, 55, 45, 50, 51, 52, 53])
"""

from __future__ import annotations

import operator

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.core.datamodel import models
from numba.core.extending import intrinsic, overload, register_model

_FLAGS = ("contract", "arcp", "nsz")


class Vec(types.Type):
    """``W`` values of one numba scalar type in one SIMD register."""

    def __init__(self, dtype, lanes: int):
        self.dtype, self.lanes = dtype, int(lanes)
        super().__init__(name=f"Vec({dtype}, {lanes})")


@register_model(Vec)
class _VecModel(models.PrimitiveModel):
    def __init__(self, dmm, fe_type):
        scalar = dmm.lookup(fe_type.dtype).get_value_type()
        super().__init__(dmm, fe_type, ir.VectorType(scalar, fe_type.lanes))


def _lanes(W) -> int | None:
    if isinstance(W, types.IntegerLiteral):
        return W.literal_value
    return None


def _vec_ptr(context, builder, aryty, ary, index_types, index_values):
    """Address of ary[index..., 0] (the first lane of a row), or of ary[index] when the
    index names every axis (lanes from there on along the last axis)."""
    arr = context.make_array(aryty)(context, builder, ary)
    shape = cgutils.unpack_tuple(builder, arr.shape, aryty.ndim)
    strides = cgutils.unpack_tuple(builder, arr.strides, aryty.ndim)
    inds = [context.cast(builder, v, t, types.intp) for v, t in zip(index_values, index_types)]
    if len(inds) < aryty.ndim:
        inds.append(context.get_constant(types.intp, 0))
    return cgutils.get_item_pointer2(context, builder, arr.data, shape, strides, aryty.layout, inds)


def _index_parts(index):
    if isinstance(index, types.Integer):
        return [index], lambda builder, v: [v]
    if isinstance(index, types.BaseTuple) and all(isinstance(t, types.Integer) for t in index):
        n = len(index)
        return list(index), lambda builder, v: [builder.extract_value(v, i) for i in range(n)]
    return None, None


@intrinsic
def load(typingctx, ary, index, W):
    """The W values ary[index, 0:W] (index: an int, or a tuple for arrays of more
    dimensions) as a vector; with an index naming every axis, the W values from ary[index]
    along the last axis. The last axis must hold them (C-contiguous, not checked)."""
    lanes = _lanes(W)
    parts, split = _index_parts(index)
    if lanes is None or not isinstance(ary, types.Array) or parts is None or len(parts) not in (ary.ndim - 1, ary.ndim):
        return None
    vt = Vec(ary.dtype, lanes)

    def codegen(context, builder, signature, args):
        ptr = _vec_ptr(context, builder, ary, args[0], parts, split(builder, args[1]))
        llty = context.get_value_type(vt)
        if ary.dtype == types.boolean:
            raise NotImplementedError("load of booleans")
        ptr = builder.bitcast(ptr, llty.as_pointer())
        return builder.load(ptr, align=context.get_abi_alignment(context.get_data_type(ary.dtype)))

    return vt(ary, index, W), codegen


@intrinsic
def store(typingctx, ary, index, value):
    """ary[index, 0:W] = value (or from ary[index] on, as :func:`load`)."""
    parts, split = _index_parts(index)
    if not isinstance(value, Vec) or not isinstance(ary, types.Array) or parts is None or value.dtype != ary.dtype:
        return None
    if len(parts) not in (ary.ndim - 1, ary.ndim):
        return None

    def codegen(context, builder, signature, args):
        ptr = _vec_ptr(context, builder, ary, args[0], parts, split(builder, args[1]))
        ptr = builder.bitcast(ptr, args[2].type.as_pointer())
        builder.store(args[2], ptr, align=context.get_abi_alignment(context.get_data_type(ary.dtype)))
        return context.get_dummy_value()

    return types.none(ary, index, value), codegen


@intrinsic
def splat(typingctx, x, W):
    """W copies of the scalar x."""
    lanes = _lanes(W)
    if lanes is None or not isinstance(x, (types.Number, types.Boolean)):
        return None
    dtype = x.literal_type if isinstance(x, types.Literal) else x
    vt = Vec(dtype, lanes)

    def codegen(context, builder, signature, args):
        value = context.cast(builder, args[0], x, dtype)
        llty = context.get_value_type(vt)
        vec = builder.insert_element(ir.Constant(llty, ir.Undefined), value, ir.Constant(ir.IntType(32), 0))
        return builder.shuffle_vector(vec, ir.Constant(llty, ir.Undefined), ir.Constant(ir.VectorType(ir.IntType(32), lanes), [0] * lanes))

    return vt(x, W), codegen


@intrinsic
def splat_as(typingctx, x, like):
    """The scalar x converted to the lane type of the vector ``like``, in all its lanes."""
    if not isinstance(like, Vec) or not isinstance(x, (types.Number, types.Boolean)):
        return None
    src = x.literal_type if isinstance(x, types.Literal) else x

    def codegen(context, builder, signature, args):
        value = context.cast(builder, args[0], src, like.dtype)
        llty = context.get_value_type(like)
        vec = builder.insert_element(ir.Constant(llty, ir.Undefined), value, ir.Constant(ir.IntType(32), 0))
        return builder.shuffle_vector(vec, ir.Constant(llty, ir.Undefined),
                                      ir.Constant(ir.VectorType(ir.IntType(32), like.lanes), [0] * like.lanes))

    return like(x, like), codegen


def _same(a, b):
    return isinstance(a, Vec) and a == b


def _binary(float_op=None, int_op=None, uint_op=None):
    def typer(typingctx, a, b):
        if not _same(a, b):
            return None
        d = a.dtype
        if isinstance(d, types.Float) and float_op:
            op = float_op
        elif isinstance(d, types.Integer) and d.signed and int_op:
            op = int_op
        elif (isinstance(d, types.Integer) and not d.signed or isinstance(d, types.Boolean)) and (uint_op or int_op):
            op = uint_op or int_op
        else:
            return None

        def codegen(context, builder, signature, args):
            if op.startswith("f"):
                return getattr(builder, op)(args[0], args[1], flags=_FLAGS)
            return getattr(builder, op)(args[0], args[1])

        return a(a, b), codegen

    return intrinsic(typer)


_add = _binary("fadd", "add")
_sub = _binary("fsub", "sub")
_mul = _binary("fmul", "mul")
_div = _binary("fdiv")
_and = _binary(None, "and_")
_or = _binary(None, "or_")
_xor = _binary(None, "xor")
_shl = _binary(None, "shl")
_shr = _binary(None, "ashr", "lshr")


def _compare(op):
    def typer(typingctx, a, b):
        if not _same(a, b) or isinstance(a.dtype, types.Boolean):
            return None
        mt = Vec(types.boolean, a.lanes)

        def codegen(context, builder, signature, args):
            if isinstance(a.dtype, types.Float):
                return builder.fcmp_ordered(op, args[0], args[1])
            if a.dtype.signed:
                return builder.icmp_signed(op, args[0], args[1])
            return builder.icmp_unsigned(op, args[0], args[1])

        return mt(a, b), codegen

    return intrinsic(typer)


_lt, _le, _gt, _ge, _eq, _ne = (_compare(op) for op in ("<", "<=", ">", ">=", "==", "!="))


@intrinsic
def _neg(typingctx, a):
    if not isinstance(a, Vec) or isinstance(a.dtype, types.Boolean):
        return None

    def codegen(context, builder, signature, args):
        if isinstance(a.dtype, types.Float):
            return builder.fneg(args[0])
        return builder.neg(args[0])

    return a(a), codegen


@intrinsic
def _invert(typingctx, a):
    if not isinstance(a, Vec) or isinstance(a.dtype, types.Float):
        return None

    def codegen(context, builder, signature, args):
        return builder.not_(args[0])

    return a(a), codegen


for _op, _impl in [(operator.add, _add), (operator.sub, _sub), (operator.mul, _mul), (operator.truediv, _div),
                   (operator.and_, _and), (operator.or_, _or), (operator.xor, _xor), (operator.lshift, _shl),
                   (operator.rshift, _shr), (operator.lt, _lt), (operator.le, _le), (operator.gt, _gt),
                   (operator.ge, _ge), (operator.eq, _eq), (operator.ne, _ne)]:
    def _make(impl):
        def ol(a, b):
            if _same(a, b):
                return lambda a, b: impl(a, b)
            return None
        return ol
    overload(_op)(_make(_impl))


@overload(operator.neg)
def _ol_neg(a):
    if isinstance(a, Vec):
        return lambda a: _neg(a)
    return None


@overload(operator.invert)
def _ol_invert(a):
    if isinstance(a, Vec):
        return lambda a: _invert(a)
    return None


@intrinsic
def where(typingctx, mask, a, b):
    """Lane by lane: a where mask is true, else b."""
    if not (isinstance(mask, Vec) and isinstance(mask.dtype, types.Boolean) and _same(a, b) and mask.lanes == a.lanes):
        return None

    def codegen(context, builder, signature, args):
        return builder.select(args[0], args[1], args[2])

    return a(mask, a, b), codegen


@intrinsic
def vmin(typingctx, a, b):
    """Lane by lane ``a if a < b else b`` (vminps / vpminsb)."""
    if not _same(a, b) or isinstance(a.dtype, types.Boolean):
        return None

    def codegen(context, builder, signature, args):
        if isinstance(a.dtype, types.Float):
            less = builder.fcmp_ordered("<", args[0], args[1])
        elif a.dtype.signed:
            less = builder.icmp_signed("<", args[0], args[1])
        else:
            less = builder.icmp_unsigned("<", args[0], args[1])
        return builder.select(less, args[0], args[1])

    return a(a, b), codegen


@intrinsic
def vmax(typingctx, a, b):
    """Lane by lane ``a if a > b else b`` (vmaxps / vpmaxsb)."""
    if not _same(a, b) or isinstance(a.dtype, types.Boolean):
        return None

    def codegen(context, builder, signature, args):
        if isinstance(a.dtype, types.Float):
            more = builder.fcmp_ordered(">", args[0], args[1])
        elif a.dtype.signed:
            more = builder.icmp_signed(">", args[0], args[1])
        else:
            more = builder.icmp_unsigned(">", args[0], args[1])
        return builder.select(more, args[0], args[1])

    return a(a, b), codegen


@intrinsic
def vabs(typingctx, a):
    """|a| lane by lane (for signed integers -x where x < 0: saturate first so that the
    most negative value never occurs)."""
    if not isinstance(a, Vec) or isinstance(a.dtype, types.Boolean):
        return None

    def codegen(context, builder, signature, args):
        ty = args[0].type
        if isinstance(a.dtype, types.Float):
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ty, [ty]), f"llvm.fabs.v{a.lanes}f{a.dtype.bitwidth}")
            return builder.call(fn, [args[0]])
        neg = builder.icmp_signed("<", args[0], ir.Constant(ty, None))
        return builder.select(neg, builder.neg(args[0]), args[0])

    return a(a), codegen


@intrinsic
def floor(typingctx, a):
    """Largest integral value not above a, lane by lane (vroundps)."""
    if not isinstance(a, Vec) or not isinstance(a.dtype, types.Float):
        return None

    def codegen(context, builder, signature, args):
        ty = args[0].type
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ty, [ty]), f"llvm.floor.v{a.lanes}f{a.dtype.bitwidth}")
        return builder.call(fn, [args[0]])

    return a(a), codegen


def _saturating(op):
    def typer(typingctx, a, b, q):
        if _same(a, b) and isinstance(a.dtype, types.Float):
            def fcodegen(context, builder, signature, args):
                return getattr(builder, "fadd" if op == "sadd" else "fsub")(args[0], args[1], flags=_FLAGS)
            return a(a, b, q), fcodegen
        if not (_same(a, b) and _same(a, q) and isinstance(a.dtype, types.Integer) and a.dtype.signed):
            return None

        def codegen(context, builder, signature, args):
            ty = args[0].type
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ty, [ty, ty]),
                                                f"llvm.{op}.sat.v{a.lanes}i{a.dtype.bitwidth}")
            r = builder.call(fn, [args[0], args[1]])
            r = builder.select(builder.icmp_signed(">", r, args[2]), args[2], r)
            nq = builder.neg(args[2])
            return builder.select(builder.icmp_signed("<", r, nq), nq, r)

        return a(a, b, q), codegen

    return intrinsic(typer)


adds = _saturating("sadd")
adds.__doc__ = "a + b saturated to [-q, q] lane by lane (vpaddsb then a clamp), for signed integer vectors."
subs = _saturating("ssub")
subs.__doc__ = "a - b saturated to [-q, q] lane by lane, for signed integer vectors."


def _type_saturating(op):
    def typer(typingctx, a, b):
        if _same(a, b) and isinstance(a.dtype, types.Float):
            def fcodegen(context, builder, signature, args):
                return getattr(builder, "fadd" if op == "sadd" else "fsub")(args[0], args[1], flags=_FLAGS)
            return a(a, b), fcodegen
        if not (_same(a, b) and isinstance(a.dtype, types.Integer) and a.dtype.signed):
            return None

        def codegen(context, builder, signature, args):
            ty = args[0].type
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ty, [ty, ty]),
                                                f"llvm.{op}.sat.v{a.lanes}i{a.dtype.bitwidth}")
            return builder.call(fn, [args[0], args[1]])

        return a(a, b), codegen

    return intrinsic(typer)


sadd = _type_saturating("sadd")
sadd.__doc__ = """a + b saturated to the range of the integer type (one vpaddsw); a + b for floats."""
ssub = _type_saturating("ssub")
ssub.__doc__ = """a - b saturated to the range of the integer type (one vpsubsw); a - b for floats."""


def _dtype_of(dtype):
    if isinstance(dtype, types.NumberClass):
        return dtype.instance_type
    if isinstance(dtype, types.DType):
        return dtype.dtype
    return None


@intrinsic
def convert(typingctx, a, dtype):
    """The vector a converted to ``dtype`` lane by lane (value conversion: int <-> float
    truncating toward zero, integer widening/narrowing; booleans give 0/1)."""
    target = _dtype_of(dtype)
    if not isinstance(a, Vec) or target is None:
        return None
    vt = Vec(target, a.lanes)

    def codegen(context, builder, signature, args):
        src, dst = a.dtype, target
        value, llty = args[0], context.get_value_type(vt)
        if isinstance(src, types.Float) and isinstance(dst, types.Float):
            return builder.fpext(value, llty) if dst.bitwidth > src.bitwidth else builder.fptrunc(value, llty) if dst.bitwidth < src.bitwidth else value
        if isinstance(src, types.Float):
            return builder.fptosi(value, llty) if dst.signed else builder.fptoui(value, llty)
        if isinstance(dst, types.Float):
            if isinstance(src, types.Boolean) or not src.signed:
                return builder.uitofp(value, llty)
            return builder.sitofp(value, llty)
        sw = 1 if isinstance(src, types.Boolean) else src.bitwidth
        if dst.bitwidth > sw:
            return builder.zext(value, llty) if sw == 1 or not src.signed else builder.sext(value, llty)
        if dst.bitwidth < sw:
            return builder.trunc(value, llty)
        return value

    return vt(a, dtype), codegen


@intrinsic
def bitcast(typingctx, a, dtype):
    """The bits of a reinterpreted as ``dtype`` lanes of the same width (float32 <-> int32)."""
    target = _dtype_of(dtype)
    if not isinstance(a, Vec) or target is None or target.bitwidth != a.dtype.bitwidth:
        return None
    vt = Vec(target, a.lanes)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(vt))

    return vt(a, dtype), codegen


@intrinsic
def movemask(typingctx, m):
    """The lanes of a mask packed into an integer, bit w = lane w (vmovmskps / vpmovmskb)."""
    if not (isinstance(m, Vec) and isinstance(m.dtype, types.Boolean) and m.lanes <= 64):
        return None

    def codegen(context, builder, signature, args):
        packed = builder.bitcast(args[0], ir.IntType(m.lanes))
        return builder.zext(packed, ir.IntType(64)) if m.lanes < 64 else packed

    return types.uint64(m), codegen


def _convert_ir(builder, value, src, dst, llty):
    """Convert an LLVM vector of numba type ``src`` lanes to ``dst`` lanes."""
    if src == dst:
        return value
    if isinstance(src, types.Float) and isinstance(dst, types.Float):
        return builder.fptrunc(value, llty) if dst.bitwidth < src.bitwidth else builder.fpext(value, llty)
    if isinstance(src, types.Integer) and isinstance(dst, types.Integer):
        if dst.bitwidth < src.bitwidth:
            return builder.trunc(value, llty)
        return builder.sext(value, llty) if src.signed else builder.zext(value, llty)
    if isinstance(src, types.Integer):
        return builder.sitofp(value, llty) if src.signed else builder.uitofp(value, llty)
    return builder.fptosi(value, llty)


@intrinsic
def transpose_tile(typingctx, src, r0, c0, dst, d0, e0, scale, W):
    """dst[d0 + c, e0 + r] = src[r0 + r, c0 + c] (times ``scale`` for float dst) for r, c
    in 0..W-1: a W x W tile loaded as W vectors, converted to dst's type, transposed by
    log2(W) rounds of interleaving shuffles (``vunpcklps``/``vpermps``-class instructions)
    and stored as W vectors. Both arrays 2-D and C-contiguous (not checked)."""
    lanes = _lanes(W)
    if (lanes is None or lanes & (lanes - 1) or not isinstance(src, types.Array) or not isinstance(dst, types.Array)
            or src.ndim != 2 or dst.ndim != 2):
        return None
    ints = (r0, c0, d0, e0)
    if not all(isinstance(t, types.Integer) for t in ints):
        return None

    def codegen(context, builder, signature, args):
        s_ary, rr, cc, d_ary, dd, ee, sc = args[:7]
        s_ty = context.get_value_type(Vec(src.dtype, lanes))
        d_ty = context.get_value_type(Vec(dst.dtype, lanes))
        i32 = ir.IntType(32)
        rows = []
        for r in range(lanes):
            row = builder.add(context.cast(builder, rr, r0, types.intp), context.get_constant(types.intp, r))
            ptr = _vec_ptr(context, builder, src, s_ary, [types.intp, c0], [row, cc])
            v = builder.load(builder.bitcast(ptr, s_ty.as_pointer()), align=context.get_abi_alignment(
                context.get_data_type(src.dtype)))
            v = _convert_ir(builder, v, src.dtype, dst.dtype, d_ty)
            if isinstance(dst.dtype, types.Float):
                factor = context.cast(builder, sc, scale, dst.dtype)
                splat_ = builder.insert_element(ir.Constant(d_ty, ir.Undefined), factor, ir.Constant(i32, 0))
                splat_ = builder.shuffle_vector(splat_, ir.Constant(d_ty, ir.Undefined),
                                                ir.Constant(ir.VectorType(i32, lanes), [0] * lanes))
                v = builder.fmul(v, splat_)
            rows.append(v)
        half = lanes // 2
        lo_mask = ir.Constant(ir.VectorType(i32, lanes), [x for i in range(half) for x in (i, lanes + i)])
        hi_mask = ir.Constant(ir.VectorType(i32, lanes), [x for i in range(half, lanes) for x in (i, lanes + i)])
        for _ in range(lanes.bit_length() - 1):
            new = []
            for i in range(half):
                new.append(builder.shuffle_vector(rows[i], rows[i + half], lo_mask))
                new.append(builder.shuffle_vector(rows[i], rows[i + half], hi_mask))
            rows = new
        for c in range(lanes):
            row = builder.add(context.cast(builder, dd, d0, types.intp), context.get_constant(types.intp, c))
            ptr = _vec_ptr(context, builder, dst, d_ary, [types.intp, e0], [row, ee])
            builder.store(rows[c], builder.bitcast(ptr, d_ty.as_pointer()),
                          align=context.get_abi_alignment(context.get_data_type(dst.dtype)))
        return context.get_dummy_value()

    return types.none(src, r0, c0, dst, d0, e0, scale, W), codegen
