"""Reed–Solomon codes over GF(2^m): construction (generator, CCSDS field, roots and dual
basis) -> encoding (symbol division register on bit frames) -> decoding (errors and
erasures: Berlekamp–Massey, Chien, Forney); :class:`ReedSolomonCode` and its YAML spec in
:mod:`.code`."""

from .code import ReedSolomonCode, ReedSolomonSpec
from .construction import ccsds_dual_basis, rs_generator

__all__ = ["ReedSolomonCode", "ReedSolomonSpec", "ccsds_dual_basis", "rs_generator"]
