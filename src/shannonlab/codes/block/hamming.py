r"""Hamming codes and extended Hamming (SECDED) codes, any r >= 2.

The Hamming code of redundancy r has length :math:`n = 2^r - 1`, dimension
:math:`k = 2^r - 1 - r` and minimum distance 3: its check matrix H has every nonzero r-bit
vector as a column, so a single error at position j has syndrome :math:`h_j` and is
corrected. It is perfect: the radius-1 spheres around the :math:`2^k` codewords fill all
:math:`2^n` words. For r = 2 it is the repetition code R3. The *extended* code appends an
overall parity bit: length :math:`2^r`, same k, :math:`d = 4`; the syndrome decoder corrects
one error and *detects* two (an even-parity nonzero syndrome), reported as a decoding
failure ("SECDED"). Here H = [P^T | I_r] with the columns of P^T the vectors of weight >= 2
in increasing order (MacKay, *Information Theory, Inference, and Learning Algorithms*,
ch. 1 and 13; Lin & Costello, *Error Control Coding*, sec. 4.1).

Weight distribution (MacWilliams identity with the simplex code as the dual):

.. math:: A(z) = \frac{1}{n+1}\left[(1+z)^n + n(1-z)(1-z^2)^{(n-1)/2}\right],
          \qquad A^{\mathrm{ext}}_{2i} = A_{2i} + A_{2i-1}.

Exact bit-error rate on a BSC with crossover p of a decoder that corrects every error of
weight <= 1 and leaves every other received word as it is (both codes; the automorphism
group is transitive, so every position has the same error rate and BER = E[wt(e')]/n with
e' the error left after decoding, q(w) = p^w (1-p)^(n-w)):

.. math:: P_b = \frac1n\Big[\sum_c A_c\, c\,\big(q(c) + c\,q(c-1) + (n-c)\,q(c+1)\big)
                + \sum_w N_w\, w\, q(w)\Big],

with :math:`N_w` the words of weight w at distance >= 2 from the code (0 for the perfect
code). Hamming WER: :math:`1 - (1-p)^n - np(1-p)^{n-1}`.

Example
-------
>>> code = HammingCode(3)
>>> code.name, code.n, code.k, code.minimum_distance()
('Hamming(7,4) syndrome', 7, 4, 3)
>>> code.check_matrix
array([[1, 1, 0, 1, 1, 0, 0],
       [1, 0, 1, 1, 0, 1, 0],
       [0, 1, 1, 1, 0, 0, 1]], dtype=uint8)
>>> hamming_weight_distribution(3)
[1, 0, 0, 7, 7, 0, 0, 1]
>>> hamming_weight_distribution(3, extended=True)
[1, 0, 0, 0, 14, 0, 0, 0, 1]
>>> round(hamming_ber(3, 0.1), 6), round(code.exact_bsc_rates(0.1)[0], 6)
(0.06688, 0.06688)
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from ..base import CodeSpec
from .linear import ML_MAX_K, BlockDecoder, LinearBlockCode

#: Largest r accepted (n = 2^20 - 1 bits per frame; the syndrome table has 2^r entries).
MAX_R = 20


def hamming_parity(r: int, extended: bool = False) -> np.ndarray:
    """The parity submatrix P (k x r, or k x (r+1) extended): row i holds the bits of the
    i-th r-bit vector of weight >= 2 in increasing order; the extended column makes every
    row of G = [I | P] even."""
    bits = ((np.arange(1, 1 << r, dtype=np.int64)[:, None] >> np.arange(r)) & 1).astype(np.uint8)
    p = bits[bits.sum(axis=1) >= 2]
    if extended:
        p = np.hstack([p, ((1 + p.sum(axis=1)) % 2).astype(np.uint8)[:, None]])
    return p


def hamming_weight_distribution(r: int, extended: bool = False) -> list[int]:
    """Exact A_0 .. A_n from the closed form (Python integers, any r)."""
    n = (1 << r) - 1
    m = (n - 1) // 2
    a = []
    for c in range(n + 1):
        i = c // 2
        e = (-1) ** i * math.comb(m, i) * (1 if c % 2 == 0 else -1)
        total = math.comb(n, c) + n * e
        assert total % (n + 1) == 0
        a.append(total // (n + 1))
    if not extended:
        return a
    a.append(0)  # A_(n+1) of the unextended code
    return [a[0]] + [a[c] + a[c - 1] if c % 2 == 0 else 0 for c in range(1, n + 2)]


def _log_q(p: float, n: int) -> np.ndarray:
    """log q(w) = w log p + (n - w) log(1 - p) for w = 0..n, 0 < p < 1."""
    w = np.arange(n + 1)
    return w * math.log(p) + (n - w) * math.log1p(-p)


def bounded_distance_one_ber(weights: list[int], p: float) -> float:
    """BER on a BSC(p) of a code with transitive automorphism group, d >= 3 and weight
    distribution ``weights``, decoded by correcting every error of weight <= 1 and leaving
    all other words unchanged (the formula of the module docstring)."""
    n = len(weights) - 1
    if p == 0:
        return 0.0
    logs = _log_q(p, n)

    def q(w):
        return np.exp(logs[w]) if 0 <= w <= n else 0.0

    total = 0.0
    for c, a in enumerate(weights):
        if a == 0 or c == 0:
            continue
        total += math.exp(math.log(a) + math.log(c)) * (q(c) + c * q(c - 1) + (n - c) * q(c + 1))
    for w in range(2, n + 1):
        covered = weights[w] + (w + 1) * (weights[w + 1] if w + 1 <= n else 0) + (n - w + 1) * weights[w - 1]
        uncovered = math.comb(n, w) - covered
        if uncovered > 0:
            total += math.exp(math.log(uncovered) + math.log(w) + logs[w])
    return float(total / n)


def hamming_ber_closed_form(r: int, p: float, extended: bool = False) -> float:
    """The same BER from the MacWilliams transform, without any weight distribution:
    with d = 1 - 2p, E[wt(e')] = n p + P(corrected) - 2 p dW/dy (see the tests for the
    derivation). Loses relative accuracy below p ~ 1e-6 (cancellation)."""
    d = 1.0 - 2.0 * p
    if not extended:
        n = (1 << r) - 1
        a, b = (n + 1) // 2, (n - 1) // 2
        w = (1.0 + n * d**a) / (n + 1)
        wy = n / (n + 1) * (1.0 + a * d ** (a - 1) + b * d**a)
        return p + (1.0 - w - 2.0 * p * wy) / n
    n = 1 << r
    odd = (1.0 - d**n) / 2.0
    wy = 0.5 * (1.0 + d ** (n - 1) + 2.0 * (n - 1) * (1.0 - p) * d ** (n // 2 - 1))
    return p + (odd - 2.0 * p * wy) / n


def hamming_ber(r: int, p: float, extended: bool = False) -> float:
    """Exact BER of the (extended) Hamming code with redundancy r on a BSC(p), decoded by
    the syndrome decoder (the extended code leaves a detected double error uncorrected).

    >>> round(hamming_ber(2, 0.1), 6)   # R3: 3p^2(1-p) + p^3
    0.028
    """
    if r <= 10:
        return bounded_distance_one_ber(hamming_weight_distribution(r, extended), p)
    return hamming_ber_closed_form(r, p, extended)


def hamming_wer(r: int, p: float) -> float:
    """Exact word-error rate of the Hamming code on a BSC(p): any error of weight >= 2."""
    n = (1 << r) - 1
    return 1.0 - (1.0 - p) ** n - n * p * (1.0 - p) ** (n - 1)


class HammingCode(LinearBlockCode):
    """The (2^r - 1, 2^r - 1 - r) Hamming code, or the (2^r, 2^r - 1 - r) extended one."""

    def __init__(self, r: int, extended: bool = False, decoder: str = "syndrome", name: str | None = None):
        if not isinstance(r, (int, np.integer)) or r < 2:
            raise ValueError(f"r must be an integer >= 2, got {r!r}")
        if r > MAX_R:
            raise ValueError(f"r must be at most {MAX_R}, got {r}")
        self.r = int(r)
        self.extended = bool(extended)
        n = (1 << r) - (0 if extended else 1)
        k = (1 << r) - 1 - r
        label = f"{'extended ' if extended else ''}Hamming({n},{k}) {'ML' if decoder == 'ml' else 'syndrome'}"
        super().__init__(hamming_parity(r, extended), name=name or label, decoder=decoder, d_min=4 if extended else 3)

    def weight_distribution(self) -> np.ndarray:
        """A_w from the closed form (exact for any r; as int64 while it fits, else object)."""
        a = hamming_weight_distribution(self.r, self.extended)
        return np.array(a, dtype=np.int64 if max(a) < 2**62 else object)

    def reference_ber(self, channel) -> float | None:
        """Exact BER of hard decoding: on a BSC, and on BPSK/AWGN through the BSC of the
        sliced channel (syndrome decoder); soft ML only on the BSC, where it is the syndrome
        decoder (perfect code; the extended code's ML ties have no closed form)."""
        p = channel.hard_crossover()
        if p is None:
            return None
        if self.decoder == "ml" and (self.extended or not channel.binary_symmetric_output):
            return None
        return hamming_ber(self.r, p, self.extended)


class HammingSpec(CodeSpec):
    """``{type: hamming, r: 3}``: the (2^r-1, 2^r-1-r) Hamming code; ``extended: true`` adds
    an overall parity bit (SECDED)."""

    type: Literal["hamming"] = "hamming"
    r: int = Field(3, ge=2, le=MAX_R, description="redundancy bits: n = 2^r - 1, k = n - r")
    extended: bool = Field(False, description="append an overall parity bit (d = 4, detects double errors)")
    decoder: BlockDecoder = BlockDecoder()

    @model_validator(mode="after")
    def _ml_is_small(self):
        k = (1 << self.r) - 1 - self.r
        if self.decoder.algorithm == "ml" and k > ML_MAX_K:
            raise ValueError(
                f"decoder.algorithm 'ml' enumerates all 2^k codewords and needs k <= {ML_MAX_K}, "
                f"but r = {self.r} gives k = {k} (use r <= 4 or the syndrome decoder)"
            )
        return self

    def build(self) -> HammingCode:
        return HammingCode(self.r, self.extended, self.decoder.algorithm, name=None)
