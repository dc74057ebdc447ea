r"""Additive white Gaussian noise channel with BPSK, LLR output.

Bit b is sent as :math:`x = 1 - 2b` with unit energy Es = 1; the receiver sees
:math:`y = x + \sigma z`, :math:`\sigma^2 = N_0/2 = 1/(2\,E_s/N_0)`, and outputs
:math:`L = 2y/\sigma^2`. Eb/N0 is per information bit: :math:`E_s/N_0 = R\,E_b/N_0`
for a code of rate R (one bit per BPSK symbol).

``capacity()`` is the binary-input (BPSK) capacity; ``gaussian_capacity()`` is the
Gaussian-input value :math:`\tfrac12\log_2(1 + 2E_s/N_0)` of the real channel, whose SNR
:math:`P/\sigma^2 = 2E_s/N_0`; ``hard_crossover()`` is the crossover of the BSC seen by a
receiver that slices y, :math:`p = Q(\sqrt{2E_s/N_0})`.

Example
-------
>>> ch = AWGN(ebn0_db=0.0, rate=0.5)
>>> round(ch.sigma2, 6)
1.0
>>> round(ch.hard_crossover(), 4)
0.1587
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import model_serializer

import numpy as np

from ..theory.capacity import biawgn_capacity, gaussian_capacity
from ..theory.discretisation import gaussian_input_grid, quantised_awgn_matrix
from ..theory.finite_length import biawgn_normal_approximation_fer
from ..theory.limits import shannon_limit_ebn0_db, shannon_limit_esn0_db
from ..theory.uncoded import bpsk_ber
from ..theory.units import db_to_linear, ebn0_db_from_esn0_db, esn0_db_from_ebn0_db, linear_to_db
from .base import CapacityModel, Channel, db_parameter
from .bicm import ModulatedSpec
from .bsc import BSC


class AWGN(Channel):
    """BPSK over real AWGN at one operating point: give ``ebn0_db`` and ``rate``, or ``esn0_db``."""

    def __init__(self, ebn0_db: float | None = None, rate: float = 1.0, esn0_db: float | None = None):
        if (ebn0_db is None) == (esn0_db is None):
            raise ValueError("AWGN needs exactly one of ebn0_db and esn0_db")
        if not 0.0 < rate <= 1.0:
            raise ValueError(f"rate must be in (0, 1], got {rate}")
        if esn0_db is None:
            esn0_db = esn0_db_from_ebn0_db(ebn0_db, rate)
        self.rate = float(rate)
        self.esn0_db = float(esn0_db)
        self.ebn0_db = ebn0_db_from_esn0_db(self.esn0_db, rate)
        self.esn0 = db_to_linear(self.esn0_db)
        self.sigma2 = 1.0 / (2.0 * self.esn0)
        self.sigma = math.sqrt(self.sigma2)

    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        y = rng.standard_normal(c.shape)
        y *= self.sigma
        y += 1.0 - 2.0 * c
        y *= 2.0 / self.sigma2
        return y

    def capacity(self) -> float:
        return biawgn_capacity(self.esn0)

    def gaussian_capacity(self) -> float:
        return gaussian_capacity(2.0 * self.esn0)

    def hard_crossover(self) -> float:
        return bpsk_ber(self.esn0)

    def bpsk_esn0(self) -> float:
        return self.esn0

    def hard_decision_bsc(self) -> BSC:
        """The BSC a receiver that slices y sees."""
        return BSC(self.hard_crossover())

    def __repr__(self) -> str:
        return f"AWGN(esn0_db={self.esn0_db:.4g}, ebn0_db={self.ebn0_db:.4g}, rate={self.rate:.4g})"


#: The axes of the AWGN channel: per information bit, per BPSK symbol, per real dimension.
EBN0 = db_parameter("Eb/N0 per information bit in dB", "Eb/N0 (dB)")
ESN0 = db_parameter("Es/N0 per BPSK symbol in dB", "Es/N0 (dB)")
SNR = db_parameter("SNR P/σ² per real dimension in dB (2 Es/N0 for BPSK)", "SNR P/σ² (dB)")
_CAPACITY_AXES = {"snr_db": SNR, "esn0_db": ESN0, "ebn0_db": EBN0}


def esn0_of(parameter: str, value: float, rate: float) -> float:
    """Linear Es/N0 per BPSK symbol at ``parameter = value`` (``ebn0_db`` at code rate ``rate``,
    ``esn0_db``, or ``snr_db`` = P/σ² = 2 Es/N0)."""
    if parameter == "ebn0_db":
        return db_to_linear(esn0_db_from_ebn0_db(value, rate))
    if parameter == "snr_db":
        return db_to_linear(value) / 2.0
    return db_to_linear(value)


class AWGNSpec(ModulatedSpec):
    """``{type: awgn, modulation: 16qam, demapper: exact}``: complex AWGN with any
    constellation (BICM: bit interleaver, mapper, demapper); a sweep runs over ``ebn0_db``,
    ``esn0_db`` or ``snr_db`` (= Es/N0 per complex symbol).

    Plain BPSK without an interleaver (``{type: awgn}``, the default) is the real BPSK channel
    :class:`AWGN` it always was: the same numbers bit for bit, and the same stored config
    (the new keys are left out of it while they hold their defaults)."""

    type: Literal["awgn"] = "awgn"
    capacity_models = {
        "awgn": CapacityModel("Gaussian input", "real AWGN with Gaussian input", "1/2 log2(1 + SNR), SNR = P/σ²",
                              _CAPACITY_AXES),
        "gaussian": CapacityModel("Gaussian input", "real AWGN with Gaussian input (as awgn)",
                                  "1/2 log2(1 + SNR), SNR = P/σ²", _CAPACITY_AXES),
        "biawgn": CapacityModel("BI-AWGN", "BPSK on real AWGN (binary input)", "BPSK input, quadrature",
                                _CAPACITY_AXES),
    }

    @model_serializer(mode="wrap")
    def _without_new_defaults(self, handler):
        """The stored config of plain BPSK is what it was before modulation came (so the config
        hash, the seeds and committed results stay); any other choice is stored in full."""
        data = handler(self)
        if self.legacy:
            for key, default in (("demapper", "exact"), ("interleaver", "none"), ("interleaver_seed", 1)):
                if data.get(key, default) == default:
                    data.pop(key, None)
        return {"type": data.pop("type"), **data}

    @property
    def legacy(self) -> bool:
        """Plain BPSK without an interleaver: the real BPSK channel :class:`AWGN`."""
        return self.modulation == "bpsk" and self.interleaver in (None, "none")

    def build(self, parameter: str, value: float, rate: float):
        if self.legacy:
            # snr_db of a sweep is Es/N0 per complex symbol, as on every modulated channel
            esn0 = db_to_linear(value) if parameter == "snr_db" else esn0_of(parameter, value, rate)
            return AWGN(esn0_db=linear_to_db(esn0), rate=rate)
        return self._channel(parameter, value, rate, None)

    def _legacy_esn0(self, parameter: str, value: float, rate: float) -> float:
        return db_to_linear(value) if parameter == "snr_db" else esn0_of(parameter, value, rate)

    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        if not self.legacy:
            return super().capacities(parameter, value, rate)
        esn0 = self._legacy_esn0(parameter, value, rate)
        return {"BI-AWGN": biawgn_capacity(esn0), "Gaussian input": gaussian_capacity(2.0 * esn0)}

    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        if not self.legacy:
            return super().thresholds(parameter, rate)
        limit = shannon_limit_ebn0_db if parameter == "ebn0_db" else shannon_limit_esn0_db
        return {"BI-AWGN": limit(rate, "binary"), "Gaussian input": limit(rate, "gaussian")}

    def model_capacity(self, name: str, parameter: str, value: float, rate: float = 1.0) -> float:
        """The capacity models of the real AWGN channel (``shannonlab capacity awgn|biawgn``),
        whose ``snr_db`` is P/σ² per real dimension (2 Es/N0 for BPSK)."""
        model = self.capacity_models[name]
        model.parameters[parameter].check(parameter, value)
        esn0 = esn0_of(parameter, value, rate)
        return {"BI-AWGN": biawgn_capacity(esn0), "Gaussian input": gaussian_capacity(2.0 * esn0)}[model.key]

    def channel_matrix(self, name, parameter, value, discretisation):
        """BPSK or a Gaussian input grid (cost x², budget P) at SNR P/σ² = 2 Es/N0, noise
        variance 1, outputs quantised (:mod:`shannonlab.theory.discretisation`)."""
        power = 2.0 * esn0_of(parameter, value, 1.0)
        d = discretisation
        if self.capacity_models[name].key == "BI-AWGN":
            x = np.array([-math.sqrt(power), math.sqrt(power)])
            return quantised_awgn_matrix(x, d.output_step, d.output_margin), None, 0.0
        x = gaussian_input_grid(power, d.input_step, d.input_span)
        return quantised_awgn_matrix(x, d.output_step, d.output_margin), x**2, power

    def matrix_shape(self, name, parameter, value, discretisation):
        power = 2.0 * esn0_of(parameter, value, 1.0)
        d = discretisation
        if self.capacity_models[name].key == "BI-AWGN":
            inputs, span = 2, 2 * math.sqrt(power)
        else:
            half = math.ceil(d.input_span * math.sqrt(power) / d.input_step)
            inputs, span = 2 * half + 1, 2 * half * d.input_step
        return inputs, math.ceil((span + 2 * d.output_margin) / d.output_step)

    def normal_approximation_fer(self, parameter: str, value: float, n: int, k: int) -> float | None:
        """Best FER of any (n, k) code with BPSK here (PPV normal approximation, BI-AWGN);
        None for other constellations (no dispersion offered)."""
        if not self.legacy:
            return None
        return biawgn_normal_approximation_fer(self._legacy_esn0(parameter, value, k / n), n, k)

    def finite_length_fer(self, bound: str, parameter: str, value: float, n: int, k: int) -> float | None:
        """RCU, DT, meta-converse or normal approximation of BPSK codes (BI-AWGN; saddlepoint);
        None for other constellations."""
        if not self.legacy:
            return None
        from ..theory.bounds import fer_bound

        ebn0_db = linear_to_db(self._legacy_esn0(parameter, value, k / n) / (k / n))
        return fer_bound(bound, "biawgn", n, k, ebn0_db=ebn0_db)
