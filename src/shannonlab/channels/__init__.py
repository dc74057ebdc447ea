"""Channels: each bound to one operating point, ``transmit(c, rng)`` returns LLRs and
``capacity()`` returns bits per channel use. The numbers of information theory they draw on
(closed forms, limits, Blahut–Arimoto) live in :mod:`shannonlab.theory`; the names below that
come from there stay importable from here as they always were."""

# The old modules first, so that the names below (the function blahut_arimoto, ...) win
# over the submodules of the same name as attributes of this package, as they always did.
from . import blahut_arimoto as _blahut_arimoto_module  # noqa: F401
from . import capacity as _capacity_module  # noqa: F401
from . import rate_distortion as _rate_distortion_module  # noqa: F401

from ..theory.blahut_arimoto import CapacityResult, blahut_arimoto, mutual_information
from ..theory.capacity import (
    bec_capacity,
    binary_entropy,
    biawgn_capacity,
    bsc_capacity,
    gaussian_capacity,
    inverse_binary_entropy,
    shannon_hartley,
)
from ..theory.limits import min_ber, shannon_limit_ebn0_db
from ..theory.rate_distortion import RateDistortionResult, rate_distortion
from ..theory.units import q_function
from .awgn import AWGN
from .base import LLR_MAX, Channel
from .bec import BEC
from .bsc import BSC
from .z import Z

__all__ = [
    "AWGN", "BEC", "BSC", "Z", "Channel", "LLR_MAX",
    "CapacityResult", "blahut_arimoto", "mutual_information", "RateDistortionResult", "rate_distortion",
    "bec_capacity", "binary_entropy", "biawgn_capacity", "bsc_capacity", "gaussian_capacity",
    "inverse_binary_entropy", "min_ber", "q_function", "shannon_hartley", "shannon_limit_ebn0_db",
]
