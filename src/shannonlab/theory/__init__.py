"""The numbers of information theory, no simulation: closed-form capacities
(:mod:`.capacity`), Shannon limits, the smallest BER at a rate and the gap to capacity
(:mod:`.limits`), finite-length approximations (:mod:`.finite_length`), exact error rates of
uncoded modulation (:mod:`.uncoded`), coded modulation (CM and BICM capacity,
:mod:`.coded_modulation`), fading (:mod:`.fading`) and bounded-distance decoders
(:mod:`.bounded_distance`), Blahut–Arimoto with certified bounds (:mod:`.blahut_arimoto`),
rate–distortion (:mod:`.rate_distortion`) and the discretisation of continuous channels for
capacity studies (:mod:`.discretisation`). Units: :mod:`.units`.

The theory toolkit of issue 17: finite-length RCU, DT and meta-converse bounds
(:mod:`.bounds`, with saddlepoint tails from :mod:`.saddlepoint`), LDPC ensembles and
protographs (:mod:`.ensembles`), density evolution and thresholds (:mod:`.density_evolution`,
with the J and φ functions of :mod:`.gaussian_llr`), EXIT charts (:mod:`.exit`), weight
spectra (:mod:`.weight_spectrum`) and ML union / tangential-sphere bounds (:mod:`.union_bounds`).

Example
-------
>>> from shannonlab import theory
>>> round(theory.bsc_capacity(0.11), 3), round(theory.shannon_limit_ebn0_db(0.5, "binary"), 3)
(0.5, 0.187)
>>> round(theory.bec_threshold(theory.Ensemble.regular(3, 6)), 4), round(theory.fer_bound("rcu", "bsc", 100, 50, p=0.11), 4)
(0.4294, 0.4411)
"""

from .bounded_distance import (
    bounded_distance_ber,
    symbol_bounded_distance_ber,
    symbol_erasure_ber,
    word_error_probability,
)
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
from .bounds import fer_bound, fer_curve, min_ebn0_db
from .density_evolution import bec_threshold, biawgn_threshold, threshold_table
from .ensembles import Ensemble, Protograph
from .exit import bcjr_transfer_curve, ldpc_exit_curves, ldpc_trajectory
from .finite_length import (
    awgn_dispersion,
    awgn_normal_approximation_fer,
    bec_dispersion,
    bec_normal_approximation_fer,
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
from .coded_modulation import bicm_capacity, cm_capacity, esn0_for_rate, outage_probability
from .fading import gaussian_outage_probability, rayleigh_ergodic_capacity
from .rate_distortion import RateDistortionResult, rate_distortion
from .uncoded import bpsk_ber, bpsk_rayleigh_ber, pam_ber, pam_ser, psk_ber, psk_ser, qam_ber, qam_ser
from .union_bounds import convolutional_union_bound, tangential_sphere_bound, union_bound_awgn, union_bound_bsc
from .units import LN2, db_to_linear, linear_to_db, q_function
from .weight_spectrum import input_output_weight_enumerator, weight_enumerator

__all__ = [
    "fer_bound", "fer_curve", "min_ebn0_db", "bec_threshold", "biawgn_threshold", "threshold_table", "Ensemble",
    "Protograph", "bcjr_transfer_curve", "ldpc_exit_curves", "ldpc_trajectory", "awgn_dispersion",
    "awgn_normal_approximation_fer", "bec_dispersion", "bec_normal_approximation_fer", "convolutional_union_bound",
    "tangential_sphere_bound", "union_bound_awgn", "union_bound_bsc", "input_output_weight_enumerator",
    "weight_enumerator",
    "CapacityResult", "blahut_arimoto", "blahut_arimoto_cost", "mutual_information",
    "bec_capacity", "biawgn_capacity", "binary_entropy", "bsc_capacity", "gaussian_capacity",
    "inverse_binary_entropy", "shannon_hartley", "z_channel_capacity",
    "biawgn_dispersion", "biawgn_normal_approximation_fer", "bsc_dispersion", "bsc_normal_approximation_fer",
    "normal_approximation_fer",
    "bsc_threshold", "gap_to_capacity_db", "min_ber", "rate_limit", "shannon_limit_ebn0", "shannon_limit_ebn0_db",
    "shannon_limit_esn0_db",
    "RateDistortionResult", "rate_distortion", "bpsk_ber",
    "cm_capacity", "bicm_capacity", "esn0_for_rate", "outage_probability", "rayleigh_ergodic_capacity",
    "gaussian_outage_probability", "bpsk_rayleigh_ber", "pam_ber", "pam_ser", "psk_ber", "psk_ser", "qam_ber",
    "qam_ser", "LN2", "db_to_linear", "linear_to_db", "q_function",
    "bounded_distance_ber", "symbol_bounded_distance_ber", "symbol_erasure_ber", "word_error_probability",
]
