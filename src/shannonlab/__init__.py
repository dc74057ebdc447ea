"""shannonlab: a channel-coding simulation laboratory.

Channels (:mod:`shannonlab.channels`) turn coded bits into LLRs, codes
(:mod:`shannonlab.codes`) encode and decode whole batches of frames, the engine
(:mod:`shannonlab.sim`) runs Monte Carlo sweeps driven by YAML experiments, the plots
(:mod:`shannonlab.plot`) draw them against the limits of information theory
(:mod:`shannonlab.theory`), and :mod:`shannonlab.registry` is the one table that names every
code and channel.

The public API at the top (loaded on first use, so ``import shannonlab`` stays fast):

* :func:`build_code`, :func:`build_channel` — objects from the mappings a YAML file holds;
* :func:`simulate_point` with :class:`StopRule` — one operating point;
* :func:`run_experiment` — a whole experiment from a mapping or a file, returning its rows;
* :func:`capacity`, :func:`blahut_arimoto` — capacities by name, or of any DMC.

Example
-------
>>> import numpy as np
>>> import shannonlab as sl
>>> code = sl.build_code({"type": "hamming", "r": 3})
>>> channel = sl.build_channel({"type": "awgn"}, "ebn0_db", 4.0, code.rate)
>>> result = sl.simulate_point(code, channel, sl.StopRule(min_frame_errors=20), np.random.SeedSequence(1))
>>> result.frame_errors >= 20, result.fer_low <= result.fer <= result.fer_high
(True, True)
>>> round(sl.blahut_arimoto(np.array([[0.9, 0.1], [0.1, 0.9]])).capacity, 4)
0.531
>>> round(sl.theory.bsc_capacity(0.11), 3)  # every part is an attribute too
0.5
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from . import _numba_cache  # noqa: E402  (before any kernel is defined)

_numba_cache.ensure()

#: Public name -> "module:attribute" (imported on first access).
_PUBLIC = {
    "build_code": "shannonlab.registry:build_code",
    "build_channel": "shannonlab.registry:build_channel",
    "simulate_point": "shannonlab.sim.engine:simulate_point",
    "StopRule": "shannonlab.sim.engine:StopRule",
    "run_experiment": "shannonlab.api:run_experiment",
    "capacity": "shannonlab.api:capacity",
    "blahut_arimoto": "shannonlab.theory.blahut_arimoto:blahut_arimoto",
    "ShannonlabError": "shannonlab.errors:ShannonlabError",
    "ConfigError": "shannonlab.errors:ConfigError",
}

#: Parts reachable as attributes (``sl.theory.rcu_bound``), imported on first access too.
_PARTS = ("api", "channels", "cli", "codes", "errors", "modulation", "plot", "registry", "sim", "theory")

__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:  # what a type checker and a reader see
    from .api import capacity, run_experiment
    from .errors import ConfigError, ShannonlabError
    from .registry import build_channel, build_code
    from .sim.engine import StopRule, simulate_point
    from .theory.blahut_arimoto import blahut_arimoto


def __getattr__(name: str) -> Any:
    if name in _PARTS:
        return importlib.import_module(f"{__name__}.{name}")
    target = _PUBLIC.get(name)
    if target is None:
        raise AttributeError(f"module 'shannonlab' has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC) | set(_PARTS))
