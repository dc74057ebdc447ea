"""Turbo codes: parallel concatenation of two recursive systematic convolutional codes
(LTE/3GPP with QPP interleaver and rate matching, CCSDS 131.0-B, generic), decoded by
iterating the project's BCJR kernels (max-log or log-MAP) with early stopping.

Construction (:mod:`.interleavers`, :mod:`.rate_matching`) -> encoding (:mod:`.encoding`)
-> decoding (:mod:`.decoding`); :mod:`.code` holds the codes of the standards and the YAML spec.

>>> from shannonlab.codes.turbo import TurboSpec
>>> TurboSpec(standard="ccsds", k=1784, rate="1/6").build().n
10728
"""

from .code import TurboCode, TurboDecoderSpec, TurboSpec, ccsds_turbo, generic_turbo, lte_streams, lte_turbo
from .decoding import TurboDecoder
from .encoding import TurboEncoder
from .interleavers import ccsds_permutation, qpp_parameters, qpp_permutation, random_permutation, s_random_permutation
from .rate_matching import circular_buffer, lte_rate_matching, subblock_interleave

__all__ = [
    "TurboCode", "TurboDecoder", "TurboDecoderSpec", "TurboEncoder", "TurboSpec", "ccsds_permutation", "ccsds_turbo",
    "circular_buffer", "generic_turbo", "lte_rate_matching", "lte_streams", "lte_turbo", "qpp_parameters",
    "qpp_permutation", "random_permutation", "s_random_permutation", "subblock_interleave",
]
