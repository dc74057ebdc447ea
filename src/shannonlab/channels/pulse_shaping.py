r"""Root-raised-cosine (RRC) pulse shaping: the transmit and matched-filter taps of a
band-limited link.

The raised-cosine spectrum with roll-off :math:`\beta` and symbol period T occupies
:math:`|f| \le (1+\beta)/(2T)` and its pulse is zero at every nonzero multiple of T (the
Nyquist criterion: no inter-symbol interference). The RRC pulse is its square root in
frequency, so an RRC transmit filter followed by the same (matched) RRC receive filter gives
the raised cosine. In time, with :math:`\tau = t/T`,

.. math::

    h(\tau) = \frac{\sin(\pi\tau(1-\beta)) + 4\beta\tau\cos(\pi\tau(1+\beta))}
                   {\pi\tau\,(1 - (4\beta\tau)^2)},

with the limits :math:`h(0) = 1 - \beta + 4\beta/\pi` and, at :math:`\tau = \pm 1/(4\beta)`,
:math:`\frac{\beta}{\sqrt2}\big[(1+\tfrac2\pi)\sin\tfrac{\pi}{4\beta}
+ (1-\tfrac2\pi)\cos\tfrac{\pi}{4\beta}\big]`. The taps are this pulse sampled every
1/``samples_per_period`` of T over ``span_periods`` periods (an odd number of taps, centred,
so the group delay is (len − 1)/2 samples) and scaled to unit energy, :math:`\sum h^2 = 1`.
``samples_per_period`` need not be an integer: a pulse designed for a band narrower than the
symbol rate needs (faster-than-Nyquist signalling).

Example
-------
>>> import numpy as np
>>> h = rrc_taps(samples_per_period=8, rolloff=0.25, span_periods=16)
>>> len(h), round(float(np.sum(h ** 2)), 12)
(129, 1.0)
>>> g = np.convolve(h, h)[::8]       # the raised cosine at multiples of T, peak at T*16
>>> round(float(g[16]), 12), bool(np.max(np.abs(np.delete(g, 16))) < 1e-3)
(1.0, True)
"""

from __future__ import annotations

import math

import numpy as np


def rrc_pulse(tau: np.ndarray, rolloff: float) -> np.ndarray:
    r"""The root-raised-cosine pulse at times ``tau`` = t/T (unnormalised, h(0) = 1 − β + 4β/π).

    >>> round(float(rrc_pulse(np.array([0.0]), 0.25)[0]), 6)
    1.06831
    >>> round(float(rrc_pulse(np.array([1.0]), 0.0)[0]), 12)   # beta = 0: sinc, zero at T
    0.0
    """
    beta = float(rolloff)
    if not 0.0 <= beta <= 1.0:
        raise ValueError(f"rolloff must be in [0, 1], got {rolloff}")
    tau = np.asarray(tau, dtype=np.float64)
    h = np.empty_like(tau)
    at_zero = np.abs(tau) < 1e-12
    at_pole = np.abs(np.abs(4.0 * beta * tau) - 1.0) < 1e-9 if beta > 0 else np.zeros_like(at_zero)
    rest = ~(at_zero | at_pole)
    t = tau[rest]
    h[rest] = (np.sin(math.pi * t * (1.0 - beta)) + 4.0 * beta * t * np.cos(math.pi * t * (1.0 + beta))) / (
        math.pi * t * (1.0 - (4.0 * beta * t) ** 2)
    )
    h[at_zero] = 1.0 - beta + 4.0 * beta / math.pi
    if beta > 0:
        a = math.pi / (4.0 * beta)
        h[at_pole] = beta / math.sqrt(2.0) * ((1.0 + 2.0 / math.pi) * math.sin(a) + (1.0 - 2.0 / math.pi) * math.cos(a))
    return h


def rrc_taps(samples_per_period: float, rolloff: float, span_periods: int) -> np.ndarray:
    r"""Unit-energy RRC taps: :math:`h[j] = c\,h((j - D)/s)`, j = 0 .. 2D, with s =
    ``samples_per_period``, D = ceil(span·s/2) the group delay in samples and c such that
    :math:`\sum_j h[j]^2 = 1`.

    >>> rrc_taps(4, 0.5, 2).round(3).tolist()
    [-0.054, 0.079, 0.292, 0.491, 0.573, 0.491, 0.292, 0.079, -0.054]
    """
    if not samples_per_period > 1.0:
        raise ValueError(f"samples_per_period must be greater than 1, got {samples_per_period}")
    if span_periods < 1:
        raise ValueError(f"span_periods must be a positive integer, got {span_periods}")
    delay = int(math.ceil(span_periods * samples_per_period / 2.0 - 1e-9))
    tau = (np.arange(2 * delay + 1) - delay) / float(samples_per_period)
    h = rrc_pulse(tau, rolloff)
    return h / math.sqrt(float(np.sum(h * h)))
