r"""Block (row–column) interleaving of a frame in units of bits or symbols.

A frame of U units (a unit is one bit, or one m-bit Reed–Solomon symbol) is written row by
row into a matrix of D rows (the *depth*) and U/D columns and read column by column:
unit :math:`u = r \cdot U/D + c` is sent at position :math:`c \cdot D + r`. When the frame
is D outer codewords, one per row, consecutive sent units belong to different codewords: a
burst of up to D units after the inner decoder hits each codeword once (CCSDS 131.0-B,
sec. 4.3: RS symbols interleaved to depth I = 1 .. 8, the first symbol of every codeword,
then the second, ...). Depth 1 is no interleaving.

Example
-------
>>> import numpy as np
>>> inter = BlockInterleaver(units=6, depth=2)          # rows [0 1 2] [3 4 5]
>>> inter.unit_order.tolist()
[0, 3, 1, 4, 2, 5]
>>> inter = BlockInterleaver(units=6, depth=2, unit_bits=2)   # the same on 2-bit symbols
>>> x = np.arange(12)[None, :]
>>> inter.interleave(x).tolist(), bool((inter.deinterleave(inter.interleave(x)) == x).all())
([[0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11]], True)
"""

from __future__ import annotations

import numpy as np


class BlockInterleaver:
    """Row–column interleaver of ``units`` units of ``unit_bits`` bits with ``depth`` rows."""

    def __init__(self, units: int, depth: int, unit_bits: int = 1):
        if depth < 1:
            raise ValueError(f"interleaver.depth must be a positive integer, got {depth}")
        if units % depth:
            raise ValueError(f"interleaver.depth {depth} does not divide the frame of {units} "
                             f"{'symbols' if unit_bits > 1 else 'bits'}")
        self.units, self.depth, self.unit_bits = int(units), int(depth), int(unit_bits)
        self.unit_order = np.arange(units).reshape(depth, units // depth).T.ravel()
        bits = (self.unit_order[:, None] * unit_bits + np.arange(unit_bits)).ravel()
        self.bit_order = bits  # sent bit i is frame bit bit_order[i]
        self.inverse = np.empty_like(bits)
        self.inverse[bits] = np.arange(bits.size)

    @property
    def length(self) -> int:
        """Bits per frame."""
        return self.units * self.unit_bits

    def interleave(self, x: np.ndarray) -> np.ndarray:
        """(F, length) in frame order -> (F, length) in sent order."""
        return x[:, self.bit_order]

    def deinterleave(self, x: np.ndarray) -> np.ndarray:
        """(F, length) in sent order -> frame order."""
        return x[:, self.inverse]
