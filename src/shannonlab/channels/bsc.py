r"""Binary symmetric channel: each bit is flipped independently with probability p.

LLR of a received bit y: :math:`(1 - 2y)\ln\frac{1-p}{p}`; capacity :math:`1 - H_2(p)`.

Example
-------
>>> import numpy as np
>>> ch = BSC(0.1)
>>> llr = ch.transmit(np.zeros((1, 4), np.uint8), np.random.default_rng(0))
>>> bool(np.all(np.abs(llr) == np.log(9)))
True
>>> round(ch.capacity(), 4)
0.531
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..theory.capacity import bsc_capacity
from ..theory.finite_length import bsc_normal_approximation_fer
from ..theory.limits import bsc_threshold
from .base import CapacityModel, Channel, ChannelSpec, Parameter


class BSC(Channel):
    """Binary symmetric channel with crossover probability ``p`` in (0, 1/2]."""

    def __init__(self, p: float):
        if not 0.0 < p <= 0.5:
            raise ValueError(f"p must be in (0, 0.5], got {p}")
        self.p = float(p)
        self.llr_magnitude = float(np.log((1.0 - p) / p))

    def flip(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The received hard bits c XOR e, e ~ Bernoulli(p)."""
        return c ^ (rng.random(c.shape) < self.p).astype(np.uint8)

    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        y = self.flip(c, rng)
        return self.llr_magnitude * (1.0 - 2.0 * y)

    def capacity(self) -> float:
        return bsc_capacity(self.p)

    binary_symmetric_output = True

    def hard_crossover(self) -> float:
        return self.p

    def __repr__(self) -> str:
        return f"BSC(p={self.p})"


class BSCSpec(ChannelSpec):
    """``{type: bsc}``; a sweep runs over ``p``."""

    type: Literal["bsc"] = "bsc"
    parameters = {"p": Parameter("crossover probability", 0.0, 0.5, "crossover probability p", improves=-1,
                                 low_inclusive=False)}
    capacity_models = {"bsc": CapacityModel("BSC 1 - H2(p)", "binary symmetric channel", "1 - H2(p)", {
        "p": Parameter("crossover probability", 0.0, 1.0, "crossover probability p", improves=-1)})}

    def build(self, parameter: str, value: float, rate: float) -> BSC:
        return BSC(value)

    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        return {"BSC 1 - H2(p)": bsc_capacity(value)}

    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        return {"BSC 1 - H2(p)": bsc_threshold(rate) if rate < 1 else 0.0}

    def channel_matrix(self, name, parameter, value, discretisation):
        return np.array([[1.0 - value, value], [value, 1.0 - value]]), None, 0.0

    def normal_approximation_fer(self, parameter: str, value: float, n: int, k: int) -> float:
        """Best FER of any (n, k) code on this BSC (PPV normal approximation)."""
        return bsc_normal_approximation_fer(value, n, k)

    def finite_length_fer(self, bound: str, parameter: str, value: float, n: int, k: int) -> float | None:
        """RCU, DT, meta-converse (exact sums) or the normal approximation on BSC(p)."""
        from ..theory.bounds import fer_bound

        return fer_bound(bound, "bsc", n, k, p=min(value, 1.0 - value))
