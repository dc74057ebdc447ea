r"""Exact error rates of bounded-distance decoders on memoryless symmetric channels (the
reference curves of BCH and Reed–Solomon codes).

A bounded-distance decoder of radius t returns the codeword within Hamming distance t of
the received word when there is one, and otherwise declares a failure and leaves the word
as received. With independent errors of probability p per position:

* it returns the transmitted codeword iff at most t errors occurred:
  :math:`P_{\mathrm{ok}} = \sum_{i \le t} \binom{n}{i} p^i (1-p)^{n-i}`;
* a *failure* leaves every error in place. If it never *miscorrects* (decodes to another
  codeword), a given position j is wrong iff it is itself in error and the other n − 1
  positions hold at least t errors, whatever the code:

  .. math:: P_b^{\mathrm{bd}} = p\; P[\mathrm{Bin}(n-1, p) \ge t];

* miscorrections (the word lands within distance t of another codeword c of weight w)
  replace the received errors by c. For a code whose automorphism group is transitive (every
  cyclic code), every position has the same error rate, and from the weight distribution
  :math:`A_w`, with :math:`q(u) = p^u (1-p)^{n-u}`,

  .. math:: P_b = P_b^{\mathrm{bd}} + \frac1n \sum_{w \ge d} A_w \sum_{h=0}^{t}\sum_{i=0}^{h}
            \binom{w}{i}\binom{n-w}{h-i}\,(2i - h)\; q(w + h - 2i),

  the received word c + z (z of weight h with i ones on c's support) having weight
  w + h − 2i and being replaced by c (Lin & Costello, *Error Control Coding*, sec. 10.1;
  Torrieri, IEEE Trans. Commun. 1990). The miscorrection probability is
  :math:`\sum_w A_w \sum_{h,i} \binom{w}{i}\binom{n-w}{h-i} q(w + h - 2i)`.

For Reed–Solomon codes over GF(2^m) on a binary channel the same holds with symbols: a symbol
is wrong with probability :math:`p_s = 1 - (1-p)^m`, and a bit is wrong after a failure iff
it flipped and at least t of the other n − 1 symbols are wrong:
:math:`P_b = p\,P[\mathrm{Bin}(n-1, p_s) \ge t]` plus miscorrections, which are rare for RS
codes: a word outside the decoding spheres lands in one with probability below 1/t!
(McEliece & Swanson, IEEE Trans. Inf. Theory 32, 1986). On the BEC with erasure decoding a
frame fails iff more than n − k symbols are erased; erased bits are decided 0, wrong half the
time: :math:`P_b = \tfrac{\varepsilon}{2}\,P[\mathrm{Bin}(n-1, \varepsilon_s) \ge n-k]`,
:math:`\varepsilon_s = 1 - (1-\varepsilon)^m`, exact (erasures never mislead the decoder).

Example
-------
>>> round(word_error_probability(7, 1, 0.01), 8)        # Hamming(7,4): P(>= 2 errors)
0.00203104
>>> # Hamming(7,4) is perfect: every uncorrectable word is miscorrected; with its weight
>>> # distribution the formula is the exact BER of the syndrome decoder
>>> round(bounded_distance_ber(7, 1, 0.1, weights=[1, 0, 0, 7, 7, 0, 0, 1]), 6)
0.06688
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln
from scipy.stats import binom


def word_error_probability(n: int, t: int, p: float) -> float:
    """P[more than t of n independent errors of probability p]: the probability that a
    bounded-distance decoder of radius t does not return the transmitted codeword."""
    return float(binom.sf(t, n, p))


def bounded_distance_ber_no_miscorrection(n: int, t: int, p: float) -> float:
    """p · P[Bin(n - 1, p) >= t]: the error rate of every position under a decoder of radius
    t that corrects up to t errors and leaves every other word unchanged."""
    return float(p * binom.sf(t - 1, n - 1, p))


def _log_comb(a, b):
    return gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)


def _log_weights(weights) -> tuple[np.ndarray, np.ndarray]:
    """(w, ln A_w) over the nonzero A_w, w >= 1; ``weights`` are counts (ints of any size, or
    floats) or, as a ``LogWeights``, already logarithms."""
    if isinstance(weights, LogWeights):
        log_a = np.asarray(weights.log_a, dtype=np.float64)
        w = np.nonzero(np.isfinite(log_a))[0]
        w = w[w > 0]
        return w, log_a[w]
    w = np.array([i for i, a in enumerate(weights) if i > 0 and a > 0], dtype=np.int64)
    log_a = np.array([math.log(weights[i]) for i in w], dtype=np.float64)  # big ints: exact log
    return w, log_a


class LogWeights:
    """A weight distribution given by ln A_w (-inf where A_w = 0): distributions of long codes
    overflow floating point (A_w ~ 2^k)."""

    def __init__(self, log_a):
        self.log_a = np.asarray(log_a, dtype=np.float64)


def miscorrection_terms(n: int, t: int, p: float, weights) -> tuple[float, float]:
    """(probability of a miscorrection, its added bit errors per position) from the weight
    distribution ``weights`` (A_0 .. A_n, A_0 ignored; counts or :class:`LogWeights`), exact
    for codes with a transitive automorphism group."""
    if p <= 0.0:
        return 0.0, 0.0
    w, log_a = _log_weights(weights)
    if w.size == 0:
        return 0.0, 0.0
    lp, lq = math.log(p), math.log1p(-p)
    prob, bits = 0.0, 0.0
    for h in range(t + 1):
        for i in range(h + 1):
            ok = (i <= w) & (h - i <= n - w)
            if not ok.any():
                continue
            ww = w[ok]
            u = ww + h - 2 * i
            log_term = log_a[ok] + _log_comb(ww, i) + _log_comb(n - ww, h - i) + u * lp + (n - u) * lq
            term = float(np.exp(log_term).sum())
            prob += term
            bits += (2 * i - h) * term
    return prob, bits / n


def bounded_distance_ber(n: int, t: int, p: float, weights=None) -> float:
    """BER of a bounded-distance decoder of radius t on a binary code of length n with
    independent bit errors of probability p; with ``weights`` (A_0 .. A_n) miscorrections
    are included (exact for cyclic codes), without them neglected."""
    if p <= 0.0:
        return 0.0
    ber = bounded_distance_ber_no_miscorrection(n, t, p)
    if weights is not None:
        ber += miscorrection_terms(n, t, p, weights)[1]
    return ber


def binomial_weights(n: int, k: int, d: int) -> LogWeights:
    r"""The binomial approximation :math:`A_w \approx \binom{n}{w} 2^{-(n-k)}` (w >= d) of the
    weight distribution of a long code with n - k parity bits (accurate for primitive BCH
    codes of small designed distance; Peterson & Weldon, *Error-Correcting Codes*, 1972), as
    logarithms.

    >>> a = binomial_weights(7200, 7032, 25)
    >>> bool(np.isinf(a.log_a[24])), round(float(a.log_a[25]), 1)
    (True, 47.6)
    """
    w = np.arange(n + 1)
    log_a = _log_comb(n, w) - (n - k) * math.log(2.0)
    log_a[:d] = -np.inf
    return LogWeights(log_a)


def symbol_bounded_distance_ber(n: int, t: int, m: int, p: float) -> float:
    """BER of a bounded-distance decoder of radius t (symbols) of a code of n m-bit symbols,
    bits flipped independently with probability p, miscorrections neglected:
    p · P[Bin(n - 1, 1 - (1 - p)^m) >= t]."""
    if p <= 0.0:
        return 0.0
    ps = -math.expm1(m * math.log1p(-p))
    return float(p * binom.sf(t - 1, n - 1, ps))


def symbol_erasure_ber(n: int, k: int, m: int, epsilon: float) -> float:
    """BER of an erasure decoder of an (n, k) MDS code of m-bit symbols on a BEC(epsilon),
    erased bits decided as 0 when a frame fails: (epsilon/2) · P[Bin(n - 1, eps_s) >= n - k]."""
    if epsilon <= 0.0:
        return 0.0
    es = -math.expm1(m * math.log1p(-epsilon))
    return float(0.5 * epsilon * binom.sf(n - k - 1, n - 1, es))
