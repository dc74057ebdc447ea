"""The numbers of information theory, no simulation: closed-form capacities
(:mod:`.capacity`), Shannon limits, the smallest BER at a rate and the gap to capacity
(:mod:`.limits`), finite-length approximations (:mod:`.finite_length`), exact error rates of
uncoded modulation (:mod:`.uncoded`), Blahut–Arimoto with certified bounds
(:mod:`.blahut_arimoto`), rate–distortion (:mod:`.rate_distortion`) and the discretisation of
continuous channels for capacity studies (:mod:`.discretisation`). Units: :mod:`.units`.

Example
-------
>>> from shannonlab import theory
>>> round(theory.bsc_capacity(0.11), 3), round(theory.shannon_limit_ebn0_db(0.5, "binary"), 3)
(0.5, 0.187)
"""

from .blahut_arimoto import CapacityResult, blahut_arimoto, blahut_arimoto_cost, mutual_information
from .capacity import (
    bec_capacity,
    biawgn_capacity,
    binary_entropy,
    bsc_capacity,
    gaussian_capacity,
    inverse_binary_entropy,
    shannon_hartley,
    z_channel_capacity,
)
from .finite_length import (
    biawgn_dispersion,
    biawgn_normal_approximation_fer,
    bsc_dispersion,
    bsc_normal_approximation_fer,
    normal_approximation_fer,
)
from .limits import (
    bsc_threshold,
    gap_to_capacity_db,
    min_ber,
    rate_limit,
    shannon_limit_ebn0,
    shannon_limit_ebn0_db,
    shannon_limit_esn0_db,
)
from .rate_distortion import RateDistortionResult, rate_distortion
from .uncoded import bpsk_ber
from .units import LN2, db_to_linear, linear_to_db, q_function

__all__ = [
    "CapacityResult", "blahut_arimoto", "blahut_arimoto_cost", "mutual_information",
    "bec_capacity", "biawgn_capacity", "binary_entropy", "bsc_capacity", "gaussian_capacity",
    "inverse_binary_entropy", "shannon_hartley", "z_channel_capacity",
    "biawgn_dispersion", "biawgn_normal_approximation_fer", "bsc_dispersion", "bsc_normal_approximation_fer",
    "normal_approximation_fer",
    "bsc_threshold", "gap_to_capacity_db", "min_ber", "rate_limit", "shannon_limit_ebn0", "shannon_limit_ebn0_db",
    "shannon_limit_esn0_db",
    "RateDistortionResult", "rate_distortion", "bpsk_ber", "LN2", "db_to_linear", "linear_to_db", "q_function",
]
