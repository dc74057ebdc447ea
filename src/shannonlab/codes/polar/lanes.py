r"""Register-wide loops for the polar decoders, written as LLVM vector code.

Each function here runs one elementwise rule over ``cnt`` consecutive messages of 1-D
buffers at given offsets, :data:`~.fixed_point.VECTOR_BYTES` at a time (8 float32, 16
int16 or 32 int8 per AVX2 register) with a scalar tail for what is left. They are numba
intrinsics: numba's own loop vectorizer would do the same for long loops, but it unrolls
them by 4 registers and leaves anything shorter to scalar code, and it gives up when one
buffer is read and written at two offsets (numba's wrap-around of negative indices hides
the addresses); decoding trees are mostly short loops over one buffer. Offsets are message
indices (any integer type); an output region is either disjoint from every input region
or the same as one (in place).

Rules, for messages of the buffer's type (float32, or signed integers saturated at ±q):

=================== =========================================================
``f_lanes``         d = sign(x) sign(y) min(|x|, |y|)                  (min-sum f)
``g_lanes``         d = y + s·x, s = ±1 a partial sum                  (g)
``add_lanes``       d = x + y                                          (g after rate-0)
``mul_lanes``       d = d·s for s = ±1                                 (XOR of partial sums)
``hard_lanes``      d = -1 if x < 0 else +1                            (hard decision)
``fill_lanes``      d = v
``copy_lanes``      d = x
``minabs_lanes``    d = min(|x|, |y|)
=================== =========================================================

and ``spc_lanes``, Wagner's rule on an SPC node laid out in rows of one register (lanes
= frames). Saturation: an integer sum is LLVM's ``sadd.sat`` then a clamp to [-q, q]
(``vpaddsb``, ``vpminsb``, ``vpmaxsb``); f, products and decisions cannot overflow on the
symmetric range. For floats ``q`` is ignored.

Example
-------
>>> import numpy as np
>>> from numba import njit
>>> @njit
... def f_halves(a, h):                                 # a[0:h] = f(a[0:h], a[h:2h])
...     f_lanes(a, 0, a, h, a, 0, h)
>>> a = np.array([3, -1, 2, 5, -4, -2, 1, 0], dtype=np.float32)
>>> f_halves(a, 4)
>>> a[:4].tolist()
[-3.0, 1.0, 1.0, 0.0]
>>> @njit
... def add_pairs(q, s):                               # q[0:2] = q[0:2] + q[1:3], saturated at s
...     add_lanes(q, 0, q, 1, q, 0, 2, s)
>>> q = np.array([100, 100, -100], dtype=np.int8)
>>> add_pairs(q, np.int8(127))
>>> q[:2].tolist()
[127, 0]
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.core.extending import intrinsic

from .fixed_point import VECTOR_BYTES

# ----------------------------------------------------------------------------- scalar-or-vector IR


def _is_float(ty) -> bool:
    elt = ty.element if isinstance(ty, ir.VectorType) else ty
    return isinstance(elt, (ir.FloatType, ir.DoubleType))


def _zero(ty):
    return ir.Constant(ty, None)


def _splat(builder, value, ty):
    """``value`` (a scalar of ty's element type) repeated over the lanes of ``ty``."""
    if not isinstance(ty, ir.VectorType):
        return value
    vec = builder.insert_element(ir.Constant(ty, ir.Undefined), value, ir.Constant(ir.IntType(32), 0))
    mask = ir.Constant(ir.VectorType(ir.IntType(32), ty.count), [0] * ty.count)
    return builder.shuffle_vector(vec, ir.Constant(ty, ir.Undefined), mask)


def _one(ty):
    elt = ty.element if isinstance(ty, ir.VectorType) else ty
    return ir.Constant(ty, 1.0 if _is_float(elt) else 1)


def _lt0(b, x):
    return b.fcmp_ordered("<", x, _zero(x.type)) if _is_float(x.type) else b.icmp_signed("<", x, _zero(x.type))


def _lt(b, x, y):
    return b.fcmp_ordered("<", x, y) if _is_float(x.type) else b.icmp_signed("<", x, y)


def _eq(b, x, y):
    return b.fcmp_ordered("==", x, y) if _is_float(x.type) else b.icmp_signed("==", x, y)


def _neg(b, x):
    return b.fneg(x) if _is_float(x.type) else b.neg(x)


def _abs(b, x):
    return b.select(_lt0(b, x), _neg(b, x), x)


def _signed(b, x, s):
    """x·s for s = ±1."""
    if _is_float(x.type):
        return b.fmul(x, s)
    return b.select(_lt0(b, s), b.neg(x), x)


def _negate_where(b, d, hit):
    """-d where the i1 vector ``hit`` is set, else d, without a select: LLVM would turn a
    select before a store into a masked store (``vmaskmovps``, slow on AMD)."""
    if _is_float(d.type):
        ity = _as_int(d.type)
        width = ity.element.width if isinstance(ity, ir.VectorType) else ity.width
        mask = b.and_(b.sext(hit, ity), ir.Constant(ity, 1 << (width - 1)))
        return b.bitcast(b.xor(b.bitcast(d, ity), mask), d.type)
    mask = b.sext(hit, d.type)  # 0 or -1: (d ^ -1) - (-1) = -d
    return b.sub(b.xor(d, mask), mask)


def _sat_add(b, x, y, q):
    if _is_float(x.type):
        return b.fadd(x, y)
    ty = x.type
    name = (f"llvm.sadd.sat.v{ty.count}i{ty.element.width}" if isinstance(ty, ir.VectorType)
            else f"llvm.sadd.sat.i{ty.width}")
    r = b.call(cgutils.get_or_insert_function(b.module, ir.FunctionType(ty, [ty, ty]), name), [x, y])
    r = b.select(b.icmp_signed(">", r, q), q, r)
    nq = b.neg(q)
    return b.select(b.icmp_signed("<", r, nq), nq, r)


# ----------------------------------------------------------------------------- loop builder


def _width(context, array_type) -> int:
    return VECTOR_BYTES // context.get_abi_sizeof(context.get_data_type(array_type.dtype))


def _elementwise(n_in: int, n_out: int, n_scalars: int, rule):
    """An intrinsic ``(in_0, off_0, ..., out_0, off_0, ..., cnt, scalars...)`` applying
    ``rule(builder, inputs, scalars) -> outputs`` to vectors of one register, then to the
    scalar tail. Every buffer is a 1-D array of one dtype; scalars are of that dtype."""
    n_buf = n_in + n_out

    def typer(typingctx, *args):
        arrays = args[0 : 2 * n_buf : 2]
        offsets = args[1 : 2 * n_buf : 2]
        dtype = arrays[0].dtype if isinstance(arrays[0], types.Array) else None
        if dtype is None or not all(isinstance(a, types.Array) and a.ndim == 1 and a.dtype == dtype for a in arrays):
            return None
        if not all(isinstance(o, types.Integer) for o in (*offsets, args[2 * n_buf])):
            return None
        if not all(s == dtype for s in args[2 * n_buf + 1 :]):
            return None

        def codegen(context, builder, signature, llargs):
            ptrs = []
            for i in range(n_buf):
                ary = context.make_array(signature.args[2 * i])(context, builder, llargs[2 * i])
                off = context.cast(builder, llargs[2 * i + 1], signature.args[2 * i + 1], types.intp)
                ptrs.append(builder.gep(ary.data, [off]))
            cnt = context.cast(builder, llargs[2 * n_buf], signature.args[2 * n_buf], types.intp)
            scalars = list(llargs[2 * n_buf + 1 :])
            elt = context.get_data_type(dtype)
            size = context.get_abi_sizeof(elt)
            w = VECTOR_BYTES // size
            vty = ir.VectorType(elt, w)
            intp = cnt.type
            nvec = builder.udiv(cnt, ir.Constant(intp, w))
            vscalars = [_splat(builder, s, vty) for s in scalars]
            with cgutils.for_range(builder, nvec) as loop:
                base = builder.mul(loop.index, ir.Constant(intp, w))
                vptrs = [builder.bitcast(builder.gep(p, [base]), vty.as_pointer()) for p in ptrs]
                ins = [builder.load(p, align=size) for p in vptrs[:n_in]]
                for p, v in zip(vptrs[n_in:], rule(builder, ins, vscalars)):
                    builder.store(v, p, align=size)
            with cgutils.for_range_slice(builder, builder.mul(nvec, ir.Constant(intp, w)), cnt, ir.Constant(intp, 1), intp=intp) as (idx, _):
                eptrs = [builder.gep(p, [idx]) for p in ptrs]
                ins = [builder.load(p) for p in eptrs[:n_in]]
                for p, v in zip(eptrs[n_in:], rule(builder, ins, scalars)):
                    builder.store(v, p)
            return context.get_dummy_value()

        return types.void(*args), codegen

    # numba reads the arity off the signature: spell the parameters out
    names = [f"a{i}" for i in range(2 * n_buf + 1 + n_scalars)]
    scope = {"typer": typer}
    exec(f"def fixed(typingctx, {', '.join(names)}):\n    return typer(typingctx, {', '.join(names)})", scope)
    return intrinsic(scope["fixed"])


def _as_int(ty):
    """The integer type of the same width as float type ``ty`` (vector or scalar)."""
    if isinstance(ty, ir.VectorType):
        return ir.VectorType(ir.IntType(32 if isinstance(ty.element, ir.FloatType) else 64), ty.count)
    return ir.IntType(32 if isinstance(ty, ir.FloatType) else 64)


def _rule_f(b, ins, scalars):
    x, y = ins
    if _is_float(x.type):
        # on the IEEE bits: |x| = x & ~sign, sign(x)·sign(y) = (x ^ y) & sign; min of the
        # magnitudes with that sign or-ed in: 6 instructions, no compare or blend
        ity = _as_int(x.type)
        width = ity.element.width if isinstance(ity, ir.VectorType) else ity.width
        sign = ir.Constant(ity, 1 << (width - 1))
        mag = ir.Constant(ity, (1 << (width - 1)) - 1)
        xi, yi = b.bitcast(x, ity), b.bitcast(y, ity)
        ax, ay = b.bitcast(b.and_(xi, mag), x.type), b.bitcast(b.and_(yi, mag), x.type)
        mn = b.bitcast(b.select(b.fcmp_ordered("<", ax, ay), ax, ay), ity)
        return [b.bitcast(b.or_(mn, b.and_(b.xor(xi, yi), sign)), x.type)]
    ax, ay = _abs(b, x), _abs(b, y)
    mn = b.select(_lt(b, ax, ay), ax, ay)
    return [b.select(b.xor(_lt0(b, x), _lt0(b, y)), _neg(b, mn), mn)]


def _rule_g(b, ins, scalars):
    x, y, s = ins
    if _is_float(x.type):
        return [b.fadd(y, b.fmul(x, s))]
    return [_sat_add(b, y, _signed(b, x, s), scalars[0])]


def _rule_g_rate1(b, ins, scalars):
    x, y, s = ins
    r = _rule_g(b, ins, scalars)[0]
    h = _rule_hard(b, [r], scalars)[0]
    return [h, _signed(b, s, h)]


def _rule_add_rate1(b, ins, scalars):
    h = _rule_hard(b, _rule_add(b, ins, scalars), scalars)[0]
    return [h, h]


def _rule_add(b, ins, scalars):
    return [_sat_add(b, ins[0], ins[1], scalars[0])]


def _rule_mul(b, ins, scalars):
    d, s = ins
    return [_signed(b, d, s)]


def _rule_hard(b, ins, scalars):
    one = _one(ins[0].type)
    return [b.select(_lt0(b, ins[0]), _neg(b, one), one)]


def _rule_fill(b, ins, scalars):
    return [scalars[0]]


def _rule_copy(b, ins, scalars):
    return [ins[0]]


def _rule_minabs(b, ins, scalars):
    ax, ay = _abs(b, ins[0]), _abs(b, ins[1])
    return [b.select(_lt(b, ay, ax), ay, ax)]


#: ``f_lanes(x, xo, y, yo, d, do, cnt)``: d[do+j] = f(x[xo+j], y[yo+j]).
f_lanes = _elementwise(2, 1, 0, _rule_f)
#: ``g_lanes(x, xo, y, yo, s, so, d, do, cnt, q)``: d = y + s·x (saturated).
g_lanes = _elementwise(3, 1, 1, _rule_g)
#: ``add_lanes(x, xo, y, yo, d, do, cnt, q)``: d = x + y (saturated).
add_lanes = _elementwise(2, 1, 1, _rule_add)
#: ``mul_lanes(d, do, s, so, d, do, cnt)``: d = d·s for ±1 values (in place).
mul_lanes = _elementwise(2, 1, 0, _rule_mul)
#: ``g_rate1_lanes(x, xo, y, yo, s, so, r, ro, s, so, cnt, q)``: a rate-1 right child
#: decided from its g LLRs and combined: r = hard(y + s·x), then s = s·r.
g_rate1_lanes = _elementwise(3, 2, 1, _rule_g_rate1)
#: ``add_rate1_lanes(x, xo, y, yo, r, ro, s, so, cnt, q)``: the same after a rate-0 left
#: child: r = hard(x + y), s = r.
add_rate1_lanes = _elementwise(2, 2, 1, _rule_add_rate1)
#: ``hard_lanes(x, xo, d, do, cnt)``: d = -1 where x < 0, else +1.
hard_lanes = _elementwise(1, 1, 0, _rule_hard)
#: ``fill_lanes(d, do, cnt, v)``: d = v.
fill_lanes = _elementwise(0, 1, 1, _rule_fill)
#: ``copy_lanes(x, xo, d, do, cnt)``: d = x.
copy_lanes = _elementwise(1, 1, 0, _rule_copy)
#: ``minabs_lanes(x, xo, y, yo, d, do, cnt)``: d = min(|x|, |y|).
minabs_lanes = _elementwise(2, 1, 0, _rule_minabs)


@intrinsic
def spc_lanes(typingctx, a, src, s, dst, m):
    """Wagner's rule on an SPC node of m rows of one register each (lane = frame):
    s[dst + row] = hard decisions (±1) of a[src + row]; where a lane's parity is odd, its
    least reliable decision (the first row on equal magnitudes) is flipped. Two passes:
    parity and minimum magnitude per lane, then the flip."""
    if not (isinstance(a, types.Array) and isinstance(s, types.Array) and a.dtype == s.dtype):
        return None
    if not all(isinstance(t, types.Integer) for t in (src, dst, m)):
        return None

    def codegen(context, builder, signature, llargs):
        elt = context.get_data_type(a.dtype)
        size = context.get_abi_sizeof(elt)
        w = VECTOR_BYTES // size
        vty = ir.VectorType(elt, w)
        intp = context.get_value_type(types.intp)
        pa = builder.gep(context.make_array(a)(context, builder, llargs[0]).data,
                         [context.cast(builder, llargs[1], src, types.intp)])
        ps = builder.gep(context.make_array(s)(context, builder, llargs[2]).data,
                         [context.cast(builder, llargs[3], dst, types.intp)])
        rows = context.cast(builder, llargs[4], m, types.intp)
        one = _one(vty)
        mone = _neg(builder, one)

        def row_ptr(p, i):
            return builder.bitcast(builder.gep(p, [builder.mul(i, ir.Constant(intp, w))]), vty.as_pointer())

        parity = cgutils.alloca_once_value(builder, one)
        minval = cgutils.alloca_once_value(builder, _abs(builder, builder.load(row_ptr(pa, ir.Constant(intp, 0)), align=size)))
        with cgutils.for_range(builder, rows) as loop:
            x = builder.load(row_ptr(pa, loop.index), align=size)
            neg = _lt0(builder, x)
            builder.store(builder.select(neg, mone, one), row_ptr(ps, loop.index), align=size)
            p = builder.load(parity)
            builder.store(builder.select(neg, _neg(builder, p), p), parity)
            v = _abs(builder, x)
            mv = builder.load(minval)
            builder.store(builder.select(_lt(builder, v, mv), v, mv), minval)
        todo = cgutils.alloca_once_value(builder, _lt0(builder, builder.load(parity)))
        mv = builder.load(minval)
        with cgutils.for_range(builder, rows) as loop:
            x = builder.load(row_ptr(pa, loop.index), align=size)
            t = builder.load(todo)
            hit = builder.and_(t, _eq(builder, _abs(builder, x), mv))
            ptr = row_ptr(ps, loop.index)
            builder.store(_negate_where(builder, builder.load(ptr, align=size), hit), ptr, align=size)
            builder.store(builder.and_(t, builder.not_(hit)), todo)
        return context.get_dummy_value()

    return types.void(a, src, s, dst, m), codegen


@intrinsic
def bcast_lanes(typingctx, s, src, d, dst, rows):
    """d[dst + r·W + b] = s[src + b] for r < rows, b < W: one register repeated (the
    decision of a repetition node copied to all its positions)."""
    if not (isinstance(s, types.Array) and isinstance(d, types.Array) and s.dtype == d.dtype):
        return None

    def codegen(context, builder, signature, llargs):
        elt = context.get_data_type(s.dtype)
        size = context.get_abi_sizeof(elt)
        w = VECTOR_BYTES // size
        vty = ir.VectorType(elt, w).as_pointer()
        intp = context.get_value_type(types.intp)
        ps = builder.gep(context.make_array(s)(context, builder, llargs[0]).data,
                         [context.cast(builder, llargs[1], src, types.intp)])
        pd = builder.gep(context.make_array(d)(context, builder, llargs[2]).data,
                         [context.cast(builder, llargs[3], dst, types.intp)])
        v = builder.load(builder.bitcast(ps, vty), align=size)
        with cgutils.for_range(builder, context.cast(builder, llargs[4], rows, types.intp)) as loop:
            at = builder.gep(pd, [builder.mul(loop.index, ir.Constant(intp, w))])
            builder.store(v, builder.bitcast(at, vty), align=size)
        return context.get_dummy_value()

    return types.void(s, src, d, dst, rows), codegen


@intrinsic
def transform_lanes(typingctx, s, off, m):
    """s[off + i·W + b] for i < m (m rows of one register, a power of two) <- its polar
    transform x G_m per lane, on ±1 values (XOR as a product): log2(m) butterfly stages."""
    if not isinstance(s, types.Array):
        return None

    def codegen(context, builder, signature, llargs):
        elt = context.get_data_type(s.dtype)
        size = context.get_abi_sizeof(elt)
        w = VECTOR_BYTES // size
        vty = ir.VectorType(elt, w).as_pointer()
        intp = context.get_value_type(types.intp)
        base = builder.gep(context.make_array(s)(context, builder, llargs[0]).data,
                           [context.cast(builder, llargs[1], off, types.intp)])
        rows = context.cast(builder, llargs[2], m, types.intp)
        half = builder.lshr(rows, ir.Constant(intp, 1))
        step = cgutils.alloca_once_value(builder, ir.Constant(intp, 1))
        with cgutils.for_range(builder, builder.sub(ir.Constant(intp, 64), builder.add(
                builder.call(cgutils.get_or_insert_function(builder.module, ir.FunctionType(intp, [intp, ir.IntType(1)]),
                                                            "llvm.ctlz.i64"), [rows, ir.Constant(ir.IntType(1), 1)]),
                ir.Constant(intp, 1)))):
            st = builder.load(step)
            # pairs (i, i + st) with bit st of i clear: i = (k / st)·2st + k % st, k < m/2
            with cgutils.for_range(builder, half) as pair:
                k = pair.index
                lo = builder.add(builder.mul(builder.udiv(k, st), builder.shl(st, ir.Constant(intp, 1))), builder.urem(k, st))
                plo = builder.bitcast(builder.gep(base, [builder.mul(lo, ir.Constant(intp, w))]), vty)
                phi = builder.bitcast(builder.gep(base, [builder.mul(builder.add(lo, st), ir.Constant(intp, w))]), vty)
                builder.store(_signed(builder, builder.load(plo, align=size), builder.load(phi, align=size)), plo, align=size)
            builder.store(builder.shl(st, ir.Constant(intp, 1)), step)
        return context.get_dummy_value()

    return types.void(s, off, m), codegen


# ----------------------------------------------------------------------------- transposes


def _transpose(b, vecs):
    """W vectors of W elements as a W x W matrix -> its transpose (log2 W stages of
    shuffles: rows r and r + s swap their off-diagonal s x s blocks)."""
    w = len(vecs)
    vecs = list(vecs)
    s = w // 2
    i32 = ir.IntType(32)
    while s >= 1:
        lo = ir.Constant(ir.VectorType(i32, w), [c if c & s == 0 else w + c - s for c in range(w)])
        hi = ir.Constant(ir.VectorType(i32, w), [c + s if c & s == 0 else w + c for c in range(w)])
        for r in range(w):
            if r & s == 0:
                x, y = vecs[r], vecs[r + s]
                vecs[r], vecs[r + s] = b.shuffle_vector(x, y, lo), b.shuffle_vector(x, y, hi)
        s //= 2
    return vecs


def _convert(context, builder, value, from_type, to_type):
    """Elementwise dtype conversion of a vector (fptrunc, fpext, sitofp, or nothing)."""
    if from_type == to_type:
        return value
    dst = ir.VectorType(context.get_data_type(to_type), value.type.count)
    if isinstance(from_type, types.Float) and isinstance(to_type, types.Float):
        return builder.fptrunc(value, dst) if from_type.bitwidth > to_type.bitwidth else builder.fpext(value, dst)
    if isinstance(from_type, types.Integer) and isinstance(to_type, types.Float):
        return builder.sitofp(value, dst)
    if isinstance(from_type, types.Integer) and isinstance(to_type, types.Integer):
        return builder.trunc(value, dst) if from_type.bitwidth > to_type.bitwidth else builder.sext(value, dst)
    return builder.fptosi(value, dst)


def lanes_in_codegen(context, builder, llr, a, llargs):
    """The body of :func:`lanes_in` (llargs: llr, f0, a, off)."""
    elt = context.get_data_type(a.dtype)
    w = VECTOR_BYTES // context.get_abi_sizeof(elt)
    selt = context.get_data_type(llr.dtype)
    ssize = context.get_abi_sizeof(selt)
    size = context.get_abi_sizeof(elt)
    src = context.make_array(llr)(context, builder, llargs[0])
    n = cgutils.unpack_tuple(builder, src.shape, 2)[1]
    intp = n.type
    first = context.cast(builder, llargs[1], types.int64, types.intp)
    rows = [builder.gep(src.data, [builder.mul(builder.add(first, ir.Constant(intp, r)), n)]) for r in range(w)]
    dst = builder.gep(context.make_array(a)(context, builder, llargs[2]).data, [llargs[3]])
    svty = ir.VectorType(selt, w).as_pointer()
    vty = ir.VectorType(elt, w).as_pointer()
    with cgutils.for_range(builder, builder.udiv(n, ir.Constant(intp, w))) as loop:
        i0 = builder.mul(loop.index, ir.Constant(intp, w))
        vecs = [_convert(context, builder, builder.load(builder.bitcast(builder.gep(p, [i0]), svty), align=ssize),
                         llr.dtype, a.dtype) for p in rows]
        for c, v in enumerate(_transpose(builder, vecs)):
            at = builder.mul(builder.add(i0, ir.Constant(intp, c)), ir.Constant(intp, w))
            builder.store(v, builder.bitcast(builder.gep(dst, [at]), vty), align=size)
    return context.get_dummy_value()


@intrinsic
def lanes_in(typingctx, llr, f0, a, off):
    """Frames f0 .. f0+W-1 of ``llr`` (F, n), C-contiguous, into lanes: a[off + i·W + b] =
    llr[f0 + b, i], converted to a's dtype (W = one register of a's dtype, n a multiple of
    W), by W x W transposes in registers."""
    if not (isinstance(llr, types.Array) and llr.ndim == 2 and llr.layout == "C" and isinstance(a, types.Array)
            and f0 == types.int64 and off == types.int64):
        return None
    return types.void(llr, f0, a, off), lambda context, builder, signature, llargs: \
        lanes_in_codegen(context, builder, llr, a, llargs)


@intrinsic
def lanes_in_quantized(typingctx, llr, f0, a, off, scale, limit):
    """:func:`lanes_in` for integer lanes from float LLRs: each value becomes
    clip(round(scale·x), -limit, limit) (round half to even, as numpy's rint), so the
    channel is quantised on its way into the registers, with no pass of its own."""
    if not (isinstance(llr, types.Array) and llr.ndim == 2 and llr.layout == "C" and isinstance(a, types.Array)):
        return None
    if not isinstance(llr.dtype, types.Float):  # already integers: nothing to quantise
        return types.void(llr, f0, a, off, scale, limit), lambda context, builder, signature, llargs: \
            lanes_in_codegen(context, builder, llr, a, llargs[:4])

    def codegen(context, builder, signature, llargs):
        elt = context.get_data_type(a.dtype)
        w = VECTOR_BYTES // context.get_abi_sizeof(elt)
        selt = context.get_data_type(llr.dtype)
        ssize = context.get_abi_sizeof(selt)
        src = context.make_array(llr)(context, builder, llargs[0])
        n = cgutils.unpack_tuple(builder, src.shape, 2)[1]
        intp = n.type
        first = context.cast(builder, llargs[1], f0, types.intp)
        rows = [builder.gep(src.data, [builder.mul(builder.add(first, ir.Constant(intp, r)), n)]) for r in range(w)]
        dst = builder.gep(context.make_array(a)(context, builder, llargs[2]).data,
                          [context.cast(builder, llargs[3], off, types.intp)])
        fvty = ir.VectorType(selt, w)
        vty = ir.VectorType(elt, w)
        sc = _splat(builder, context.cast(builder, llargs[4], scale, llr.dtype), fvty)
        lim = _splat(builder, context.cast(builder, llargs[5], limit, llr.dtype), fvty)
        bits = 64 if isinstance(selt, ir.DoubleType) else 32
        rint = cgutils.get_or_insert_function(builder.module, ir.FunctionType(fvty, [fvty]), f"llvm.roundeven.v{w}f{bits}")
        with cgutils.for_range(builder, builder.udiv(n, ir.Constant(intp, w))) as loop:
            i0 = builder.mul(loop.index, ir.Constant(intp, w))
            vecs = []
            for p in rows:
                x = builder.load(builder.bitcast(builder.gep(p, [i0]), fvty.as_pointer()), align=ssize)
                x = builder.call(rint, [builder.fmul(x, sc)])
                x = builder.select(builder.fcmp_ordered(">", x, lim), lim, x)
                nlim = builder.fneg(lim)
                x = builder.select(builder.fcmp_ordered("<", x, nlim), nlim, x)
                vecs.append(builder.fptosi(x, vty) if isinstance(a.dtype, types.Integer)
                            else _convert(context, builder, x, llr.dtype, a.dtype))
            for c, v in enumerate(_transpose(builder, vecs)):
                at = builder.mul(builder.add(i0, ir.Constant(intp, c)), ir.Constant(intp, w))
                builder.store(v, builder.bitcast(builder.gep(dst, [at]), vty.as_pointer()), align=1)
        return context.get_dummy_value()

    return types.void(llr, f0, a, off, scale, limit), codegen


@intrinsic
def lanes_out(typingctx, s, info, t0, out, f0):
    """Decisions back to frames: out[f0 + b, t0 + c] = (s[info[t0 + c]·W + b] < 0) for
    b, c < W (W positions of W frames, one W x W transpose in registers)."""
    if not (isinstance(s, types.Array) and isinstance(info, types.Array) and isinstance(out, types.Array)
            and out.ndim == 2 and out.layout == "C"):
        return None

    def codegen(context, builder, signature, llargs):
        elt = context.get_data_type(s.dtype)
        size = context.get_abi_sizeof(elt)
        w = VECTOR_BYTES // size
        vty = ir.VectorType(elt, w).as_pointer()
        sdata = context.make_array(s)(context, builder, llargs[0]).data
        idata = context.make_array(info)(context, builder, llargs[1]).data
        intp = context.get_value_type(types.intp)
        t = context.cast(builder, llargs[2], t0, types.intp)
        dest = context.make_array(out)(context, builder, llargs[3])
        k = cgutils.unpack_tuple(builder, dest.shape, 2)[1]
        first = context.cast(builder, llargs[4], f0, types.intp)
        vecs = []
        for c in range(w):
            pos = builder.load(builder.gep(idata, [builder.add(t, ir.Constant(intp, c))]))
            pos = context.cast(builder, pos, info.dtype, types.intp)
            vecs.append(builder.load(builder.bitcast(builder.gep(sdata, [builder.mul(pos, ir.Constant(intp, w))]), vty),
                                     align=size))
        i8v = ir.VectorType(ir.IntType(8), w)
        for r, v in enumerate(_transpose(builder, vecs)):
            bits = builder.zext(_lt0(builder, v), i8v)
            at = builder.add(builder.mul(builder.add(first, ir.Constant(intp, r)), k), t)
            builder.store(bits, builder.bitcast(builder.gep(dest.data, [at]), i8v.as_pointer()), align=1)
        return context.get_dummy_value()

    return types.void(s, info, t0, out, f0), codegen


# ----------------------------------------------------------------------------- searches


@intrinsic
def next_least_reliable(typingctx, a, src, m, after_value, after_index):
    """(|a[src+i]|, i) for the smallest (|a[src+i]|, i) above (after_value, after_index) in
    lexicographic order, i < m: the next least reliable position of a node (start from
    (-1, -1)); (-1, -1) when there is none. One pass, a register of positions at a time,
    each lane keeping its best, then the lanes compared."""
    if not (isinstance(a, types.Array) and a.dtype == after_value):
        return None
    if not all(isinstance(t, types.Integer) for t in (src, m, after_index)):
        return None
    result = types.Tuple((a.dtype, types.int64))

    def codegen(context, builder, signature, llargs):
        elt = context.get_data_type(a.dtype)
        size = context.get_abi_sizeof(elt)
        w = VECTOR_BYTES // size
        vty = ir.VectorType(elt, w)
        i32 = ir.IntType(32)
        ity = ir.VectorType(i32, w)
        intp = context.get_value_type(types.intp)
        base = builder.gep(context.make_array(a)(context, builder, llargs[0]).data,
                           [context.cast(builder, llargs[1], src, types.intp)])
        count = context.cast(builder, llargs[2], m, types.intp)
        after_v = llargs[3]
        after_i = builder.trunc(context.cast(builder, llargs[4], after_index, types.int64), i32)
        big = ir.Constant(elt, float("inf")) if _is_float(elt) else ir.Constant(elt, (1 << (elt.width - 1)) - 1)
        none = ir.Constant(i32, -1)

        def better(b, v, i, av, ai, bv, bi):
            """(v, i) is above (av, ai) and below (bv, bi) (lexicographic)."""
            above = b.or_(_lt(b, av, v), b.and_(_eq(b, av, v), b.icmp_signed(">", i, ai)))
            below = b.or_(_lt(b, v, bv), b.and_(_eq(b, v, bv), b.icmp_signed("<", i, bi)))
            return b.and_(above, below)

        best_v = cgutils.alloca_once_value(builder, _splat(builder, big, vty))
        best_i = cgutils.alloca_once_value(builder, _splat(builder, none, ity))
        av, ai = _splat(builder, after_v, vty), _splat(builder, after_i, ity)
        lanes_i = ir.Constant(ity, list(range(w)))
        nvec = builder.udiv(count, ir.Constant(intp, w))
        with cgutils.for_range(builder, nvec) as loop:
            start = builder.mul(loop.index, ir.Constant(intp, w))
            x = builder.load(builder.bitcast(builder.gep(base, [start]), vty.as_pointer()), align=size)
            v = _abs(builder, x)
            i = builder.add(_splat(builder, builder.trunc(start, i32), ity), lanes_i)
            bv, bi = builder.load(best_v), builder.load(best_i)
            # a lane's best is "none" (index -1) until it finds one: compare with (big, m) instead
            bi_cmp = builder.select(builder.icmp_signed("<", bi, _splat(builder, ir.Constant(i32, 0), ity)),
                                    _splat(builder, ir.Constant(i32, 0x7FFFFFFF), ity), bi)
            take = better(builder, v, i, av, ai, bv, bi_cmp)
            builder.store(builder.select(take, v, bv), best_v)
            builder.store(builder.select(take, i, bi), best_i)
        # fold the lanes, then the scalar tail, into one (value, index)
        res_v = cgutils.alloca_once_value(builder, big)
        res_i = cgutils.alloca_once_value(builder, none)

        def offer(v, i):
            cur_i = builder.load(res_i)
            cmp_i = builder.select(builder.icmp_signed("<", cur_i, ir.Constant(i32, 0)), ir.Constant(i32, 0x7FFFFFFF), cur_i)
            valid = builder.icmp_signed(">=", i, ir.Constant(i32, 0))
            take = builder.and_(valid, better(builder, v, i, after_v, after_i, builder.load(res_v), cmp_i))
            with builder.if_then(take):
                builder.store(v, res_v)
                builder.store(i, res_i)

        bv, bi = builder.load(best_v), builder.load(best_i)
        for lane in range(w):
            k = ir.Constant(i32, lane)
            offer(builder.extract_element(bv, k), builder.extract_element(bi, k))
        with cgutils.for_range_slice(builder, builder.mul(nvec, ir.Constant(intp, w)), count, ir.Constant(intp, 1),
                                     intp=intp) as (idx, _):
            offer(_abs(builder, builder.load(builder.gep(base, [idx]))), builder.trunc(idx, i32))
        found = builder.icmp_signed(">=", builder.load(res_i), ir.Constant(i32, 0))
        value = builder.select(found, builder.load(res_v), ir.Constant(elt, -1.0 if _is_float(elt) else -1))
        index = builder.sext(builder.load(res_i), ir.IntType(64))
        return context.make_tuple(builder, result, [value, index])

    return result(a, src, m, after_value, after_index), codegen
