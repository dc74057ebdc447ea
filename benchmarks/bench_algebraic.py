"""BCH and Reed-Solomon decoders on one core, in decoded information bits/s, at a few errors
per frame (every frame has 4 errors: 4 bits for BCH, 4 symbols for RS), the hard decision
from the LLRs included in our timing.

Peers on the same words: ``galois`` (RS(255,223) and BCH(1023,923) ``decode`` on GF arrays,
the same codes: field polynomials 0x11d and 0x409, first root alpha^1) and ``bchlib`` (the
Linux kernel's BCH library in C; it encodes whole bytes, so the shared code is the
(1020, 920) shortening of BCH(1023, 923): 115 data bytes and 100 parity bits, decoded frame
by frame through its Python API). Each peer's decisions are checked against ours first.
``pip install galois bchlib`` (the ``bench`` extra)."""

import numpy as np
from harness import Workload, encoder_workload

from shannonlab.codes.bch import BCHCode
from shannonlab.codes.reed_solomon import ReedSolomonSpec

ERRORS = 4


def _rs():
    return ReedSolomonSpec(n=255, k=223).build()


def _bch(k=None):
    return BCHCode(10, 10, k)


def _rs_words(frames, seed=1):
    code = _rs()
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    c = code.encode(u)
    y = c.copy().reshape(frames, code.n_symbols, code.m)
    for f in range(frames):
        where = rng.choice(code.n_symbols, ERRORS, replace=False)
        flips = ((rng.integers(1, 256, ERRORS)[:, None] >> np.arange(7, -1, -1)) & 1).astype(np.uint8)
        y[f, where] ^= flips
    return code, u, y.reshape(frames, code.n)


def _bch_words(frames, k=None, seed=2):
    code = _bch(k)
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    y = code.encode(u)
    for f in range(frames):
        y[f, rng.choice(code.n, ERRORS, replace=False)] ^= 1
    return code, u, y


def _ours(make_words, frames):
    def setup():
        code, u, y = make_words(frames)
        llr = 4.0 * (1.0 - 2.0 * y.astype(np.float64))
        assert (code.decode(llr) == u).all()

        def run():
            code.decode(llr)

        return run, frames * code.k

    return setup


def _galois_rs(frames=200):
    def setup():
        try:
            import galois
        except ImportError as exc:
            raise ImportError("galois is not installed (pip install galois)") from exc
        code, u, y = _rs_words(frames)
        rs = galois.ReedSolomon(255, 223)
        assert int(rs.field.irreducible_poly) == code.field.poly, "galois uses another field"
        symbols = code.symbols(y)
        received = rs.field(symbols)
        decoded = np.asarray(rs.decode(received))
        ours = code.symbols(code.decode(4.0 * (1.0 - 2.0 * y)))
        assert (decoded == ours).all(), "galois decodes differently"

        def run():
            rs.decode(received)

        return run, frames * code.k

    return setup


def _galois_bch(frames=200):
    def setup():
        try:
            import galois
        except ImportError as exc:
            raise ImportError("galois is not installed (pip install galois)") from exc
        code, u, y = _bch_words(frames)
        bch = galois.BCH(1023, 923, extension_field=galois.GF(2**10, irreducible_poly=code.field.poly))
        assert (np.asarray(bch.encode(galois.GF2(u[:4]))) == code.encode(u[:4])).all(), "not the same code"
        received = galois.GF2(y)
        assert (np.asarray(bch.decode(received)) == u).all()

        def run():
            bch.decode(received)

        return run, frames * code.k

    return setup


def _bchlib(frames=20000):
    def setup():
        try:
            import bchlib
        except ImportError as exc:
            raise ImportError("bchlib is not installed (pip install bchlib)") from exc
        code, u, y = _bch_words(frames, k=920)
        lib = bchlib.BCH(t=10, m=10)
        assert lib.prim_poly == code.field.poly and lib.ecc_bits == code.n - code.k
        # same code, same bit order: data bytes MSB first, then the parity bits, zero-padded
        clean = code.encode(u[:2])
        for row in clean:
            data = bytearray(np.packbits(row[: code.k]).tobytes())
            assert bytes(lib.encode(data)) == np.packbits(row[code.k:]).tobytes(), "bchlib encodes differently"
        datas = [bytes(np.packbits(row[: code.k])) for row in y]
        eccs = [bytes(np.packbits(row[code.k:])) for row in y]

        def run():
            for data, ecc in zip(datas, eccs):
                d, e = bytearray(data), bytearray(ecc)
                lib.decode(d, e)
                lib.correct(d, e)

        d, e = bytearray(datas[0]), bytearray(eccs[0])
        assert lib.decode(d, e) == ERRORS
        lib.correct(d, e)
        assert np.unpackbits(np.frombuffer(bytes(d), np.uint8)).tolist() == u[0].tolist()
        return run, frames * code.k

    return setup


WORKLOADS = [
    Workload("rs:decode-255-223-4err", _ours(_rs_words, 20000),
             "RS(255,223) GF(256) errors-and-erasures BM + Chien + Forney, 4 symbol errors per frame, from LLRs"),
    Workload("bch:decode-1023-923-4err", _ours(_bch_words, 20000),
             "BCH(1023,923) t=10: division remainder, syndromes, binary BM, Chien, 4 bit errors per frame, from LLRs"),
    Workload("bch:decode-1020-920-4err", _ours(lambda f: _bch_words(f, k=920), 20000),
             "BCH(1020,920) t=10 (shortened, bchlib's byte-aligned code), 4 bit errors per frame, from LLRs"),
    Workload("rs:encode-255-223", encoder_workload(_rs, 20000), "RS(255,223) systematic encoding, info bits/s"),
    Workload("bch:encode-1023-923", encoder_workload(_bch, 20000), "BCH(1023,923) table-driven encoding, info bits/s"),
    Workload("galois:rs-decode-255-223-4err", _galois_rs(), "galois.ReedSolomon(255,223).decode on the same words",
             warmup=1, min_calls=1),
    Workload("galois:bch-decode-1023-923-4err", _galois_bch(), "galois.BCH(1023,923).decode on the same words",
             warmup=1, min_calls=1),
    Workload("bchlib:bch-decode-1020-920-4err", _bchlib(), "bchlib (Linux kernel BCH, C) decode+correct per frame, same words"),
]
