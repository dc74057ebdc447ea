"""Serial concatenation of two codes with a block interleaver (:mod:`.interleaver`) between
them; :class:`ConcatenatedCode` and its YAML spec in :mod:`.code`."""

from .code import ConcatenatedCode, ConcatenatedSpec
from .interleaver import BlockInterleaver

__all__ = ["BlockInterleaver", "ConcatenatedCode", "ConcatenatedSpec"]
