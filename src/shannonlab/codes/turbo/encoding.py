r"""Turbo encoding: two recursive systematic convolutional (RSC) encoders in parallel, the
second reading the message through the interleaver, each terminated by m = K_c − 1 tail
steps that drive it back to state 0 (its feedback bit as input).

Every output of both encoders, tails included, forms the *mother codeword*:
:math:`[c^{(a)} \mid c^{(b)}]`, each constituent's outputs interleaved per step
(:math:`c^{(a)}_{t n_a + j}` = output j at step t, output 0 the systematic one, as
:func:`shannonlab.codes.convolutional.encoding.encode` writes them). A standard's
codeword is a selection of mother bits (an index array: its multiplexing, puncturing or
rate matching), so one encoder and one decoder serve LTE, CCSDS and generic codes.

Example
-------
>>> import numpy as np
>>> from shannonlab.codes.convolutional.trellis import Trellis
>>> rsc = Trellis.from_octal(["13", "15"], feedback="13")
>>> enc = TurboEncoder(rsc, rsc, np.array([2, 0, 3, 1]))
>>> enc.mother_length, enc.encode(np.array([[1, 0, 0, 0]], np.uint8))[0, :8].tolist()
(28, [1, 1, 0, 1, 0, 1, 0, 1])
"""

from __future__ import annotations

import numpy as np

from ..convolutional.encoding import encode
from ..convolutional.trellis import Trellis


class TurboEncoder:
    """Parallel concatenation of ``trellis_a`` (natural order) and ``trellis_b`` (reading
    :math:`u_{\\pi(t)}`), both recursive with output 0 systematic, zero-tail terminated."""

    def __init__(self, trellis_a: Trellis, trellis_b: Trellis, perm: np.ndarray):
        for name, tr in (("first", trellis_a), ("second", trellis_b)):
            if not tr.recursive or tr.generators[0] != tr.feedback:
                raise ValueError(f"the {name} constituent must be recursive systematic (its first generator equal to the feedback)")
        self.trellis_a, self.trellis_b = trellis_a, trellis_b
        self.perm = np.asarray(perm, np.int64)
        self.k = int(self.perm.size)
        if np.unique(self.perm).size != self.k or self.perm.min(initial=0) < 0 or self.perm.max(initial=0) >= self.k:
            raise ValueError("the interleaver is not a permutation of 0..K-1")
        self.steps_a = self.k + trellis_a.m
        self.steps_b = self.k + trellis_b.m
        self.offset_b = self.steps_a * trellis_a.n
        self.mother_length = self.offset_b + self.steps_b * trellis_b.n

    def index(self, constituent: str, step: int | np.ndarray, output: int | np.ndarray) -> np.ndarray:
        """Mother-codeword position of ``output`` at ``step`` of constituent 'a' or 'b'."""
        if constituent == "a":
            return np.asarray(step) * self.trellis_a.n + np.asarray(output)
        return self.offset_b + np.asarray(step) * self.trellis_b.n + np.asarray(output)

    def encode(self, u: np.ndarray) -> np.ndarray:
        """Messages (F, K) -> mother codewords (F, mother_length)."""
        u = np.ascontiguousarray(u, dtype=np.uint8)
        if u.ndim != 2 or u.shape[1] != self.k:
            raise ValueError(f"messages must have shape (frames, {self.k}), got {u.shape}")
        c = np.empty((u.shape[0], self.mother_length), np.uint8)
        c[:, : self.offset_b] = encode(self.trellis_a, u, "zero-tail")
        c[:, self.offset_b:] = encode(self.trellis_b, np.ascontiguousarray(u[:, self.perm]), "zero-tail")
        return c
