r"""Exact error rates of uncoded transmission: the reference every coded curve is drawn
against.

* BPSK (and each rail of Gray QPSK) on AWGN: :math:`P_b = Q\big(\sqrt{2E_s/N_0}\big)`, with
  :math:`E_s = E_b` for uncoded BPSK.

Example
-------
>>> round(bpsk_ber(1.0), 6)  # Es/N0 = 0 dB
0.07865
"""

from __future__ import annotations

import math

from .units import q_function


def bpsk_ber(esn0: float) -> float:
    """Bit-error probability of BPSK on AWGN at linear Es/N0: Q(sqrt(2 Es/N0))."""
    return float(q_function(math.sqrt(2.0 * esn0)))
