r"""A band-limited AWGN link simulated as a waveform, in physical units, against
Shannon–Hartley.

The link
--------
A passband channel of bandwidth W (Hz) with one-sided noise density :math:`N_0` (W/Hz) and
received signal power P (W), simulated through its complex envelope (power preserved), so
the in-band SNR is :math:`P/(N_0W)` and Shannon–Hartley gives

.. math::  C = W\log_2\!\Big(1 + \frac{P}{N_0W}\Big)\ \text{bit/s}, \qquad
           C \xrightarrow{W\to\infty} \frac{P}{N_0\ln 2}.

The transmitter maps coded bits to BPSK (:math:`a = 1-2b`) or Gray QPSK
(:math:`a = ((1-2b_0) + j(1-2b_1))/\sqrt2`), upsamples by ``samples_per_symbol`` = s,
shapes with the unit-energy root-raised-cosine filter h (roll-off β, see
:mod:`.pulse_shaping`) and scales by :math:`A = \sqrt{P s}`, so the waveform's mean power is P
at the sample rate :math:`f_s = s R_s`. The channel adds complex white Gaussian noise of
density :math:`N_0` over the simulated band :math:`f_s`: variance :math:`N_0 f_s/2` per real
component and sample. The receiver filters with the same h (matched filter), takes the
sample at each symbol centre (the tap delays of both filters removed) and computes LLRs
with the noise variance present after the filter, :math:`\sigma_z^2 = (N_0 f_s/2)\sum h^2`:
:math:`L = 2 A g_0 z/\sigma_z^2` (BPSK; QPSK per component with amplitude
:math:`A g_0/\sqrt2`), :math:`g_0 = \sum h^2 = 1`. Per real dimension the SNR is then
:math:`2E_s/N_0` with :math:`E_s = P/R_s`, and uncoded BPSK (or Gray QPSK) has the BER
:math:`Q(\sqrt{2E_b/N_0})`, :math:`E_b = P/R_b`.

Rates
-----
The symbol rate :math:`R_s` defaults to the largest without inter-symbol interference,
:math:`W/(1+\beta)`, where the RRC spectrum fills the band. A lower ``symbol_rate_hz`` uses the
RRC of that rate (narrower than W). A higher one keeps the pulse of the band (period
:math:`(1+\beta)/W`) and sends symbols faster than it (faster-than-Nyquist): the spectrum stays
inside W but the matched-filter samples carry ISI, which the symbol-by-symbol receiver
treats as if it were absent. Information bit rate :math:`R_b = R\,m\,R_s` (code rate R,
m bits per symbol); :math:`E_b/N_0 = P/(N_0 R_b)`, ``snr_db`` is :math:`P/(N_0W)` in dB.

Example
-------
>>> ch = BandLimitedAWGN(bandwidth_hz=1e6, n0_w_per_hz=1e-12, power_w=1e-5)
>>> ch.symbol_rate_hz, round(ch.snr_db, 3)
(800000.0, 10.0)
>>> round(ch.capacity_bps()), round(ch.spectral_efficiency(), 4)
(3459432, 3.4594)
>>> round(ch.capacity(), 4)  # bits per coded bit (channel use) of BPSK at Es/N0 = 11 dB
1.0
>>> import numpy as np
>>> llr = ch.transmit(np.zeros((2, 100), np.uint8), np.random.default_rng(1))
>>> llr.shape, bool(np.mean(llr > 0) > 0.99)
((2, 100), True)
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator
from scipy import signal

from ..theory.capacity import biawgn_capacity, shannon_hartley
from ..theory.finite_length import biawgn_normal_approximation_fer
from ..theory.limits import shannon_limit_ebn0
from ..theory.uncoded import bpsk_ber
from ..theory.units import db_to_linear, linear_to_db
from .base import Channel, ChannelSpec, Parameter, db_parameter
from .pulse_shaping import rrc_taps

#: Thermal noise density k·T at T = 290 K, in W/Hz (-174 dBm/Hz): the default N0.
THERMAL_N0_290K = 1.380649e-23 * 290.0
#: Symbol rate limit, as a multiple of the bandwidth (faster-than-Nyquist beyond this is
#: not a link anyone builds, and the pulse would need ever more taps).
MAX_SYMBOL_RATE_PER_HZ = 2.0

BITS_PER_SYMBOL = {"bpsk": 1, "qpsk": 2}
#: Constellations beyond BPSK/QPSK the waveform carries (any named one works; these are listed).
QAM_NAMES = ("16qam", "64qam", "256qam", "1024qam")


def _constellation(modulation: str):
    """The named constellation of a modulation other than BPSK/QPSK (a ValueError naming it otherwise)."""
    from ..errors import ShannonlabError
    from ..modulation import Constellation

    try:
        return Constellation.from_name(modulation)
    except ShannonlabError as exc:
        text = str(exc)
        raise ValueError(text.split(": ", 1)[1] if text.startswith("modulation: ") else text) from None


def _positive(name: str, value: float) -> float:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be greater than 0, got {value}")
    return float(value)


class BandLimitedAWGN(Channel):
    """BPSK or QPSK with RRC pulses through white Gaussian noise in a band of ``bandwidth_hz``.

    Give exactly one of ``power_w``, ``snr_db`` (P/(N0·W)) and ``ebn0_db`` (per information
    bit at code rate ``rate``). ``capacity()`` is Shannon–Hartley in bit/s;
    ``spectral_efficiency()`` is C/W in bit/s/Hz.
    """

    def __init__(
        self,
        bandwidth_hz: float,
        n0_w_per_hz: float = THERMAL_N0_290K,
        power_w: float | None = None,
        snr_db: float | None = None,
        ebn0_db: float | None = None,
        rate: float = 1.0,
        modulation: str = "bpsk",
        rolloff: float = 0.25,
        samples_per_symbol: int = 8,
        filter_span_symbols: int = 16,
        symbol_rate_hz: float | None = None,
    ):
        self.bandwidth_hz = _positive("bandwidth_hz", bandwidth_hz)
        self.n0_w_per_hz = _positive("n0_w_per_hz", n0_w_per_hz)
        if not 0.0 < rate <= 1.0:
            raise ValueError(f"rate must be in (0, 1], got {rate}")
        #: the constellation of M-QAM (and any other named one); None for BPSK and QPSK, which keep
        #: their own real-rail mapping and LLRs
        self.constellation = None if modulation in BITS_PER_SYMBOL else _constellation(modulation)
        if not 0.0 <= rolloff <= 1.0:
            raise ValueError(f"rolloff must be in [0, 1], got {rolloff}")
        if int(samples_per_symbol) != samples_per_symbol or samples_per_symbol < 2:
            raise ValueError(f"samples_per_symbol must be an integer of at least 2, got {samples_per_symbol}")
        if int(filter_span_symbols) != filter_span_symbols or filter_span_symbols < 1:
            raise ValueError(f"filter_span_symbols must be a positive integer, got {filter_span_symbols}")
        if sum(x is not None for x in (power_w, snr_db, ebn0_db)) != 1:
            raise ValueError("BandLimitedAWGN needs exactly one of power_w, snr_db and ebn0_db")
        self.rate = float(rate)
        self.modulation = modulation
        self.bits_per_symbol = BITS_PER_SYMBOL.get(modulation) or self.constellation.m
        self.rolloff = float(rolloff)
        self.samples_per_symbol = int(samples_per_symbol)
        self.filter_span_symbols = int(filter_span_symbols)
        #: The largest symbol rate whose RRC spectrum fits the band: W / (1 + beta).
        self.nyquist_symbol_rate_hz = self.bandwidth_hz / (1.0 + self.rolloff)
        if symbol_rate_hz is None:
            symbol_rate_hz = self.nyquist_symbol_rate_hz
        self.symbol_rate_hz = _positive("symbol_rate_hz", symbol_rate_hz)
        if self.symbol_rate_hz > MAX_SYMBOL_RATE_PER_HZ * self.bandwidth_hz:
            raise ValueError(
                f"symbol_rate_hz must be at most {MAX_SYMBOL_RATE_PER_HZ:g} x bandwidth_hz = "
                f"{MAX_SYMBOL_RATE_PER_HZ * self.bandwidth_hz:g}, got {self.symbol_rate_hz:g}"
            )
        self.info_bit_rate_bps = self.rate * self.bits_per_symbol * self.symbol_rate_hz
        if power_w is not None:
            self.power_w = _positive("power_w", power_w)
        elif snr_db is not None:
            self.power_w = db_to_linear(snr_db) * self.n0_w_per_hz * self.bandwidth_hz
        else:
            self.power_w = db_to_linear(ebn0_db) * self.n0_w_per_hz * self.info_bit_rate_bps
        self.snr = self.power_w / (self.n0_w_per_hz * self.bandwidth_hz)
        self.snr_db = linear_to_db(self.snr)
        self.esn0 = self.power_w / (self.n0_w_per_hz * self.symbol_rate_hz)  # per symbol
        self.ecn0 = self.esn0 / self.bits_per_symbol  # per coded bit
        self.ebn0 = self.power_w / (self.n0_w_per_hz * self.info_bit_rate_bps)  # per information bit
        self.ebn0_db = linear_to_db(self.ebn0)

        # Waveform: the pulse is the RRC of the symbol rate, or of the band when the symbol
        # rate exceeds W/(1+beta) (then its period spans more than one symbol).
        self.sample_rate_hz = self.samples_per_symbol * self.symbol_rate_hz
        self.pulse_samples = self.samples_per_symbol * max(1.0, self.symbol_rate_hz / self.nyquist_symbol_rate_hz)
        self.taps = rrc_taps(self.pulse_samples, self.rolloff, self.filter_span_symbols)
        self.filter_energy = float(np.sum(self.taps**2))
        self.amplitude = math.sqrt(self.power_w * self.samples_per_symbol / self.filter_energy)
        self.noise_std = math.sqrt(self.n0_w_per_hz * self.sample_rate_hz / 2.0)  # per real component
        # After the matched filter: signal gain A*g0 at the symbol centre, noise variance.
        self.gain = self.amplitude * self.filter_energy
        self.noise_var_after_filter = self.noise_std**2 * self.filter_energy
        # Residual ISI power at the symbol centres relative to the wanted term.
        g = np.convolve(self.taps, self.taps)
        centre = len(self.taps) - 1
        lags = g[centre % self.samples_per_symbol :: self.samples_per_symbol] / g[centre]
        self.isi_power_ratio = float(np.sum(lags**2) - 1.0)

    # -- the three stages -------------------------------------------------------------

    def map_symbols(self, c: np.ndarray) -> np.ndarray:
        """Coded bits (F, n) -> unit-energy symbols: BPSK (F, n) real, QPSK (F, ceil(n/2))
        complex (an odd n is padded with a 0 bit)."""
        if self.constellation is not None:  # M-QAM: the last symbol padded with 0 bits
            m = self.bits_per_symbol
            pad = -c.shape[1] % m
            bits = np.concatenate([c, np.zeros((c.shape[0], pad), np.uint8)], axis=1) if pad else c
            return self.constellation.map(bits)
        x = 1.0 - 2.0 * np.asarray(c, dtype=np.float64)
        if self.bits_per_symbol == 1:
            return x
        if x.shape[1] % 2:
            x = np.concatenate([x, np.ones((x.shape[0], 1))], axis=1)
        return (x[:, 0::2] + 1j * x[:, 1::2]) * (1.0 / math.sqrt(2.0))

    def modulate(self, symbols: np.ndarray) -> np.ndarray:
        """Symbols (F, N) -> waveform samples (F, (N-1)s + len(h)) of mean power P (W):
        A * sum_k a_k h[t - k s], one upfirdn over the whole batch."""
        return signal.upfirdn(self.taps * self.amplitude, symbols, up=self.samples_per_symbol, axis=-1)

    def add_noise(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """x + white Gaussian noise of density N0 over the simulated band f_s (in place)."""
        if np.iscomplexobj(x):
            noise = rng.standard_normal(x.shape + (2,)).view(np.complex128)[..., 0]
        else:
            noise = rng.standard_normal(x.shape)
        noise *= self.noise_std
        x += noise
        return x

    def matched_filter(self, r: np.ndarray, count: int) -> np.ndarray:
        """Received samples (F, Ns) -> the matched-filter output at the ``count`` symbol
        centres (F, count). The centre of symbol k is sample (len(h) - 1) + k s of the full
        convolution (group delay of both filters); upfirdn with ``down = s`` computes only
        every s-th output, starting where the first centre falls."""
        delay = len(self.taps) - 1
        offset, first = delay % self.samples_per_symbol, delay // self.samples_per_symbol
        z = signal.upfirdn(self.taps, r[:, offset:], down=self.samples_per_symbol, axis=-1)
        return z[:, first : first + count]

    def llr(self, z: np.ndarray, n: int) -> np.ndarray:
        """Matched-filter samples -> LLRs of the n coded bits: 2 a_m z / sigma_z^2 per real
        component, a_m the component's amplitude at the sample; M-QAM: the exact log-MAP
        demapper on z/(A g0) with N0' = 2 sigma_z^2/(A g0)^2."""
        if self.constellation is not None:
            n0 = 2.0 * self.noise_var_after_filter / self.gain**2
            return self.constellation.demap(z / self.gain, n0, "exact")[:, :n]
        if self.bits_per_symbol == 1:
            return z * (2.0 * self.gain / self.noise_var_after_filter)
        scale = 2.0 * self.gain / math.sqrt(2.0) / self.noise_var_after_filter
        out = np.empty((z.shape[0], 2 * z.shape[1]), dtype=np.float64)
        out[:, 0::2] = z.real * scale
        out[:, 1::2] = z.imag * scale
        return out[:, :n]

    def transmit(self, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Coded bits (F, n) through modulator, noisy band and receiver: LLRs (F, n).

        QPSK runs as 2F real rails (I rows, then Q rows): the filters are real, so I and Q
        never mix, and real arithmetic is faster than complex; the noise per rail and
        sample is the same N(0, N0 f_s/2) as each component of the complex noise."""
        symbols = self.map_symbols(c)
        count = symbols.shape[1]
        if np.iscomplexobj(symbols):
            frames = symbols.shape[0]
            rails = np.concatenate([symbols.real, symbols.imag])
            z = self.matched_filter(self.add_noise(self.modulate(rails), rng), count)
            z = z[:frames] + 1j * z[frames:]
        else:
            z = self.matched_filter(self.add_noise(self.modulate(symbols), rng), count)
        return self.llr(z, c.shape[1])

    # -- limits and theory ------------------------------------------------------------

    def capacity(self) -> float:
        """Bits per channel use, a use being one coded bit: what the modulation carries,
        each BPSK/Gray-QPSK bit a binary-input AWGN channel at Ec/N0 = P/(N0 m Rs); M-QAM:
        its BICM capacity at Es/N0 = P/(N0 Rs) over m. Exact without ISI; ignores ISI when the
        symbol rate exceeds W/(1+beta). The link's Shannon–Hartley capacity in bit/s is
        :meth:`capacity_bps`."""
        if self.constellation is not None:
            from ..theory.coded_modulation import bicm_capacity

            return bicm_capacity(self.constellation, self.esn0) / self.bits_per_symbol
        return biawgn_capacity(self.ecn0)

    #: The per-coded-bit capacity under its older name.
    coded_bit_capacity = capacity

    def capacity_bps(self) -> float:
        """Shannon–Hartley C = W log2(1 + P/(N0 W)) in bit/s."""
        return shannon_hartley(self.bandwidth_hz, self.power_w, self.n0_w_per_hz)

    def spectral_efficiency(self) -> float:
        """C / W = log2(1 + P/(N0 W)) in bit/s/Hz."""
        return self.capacity_bps() / self.bandwidth_hz

    def shannon_hartley_per_coded_bit(self) -> float:
        """C / (m Rs): the Shannon–Hartley rate per coded bit sent (may exceed 1)."""
        return self.capacity_bps() / (self.bits_per_symbol * self.symbol_rate_hz)

    @property
    def faster_than_nyquist(self) -> bool:
        return self.symbol_rate_hz > self.nyquist_symbol_rate_hz * (1.0 + 1e-12)

    def bpsk_esn0(self) -> float | None:
        """Ec/N0 per coded bit: BPSK or a Gray-QPSK rail on AWGN; None faster than Nyquist
        (the ISI makes it another channel)."""
        return None if self.faster_than_nyquist or self.constellation is not None else self.ecn0

    def uncoded_ber(self) -> float | None:
        """BPSK/QPSK: the crossover; Gray square QAM: the exact BER of the exact log-MAP bit
        decisions (MAP boundaries on each rail); None faster than Nyquist or otherwise."""
        if self.constellation is None:
            return self.hard_crossover()
        if self.faster_than_nyquist or self.constellation.rail is None:
            return None
        from ..theory.uncoded import rail_map_ber

        amplitudes, bits, _ = self.constellation.rail
        return rail_map_ber(amplitudes, bits, 1.0 / self.esn0)

    def hard_crossover(self) -> float | None:
        """Q(sqrt(2 Ec/N0)), exact for BPSK or Gray QPSK without ISI; None when the symbol
        rate exceeds the Nyquist rate (no closed form)."""
        esn0 = self.bpsk_esn0()
        return None if esn0 is None else bpsk_ber(esn0)

    def report(self, rate: float) -> dict[str, float]:
        """The physical link budget of this point, stored with each results.json row."""
        return {
            "bandwidth_hz": self.bandwidth_hz,
            "power_w": self.power_w,
            "n0_w_per_hz": self.n0_w_per_hz,
            "symbol_rate_hz": self.symbol_rate_hz,
            "nyquist_symbol_rate_hz": self.nyquist_symbol_rate_hz,
            "bits_per_symbol": self.bits_per_symbol,
            "modulation": self.modulation,
            "info_bit_rate_bps": rate * self.bits_per_symbol * self.symbol_rate_hz,
            "capacity_bps": self.capacity_bps(),
            "spectral_efficiency": self.spectral_efficiency(),
            "info_spectral_efficiency": rate * self.bits_per_symbol * self.symbol_rate_hz / self.bandwidth_hz,
            "snr_db": self.snr_db,
            "ebn0_db": self.ebn0_db,
            "esn0_db": linear_to_db(self.esn0),
            "isi_power_db": linear_to_db(max(self.isi_power_ratio, 1e-30)),
        }

    def __repr__(self) -> str:
        return (
            f"BandLimitedAWGN(W={self.bandwidth_hz:g} Hz, P={self.power_w:.4g} W, N0={self.n0_w_per_hz:.4g} W/Hz, "
            f"Rs={self.symbol_rate_hz:g} Bd, {self.modulation}, rate={self.rate:.4g})"
        )


class BandLimitedSpec(ChannelSpec):
    """``{type: bandlimited, bandwidth_hz: 1.0e6}``: RRC-shaped BPSK, QPSK or M-QAM waveform in W Hz of white noise.

    A sweep runs over ``snr_db``, ``ebn0_db`` or ``power_w``, or over ``symbol_rate_hz``
    when ``power_w`` is fixed.

    For the generic plots a channel use is one coded bit: :meth:`capacities` gives the
    modulation-constrained (binary-input) capacity per coded bit first, then
    Shannon–Hartley per coded bit C/(m Rs); :meth:`thresholds` gives, on the swept axis,
    where each equals the code rate.
    """

    type: Literal["bandlimited"] = "bandlimited"
    bandwidth_hz: float = Field(description="channel bandwidth W in Hz")
    n0_w_per_hz: float = Field(THERMAL_N0_290K, description="one-sided noise density N0 in W/Hz (default kT at 290 K)")
    power_w: float | None = Field(None, description="received power P in W, fixed (then sweep symbol_rate_hz)")
    modulation: str = Field("bpsk", description="bpsk, qpsk, or a square QAM (16qam, 64qam, 256qam, 1024qam)")
    rolloff: float = Field(0.25, description="root-raised-cosine roll-off in [0, 1]")
    samples_per_symbol: int = Field(8, ge=2, description="waveform samples per symbol")
    filter_span_symbols: int = Field(16, ge=1, description="RRC filter length in pulse periods (symbol periods up to W/(1+rolloff))")
    symbol_rate_hz: float | None = Field(None, description="default W/(1+rolloff); higher means ISI")

    parameters = {
        "snr_db": db_parameter("in-band SNR P/(N0 W) in dB", "SNR P/(N0 W) (dB)"),
        "ebn0_db": db_parameter("Eb/N0 per information bit in dB", "Eb/N0 (dB)"),
        "power_w": Parameter("received power P in W", 0.0, math.inf, "received power P (W)", low_inclusive=False,
                             unit="W"),
        "symbol_rate_hz": Parameter("symbol rate in Hz (needs a fixed power_w), at most 2 x bandwidth_hz", 0.0,
                                    math.inf, "symbol rate (Bd)", improves=-1, low_inclusive=False, unit="Hz"),
    }

    @field_validator("bandwidth_hz", "n0_w_per_hz", "power_w", "symbol_rate_hz")
    @classmethod
    def _positive_finite(cls, v: float | None) -> float | None:
        if v is not None and not (math.isfinite(v) and v > 0):
            raise ValueError(f"must be greater than 0, got {v}")
        return v

    @field_validator("modulation")
    @classmethod
    def _modulation(cls, v: str) -> str:
        if v not in BITS_PER_SYMBOL:
            _constellation(v)
        return v

    @property
    def bits_per_symbol(self) -> int:
        return BITS_PER_SYMBOL.get(self.modulation) or _constellation(self.modulation).m

    def _model_key(self) -> str:
        if self.modulation in BITS_PER_SYMBOL:
            return f"{self.modulation.upper()} (binary input)"
        return f"{self.modulation.upper()} (BICM)"

    @field_validator("rolloff")
    @classmethod
    def _rolloff(cls, v: float) -> float:
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"must be in [0, 1], got {v}")
        return v

    @model_validator(mode="after")
    def _symbol_rate_in_range(self):
        if self.symbol_rate_hz is not None and self.symbol_rate_hz > MAX_SYMBOL_RATE_PER_HZ * self.bandwidth_hz:
            raise ValueError(
                f"symbol_rate_hz must be at most {MAX_SYMBOL_RATE_PER_HZ:g} x bandwidth_hz = "
                f"{MAX_SYMBOL_RATE_PER_HZ * self.bandwidth_hz:g}, got {self.symbol_rate_hz:g}"
            )
        return self

    def check_value(self, parameter: str, value: float) -> None:
        if parameter == "symbol_rate_hz":
            if not math.isfinite(value):
                raise ValueError(f"symbol_rate_hz must be a finite number, got {value}")
            if self.power_w is None:
                raise ValueError("symbol_rate_hz can be swept only with a fixed channel.power_w")
            if self.symbol_rate_hz is not None:
                raise ValueError("symbol_rate_hz is swept, so channel.symbol_rate_hz must not be set")
            if not 0 < value <= MAX_SYMBOL_RATE_PER_HZ * self.bandwidth_hz:
                raise ValueError(
                    f"symbol_rate_hz must be in (0, {MAX_SYMBOL_RATE_PER_HZ * self.bandwidth_hz:g}] Hz, got {value}"
                )
            return
        if self.power_w is not None and math.isfinite(value):
            raise ValueError(
                f"channel.power_w fixes the power at {self.power_w:g} W; remove it to sweep {parameter} "
                "(or sweep symbol_rate_hz)"
            )
        super().check_value(parameter, value)

    def memory_needs(self, coded_bits: int) -> dict[str, tuple[float, str]]:
        # complex128 waveforms (sent, noise, received, matched-filter output) of a chunk's
        # symbols at samples_per_symbol, plus filter tails; taps up to ~3 x sps x span when
        # symbols come faster than W/(1+rolloff)
        taps = 3.0 * self.samples_per_symbol * self.filter_span_symbols + 1
        bits = 2 if self.modulation == "qpsk" else 1
        samples = coded_bits / bits * self.samples_per_symbol
        field = "samples_per_symbol" if samples >= taps else "filter_span_symbols"
        return {field: (4 * 16.0 * (samples + 2 * taps),
                        f"the waveform of {coded_bits} coded bits at {self.samples_per_symbol} samples per symbol "
                        f"through {int(taps)} RRC taps")}

    def _kwargs(self) -> dict:
        return dict(
            bandwidth_hz=self.bandwidth_hz, n0_w_per_hz=self.n0_w_per_hz, modulation=self.modulation,
            rolloff=self.rolloff, samples_per_symbol=self.samples_per_symbol,
            filter_span_symbols=self.filter_span_symbols, symbol_rate_hz=self.symbol_rate_hz,
        )

    def build(self, parameter: str, value: float, rate: float) -> BandLimitedAWGN:
        kwargs = self._kwargs()
        if parameter == "symbol_rate_hz":
            kwargs.update(symbol_rate_hz=value, power_w=self.power_w)
        else:
            kwargs[parameter] = value
        return BandLimitedAWGN(rate=rate, **kwargs)

    def capacities(self, parameter: str, value: float, rate: float) -> dict[str, float]:
        ch = self.build(parameter, value, rate)
        return {
            self._model_key(): ch.capacity(),
            "Shannon–Hartley": ch.shannon_hartley_per_coded_bit(),
        }

    def _modulation_ebn0(self, rate: float) -> float:
        """Linear Eb/N0 where the modulation's capacity carries rate R: the BI-AWGN limit for
        BPSK/QPSK, the BICM limit at R m bits per symbol for M-QAM."""
        if self.modulation in BITS_PER_SYMBOL:
            return shannon_limit_ebn0(rate, "binary")
        from ..theory.coded_modulation import esn0_for_rate

        m = self.bits_per_symbol
        return esn0_for_rate(_constellation(self.modulation), rate * m, "bicm") / (rate * m)

    def thresholds(self, parameter: str, rate: float) -> dict[str, float]:
        m = self.bits_per_symbol
        binary_key, sh_key = self._model_key(), "Shannon–Hartley"
        if parameter == "symbol_rate_hz":
            # fixed P: the fastest symbol rate at which capacity still carries rate R
            c_bps = shannon_hartley(self.bandwidth_hz, self.power_w, self.n0_w_per_hz)
            # (rate 1: no symbol rate makes the binary-input capacity reach 1 -> nan, not drawn)
            ecn0 = rate * self._modulation_ebn0(rate) if rate < 1 else math.nan
            return {
                binary_key: self.power_w / (self.n0_w_per_hz * m * ecn0),
                sh_key: c_bps / (rate * m),
            }
        rs = self.symbol_rate_hz or self.bandwidth_hz / (1.0 + self.rolloff)
        eta = rate * m * rs / self.bandwidth_hz  # information bit/s/Hz
        # linear Eb/N0 at each limit; convert to the swept axis
        ebn0 = {
            binary_key: self._modulation_ebn0(rate) if rate < 1 else math.inf,
            sh_key: (2.0**eta - 1.0) / eta,
        }
        out = {}
        for key, e in ebn0.items():
            snr = e * eta  # P/(N0 W) = Eb/N0 * Rb/W
            if parameter == "ebn0_db":
                out[key] = linear_to_db(e)
            elif parameter == "snr_db":
                out[key] = linear_to_db(snr)
            else:
                out[key] = snr * self.n0_w_per_hz * self.bandwidth_hz
        return out

    def normal_approximation_fer(self, parameter: str, value: float, n: int, k: int) -> float:
        """Best FER of any (n, k) code here: each coded bit is a BI-AWGN use at Ec/N0 (BPSK,
        or one Gray-QPSK component), PPV normal approximation; nan faster than Nyquist."""
        ch = self.build(parameter, value, k / n)
        if ch.faster_than_nyquist or ch.constellation is not None:
            return math.nan
        return biawgn_normal_approximation_fer(ch.ecn0, n, k)
