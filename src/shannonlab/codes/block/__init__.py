"""Linear block codes: the systematic base (:class:`LinearBlockCode`: G, H, encoding,
syndromes, weight distribution, syndrome-table and exhaustive soft-ML decoders) and the
Hamming and repetition families built on it."""

from .hamming import HammingCode, HammingSpec, hamming_ber, hamming_weight_distribution, hamming_wer
from .linear import BlockDecoder, LinearBlockCode
from .repetition import RepetitionCode, RepetitionSpec, repetition_ber

__all__ = [
    "BlockDecoder", "HammingCode", "HammingSpec", "LinearBlockCode", "RepetitionCode", "RepetitionSpec",
    "hamming_ber", "hamming_weight_distribution", "hamming_wer", "repetition_ber",
]
