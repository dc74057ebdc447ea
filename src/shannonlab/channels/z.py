r"""The Z-channel: input 0 always arrives as 0, input 1 arrives as 0 with probability p.

:math:`W = \begin{pmatrix}1 & 0\\ p & 1-p\end{pmatrix}` (rows are inputs). A received 1 can
only come from a 1, so its LLR is :math:`-` :data:`LLR_MAX`; a received 0 has
:math:`\mathrm{LLR} = \ln\frac{1}{p}`. Capacity (Golomb 1980)
:math:`C = \log_2\big(1 + (1-p)\,p^{p/(1-p)}\big)`, reached with a non-uniform input; codes
send uniform bits, whose mutual information :math:`H_2((1-p)/2) - H_2(p)/2` is a little lower.

Example
-------
>>> import numpy as np
>>> ch = Z(0.5)
>>> ch.transmit(np.array([[0, 1, 1, 1]], np.uint8), np.random.default_rng(3)).round(3).tolist()
[[0.693, 0.693, -100.0, -100.0]]
>>> round(ch.capacity(), 6), ch.uncoded_ber()
(0.321928, 0.25)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import optimize

from ..theory.capacity import z_channel_capacity, z_channel_input_distribution
from .base import LLR_MAX, CapacityModel, Channel, ChannelSpec, Parameter


class Z(Channel):
    """The Z-channel with probability ``p`` in (0, 1) that a 1 is received as 0."""

    def __init__(self, p: float):
        if not 0.0 < p < 1.0:
            raise ValueError(f"p must be in (0, 1), got {p}")
        self.p = float(p)

    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        received_one = (c == 1) & (rng.random(c.shape) >= self.p)
        return np.where(received_one, -LLR_MAX, -np.log(self.p))

    def capacity(self) -> float:
        return z_channel_capacity(self.p)

    def uncoded_ber(self) -> float:
        """p/2: only a sent 1 can be wrong."""
        return self.p / 2

    def __repr__(self) -> str:
        return f"Z(p={self.p})"


def z_threshold(rate: float) -> float:
    """The p at which the Z-channel's capacity equals ``rate`` (0 for rate 1).

    >>> round(z_threshold(0.321928094887), 6)
    0.5
    """
    if rate >= 1.0:
        return 0.0
    return float(optimize.brentq(lambda p: z_channel_capacity(p) - rate, 0.0, 1.0, xtol=1e-14))


class ZSpec(ChannelSpec):
    """``{type: z}``: a 1 is received as 0 with probability p; a sweep runs over ``p``."""

    type: Literal["z"] = "z"
    parameters = {"p": Parameter("probability that a 1 arrives as 0", 0.0, 1.0, "Z-channel probability p",
                                 improves=-1, low_inclusive=False, high_inclusive=False)}
    capacity_models = {"z": CapacityModel("Z-channel", "Z-channel: input 1 is received as 0 with probability p",
                                          "log2(1 + (1-p) p^(p/(1-p)))", {
        "p": Parameter("probability that a 1 arrives as 0", 0.0, 1.0, "Z-channel probability p", improves=-1)})}

    def build(self, parameter: str, value: float, rate: float) -> Z:
        return Z(value)

    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        return {"Z-channel": z_channel_capacity(value)}

    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        return {"Z-channel": z_threshold(rate)}

    def channel_matrix(self, name, parameter, value, discretisation):
        return np.array([[1.0, 0.0], [value, 1.0 - value]]), None, 0.0

    def capacity_details(self, name, parameter, value):
        """The capacity-achieving input (P(X=0), P(X=1)) (Golomb 1980)."""
        return {"input_distribution": list(z_channel_input_distribution(value))} if value < 1.0 else {}
