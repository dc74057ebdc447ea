r"""Additive white Gaussian noise channel with BPSK, LLR output.

Bit b is sent as :math:`x = 1 - 2b` with unit energy Es = 1; the receiver sees
:math:`y = x + \sigma z`, :math:`\sigma^2 = N_0/2 = 1/(2\,E_s/N_0)`, and outputs
:math:`L = 2y/\sigma^2`. Eb/N0 is per information bit: :math:`E_s/N_0 = R\,E_b/N_0`
for a code of rate R (one bit per BPSK symbol).

``capacity()`` is the binary-input (BPSK) capacity; ``gaussian_capacity()`` is the
Gaussian-input value :math:`\tfrac12\log_2(1 + 2E_s/N_0)`; ``hard_decision_bsc()`` is the
BSC seen by a receiver that slices y, with :math:`p = Q(\sqrt{2E_s/N_0})`.

Example
-------
>>> ch = AWGN(ebn0_db=0.0, rate=0.5)
>>> round(ch.sigma2, 6)
1.0
>>> round(ch.hard_decision_bsc().p, 4)
0.1587
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from .base import ChannelSpec
from .bsc import BSC
from .capacity import (
    biawgn_capacity,
    biawgn_normal_approximation_fer,
    gaussian_capacity,
    q_function,
    shannon_limit_ebn0_db,
    shannon_limit_esn0_db,
)


class AWGN:
    """BPSK over real AWGN at one operating point: give ``ebn0_db`` and ``rate``, or ``esn0_db``."""

    def __init__(self, ebn0_db: float | None = None, rate: float = 1.0, esn0_db: float | None = None):
        if (ebn0_db is None) == (esn0_db is None):
            raise ValueError("AWGN needs exactly one of ebn0_db and esn0_db")
        if not 0.0 < rate <= 1.0:
            raise ValueError(f"rate must be in (0, 1], got {rate}")
        if esn0_db is None:
            esn0_db = ebn0_db + 10.0 * math.log10(rate)
        self.rate = float(rate)
        self.esn0_db = float(esn0_db)
        self.ebn0_db = self.esn0_db - 10.0 * math.log10(rate)
        self.esn0 = 10.0 ** (self.esn0_db / 10.0)
        self.sigma2 = 1.0 / (2.0 * self.esn0)
        self.sigma = math.sqrt(self.sigma2)

    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        y = rng.standard_normal(c.shape)
        y *= self.sigma
        y += 1.0 - 2.0 * c
        y *= 2.0 / self.sigma2
        return y

    def capacity(self) -> float:
        return biawgn_capacity(self.esn0)

    def gaussian_capacity(self) -> float:
        return gaussian_capacity(2.0 * self.esn0)

    def hard_decision_bsc(self) -> BSC:
        return BSC(float(q_function(math.sqrt(2.0 * self.esn0))))

    def __repr__(self) -> str:
        return f"AWGN(esn0_db={self.esn0_db:.4g}, ebn0_db={self.ebn0_db:.4g}, rate={self.rate:.4g})"


class AWGNSpec(ChannelSpec):
    """``{type: awgn, modulation: bpsk}``; a sweep runs over ``ebn0_db`` or ``esn0_db``."""

    type: Literal["awgn"] = "awgn"
    modulation: Literal["bpsk"] = "bpsk"
    parameters = {
        "ebn0_db": "Eb/N0 per information bit in dB, a finite number",
        "esn0_db": "Es/N0 per BPSK symbol in dB, a finite number",
    }
    improves_with = {"ebn0_db": 1, "esn0_db": 1}

    def check_value(self, parameter: str, value: float) -> None:
        super().check_value(parameter, value)
        if not -50.0 <= value <= 100.0:
            raise ValueError(f"{parameter} must be in [-50, 100] dB, got {value}")

    def build(self, parameter: str, value: float, rate: float) -> AWGN:
        return AWGN(ebn0_db=value, rate=rate) if parameter == "ebn0_db" else AWGN(esn0_db=value, rate=rate)

    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        ch = self.build(parameter, value, rate)
        return {"BI-AWGN": ch.capacity(), "Gaussian input": ch.gaussian_capacity()}

    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        limit = shannon_limit_ebn0_db if parameter == "ebn0_db" else shannon_limit_esn0_db
        return {"BI-AWGN": limit(rate, "binary"), "Gaussian input": limit(rate, "gaussian")}

    def parameter_label(self, parameter: str) -> str:
        return "Eb/N0 (dB)" if parameter == "ebn0_db" else "Es/N0 (dB)"

    def normal_approximation_fer(self, parameter: str, value: float, n: int, k: int) -> float:
        """Best FER of any (n, k) code with BPSK here (PPV normal approximation, BI-AWGN)."""
        return biawgn_normal_approximation_fer(self.build(parameter, value, k / n).esn0, n, k)
