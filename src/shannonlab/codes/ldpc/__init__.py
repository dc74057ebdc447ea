"""LDPC codes: parity-check matrices (IEEE 802.11n, 5G NR base graphs 1 and 2, DVB-S2, alist files,
random regular and PEG graphs), systematic, dual-diagonal and 5G encoders, and batched
belief-propagation decoders (sum-product, min-sum, normalized and offset min-sum; flooding
and layered schedules) on numba kernels that decode frames in lock-step.

Construction (:mod:`.matrices`, :mod:`.tables_80211n`, :mod:`.nr`, :mod:`.dvbs2`) -> encoding
(:mod:`.encoding`) -> decoding (:mod:`.decoding`); :mod:`.code` holds the YAML spec.
"""

from .code import LDPCCode, LDPCDecoderSpec, LDPCMatrixSpec, LDPCSpec
from .decoding import BeliefPropagation
from .dvbs2 import IRAEncoder, dvbs2_code
from .encoding import DualDiagonalEncoder, RankDeficientError, SystematicEncoder
from .matrices import AlistError, gf2_rank, ieee80211n, peg, qc_expand, random_regular, read_alist, write_alist
from .nr import nr_base_graph, nr_code, nr_parameters

__all__ = [
    "LDPCCode", "LDPCSpec", "LDPCMatrixSpec", "LDPCDecoderSpec", "BeliefPropagation", "SystematicEncoder",
    "DualDiagonalEncoder", "RankDeficientError", "AlistError", "gf2_rank", "ieee80211n", "peg", "qc_expand",
    "random_regular", "read_alist", "write_alist", "nr_code", "nr_parameters", "nr_base_graph", "dvbs2_code",
    "IRAEncoder",
]
