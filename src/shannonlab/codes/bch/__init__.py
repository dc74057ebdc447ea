"""Binary BCH codes: construction (generator from minimal polynomials, DVB-S2 tables) ->
encoding (table-driven division register) -> decoding (Berlekamp–Massey, Chien search,
failure detection); :class:`BCHCode` and its YAML spec in :mod:`.code`."""

from .code import BCHCode, BCHSpec
from .construction import DVBS2_BCH, bch_generator

__all__ = ["BCHCode", "BCHSpec", "DVBS2_BCH", "bch_generator"]
