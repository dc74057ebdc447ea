"""Ranges of values, the one parser of the project: ``{start, stop, step}`` in YAML and
``start:stop:step`` on the command line both expand here, with the same limit.

Example
-------
>>> expand_range(0.0, 1.0, 0.25)
[0.0, 0.25, 0.5, 0.75, 1.0]
>>> parse_range("--esn0-db", "-1:1:0.5")
([-1.0, -0.5, 0.0, 0.5, 1.0], True)
>>> parse_range("--p", "0.1")
([0.1], False)
"""

from __future__ import annotations

import math

from .errors import ShannonlabError

#: Most values a range may expand to (a sweep point or a curve sample each).
MAX_VALUES = 10_000


def expand_range(start: float, stop: float, step: float) -> list[float]:
    """start, start + step, ... up to and including stop (within 1e-9 steps); ValueError when
    the numbers are not finite, step <= 0, stop < start, or there are more than MAX_VALUES."""
    if not all(math.isfinite(x) for x in (start, stop, step)):
        raise ValueError(f"start, stop and step must be finite numbers, got {start:g}:{stop:g}:{step:g}")
    if step <= 0:
        raise ValueError(f"step must be greater than 0, got {step:g}")
    if stop < start:
        raise ValueError(f"stop ({float(stop)}) must not be below start ({float(start)})")
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > MAX_VALUES:
        raise ValueError(f"{count} values is more than the {MAX_VALUES} a range may have")
    return [round(start + i * step, 12) for i in range(count)]


def parse_range(flag: str, text: str) -> tuple[list[float], bool]:
    """A number, or a range ``start:stop:step`` (stop included), as (values, is_range)."""
    parts = text.split(":")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise ShannonlabError(f"{flag}: must be a number or a sweep start:stop:step, got {text[:40]!r}") from None
    if len(numbers) == 1:
        if not math.isfinite(numbers[0]):
            raise ShannonlabError(f"{flag}: must be a finite number, got {text[:40]!r}")
        return numbers, False
    if len(numbers) != 3 or not all(math.isfinite(x) for x in numbers):
        raise ShannonlabError(f"{flag}: a sweep is start:stop:step with finite numbers, got {text[:40]!r}")
    start, stop, step = numbers
    if step <= 0 or stop < start:
        raise ShannonlabError(f"{flag}: a sweep start:stop:step needs step > 0 and stop >= start, got {text[:40]!r}")
    try:
        return expand_range(start, stop, step), True
    except ValueError as exc:
        raise ShannonlabError(f"{flag}: {exc}") from None
