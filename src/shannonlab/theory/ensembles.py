r"""LDPC ensembles as density evolution sees them: degree distributions (λ, ρ) or protographs.

Degree distributions
--------------------
Edge perspective: :math:`\lambda(x) = \sum_i \lambda_i x^{i-1}`, λ_i the fraction of edges
attached to variable nodes of degree i; ρ likewise for check nodes. Node perspective:
:math:`L(x) = \sum_i L_i x^i`, L_i the fraction of variable *nodes* of degree i; the two are
related by :math:`\lambda_i = iL_i / \sum_j jL_j`. Design rate
:math:`R = 1 - \int_0^1\rho / \int_0^1\lambda = 1 - \frac{\sum_j \rho_j/j}{\sum_i \lambda_i/i}`.

Protographs
-----------
A base matrix B (m × n) of edge counts: B[i, j] parallel edges between check i and variable
j; a lifted code replaces each count by a sum of permutation matrices. Punctured variable
nodes are not transmitted. Rate :math:`R = (n - m)/(n - |\text{punctured}|)` (full-rank H).
The 5G NR base graphs (TS 38.212: BG1 46 × 68, BG2 42 × 52, the first two columns punctured)
and the IEEE 802.11n base matrices are built from the shift tables of ``codes/ldpc`` by
``shannonlab.codes.ldpc.protographs`` (every nonnegative shift is one edge; theory/ knows
no code family).

Example
-------
>>> e = Ensemble.regular(3, 6)
>>> e.rate, e.lam, e.rho
(0.5, {3: 1.0}, {6: 1.0})
>>> Ensemble.from_node_perspective({2: 0.5, 3: 0.5}, {6: 1.0}).lam
{2: 0.4, 3: 0.6}
>>> p = Protograph.from_shifts([[0, -1, 3, 1], [2, 5, -1, 0]], punctured=[0])
>>> p.base.tolist(), p.punctured, round(p.rate, 4)
([[1, 0, 1, 1], [1, 1, 0, 1]], (0,), 0.6667)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ShannonlabError

_TOL = 1e-6


def _check_distribution(dist: dict, name: str, min_degree: int) -> dict[int, float]:
    if not isinstance(dist, dict) or not dist:
        raise ShannonlabError(f"{name}: must be a non-empty mapping degree -> fraction, got {dist!r}")
    out: dict[int, float] = {}
    for degree, value in dist.items():
        try:
            d = int(degree)
        except (TypeError, ValueError):
            raise ShannonlabError(f"{name}: degrees must be integers, got {degree!r}") from None
        if d != float(degree) or d < min_degree:
            raise ShannonlabError(f"{name}: degrees must be integers >= {min_degree}, got {degree!r}")
        if not (isinstance(value, (int, float)) and value >= 0 and math.isfinite(value)):
            raise ShannonlabError(f"{name}[{d}]: fractions must be nonnegative numbers, got {value!r}")
        if value > 0:
            out[d] = out.get(d, 0.0) + float(value)
    total = sum(out.values())
    if abs(total - 1.0) > _TOL:
        raise ShannonlabError(f"{name}: fractions must sum to 1, got {total:.6g}")
    return {d: v / total for d, v in sorted(out.items())}


def parse_distribution(text: str, name: str) -> dict[int, float]:
    """``"2:0.3,3:0.7"`` (degree:fraction pairs) -> {2: 0.3, 3: 0.7}, checked.

    >>> parse_distribution("2:0.25, 3:0.75", "lambda")
    {2: 0.25, 3: 0.75}
    >>> parse_distribution("2:0.5,3:0.4", "lambda")
    Traceback (most recent call last):
    ...
    shannonlab.errors.ShannonlabError: lambda: fractions must sum to 1, got 0.9
    """
    pairs = {}
    for part in str(text).replace(" ", "").split(","):
        if not part:
            continue
        degree, sep, value = part.partition(":")
        try:
            pairs[int(degree)] = float(value)
        except ValueError:
            raise ShannonlabError(f"{name}: expected degree:fraction pairs like '2:0.3,3:0.7', got {text!r}") from None
        if not sep:
            raise ShannonlabError(f"{name}: expected degree:fraction pairs like '2:0.3,3:0.7', got {text!r}")
    return _check_distribution(pairs, name, 2 if name.startswith("rho") else 1)


@dataclass(frozen=True)
class Ensemble:
    """An LDPC ensemble by its edge-perspective degree distributions λ and ρ
    ({degree: fraction of edges}); fractions must sum to 1."""

    lam: dict
    rho: dict
    name: str = ""

    def __post_init__(self):
        object.__setattr__(self, "lam", _check_distribution(self.lam, "lambda", 1))
        object.__setattr__(self, "rho", _check_distribution(self.rho, "rho", 2))
        if not self.name:
            object.__setattr__(self, "name", self._default_name())

    def _default_name(self) -> str:
        if len(self.lam) == 1 and len(self.rho) == 1:
            return f"({next(iter(self.lam))},{next(iter(self.rho))})"
        show = lambda d: "+".join(f"{v:.3g}x^{k - 1}" for k, v in d.items())
        return f"λ={show(self.lam)}, ρ={show(self.rho)}"

    @classmethod
    def regular(cls, dv: int, dc: int) -> "Ensemble":
        """The (dv, dc)-regular ensemble, λ(x) = x^(dv-1), ρ(x) = x^(dc-1)."""
        if dv < 1 or dc < 2 or int(dv) != dv or int(dc) != dc:
            raise ShannonlabError(f"dv, dc: need integers dv >= 1 and dc >= 2, got dv={dv}, dc={dc}")
        return cls({int(dv): 1.0}, {int(dc): 1.0})

    @classmethod
    def from_node_perspective(cls, variable: dict, check: dict, name: str = "") -> "Ensemble":
        r"""From node fractions L_i, R_j: :math:`\lambda_i = iL_i/\sum_k kL_k`."""
        variable = _check_distribution(variable, "lambda (node perspective)", 1)
        check = _check_distribution(check, "rho (node perspective)", 2)
        to_edge = lambda d: {k: k * v / sum(j * w for j, w in d.items()) for k, v in d.items()}
        return cls(to_edge(variable), to_edge(check), name)

    @classmethod
    def from_check_matrix(cls, H, name: str = "") -> "Ensemble":
        """The edge degree distributions of a parity-check matrix (dense or scipy sparse).

        >>> Ensemble.from_check_matrix(np.array([[1, 1, 1, 0], [0, 1, 1, 1]])).lam
        {1: 0.3333333333333333, 2: 0.6666666666666666}
        """
        H = H.toarray() if hasattr(H, "toarray") else np.asarray(H)
        cols, rows = H.astype(bool).sum(axis=0), H.astype(bool).sum(axis=1)
        edges = float(cols.sum())
        lam = {int(d): float(d * np.sum(cols == d) / edges) for d in np.unique(cols) if d > 0}
        rho = {int(d): float(d * np.sum(rows == d) / edges) for d in np.unique(rows) if d > 0}
        return cls(lam, {d: v for d, v in rho.items() if d >= 2} or {2: 1.0}, name)

    @property
    def rate(self) -> float:
        """Design rate 1 − Σρ_j/j / Σλ_i/i."""
        return 1.0 - sum(v / d for d, v in self.rho.items()) / sum(v / d for d, v in self.lam.items())

    def node_perspective(self) -> tuple[dict, dict]:
        """(L, R): fractions of variable and check nodes of each degree."""
        to_node = lambda d: {k: (v / k) / sum(w / j for j, w in d.items()) for k, v in d.items()}
        return to_node(self.lam), to_node(self.rho)

    def lam_poly(self, x):
        """λ(x) = Σ λ_i x^(i−1), elementwise."""
        return sum(v * np.power(x, d - 1) for d, v in self.lam.items())

    def rho_poly(self, x):
        """ρ(x) = Σ ρ_j x^(j−1), elementwise."""
        return sum(v * np.power(x, d - 1) for d, v in self.rho.items())


@dataclass(frozen=True)
class Protograph:
    """A protograph: ``base`` (m × n) of edge counts (0 = no edge) and the indices of the
    punctured variable nodes."""

    base: np.ndarray
    punctured: tuple = ()
    name: str = "protograph"
    _: int = field(default=0, repr=False)

    def __post_init__(self):
        base = np.asarray(self.base)
        if base.ndim != 2 or base.shape[0] < 1:
            raise ShannonlabError("base_matrix: needs at least one check row (a 2-D matrix of edge counts)")
        if base.shape[1] < 1:
            raise ShannonlabError("base_matrix: needs at least one variable column")
        if not np.all(np.isfinite(base)) or np.any(base < 0) or np.any(base != np.round(base)):
            raise ShannonlabError("base_matrix: entries must be nonnegative integer edge counts")
        base = base.astype(np.int64)
        if np.any(base.sum(axis=0) == 0):
            raise ShannonlabError(f"base_matrix: variable column {int(np.flatnonzero(base.sum(axis=0) == 0)[0])} has no edge")
        if np.any(base.sum(axis=1) < 2):
            raise ShannonlabError(f"base_matrix: check row {int(np.flatnonzero(base.sum(axis=1) < 2)[0])} has fewer than 2 edges")
        punctured = tuple(sorted(int(j) for j in self.punctured))
        if any(not 0 <= j < base.shape[1] for j in punctured) or len(set(punctured)) != len(punctured):
            raise ShannonlabError(f"punctured: must be distinct column indices in 0..{base.shape[1] - 1}, got {list(self.punctured)}")
        if len(punctured) >= base.shape[1]:
            raise ShannonlabError("punctured: at least one variable node must be transmitted")
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "punctured", punctured)

    @classmethod
    def from_shifts(cls, shifts: np.ndarray, punctured=(), name: str = "protograph") -> "Protograph":
        """A QC shift table (−1: zero block, s >= 0: one circulant) as a protograph."""
        return cls((np.asarray(shifts) >= 0).astype(np.int64), punctured, name)

    @classmethod
    def load(cls, spec: str, punctured=()) -> "Protograph":
        """A text FILE of edge counts (one row per line, '#' comments; a line
        ``# punctured: 0 1`` names punctured columns). The standard base graphs (5G NR,
        802.11n) are built by ``shannonlab.codes.ldpc.protographs.protograph(name)``."""
        spec = str(spec)
        path = Path(spec)
        if not path.is_file():
            raise ShannonlabError(f"base_matrix: no such file {spec!r} (or use nr-bg1, nr-bg2, ieee80211n:N:RATE)")
        rows, found = [], list(punctured)
        for line in path.read_text().splitlines():
            text, _, comment = line.partition("#")
            if comment.strip().startswith("punctured:"):
                found += [int(v) for v in comment.split(":", 1)[1].replace(",", " ").split()]
            if text.strip():
                try:
                    rows.append([float(v) for v in text.split()])
                except ValueError:
                    raise ShannonlabError(f"base_matrix: {spec}: rows must hold numbers, got {text.strip()!r}") from None
        if not rows:
            raise ShannonlabError(f"base_matrix: {spec} has no check rows")
        if len({len(r) for r in rows}) != 1:
            raise ShannonlabError(f"base_matrix: {spec}: rows have different lengths")
        return cls(np.array(rows), tuple(found), path.stem)

    @property
    def rate(self) -> float:
        """(n − m)/(n − punctured): information bits per transmitted bit."""
        m, n = self.base.shape
        return (n - m) / (n - len(self.punctured))

    @property
    def transmitted(self) -> np.ndarray:
        """Boolean mask of the transmitted variable nodes."""
        mask = np.ones(self.base.shape[1], dtype=bool)
        mask[list(self.punctured)] = False
        return mask
