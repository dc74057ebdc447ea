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

from .base import LLR_MAX, ChannelSpec
from .capacity import bec_capacity


class BEC:
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

    def __repr__(self) -> str:
        return f"BEC(epsilon={self.epsilon})"


class BECSpec(ChannelSpec):
    """``{type: bec}``; a sweep runs over ``epsilon``."""

    type: Literal["bec"] = "bec"
    parameters = {"epsilon": "an erasure probability in (0, 1)"}
    improves_with = {"epsilon": -1}

    def check_value(self, parameter: str, value: float) -> None:
        super().check_value(parameter, value)
        if not 0.0 < value < 1.0:
            raise ValueError(f"epsilon must be in (0, 1), got {value}")

    def build(self, parameter: str, value: float, rate: float) -> BEC:
        return BEC(value)

    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        return {"BEC 1 - ε": bec_capacity(value)}

    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        return {"BEC 1 - ε": 1.0 - rate}

    def parameter_label(self, parameter: str) -> str:
        return "erasure probability ε"
