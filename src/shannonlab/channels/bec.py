r"""Binary erasure channel: each bit is erased independently with probability epsilon.

An erasure is LLR 0; a received bit is :math:`\pm` :data:`LLR_MAX`. Capacity
:math:`1 - \epsilon`.

Example
-------
>>> import numpy as np
>>> ch = BEC(0.5)
>>> llr = ch.transmit(np.ones((1, 8), np.uint8), np.random.default_rng(0))
>>> sorted(set(llr.ravel().tolist())) in ([-100.0, 0.0], [-100.0], [0.0])
True
>>> ch.capacity()
0.5
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..theory.capacity import bec_capacity
from .base import LLR_MAX, CapacityModel, Channel, ChannelSpec, Parameter


class BEC(Channel):
    """Binary erasure channel with erasure probability ``epsilon`` in (0, 1)."""

    def __init__(self, epsilon: float):
        if not 0.0 < epsilon < 1.0:
            raise ValueError(f"epsilon must be in (0, 1), got {epsilon}")
        self.epsilon = float(epsilon)

    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        erased = rng.random(c.shape) < self.epsilon
        return np.where(erased, 0.0, LLR_MAX * (1.0 - 2.0 * c))

    def capacity(self) -> float:
        return bec_capacity(self.epsilon)

    def erasure_probability(self) -> float:
        return self.epsilon

    def uncoded_ber(self) -> float:
        """epsilon/2: an erasure is decided as 0, wrong for half of the uniformly random bits."""
        return self.epsilon / 2

    def __repr__(self) -> str:
        return f"BEC(epsilon={self.epsilon})"


class BECSpec(ChannelSpec):
    """``{type: bec}``; a sweep runs over ``epsilon``."""

    type: Literal["bec"] = "bec"
    parameters = {"epsilon": Parameter("erasure probability", 0.0, 1.0, "erasure probability ε", improves=-1,
                                       low_inclusive=False, high_inclusive=False)}
    capacity_models = {"bec": CapacityModel("BEC 1 - ε", "binary erasure channel", "1 - epsilon", {
        "epsilon": Parameter("erasure probability", 0.0, 1.0, "erasure probability ε", improves=-1)})}

    def build(self, parameter: str, value: float, rate: float) -> BEC:
        return BEC(value)

    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        return {"BEC 1 - ε": bec_capacity(value)}

    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        return {"BEC 1 - ε": 1.0 - rate}

    def channel_matrix(self, name, parameter, value, discretisation):
        return np.array([[1.0 - value, value, 0.0], [0.0, value, 1.0 - value]]), None, 0.0

    def normal_approximation_fer(self, parameter: str, value: float, n: int, k: int) -> float:
        """Best FER of any (n, k) code on BEC(ε) by the normal approximation (no log term)."""
        from ..theory.finite_length import bec_normal_approximation_fer

        return bec_normal_approximation_fer(value, n, k)

    def finite_length_fer(self, bound: str, parameter: str, value: float, n: int, k: int) -> float | None:
        """RCU, DT, meta-converse (exact sums) or the normal approximation on BEC(ε)."""
        from ..theory.bounds import fer_bound

        return fer_bound(bound, "bec", n, k, epsilon=value)
