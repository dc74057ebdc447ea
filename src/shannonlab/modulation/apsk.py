r"""The DVB-S2 amplitude-and-phase-shift-keying constellations (ETSI EN 302 307-1, sec. 5.4.3
and 5.4.4, figures 13 and 14): 16-APSK on rings of 4 + 12 points and 32-APSK on rings of
4 + 12 + 16, with the standard's bit labels (16-APSK: Gray on both rings; 32-APSK: Gray on the inner
and middle rings, quasi-Gray on the outer one) and ring radii chosen by
the code rate they are used with.

Ring-radius ratios (table 9 and 10 of the standard; :math:`\gamma = R_2/R_1`, and for
32-APSK :math:`\gamma_1 = R_2/R_1`, :math:`\gamma_2 = R_3/R_1`):

========  ======  ======  ======  ======  ======  ======
rate      2/3     3/4     4/5     5/6     8/9     9/10
========  ======  ======  ======  ======  ======  ======
16-APSK   3.15    2.85    2.75    2.70    2.60    2.57
32-APSK   --      2.84,   2.72,   2.64,   2.54,   2.53,
                  5.27    4.87    4.64    4.33    4.30
========  ======  ======  ======  ======  ======  ======

The default code rate is 3/4, the lowest rate both tables define. The angles below are the standard's figures written as (ring, angle in degrees) per
label 0 .. M-1; the energy is normalised to :math:`E_s = 1` after the radii are set.

Example
-------
>>> points, labels = dvbs2_apsk(16, "3/4")
>>> round(float(np.mean(np.abs(points) ** 2)), 12), round(float(abs(points[4]) / abs(points[12])), 2)
(1.0, 2.85)
"""

from __future__ import annotations

import math

import numpy as np

#: code rate -> R2/R1 of 16-APSK (EN 302 307-1 table 9)
RING_RATIOS_16APSK = {"2/3": (3.15,), "3/4": (2.85,), "4/5": (2.75,), "5/6": (2.70,), "8/9": (2.60,),
                      "9/10": (2.57,)}
#: code rate -> (R2/R1, R3/R1) of 32-APSK (EN 302 307-1 table 10)
RING_RATIOS_32APSK = {"3/4": (2.84, 5.27), "4/5": (2.72, 4.87), "5/6": (2.64, 4.64), "8/9": (2.54, 4.33),
                      "9/10": (2.53, 4.30)}
DEFAULT_CODE_RATE = "3/4"

# (ring, angle in degrees) of labels 0 .. 15: ring 1 outer (12 points), ring 0 inner (4).
_16APSK = [(1, 45), (1, 315), (1, 135), (1, 225), (1, 15), (1, 345), (1, 165), (1, 195),
           (1, 75), (1, 285), (1, 105), (1, 255), (0, 45), (0, 315), (0, 135), (0, 225)]
# (ring, angle) of labels 0 .. 31: ring 0 inner (4), 1 middle (12), 2 outer (16).
_32APSK = [(1, 45), (1, 75), (1, 315), (1, 285), (1, 135), (1, 105), (1, 225), (1, 255),
           (2, 22.5), (2, 67.5), (2, 315), (2, 270), (2, 135), (2, 90), (2, 202.5), (2, 247.5),
           (1, 15), (0, 45), (1, 345), (0, 315), (1, 165), (0, 135), (1, 195), (0, 225),
           (2, 0), (2, 45), (2, 337.5), (2, 292.5), (2, 157.5), (2, 112.5), (2, 180), (2, 225)]


def ring_ratios(M: int, code_rate: str | None = None) -> tuple[float, ...]:
    """The standard's radius ratios for ``code_rate`` (default 3/4); ValueError naming the
    allowed rates otherwise."""
    table = RING_RATIOS_16APSK if M == 16 else RING_RATIOS_32APSK
    rate = DEFAULT_CODE_RATE if code_rate is None else str(code_rate).replace(" ", "")
    if rate not in table:
        raise ValueError(f"code_rate: {M}apsk is defined for rates {', '.join(table)}, got {code_rate!r}")
    return table[rate]


def dvbs2_apsk(M: int, code_rate: str | None = None, radii: tuple[float, ...] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Points indexed by their label (so labels = 0 .. M-1) of DVB-S2 16- or 32-APSK.
    ``radii`` (ratios to the inner ring, one per outer ring) overrides the rate's table."""
    ratios = radii if radii is not None else ring_ratios(M, code_rate)
    r = (1.0,) + tuple(float(x) for x in ratios)
    table = _16APSK if M == 16 else _32APSK
    points = np.array([r[ring] * np.exp(1j * math.radians(angle)) for ring, angle in table])
    points /= math.sqrt(np.mean(np.abs(points) ** 2))
    return points, np.arange(M, dtype=np.int64)
