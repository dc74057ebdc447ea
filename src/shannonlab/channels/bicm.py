r"""Bit-interleaved coded modulation over complex AWGN or flat fading: the coded bits are
interleaved, mapped m at a time onto a labelled constellation, sent through
:math:`y = h x + n`, :math:`n \sim \mathcal{CN}(0, N_0)`, demapped to bit LLRs (exact log-MAP
or max-log, with the gain h known at the receiver) and deinterleaved, so every binary code of
the project runs on every constellation.

Conventions (the sweep parameters of every modulated channel):

* ``esn0_db``: :math:`E_s/N_0` per complex symbol in dB (average received energy, E|h|² = 1);
* ``snr_db``: the same number, the complex-baseband SNR :math:`P/(N_0 W)` at one symbol per
  second per hertz, whose Gaussian-input capacity is :math:`\log_2(1 + \mathrm{SNR})` bits per
  symbol (for BPSK too: its noise has N0/2 in the dimension it uses);
* ``ebn0_db``: per information bit, :math:`E_s/N_0 = R\,m\,E_b/N_0` for a rate-R code and m
  bits per symbol. A codeword whose length n is not a multiple of m is padded with random
  bits to :math:`S = \lceil n/m\rceil` symbols, whose energy counts: :math:`E_s/N_0 =
  (k/S)\,E_b/N_0`, k = R n (the rate per symbol is k/S, below R m).

Fading (:class:`Fading`): ``fast`` draws an independent gain per symbol; ``block`` keeps one
gain for ``coherence_symbols`` consecutive symbols of a frame, or for the whole frame when
that is not given. Gains are drawn before the noise from the chunk's random stream; the
interleaver's permutation is fixed by the spec (``interleaver_seed``) and n, never drawn
from that stream.

Example
-------
>>> import numpy as np
>>> from shannonlab.modulation import Constellation
>>> ch = BICMChannel(Constellation.from_name("16qam"), esn0_db=30.0)
>>> c = np.random.default_rng(1).integers(0, 2, (2, 40), dtype=np.uint8)
>>> llr = ch.transmit(c, np.random.default_rng(2))
>>> llr.shape, bool(np.all((llr < 0) == (c == 1)))
((2, 40), True)
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from ..errors import ShannonlabError
from ..modulation import Constellation, Interleaver
from ..theory import coded_modulation as cm
from ..theory.fading import rayleigh_ergodic_capacity
from ..theory.uncoded import bpsk_ber, pam_ber, psk_ber, q_average, qam_ber, rail_map_ber
from ..theory.fading import fading_average
from ..theory.units import db_to_linear, linear_to_db
from .base import Channel, ChannelSpec, db_parameter


class Fading:
    """Flat fading gains with E|h|² = 1: ``kind`` rayleigh or rician (``k_factor`` linear),
    ``fast`` (one gain per symbol) or block (``coherence_symbols`` per gain, None: one per
    frame)."""

    def __init__(self, kind: str = "rayleigh", k_factor: float = 0.0, fast: bool = True,
                 coherence_symbols: int | None = None):
        self.kind, self.k_factor, self.fast, self.coherence_symbols = kind, float(k_factor), fast, coherence_symbols

    @property
    def memoryless(self) -> bool:
        return self.fast or self.coherence_symbols == 1

    def gains(self, frames: int, symbols: int, rng: np.random.Generator) -> np.ndarray:
        """Complex gains (frames, symbols)."""
        if self.fast:
            blocks, length = symbols, 1
        elif self.coherence_symbols is None:
            blocks, length = 1, symbols
        else:
            length = self.coherence_symbols
            blocks = -(-symbols // length)
        scatter = rng.standard_normal((frames, blocks, 2)).view(np.complex128)[..., 0] * math.sqrt(0.5)
        K = self.k_factor
        h = math.sqrt(K / (K + 1.0)) + scatter * math.sqrt(1.0 / (K + 1.0)) if K > 0 else scatter
        if length > 1:
            h = np.repeat(h, length, axis=1)[:, :symbols]
        return h

    @property
    def fading_name(self) -> str:
        return self.kind

    def __repr__(self) -> str:
        how = "fast" if self.fast else f"block {self.coherence_symbols or 'frame'}"
        k = f", K={self.k_factor:g}" if self.kind == "rician" else ""
        return f"{self.kind} {how}{k}"


class BICMChannel(Channel):
    """Interleaver -> mapper -> (fading) -> complex AWGN -> demapper -> deinterleaver, at one
    operating point: give ``esn0_db`` (per symbol), or ``ebn0_db`` with the code ``rate``."""

    def __init__(self, constellation: Constellation, esn0_db: float | None = None, ebn0_db: float | None = None,
                 rate: float = 1.0, demapper: str = "exact", interleaver: Interleaver | None = None,
                 fading: Fading | None = None):
        if (esn0_db is None) == (ebn0_db is None):
            raise ValueError("BICMChannel needs exactly one of esn0_db and ebn0_db")
        if not 0.0 < rate <= 1.0:
            raise ValueError(f"rate must be in (0, 1], got {rate}")
        self.constellation = constellation
        self.m = constellation.m
        self.rate = float(rate)
        self.ebn0_db = ebn0_db
        self.esn0_db = float(esn0_db) if esn0_db is not None else float(ebn0_db) + 10 * math.log10(rate * self.m)
        self.esn0 = db_to_linear(self.esn0_db)
        self.demapper = demapper
        self.interleaver = interleaver or Interleaver("none")
        self.fading = fading

    def esn0_for_length(self, n: int) -> float:
        """Linear Es/N0 of a frame of n coded bits: the nominal one, or with ``ebn0_db`` the
        padded frame's (k/S)·Eb/N0."""
        if self.ebn0_db is None or n % self.m == 0:
            return self.esn0
        symbols = -(-n // self.m)
        return db_to_linear(self.ebn0_db) * self.rate * n / symbols

    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        F, n = c.shape
        m = self.m
        S = -(-n // m)
        bits = self.interleaver.interleave(np.asarray(c, dtype=np.uint8), m)
        if S * m != n:  # pad with random bits, so the padded symbols have the constellation's energy
            bits = np.concatenate([bits, rng.integers(0, 2, (F, S * m - n), dtype=np.uint8)], axis=1)
        x = self.constellation.map(bits)
        h = None
        if self.fading is not None:
            h = self.fading.gains(F, S, rng)
            x = h * x
        n0 = 1.0 / self.esn0_for_length(n)
        noise = rng.standard_normal((F, S, 2)).view(np.complex128)[..., 0]
        y = x + noise * math.sqrt(n0 / 2.0)
        llr = self.constellation.demap(y, n0, self.demapper, h=h)[:, :n]
        return self.interleaver.deinterleave(llr, m)

    # -- theory ---------------------------------------------------------------------------

    @property
    def _fading_args(self) -> tuple[str, float | None]:
        if self.fading is None:
            return "awgn", None
        return self.fading.kind, self.fading.k_factor

    def capacity(self) -> float:
        """CM capacity in bits per complex symbol (a channel use here is a symbol); on block
        fading the ergodic value, which a codeword spanning few gains does not reach."""
        fading, k = self._fading_args
        return cm.cm_capacity(self.constellation, self.esn0, fading, k)

    def _is(self, *names: str) -> bool:
        return self.constellation.name in names and self._gray

    @property
    def _gray(self) -> bool:
        return self.constellation.labelling == "gray"

    def bpsk_esn0(self) -> float | None:
        """Es/N0 per coded bit where every coded bit is BPSK on AWGN: BPSK, or a rail of Gray QPSK."""
        if self.fading is not None:
            return None
        if self._is("bpsk"):
            return self.esn0
        if self._is("qpsk"):
            return self.esn0 / 2.0
        return None

    def hard_crossover(self) -> float | None:
        """The BSC of sliced LLRs: BPSK or Gray QPSK on AWGN (each bit alone), BPSK on fast
        fading (independent gains); None where errors of bits depend on each other."""
        esn0 = self.bpsk_esn0()
        if esn0 is not None:
            return bpsk_ber(esn0)
        if self.fading is not None and self.fading.memoryless and self._is("bpsk"):
            fading, k = self._fading_args
            return q_average(math.sqrt(2.0), self.esn0, fading, k)
        return None

    def uncoded_ber(self) -> float | None:
        """Exact BER of bits decided by the sign of their LLR: Gray BPSK/QPSK/PSK/PAM/QAM
        (Cho & Yoon; Lee; averaged over the fading); with the exact demapper PAM and QAM
        bits follow the MAP boundaries (:func:`~shannonlab.theory.uncoded.rail_map_ber`).
        None for APSK, custom or non-Gray labels."""
        c = self.constellation
        if not self._gray:
            return None
        fading, k = self._fading_args
        name = c.name
        if name in ("bpsk", "qpsk"):
            return q_average(math.sqrt(2.0 if name == "bpsk" else 1.0), self.esn0, fading, k)
        if name.endswith("psk") and name[:-3].isdigit():
            return psk_ber(c.M, self.esn0, fading, k)  # MAP bit decisions of Gray PSK are the nearest point's
        if c.rail is not None and (name.endswith("qam") or name.endswith("pam")):
            if self.demapper == "max-log":
                ber = qam_ber if name.endswith("qam") else pam_ber
                return ber(c.M, self.esn0, fading, k)
            amplitudes, bits, _ = c.rail
            exact = lambda esn0: rail_map_ber(amplitudes, bits, 1.0 / esn0)
            return exact(self.esn0) if fading == "awgn" else fading_average(exact, self.esn0, fading, k, tol=1e-7)
        return None

    def report(self, rate: float) -> dict[str, Any]:
        return {"modulation": self.constellation.name, "bits_per_symbol": self.m, "esn0_db": self.esn0_db,
                "info_bits_per_symbol": rate * self.m}

    def __repr__(self) -> str:
        fading = f", {self.fading!r}" if self.fading else ""
        return (f"BICMChannel({self.constellation.name}, esn0_db={self.esn0_db:.4g}, rate={self.rate:.4g}, "
                f"{self.demapper}, {self.interleaver.kind}{fading})")


#: The axes of every modulated channel (see the module docstring).
EBN0 = db_parameter("Eb/N0 per information bit in dB (Es/N0 = R m Eb/N0)", "Eb/N0 (dB)")
ESN0 = db_parameter("Es/N0 per complex symbol in dB", "Es/N0 (dB)")
SNR = db_parameter("SNR = Es/N0 per complex symbol in dB (P/(N0 W))", "SNR (dB)")
MODULATED_PARAMETERS = {"ebn0_db": EBN0, "esn0_db": ESN0, "snr_db": SNR}


class ModulatedSpec(ChannelSpec):
    """The fields every modulated channel shares: ``modulation`` (a name such as 16qam, or
    ``{name, labelling, code_rate}``, or ``{points, labels}``), ``demapper`` and the bit
    interleaver."""

    modulation: str | dict[str, Any] = Field("bpsk", description="constellation: bpsk, qpsk, 8psk, 16psk, 16qam, "
                                             "64qam, 256qam, 1024qam, 4pam, 8pam, 16apsk, 32apsk, a mapping "
                                             "{name, labelling, code_rate}, or {points: [[re, im], ...], labels}")
    demapper: Literal["exact", "max-log"] = Field("exact", description="bit LLRs by exact log-MAP or max-log")
    interleaver: Literal["random", "row-column", "none"] | None = Field(
        None, description="bit interleaver between code and mapper (default: random, except none for BPSK on "
                          "AWGN)")
    interleaver_seed: int = Field(1, ge=0, description="seed of the random interleaver (fixed per spec and length)")

    parameters = MODULATED_PARAMETERS

    @model_validator(mode="before")
    @classmethod
    def _default_interleaver(cls, data):
        """A random interleaver unless the channel is BPSK on AWGN (where none is the default)."""
        if isinstance(data, dict) and data.get("interleaver") is None:
            bpsk_awgn = data.get("modulation", "bpsk") == "bpsk" and cls.fading_kind == "awgn"
            data = {**data, "interleaver": "none" if bpsk_awgn else "random"}
        return data

    @field_validator("modulation")
    @classmethod
    def _constellation(cls, v):
        try:
            Constellation.from_mapping(v)
        except ShannonlabError as exc:  # drop our field prefix: the validator adds the path
            text = str(exc)  # "modulation.labels: ..." -> ".labels: ..." (the path is added by validation)
            raise ValueError(text[len("modulation"):] if text.startswith("modulation.") else
                             text.split(": ", 1)[1] if text.startswith("modulation") else text) from None
        return v

    def constellation(self) -> Constellation:
        return Constellation.from_mapping(self.modulation)


    def _esn0(self, parameter: str, value: float, rate: float) -> float:
        if parameter == "ebn0_db":
            return db_to_linear(value) * rate * self.constellation().m
        return db_to_linear(value)

    def _axis(self, parameter: str, esn0: float, rate: float) -> float:
        """Linear Es/N0 back to the swept axis in dB."""
        if parameter == "ebn0_db":
            return linear_to_db(esn0 / (rate * self.constellation().m))
        return linear_to_db(esn0)

    # fading channels override these two
    fading_kind: ClassVar[str] = "awgn"

    def _k(self) -> float | None:
        return None

    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        """Per coded bit (C per symbol / m, to compare with the code rate): CM and BICM of
        the constellation, then Gaussian input (log2(1 + SNR), ergodic on fading)."""
        c = self.constellation()
        esn0 = self._esn0(parameter, value, rate)
        cm_bits, bicm_bits = cm.capacities(c, esn0, self.fading_kind, self._k())
        gaussian = math.log2(1.0 + esn0) if self.fading_kind == "awgn" else (
            rayleigh_ergodic_capacity(esn0) if self.fading_kind == "rayleigh" else
            fading_average(lambda s: math.log2(1.0 + s), esn0, "rician", self._k()))
        name = c.name
        return {f"CM {name}": cm_bits / c.m, f"BICM {name}": bicm_bits / c.m, "Gaussian input": gaussian / c.m}

    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        """Where the CM, BICM and Gaussian-input capacities reach R·m bits per symbol, on the axis."""
        c = self.constellation()
        bits = rate * c.m
        out = {}
        for kind in ("cm", "bicm"):
            esn0 = cm.esn0_for_rate(c, bits, kind, self.fading_kind, self._k())
            out[f"{kind.upper()} {c.name}"] = self._axis(parameter, esn0, rate) if math.isfinite(esn0) else math.inf
        if self.fading_kind == "awgn":
            gaussian = 2.0**bits - 1.0
        else:
            from scipy.optimize import brentq

            f = lambda db: self.capacities("esn0_db", db, rate)["Gaussian input"] * c.m - bits
            gaussian = db_to_linear(brentq(f, -40.0, 80.0, xtol=1e-9))
        out["Gaussian input"] = self._axis(parameter, gaussian, rate)
        return out

    def _channel(self, parameter: str, value: float, rate: float, fading: Fading | None) -> BICMChannel:
        kwargs = {"ebn0_db": value} if parameter == "ebn0_db" else {"esn0_db": value}
        return BICMChannel(self.constellation(), rate=rate, demapper=self.demapper,
                           interleaver=Interleaver(self.interleaver or "random", self.interleaver_seed),
                           fading=fading, **kwargs)
