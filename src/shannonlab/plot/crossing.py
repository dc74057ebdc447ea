"""Where a measured error-rate curve crosses a target (BER 1e-4, FER 1e-2, ...).

Between two measured points the crossing is interpolated linearly in log(rate). A point
without errors only bounds the rate from above: if the curve is above the target at one
point and the next point's 95 % upper bound is already below it, the target is reached
somewhere in between, and the honest statement is "below the target at the second point"
(:attr:`Crossing.exact` is False), not an interpolated value.

Example
-------
>>> c = find_crossing([{"value": 1.0, "ber": 1e-3, "ber_high": 1.2e-3, "bit_errors": 50},
...                    {"value": 2.0, "ber": 1e-5, "ber_high": 1.3e-5, "bit_errors": 40}], 1e-4)
>>> round(c.x, 3), c.exact
(1.5, True)
>>> c = find_crossing([{"value": 1.0, "ber": 1e-3, "ber_high": 1.2e-3, "bit_errors": 50},
...                    {"value": 2.0, "ber": 0.0, "ber_high": 3e-6, "bit_errors": 0}], 1e-4)
>>> c.x, c.exact, c.describe("dB")
(2.0, False, 'below 0.0001 at 2 dB')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Crossing:
    """``x``: the parameter value; ``exact``: interpolated between measured points (True) or
    only known to be reached at or before ``x`` (False)."""

    x: float
    exact: bool
    target: float

    def describe(self, unit: str = "") -> str:
        unit = f" {unit}" if unit else ""
        if self.exact:
            return f"{self.target:g} at {self.x:.3g}{unit}"
        return f"below {self.target:g} at {self.x:.3g}{unit}"


def crossing(values: np.ndarray, rates: np.ndarray, target: float) -> float | None:
    """Where measured rates cross ``target`` (log-linear interpolation between two measured
    points), or None if they never do."""
    for i in range(len(values) - 1):
        a, b = rates[i], rates[i + 1]
        if a > 0 and b > 0 and (a - target) * (b - target) <= 0 and a != b:
            t = (math.log(target) - math.log(a)) / (math.log(b) - math.log(a))
            return float(values[i] + t * (values[i + 1] - values[i]))
    return None


def find_crossing(points: list[dict[str, Any]], target: float, key: str = "ber") -> Crossing | None:
    """The first crossing of ``target`` by the curve of ``points`` (rows sorted along the sweep
    in the direction the channel improves), using upper bounds of error-free points."""
    errors_key = "bit_errors" if key == "ber" else "frame_errors"
    for a, b in zip(points[:-1], points[1:]):
        if not a[key] > 0:
            continue
        if b[errors_key] > 0:
            x = crossing(np.array([a["value"], b["value"]]), np.array([a[key], b[key]]), target)
            if x is not None:
                return Crossing(x, True, target)
        elif a[key] > target >= b[f"{key}_high"]:
            return Crossing(float(b["value"]), False, target)
    return None
