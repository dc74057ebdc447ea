r"""The binary Golay codes: the perfect (23, 12, 7) code and the extended (24, 12, 8) code.

The (23, 12) code is cyclic with generator polynomial
:math:`g(x) = x^{11} + x^{10} + x^6 + x^5 + x^4 + x^2 + 1` (a factor of :math:`x^{23} - 1`;
MacWilliams and Sloane, ch. 2 §6). In the systematic form of :class:`LinearBlockCode`,
c = [u | uP], row i of P is the remainder of :math:`x^{11+i}` modulo g(x). It is perfect:
the radius-3 spheres around the 4096 codewords fill all 2^23 words, so the syndrome decoder
(2048 coset leaders, every one of weight <= 3) is the complete ML decoder on the BSC. The
extended code appends an overall parity bit (d = 8); its syndrome decoder corrects 3 errors
and flags 4 as a failure.

Weight enumerators: :math:`1 + 253x^7 + 506x^8 + 1288x^{11} + 1288x^{12} + 506x^{15} +
253x^{16} + x^{23}` and :math:`1 + 759x^8 + 2576x^{12} + 759x^{16} + x^{24}`.

YAML: ``{type: golay, extended: false, decoder: {algorithm: syndrome | ml}}``.

Example
-------
>>> code = GolayCode()
>>> code.name, code.n, code.k, code.minimum_distance()
('Golay(23,12) syndrome', 23, 12, 7)
>>> import numpy as np
>>> u = np.array([[1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1]], np.uint8)
>>> y = code.encode(u); y[0, [1, 9, 20]] ^= 1                      # three errors
>>> bool((code.decode(4.0 * (1.0 - 2.0 * y)) == u).all())
True
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..base import CodeSpec
from .linear import BlockDecoder, LinearBlockCode

#: g(x) of the (23, 12) Golay code, coefficient of x^j at index j.
GENERATOR_POLY = (1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1)


def golay_parity(extended: bool = False) -> np.ndarray:
    """The 12 x 11 (or 12 x 12 extended) parity submatrix P: row i = x^(11+i) mod g(x)."""
    g = np.array(GENERATOR_POLY, dtype=np.uint8)
    rows = []
    for i in range(12):
        poly = np.zeros(23, dtype=np.uint8)
        poly[11 + i] = 1
        for deg in range(22, 10, -1):                      # long division by g (degree 11)
            if poly[deg]:
                poly[deg - 11: deg + 1] ^= g
        rows.append(poly[:11])
    parity = np.array(rows, dtype=np.uint8)
    if extended:
        overall = (1 + parity.sum(axis=1)) % 2                # makes every codeword even
        parity = np.hstack([parity, overall[:, None].astype(np.uint8)])
    return parity


class GolayCode(LinearBlockCode):
    """The (23, 12, 7) Golay code, or the (24, 12, 8) extended code."""

    def __init__(self, extended: bool = False, decoder: str = "syndrome", name: str | None = None):
        self.extended = extended
        n = 24 if extended else 23
        super().__init__(golay_parity(extended), name=name or f"Golay({n},12) {decoder}", decoder=decoder,
                         d_min=8 if extended else 7)


class GolaySpec(CodeSpec):
    """``{type: golay, extended: false}``: the perfect (23,12,7) Golay code, or the extended
    (24,12,8) code with ``extended: true``."""

    type: Literal["golay"] = "golay"
    extended: bool = Field(False, description="append an overall parity bit: (24,12,8)")
    decoder: BlockDecoder = BlockDecoder()

    def build(self) -> GolayCode:
        return GolayCode(self.extended, self.decoder.algorithm)
