"""Channels: each bound to one operating point, ``transmit(c, rng)`` returns LLRs and
``capacity()`` returns bits per channel use. Closed forms live in :mod:`.capacity`."""

from .awgn import AWGN
from .base import LLR_MAX, Channel
from .bec import BEC
from .blahut_arimoto import CapacityResult, blahut_arimoto, mutual_information
from .bsc import BSC
from .rate_distortion import RateDistortionResult, rate_distortion
from .capacity import (
    bec_capacity,
    binary_entropy,
    biawgn_capacity,
    bsc_capacity,
    gaussian_capacity,
    inverse_binary_entropy,
    min_ber,
    q_function,
    shannon_hartley,
    shannon_limit_ebn0_db,
)

__all__ = [
    "AWGN", "BEC", "BSC", "Channel", "LLR_MAX",
    "CapacityResult", "blahut_arimoto", "mutual_information", "RateDistortionResult", "rate_distortion",
    "bec_capacity", "binary_entropy", "biawgn_capacity", "bsc_capacity", "gaussian_capacity",
    "inverse_binary_entropy", "min_ber", "q_function", "shannon_hartley", "shannon_limit_ebn0_db",
]
