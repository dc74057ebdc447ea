r"""Cyclic redundancy checks on batches of bit frames, by name or by polynomial.

A CRC of width r with generator :math:`g(x) = x^r + g_{r-1}x^{r-1} + \dots + g_0` appends to
the message polynomial :math:`m(x)` (first bit = highest power) the remainder
:math:`p(x) = (x^r m(x) + \text{init}\cdot x^{k+r}) \bmod g(x)`, in the Rocksoft/"RevEng" model
(width, poly, init, refin, refout, xorout). The 3GPP CRCs of TS 38.212 Section 5.1
(init 0, no reflection, no final XOR) make the whole frame :math:`x^r m(x) + p(x)` a
multiple of :math:`g(x)`.

Bit arrays are fed to the register in order, so ``refin`` only matters for
:meth:`CRC.checksum` on bytes (each byte then enters least significant bit first);
``refout`` reverses the r parity bits, ``xorout`` is XORed onto them.

Names (case, ``-`` and ``_`` ignored), generator without its leading term, and the RevEng
catalogue's CRC of b"123456789" where it lists one:

* 3GPP TS 38.212 Section 5.1 (init 0, no reflection, no final XOR):
  ``CRC6`` 0x21 (:math:`D^6+D^5+1`), ``CRC11`` 0x621 (:math:`D^{11}+D^{10}+D^9+D^5+1`),
  ``CRC16`` 0x1021 (:math:`D^{16}+D^{12}+D^5+1`, = CRC-16/XMODEM, check 0x31C3),
  ``CRC24A`` 0x864CFB (CRC-24/LTE-A, check 0xCDE703), ``CRC24B`` 0x800063 (CRC-24/LTE-B,
  check 0x23EF52), ``CRC24C`` 0xB2B117.
* Common ones: ``CRC8`` 0x07 (CRC-8/SMBUS, 0xF4), ``CRC16-CCITT-FALSE`` 0x1021 with init
  0xFFFF (CRC-16/IBM-3740, 0x29B1), ``CRC16-ARC`` 0x8005 reflected (0xBB3D), ``CRC32``
  0x04C11DB7 reflected, init and xorout 0xFFFFFFFF (CRC-32/ISO-HDLC, 0xCBF43926), ``CRC32C``
  0x1EDC6F41 likewise (CRC-32/ISCSI, 0xE3069283).

A hex string *with* the leading term gives a 3GPP-style CRC: e.g.
``"0x11021"`` is :math:`x^{16}+x^{12}+x^5+1`, ``"0xE21"`` is CRC11.

Example
-------
>>> import numpy as np
>>> crc = CRC("CRC11")
>>> (crc.width, hex(crc.poly))
(11, '0x621')
>>> frames = crc.attach(np.array([[1, 0, 1, 1, 0, 0, 1, 0]], dtype=np.uint8))
>>> frames.shape, crc.check(frames).tolist()
((1, 19), [True])
>>> frames[0, 3] ^= 1
>>> crc.check(frames).tolist()
[False]
>>> hex(CRC("CRC24A").checksum(b"123456789"))
'0xcde703'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit


@dataclass(frozen=True)
class _Model:
    width: int
    poly: int
    init: int = 0
    refin: bool = False
    refout: bool = False
    xorout: int = 0
    check: int | None = None  # the published CRC of b"123456789"


#: Known CRCs by canonical name (see the module docstring for sources).
CRC_MODELS: dict[str, _Model] = {
    "CRC6": _Model(6, 0x21),
    "CRC11": _Model(11, 0x621),
    "CRC16": _Model(16, 0x1021, check=0x31C3),
    "CRC24A": _Model(24, 0x864CFB, check=0xCDE703),
    "CRC24B": _Model(24, 0x800063, check=0x23EF52),
    "CRC24C": _Model(24, 0xB2B117),
    "CRC8": _Model(8, 0x07, check=0xF4),
    "CRC16CCITTFALSE": _Model(16, 0x1021, init=0xFFFF, check=0x29B1),
    "CRC16ARC": _Model(16, 0x8005, refin=True, refout=True, check=0xBB3D),
    "CRC32": _Model(32, 0x04C11DB7, 0xFFFFFFFF, True, True, 0xFFFFFFFF, check=0xCBF43926),
    "CRC32C": _Model(32, 0x1EDC6F41, 0xFFFFFFFF, True, True, 0xFFFFFFFF, check=0xE3069283),
}

#: Names a user may write, as shown in error messages.
CRC_NAMES = ("CRC6", "CRC11", "CRC16", "CRC24A", "CRC24B", "CRC24C", "CRC8", "CRC16-CCITT-FALSE", "CRC16-ARC", "CRC32", "CRC32C")


def _key(name: str) -> str:
    key = name.upper().replace("-", "").replace("_", "").replace("/", "").replace(" ", "")
    if key.isdigit() or key in ("24A", "24B", "24C"):  # "11" -> CRC11 (ARCHITECTURE's short form)
        key = "CRC" + key
    return key


def _reflect(value: int, width: int) -> int:
    return int(f"{value:0{width}b}"[::-1], 2)


@njit(cache=True)
def _crc_registers(bits, width, poly, init):
    """Shift every frame's bits (rows of ``bits``) through an MSB-first CRC register."""
    frames, length = bits.shape
    top = np.uint64(1) << np.uint64(width - 1)
    mask = (np.uint64(1) << np.uint64(width)) - np.uint64(1)
    p = np.uint64(poly)
    out = np.empty(frames, dtype=np.uint64)
    for f in range(frames):
        reg = np.uint64(init)
        for i in range(length):
            fb = ((reg & top) != 0) ^ (bits[f, i] != 0)
            reg = (reg << np.uint64(1)) & mask
            if fb:
                reg ^= p
        out[f] = reg
    return out


class CRC:
    """A CRC by name (``"CRC11"``, ``"crc24a"``, ``"CRC-32"``...) or by hex generator with its
    leading term (``"0x11021"``); see the module docstring for the list and the model."""

    def __init__(self, spec: str):
        text = str(spec).strip()
        if text.lower().startswith("0x"):
            try:
                full = int(text, 16)
            except ValueError:
                raise ValueError(f"unknown CRC {spec!r}: a hex polynomial must look like '0x11021'") from None
            width = full.bit_length() - 1
            if width < 1 or width > 63 or not full & 1:
                raise ValueError(f"CRC polynomial {spec!r} must have degree 1..63 and a constant term 1")
            model, name = _Model(width, full ^ (1 << width)), f"CRC-{width}({text})"
        else:
            key = _key(text)
            if key not in CRC_MODELS:
                raise ValueError(f"unknown CRC {spec!r} (allowed: {', '.join(CRC_NAMES)} or a hex polynomial like '0x11021')")
            model, name = CRC_MODELS[key], next(n for n in CRC_NAMES if _key(n) == key)
        self.name = name
        self.width = model.width
        self.poly = model.poly
        self.init = model.init
        self.refin = model.refin
        self.refout = model.refout
        self.xorout = model.xorout
        self.check_value = model.check

    def __repr__(self) -> str:
        return f"CRC({self.name!r}, width={self.width}, poly={self.poly:#x})"

    def _finish(self, registers: np.ndarray) -> np.ndarray:
        regs = registers.astype(np.uint64)
        if self.refout:
            regs = np.array([_reflect(int(r), self.width) for r in regs], dtype=np.uint64)
        return regs ^ np.uint64(self.xorout)

    def _to_bits(self, values: np.ndarray) -> np.ndarray:
        shifts = np.arange(self.width - 1, -1, -1, dtype=np.uint64)
        return ((values[:, None] >> shifts[None, :]) & np.uint64(1)).astype(np.uint8)

    def compute(self, u: np.ndarray) -> np.ndarray:
        """The r parity bits (F, r), most significant first, of each message row of ``u``."""
        u = np.ascontiguousarray(np.atleast_2d(u), dtype=np.uint8)
        # The direct-form register (feedback = top bit XOR input bit) leaves
        # (init x^k + m(x)) x^r mod g(x) after the k message bits: no zero padding needed.
        return self._to_bits(self._finish(_crc_registers(u, self.width, self.poly, self.init)))

    def attach(self, u: np.ndarray) -> np.ndarray:
        """Messages (F, k) -> frames (F, k + r): each message followed by its parity bits."""
        u = np.ascontiguousarray(np.atleast_2d(u), dtype=np.uint8)
        return np.concatenate([u, self.compute(u)], axis=1)

    def check(self, bits: np.ndarray) -> np.ndarray:
        """Frames (F, k + r) -> bool (F,): do the last r bits equal the CRC of the others?"""
        bits = np.ascontiguousarray(np.atleast_2d(bits), dtype=np.uint8)
        if bits.shape[-1] < self.width:
            raise ValueError(f"frames of {bits.shape[-1]} bits are shorter than the {self.width}-bit CRC")
        flat = bits.reshape(-1, bits.shape[-1])
        ok = np.all(self.compute(flat[:, : -self.width]) == flat[:, -self.width :], axis=1)
        return ok.reshape(bits.shape[:-1])

    def checksum(self, data: bytes) -> int:
        """The CRC of a byte string as an integer (the catalogue's "check" for b"123456789")."""
        order = "little" if self.refin else "big"
        bits = np.unpackbits(np.frombuffer(bytes(data), dtype=np.uint8), bitorder=order)
        value = self.compute(bits[None, :])[0]
        return int("".join(map(str, value.tolist())), 2)
