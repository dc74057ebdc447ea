"""Moved to :mod:`shannonlab.theory.blahut_arimoto`; this module keeps the old import path
``shannonlab.channels.blahut_arimoto`` working."""

from ..theory.blahut_arimoto import *  # noqa: F401,F403
from ..theory.blahut_arimoto import (  # noqa: F401  (names without __all__)
    MIN_TOL,
    CapacityResult,
    CostCapacityResult,
    blahut_arimoto,
    blahut_arimoto_cost,
    mutual_information,
    validate_channel,
    validate_distribution,
)
