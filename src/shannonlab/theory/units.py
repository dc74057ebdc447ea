r"""Units shared by every formula of the project: decibels, the natural log of 2, and the
Gaussian tail function Q.

Capacities are in bits, natural logarithms are converted with :data:`LN2`; a quantity in dB
is :math:`x_{\mathrm{dB}} = 10\log_{10} x`. Per information bit and per symbol:
:math:`E_s/N_0 = R\,m\,E_b/N_0` for a code of rate R and m bits per modulation symbol.

Example
-------
>>> float(db_to_linear(3.0)) == 10 ** 0.3
True
>>> round(float(linear_to_db(2.0)), 4)
3.0103
>>> round(esn0_db_from_ebn0_db(1.0, rate=0.5, bits_per_symbol=2), 6)
1.0
>>> round(float(q_function(1.0)), 6)
0.158655
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

#: ln 2: nats per bit.
LN2 = math.log(2.0)


def db_to_linear(db):
    """10^(dB/10), elementwise; a Python float for a scalar."""
    value = np.power(10.0, np.asarray(db, dtype=float) / 10.0)
    return float(value) if value.ndim == 0 else value


def linear_to_db(x):
    """10 log10(x), elementwise; -inf for 0; a Python float for a scalar."""
    with np.errstate(divide="ignore"):
        value = 10.0 * np.log10(np.asarray(x, dtype=float))
    return float(value) if value.ndim == 0 else value


def esn0_db_from_ebn0_db(ebn0_db: float, rate: float, bits_per_symbol: int = 1) -> float:
    """Es/N0 in dB of a symbol carrying ``bits_per_symbol`` coded bits of a rate-``rate`` code."""
    return float(ebn0_db) + 10.0 * math.log10(rate * bits_per_symbol)


def ebn0_db_from_esn0_db(esn0_db: float, rate: float, bits_per_symbol: int = 1) -> float:
    """The inverse of :func:`esn0_db_from_ebn0_db`."""
    return float(esn0_db) - 10.0 * math.log10(rate * bits_per_symbol)


def q_function(x):
    """Gaussian tail probability Q(x) = P(N(0,1) > x), elementwise (a float for a scalar)."""
    value = special.ndtr(-np.asarray(x, dtype=float))
    return float(value) if value.ndim == 0 else value
