r"""A labelled constellation: points in the complex plane, the m-bit label of each, mapping
of bits to symbols and demapping of received symbols to bit LLRs.

Conventions (as everywhere in shannonlab): energy normalised to :math:`E_s = \frac1M\sum|x|^2
= 1`; symbol s of a frame carries coded bits :math:`s m \dots s m + m - 1`, the first of
them the most significant bit of the label; LLR = ln P(b=0|y)/P(b=1|y); a received symbol
is :math:`y = h x + n` with :math:`n \sim \mathcal{CN}(0, N_0)` (variance N0/2 per real
dimension), so :math:`E_s/N_0 = 1/N_0`.

Names (``Constellation.from_name``): ``bpsk``, ``qpsk``, ``<M>psk`` (8psk, 16psk, ...),
``<M>qam`` (square, 4 .. 1024), ``<M>pam`` (4pam, 8pam, ...), ``16apsk``, ``32apsk``
(DVB-S2, ring radii of a code rate, default 3/4); labelling ``gray`` (default),
``natural`` or ``set-partition``. A custom constellation: ``Constellation.from_mapping(
{"points": [[re, im], ...], "labels": [...]})`` (labels as integers or bit strings; points
are rescaled to unit energy).

Example
-------
>>> import numpy as np
>>> c = Constellation.from_name("16qam")
>>> c.M, c.m, round(c.energy, 12)
(16, 4, 1.0)
>>> bits = np.array([[0, 0, 0, 0, 1, 1, 1, 1]], dtype=np.uint8)
>>> y = c.map(bits)
>>> y.shape, np.round(y * np.sqrt(10), 6).tolist()
((1, 2), [[(3+3j), (-1-1j)]])
>>> llr = c.demap(y, n0=0.01, method="exact")
>>> (llr < 0).astype(int).tolist()
[[0, 0, 0, 0, 1, 1, 1, 1]]
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ShannonlabError
from . import apsk as _apsk
from .demapping import METHODS, demap_rails, demap_symbols
from .labelling import LABELLINGS, bits_of
from .psk import psk
from .qam import pam, square_qam

#: Named constellations beyond the families (every ``<M>psk``, ``<M>qam``, ``<M>pam`` works).
NAMED = ("bpsk", "qpsk", "8psk", "16psk", "16qam", "64qam", "256qam", "1024qam", "4pam", "8pam", "16apsk", "32apsk")
_PATTERN = re.compile(r"^(\d+)(psk|qam|pam|apsk)$")
#: Largest square QAM and largest M of the other families.
MAX_QAM = 1024
MAX_M = 1024


class Constellation:
    """M = 2^m labelled points with unit average energy.

    ``points[i]`` carries label ``labels[i]``; :attr:`bits` (M, m) are those labels' bits,
    most significant first. ``rail`` is ``(amplitudes, rail_bits, rails)`` when the
    constellation is a product of real rails (PAM: one rail; square QAM with Gray or natural
    labels: two), which the demapper and the capacity quadrature exploit.
    """

    def __init__(self, points, labels=None, name: str = "custom", rail: tuple | None = None,
                 field: str = "modulation", labelling: str = "custom"):
        pts = np.asarray(points, dtype=np.complex128).reshape(-1)
        M = pts.size
        if M < 2 or M & (M - 1):
            raise ShannonlabError(f"{field}.points: the number of points M must be a power of two >= 2, got {M}")
        if not np.isfinite(pts).all():
            raise ShannonlabError(f"{field}.points: every coordinate must be a finite number")
        energy = float(np.mean(np.abs(pts) ** 2))
        if energy <= 0.0:
            raise ShannonlabError(f"{field}.points: all points are at the origin; they need some energy")
        pts = pts / math.sqrt(energy)
        m = M.bit_length() - 1
        if labels is None:
            labels = np.arange(M)
        lab = np.asarray(labels).reshape(-1)
        if lab.size != M:
            raise ShannonlabError(f"{field}.labels: needs one label per point ({M}), got {lab.size}")
        if not np.issubdtype(lab.dtype, np.integer):
            raise ShannonlabError(f"{field}.labels: must be integers 0..{M - 1} or bit strings of length {m}")
        lab = lab.astype(np.int64)
        if sorted(lab.tolist()) != list(range(M)):
            seen, repeated, outside = set(), None, None
            for value in lab.tolist():
                if not 0 <= value < M:
                    outside = value if outside is None else outside
                elif value in seen and repeated is None:
                    repeated = value
                seen.add(value)
            why = f"label {outside} is outside 0..{M - 1}" if outside is not None else f"label {repeated} appears twice"
            raise ShannonlabError(f"{field}.labels: must be a permutation of 0..{M - 1} (one per point), but {why}")
        distance = np.abs(pts[:, None] - pts[None, :]) + np.eye(M)
        if distance.min() < 1e-9:
            i, j = np.unravel_index(np.argmin(distance), distance.shape)
            raise ShannonlabError(f"{field}.points: points {i} and {j} coincide; every point must be distinct")
        self.name = name
        #: gray, natural, set-partition (named constellations; APSK: the standard's) or custom
        self.labelling = labelling
        self.points = pts
        self.labels = lab
        self.M, self.m = M, m
        self.bits = bits_of(lab, m)
        #: points_by_label[l] is the point labelled l (what the mapper looks up)
        self.points_by_label = np.empty(M, dtype=np.complex128)
        self.points_by_label[lab] = pts
        self.rail = rail
        self.is_real = bool(np.all(np.abs(pts.imag) < 1e-15))
        for array in (self.points, self.labels, self.bits, self.points_by_label):
            array.flags.writeable = False

    # -- construction ------------------------------------------------------------------

    @classmethod
    def from_name(cls, name: str, labelling: str = "gray", code_rate: str | None = None,
                  field: str = "modulation") -> "Constellation":
        """A named constellation (see the module docstring); ``code_rate`` picks the DVB-S2
        ring radii of 16/32-APSK (default 3/4)."""
        return _named(str(name).strip().lower(), labelling, None if code_rate is None else str(code_rate), field)

    @classmethod
    def from_mapping(cls, spec: Any, field: str = "modulation") -> "Constellation":
        """A constellation from a YAML value: a name, ``{name, labelling, code_rate}`` or
        ``{points: [[re, im], ...], labels: [...]}``."""
        if isinstance(spec, Constellation):
            return spec
        if isinstance(spec, str):
            return cls.from_name(spec, field=field)
        if not isinstance(spec, dict):
            raise ShannonlabError(f"{field}: must be a constellation name ({', '.join(NAMED)}) or a mapping "
                                  f"{{points: [[re, im], ...], labels: [...]}}, got {spec!r}")
        if "points" in spec:
            unknown = set(spec) - {"points", "labels", "name"}
            if unknown:
                raise ShannonlabError(f"{field}: unknown key {sorted(unknown)[0]!r} of a custom constellation "
                                      "(allowed: points, labels, name)")
            return _custom(spec["points"], spec.get("labels"), str(spec.get("name", "custom")), field)
        unknown = set(spec) - {"name", "labelling", "code_rate"}
        if unknown:
            raise ShannonlabError(f"{field}: unknown key {sorted(unknown)[0]!r} (a named constellation takes "
                                  "name, labelling, code_rate; a custom one points, labels)")
        if "name" not in spec:
            raise ShannonlabError(f"{field}: needs 'name' (e.g. 16qam) or 'points' and 'labels'")
        return cls.from_name(spec["name"], spec.get("labelling", "gray"), spec.get("code_rate"), field)

    # -- properties --------------------------------------------------------------------

    @property
    def energy(self) -> float:
        """Average symbol energy (1 after normalisation)."""
        return float(np.mean(np.abs(self.points) ** 2))

    @property
    def min_distance(self) -> float:
        distance = np.abs(self.points[:, None] - self.points[None, :]) + np.eye(self.M) * 1e300
        return float(distance.min())

    def __repr__(self) -> str:
        return f"Constellation({self.name!r}, M={self.M})"

    # -- mapping and demapping -----------------------------------------------------------

    def map(self, bits: np.ndarray) -> np.ndarray:
        """uint8 bits (F, S·m) -> complex symbols (F, S); symbol s takes bits s·m .. s·m+m-1,
        the first one the most significant of the label."""
        bits = np.asarray(bits)
        F, n = bits.shape
        if n % self.m:
            raise ShannonlabError(f"bits: {n} bits per frame is not a multiple of m = {self.m} bits per symbol")
        weights = (1 << np.arange(self.m - 1, -1, -1)).astype(np.int64)
        labels = bits.reshape(F, n // self.m, self.m).astype(np.int64) @ weights
        return self.points_by_label[labels]

    def demap(self, y: np.ndarray, n0, method: str = "exact", h: np.ndarray | None = None) -> np.ndarray:
        r"""Bit LLRs (F, S·m) float64 of received symbols y (F, S) with noise density ``n0``
        (a number, or an array broadcast to (F, S)) and, on a fading channel, the gains h
        (F, S) known at the receiver: y = h x + n. ``method``: ``exact`` (log-MAP, log-sum-exp
        over the constellation) or ``max-log``. See :mod:`.demapping`."""
        if method not in METHODS:
            raise ShannonlabError(f"method: must be one of {', '.join(METHODS)}, got {method!r}")
        y = np.asarray(y)
        if y.ndim != 2:
            raise ShannonlabError(f"y: must be a 2-D array of symbols (frames, symbols), got shape {y.shape}")
        F, S = y.shape
        n0 = np.asarray(n0, dtype=np.float64)
        if not np.all(n0 > 0) or not np.all(np.isfinite(n0)):
            raise ShannonlabError("n0: the noise density must be a finite number > 0")
        if h is None:
            z = y.reshape(-1)
            w = (1.0 / n0).reshape(1) if n0.ndim == 0 else np.broadcast_to(1.0 / n0, (F, S)).reshape(-1)
        else:
            h = np.broadcast_to(np.asarray(h, dtype=np.complex128), (F, S)).reshape(-1)
            power = h.real ** 2 + h.imag ** 2
            with np.errstate(divide="ignore", invalid="ignore"):
                z = np.where(power > 0, y.reshape(-1) / np.where(power > 0, h, 1.0), 0.0)
            w = power / np.broadcast_to(n0, (F, S)).reshape(-1)
        if self.rail is not None:
            amplitudes, rail_bits, rails = self.rail
            llr = demap_rails(z, w, amplitudes, rail_bits, rails, method)
        else:
            llr = demap_symbols(z, w, self.points, self.bits, method)
        return llr.reshape(F, S * self.m)

    def hard_decision(self, y: np.ndarray) -> np.ndarray:
        """Index of the nearest point for each symbol (F, S) (maximum-likelihood on AWGN)."""
        y = np.asarray(y)
        return np.argmin(np.abs(y[..., None] - self.points), axis=-1)


# -- builders -------------------------------------------------------------------------------


def _rail_of(M_rail: int, labelling: str, rails: int, scale: float) -> tuple:
    """The rail (amplitudes, rail bits, rails) of PAM (rails=1) or square QAM (rails=2)."""
    from .labelling import gray_code
    from .qam import pam_amplitudes

    a = pam_amplitudes(M_rail) / scale
    labels = gray_code(M_rail) if labelling == "gray" else np.arange(M_rail, dtype=np.int64)
    return a, bits_of(labels, M_rail.bit_length() - 1), rails


@lru_cache(maxsize=64)
def _named(name: str, labelling: str, code_rate: str | None, field: str) -> Constellation:
    if labelling not in LABELLINGS:
        raise ShannonlabError(f"{field}.labelling: must be one of {', '.join(LABELLINGS)}, got {labelling!r}")
    aliases = {"bpsk": "2pam", "qpsk": "4qam"}
    key = aliases.get(name, name)
    match = _PATTERN.match(key)
    if not match:
        raise ShannonlabError(f"{field}: unknown constellation {name!r} (allowed: {', '.join(NAMED)}, any <M>psk, "
                              "<M>qam, <M>pam, or a mapping {points, labels})")
    M, family = int(match.group(1)), match.group(2)
    if M < 2 or M & (M - 1):
        raise ShannonlabError(f"{field}: {name!r}: M = {M} is not a power of two (M = 2^m points carry m bits)")
    if M > MAX_M:
        raise ShannonlabError(f"{field}: {name!r}: M = {M} is above the largest supported {MAX_M}")
    if code_rate is not None and family != "apsk":
        raise ShannonlabError(f"{field}.code_rate: only the DVB-S2 16apsk and 32apsk take a code rate, not {name!r}")
    if family == "psk":
        if labelling == "set-partition":
            labelling = "natural"  # the natural order of PSK is Ungerboeck's partition
        points, labels = psk(M, labelling)
        return Constellation(points, labels, name, field=field, labelling=labelling)
    if family == "pam":
        points, labels = pam(M, "natural" if labelling == "set-partition" else labelling)
        rail = _rail_of(M, "natural" if labelling == "set-partition" else labelling, 1,
                        math.sqrt(np.mean(np.square(np.arange(M) * 2.0 - M + 1))))
        return Constellation(points, labels, name, rail=rail, field=field, labelling=labelling)
    if family == "qam":
        side = math.isqrt(M)
        if side * side != M or M < 4:
            raise ShannonlabError(f"{field}: {name!r}: square M-QAM needs M = 4, 16, 64, 256 or 1024 (M an even "
                                  f"power of two), got M = {M}")
        points, labels = square_qam(M, labelling)
        rail = None
        if labelling != "set-partition":
            rail = _rail_of(side, labelling, 2, math.sqrt(2.0 * (M - 1) / 3.0))
        return Constellation(points, labels, name, rail=rail, field=field, labelling=labelling)
    if M not in (16, 32):
        raise ShannonlabError(f"{field}: {name!r}: APSK is the DVB-S2 16apsk or 32apsk")
    if labelling != "gray":
        raise ShannonlabError(f"{field}.labelling: {name} has the standard's labels only, "
                              f"got {labelling!r}")
    try:
        points, labels = _apsk.dvbs2_apsk(M, code_rate)
    except ValueError as exc:
        raise ShannonlabError(f"{field}.{exc}") from None
    return Constellation(points, labels, name if code_rate is None else f"{name} ({code_rate})", field=field,
                         labelling="gray")


def _custom(points, labels, name: str, field: str) -> Constellation:
    try:
        arr = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise ShannonlabError(f"{field}.points: must be a list of [re, im] pairs of numbers") from None
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ShannonlabError(f"{field}.points: must be a list of [re, im] pairs, got shape {arr.shape}")
    M = arr.shape[0]
    if labels is not None:
        if not isinstance(labels, (list, tuple)):
            raise ShannonlabError(f"{field}.labels: must be a list of integers or bit strings")
        m = max(M.bit_length() - 1, 1)
        parsed = []
        for i, label in enumerate(labels):
            if isinstance(label, bool):
                raise ShannonlabError(f"{field}.labels[{i}]: must be an integer or a bit string, got {label!r}")
            if isinstance(label, str):
                if not re.fullmatch(r"[01]+", label) or len(label) != m:
                    raise ShannonlabError(f"{field}.labels[{i}]: a bit string must have {m} characters 0/1, "
                                          f"got {label!r}")
                parsed.append(int(label, 2))
            elif isinstance(label, (int, np.integer)):
                parsed.append(int(label))
            else:
                raise ShannonlabError(f"{field}.labels[{i}]: must be an integer or a bit string, got {label!r}")
        labels = np.array(parsed, dtype=np.int64)
    return Constellation(arr[:, 0] + 1j * arr[:, 1], labels, name, field=field)
