"""Digital modulation: labelled constellations (:class:`Constellation`: PSK, square QAM,
PAM, DVB-S2 APSK, custom), bit-to-symbol mapping, exact log-MAP and max-log demapping
(:mod:`.demapping`, numba kernels) and bit interleavers for BICM (:mod:`.interleaver`).

Example
-------
>>> from shannonlab.modulation import Constellation
>>> Constellation.from_name("64qam").m
6
"""

from .constellation import NAMED, Constellation
from .interleaver import INTERLEAVERS, Interleaver
from .labelling import LABELLINGS, gray_code

__all__ = ["Constellation", "NAMED", "LABELLINGS", "gray_code", "Interleaver", "INTERLEAVERS"]
