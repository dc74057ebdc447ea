"""The standard base graphs as protographs for density evolution
(:class:`shannonlab.theory.ensembles.Protograph`): every nonnegative shift of a QC table is
one edge.

* ``nr-bg1``, ``nr-bg2``: 5G NR base graphs 1 (46 × 68) and 2 (42 × 52) of TS 38.212
  Table 5.3.2-2/3, columns 0 and 1 punctured (the first 2Z systematic bits are never sent);
* ``ieee80211n:N:RATE``: the 802.11n base matrix of the (N, RATE) code, nothing punctured.

Example
-------
>>> p = protograph("nr-bg2")
>>> p.base.shape, p.punctured, round(p.rate, 4)
((42, 52), (0, 1), 0.2)
>>> protograph("ieee80211n:648:1/2").base.shape
(12, 24)
"""

from __future__ import annotations

import numpy as np

from ...errors import ShannonlabError
from ...theory.ensembles import Protograph
from .nr import SHAPES, _table
from .tables_80211n import base_matrix

NAMES = ("nr-bg1", "nr-bg2", "ieee80211n:N:RATE")


def nr_protograph(base_graph: int) -> Protograph:
    """5G NR base graph 1 or 2, columns 0 and 1 punctured."""
    if base_graph not in (1, 2):
        raise ShannonlabError(f"base_graph: must be 1 or 2, got {base_graph}")
    rows, cols, _ = SHAPES[base_graph]
    table = _table(base_graph)
    base = np.zeros((rows, cols), dtype=np.int64)
    base[table[:, 0], table[:, 1]] = 1
    return Protograph(base, (0, 1), f"5G NR BG{base_graph}")


def ieee80211n_protograph(n: int, rate: str) -> Protograph:
    """The 802.11n base matrix of the (n, rate) code."""
    try:
        shifts = base_matrix(n, rate)
    except ValueError as exc:
        raise ShannonlabError(f"base_matrix: {exc}") from None
    return Protograph.from_shifts(shifts, (), f"802.11n ({n}, {rate})")


def protograph(name: str, punctured=()) -> Protograph:
    """A standard base graph by name (see the module docstring), or else a FILE of edge counts."""
    if name in ("nr-bg1", "nr-bg2"):
        return nr_protograph(int(name[-1]))
    if name.startswith("ieee80211n:"):
        parts = name.split(":")
        if len(parts) != 3 or not parts[1].isdigit():
            raise ShannonlabError(f"base_matrix: expected ieee80211n:N:RATE (e.g. ieee80211n:648:1/2), got {name!r}")
        return ieee80211n_protograph(int(parts[1]), parts[2])
    return Protograph.load(name, punctured)
