r"""Finite blocklength: how good an (n, k) code can be, by the normal approximation of
Polyanskiy, Poor and Verdú (2010).

The best frame-error rate of any (n, k) code on a channel of capacity C and dispersion V
(the variance of the information density) is about

.. math::  \varepsilon \approx Q\!\left(\frac{nC - k + \tfrac12\log_2 n}{\sqrt{nV}}\right).

It is an approximation, not a bound, and it is meaningful only where n is large enough for
the central limit theorem (say n >= 100) and 0 < k < n.

Example
-------
>>> round(bsc_normal_approximation_fer(0.11, 1000, 500), 4)
0.4326
"""

from __future__ import annotations

import math
from functools import lru_cache

from .capacity import _biawgn_softplus_moments, biawgn_capacity, bsc_capacity
from .units import LN2, q_function


def bsc_dispersion(p: float) -> float:
    r"""Channel dispersion of the BSC in bits²: :math:`V = p(1-p)\log_2^2\frac{1-p}{p}`
    (PPV 2010, Thm. 52), the variance of the information density i(X;Y).

    >>> round(bsc_dispersion(0.11), 6)
    0.890702
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if p in (0.0, 1.0):
        return 0.0
    return p * (1.0 - p) * math.log2((1.0 - p) / p) ** 2


@lru_cache(maxsize=4096)
def biawgn_dispersion(esn0: float) -> float:
    r"""Dispersion of the binary-input AWGN channel in bits², equiprobable inputs:
    :math:`V = \mathrm{Var}\,[1 - \log_2(1 + e^{-L})]`, L ~ N(4 Es/N0, 8 Es/N0).

    >>> round(biawgn_dispersion(1.0), 4)  # Es/N0 = 0 dB, where C = 0.7215
    0.5333
    """
    if esn0 <= 0.0:
        return 0.0
    first, second = _biawgn_softplus_moments(esn0)
    return max(0.0, (second - first * first) / (LN2 * LN2))


def normal_approximation_fer(n: int, k: float, capacity: float, dispersion: float, log_term: bool = True) -> float:
    r"""Smallest frame-error rate of any (n, k) code by the normal approximation

    .. math::  k \approx nC - \sqrt{nV}\,Q^{-1}(\varepsilon) + \tfrac12\log_2 n
    \;\Longleftrightarrow\;
    \varepsilon \approx Q\!\left(\frac{nC - k + \tfrac12\log_2 n}{\sqrt{nV}}\right)

    (Polyanskiy, Poor, Verdú 2010, eq. (1) with the third-order term; C in bits per use,
    V in bits²). ``log_term=False`` drops the ½ log2 n term.

    >>> round(normal_approximation_fer(1000, 500, bsc_capacity(0.11), bsc_dispersion(0.11)), 4)
    0.4326
    """
    if n < 1 or not 0 < k:
        raise ValueError(f"need n >= 1 and k > 0, got n={n}, k={k}")
    margin = n * capacity - k + (0.5 * math.log2(n) if log_term else 0.0)
    if dispersion <= 0.0:
        return 0.0 if margin >= 0 else 1.0
    return float(q_function(margin / math.sqrt(n * dispersion)))


def bsc_normal_approximation_fer(p: float, n: int, k: float) -> float:
    """:func:`normal_approximation_fer` for the BSC with crossover p.

    >>> round(bsc_normal_approximation_fer(0.11, 1000, 500), 4)
    0.4326
    """
    return normal_approximation_fer(n, k, bsc_capacity(p), bsc_dispersion(p))


def biawgn_normal_approximation_fer(esn0: float, n: int, k: float) -> float:
    """:func:`normal_approximation_fer` for BPSK on AWGN at linear Es/N0 (per coded symbol).

    >>> f"{biawgn_normal_approximation_fer(0.5 * 10 ** 0.1, 1024, 512):.2e}"  # Eb/N0 = 1 dB
    '3.58e-03'
    """
    return normal_approximation_fer(n, k, biawgn_capacity(esn0), biawgn_dispersion(esn0))


def bec_dispersion(epsilon: float) -> float:
    r"""Dispersion of the BEC in bits²: :math:`V = \epsilon(1-\epsilon)` (PPV 2010, Thm. 53).

    >>> bec_dispersion(0.5)
    0.25
    """
    if not 0.0 <= epsilon <= 1.0:
        raise ValueError(f"epsilon must be in [0, 1], got {epsilon}")
    return epsilon * (1.0 - epsilon)


def bec_normal_approximation_fer(epsilon: float, n: int, k: float) -> float:
    r"""Normal approximation for the BEC. Its third-order term is O(1), not ½ log₂ n (PPV
    2010, Thm. 53: :math:`\log_2 M^* = n(1-\epsilon) - \sqrt{n\epsilon(1-\epsilon)}\,Q^{-1}(\varepsilon) + O(1)`),
    so none is added:

    .. math::  \varepsilon \approx Q\!\left(\frac{n(1-\epsilon) - k}{\sqrt{n\epsilon(1-\epsilon)}}\right).

    >>> round(bec_normal_approximation_fer(0.5, 1000, 450), 4)
    0.0008
    """
    return normal_approximation_fer(n, k, 1.0 - epsilon, bec_dispersion(epsilon), log_term=False)


def awgn_dispersion(snr: float) -> float:
    r"""Dispersion of the real AWGN channel with Gaussian (power-P) input, bits²:
    :math:`V = \frac{P(P+2)}{2(P+1)^2}\log_2^2 e` (PPV 2010, Thm. 54).

    >>> round(awgn_dispersion(1.0), 6)
    0.780513
    """
    if snr < 0.0:
        raise ValueError(f"snr must be >= 0, got {snr}")
    return snr * (snr + 2.0) / (2.0 * (snr + 1.0) ** 2) / (LN2 * LN2)


def awgn_normal_approximation_fer(snr: float, n: int, k: float) -> float:
    r""":func:`normal_approximation_fer` of the real AWGN channel at SNR P (= 2 Es/N0) with
    C = ½ log₂(1 + P) and :func:`awgn_dispersion`; the ½ log₂ n third-order term is proved
    for this channel (Tan and Tomamichel, IEEE Trans. IT 61(4), 2015).

    >>> f"{awgn_normal_approximation_fer(2 * 0.5 * 10 ** 0.2, 128, 64):.2e}"  # Eb/N0 = 2 dB
    '5.32e-03'
    """
    return normal_approximation_fer(n, k, 0.5 * math.log2(1.0 + snr), awgn_dispersion(snr))
