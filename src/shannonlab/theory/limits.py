r"""The Shannon limits: where a rate meets a capacity, on every axis the plots use.

* Shannon limit of rate R on Eb/N0 (real AWGN, R bits per real dimension): Gaussian input
  :math:`E_b/N_0 = (2^{2R}-1)/(2R)`; binary input solved from :math:`C_{\mathrm{BI}}(R\,E_b/N_0) = R`.
  Both tend to ln 2 (-1.59 dB) as R -> 0.
* BSC threshold: the crossover :math:`f^*` with :math:`1 - H_2(f^*) = R`.
* Smallest bit-error rate at rate R over a channel of capacity C (rate–distortion with
  Hamming distortion): the :math:`p_b` with :math:`R\,(1 - H_2(p_b)) = C`; equivalently the
  largest rate at a tolerated :math:`p_b` is :math:`R = C/(1 - H_2(p_b))` (MacKay, ITILA, sec. 10.4).
* Gap to capacity of a link running :math:`\eta` bit/s/Hz at an in-band SNR:
  :math:`\mathrm{SNR_{dB}} - 10\log_{10}(2^{\eta} - 1)`.

Example
-------
>>> round(shannon_limit_ebn0_db(0.5, "gaussian"), 3)
0.0
>>> round(shannon_limit_ebn0_db(0.5, "binary"), 3)
0.187
>>> round(bsc_threshold(0.5), 4)
0.11
>>> round(gap_to_capacity_db(0.0, 1.0), 6)
0.0
"""

from __future__ import annotations

import math

from scipy import optimize

from .capacity import binary_entropy, biawgn_capacity, inverse_binary_entropy
from .units import db_to_linear, esn0_db_from_ebn0_db, linear_to_db


def shannon_limit_ebn0(rate: float, inputs: str = "gaussian") -> float:
    """Smallest linear Eb/N0 at which rate ``rate`` (bits per real dimension) is reliable.

    ``inputs="gaussian"``: (2^(2R) - 1)/(2R); ``inputs="binary"``: BPSK, from the BI-AWGN
    capacity. As R -> 0 both tend to ln 2 (-1.59 dB).
    """
    if not 0.0 < rate:
        raise ValueError(f"rate must be positive, got {rate}")
    if inputs == "gaussian":
        return (2.0 ** (2.0 * rate) - 1.0) / (2.0 * rate)
    if inputs == "binary":
        if rate >= 1.0:
            return math.inf
        f = lambda db: biawgn_capacity(rate * db_to_linear(db)) - rate
        return db_to_linear(optimize.brentq(f, -1.6, 60.0, xtol=1e-12))
    raise ValueError(f"inputs must be 'gaussian' or 'binary', got {inputs!r}")


def shannon_limit_ebn0_db(rate: float, inputs: str = "gaussian") -> float:
    """:func:`shannon_limit_ebn0` in dB."""
    return linear_to_db(shannon_limit_ebn0(rate, inputs))


def shannon_limit_esn0_db(rate: float, inputs: str = "gaussian") -> float:
    """The Es/N0 (per coded BPSK symbol) in dB at which capacity equals ``rate``."""
    return esn0_db_from_ebn0_db(shannon_limit_ebn0_db(rate, inputs), rate)


def bsc_threshold(rate: float) -> float:
    """The crossover f* with 1 - H2(f*) = R: the noisiest BSC a rate-R code can beat."""
    return inverse_binary_entropy(1.0 - rate)


def min_ber(rate: float, capacity: float) -> float:
    """Smallest bit-error rate reachable at rate R on a channel of capacity C:
    the p_b solving R (1 - H2(p_b)) = C, or 0 when C >= R."""
    if capacity >= rate:
        return 0.0
    return inverse_binary_entropy(1.0 - capacity / rate)


def rate_limit(capacity, pb: float) -> float:
    """The largest rate R <= 1 with R (1 - H2(pb)) <= C(R); ``capacity`` maps a rate to the
    capacity per use at that rate (a constant on a BSC or BEC).

    >>> round(rate_limit(lambda r: 1 - binary_entropy(0.1), 1e-3), 4)
    0.5371
    >>> rate_limit(lambda r: 1 - binary_entropy(0.1), 0.2)
    1.0
    """
    h = 1.0 - float(binary_entropy(pb))
    gap = lambda r: capacity(r) - r * h
    if gap(1.0) >= 0:
        return 1.0
    low = 1e-9
    if gap(low) < 0:
        return 0.0
    return float(optimize.brentq(gap, low, 1.0, xtol=1e-12))


def gap_to_capacity_db(snr_db: float, efficiency: float) -> float:
    """SNR (dB) used minus the Shannon–Hartley minimum 10 log10(2^eta - 1) for eta bit/s/Hz.

    >>> gap_to_capacity_db(snr_db=7.4, efficiency=0.8) > 8.5
    True
    """
    return snr_db - linear_to_db(2.0**efficiency - 1.0)
