"""Band-limited AWGN at waveform level: pulse shaping, physical units, BER against
Q(sqrt(2 Eb/N0)) with Eb = P/Rb, noise after the matched filter, ISI beyond Nyquist,
Shannon–Hartley, and one-line errors."""

import json
import math

import numpy as np
import pytest
from conftest import binomial_tolerance
from scipy import signal

from shannonlab.channels import AWGN, biawgn_capacity, q_function, shannon_hartley
from shannonlab.channels.bandlimited import THERMAL_N0_290K, BandLimitedAWGN, BandLimitedSpec
from shannonlab.channels.pulse_shaping import rrc_pulse, rrc_taps
from shannonlab.codes.base import Code, hard_decision
from shannonlab.codes.uncoded import Uncoded
from shannonlab.errors import ConfigError
from shannonlab.sim.config import resolve
from shannonlab.sim.engine import StopRule, simulate_point
from shannonlab.sim.registry import build_channel, build_code


def _seed(n=0):
    return np.random.SeedSequence(entropy=20261123, spawn_key=(n,))


# -- pulse shaping -----------------------------------------------------------------------


@pytest.mark.parametrize("rolloff", [0.25, 0.5, 1.0])
def test_rrc_is_unit_energy_symmetric_and_nyquist(rolloff):
    h = rrc_taps(8, rolloff, 16)
    assert len(h) == 129 and np.sum(h**2) == pytest.approx(1.0, abs=1e-12)
    assert np.array_equal(h, h[::-1])
    g = np.convolve(h, h)[::8]  # the raised cosine at multiples of T; peak at lag 16
    assert g[16] == pytest.approx(1.0, abs=1e-12)
    # zero ISI up to truncation of the span: below -45 dB in total power
    assert np.sum(np.delete(g, 16) ** 2) < 10 ** (-45 / 10)


def test_short_span_with_small_rolloff_shows_its_isi():
    """A small roll-off decays slowly: 16 periods leave -33 dB of ISI, which the channel
    reports (isi_power_db) instead of hiding; 48 periods bring it below -45 dB."""
    short = BandLimitedAWGN(bandwidth_hz=1e6, snr_db=10.0, rolloff=0.1, filter_span_symbols=16)
    long = BandLimitedAWGN(bandwidth_hz=1e6, snr_db=10.0, rolloff=0.1, filter_span_symbols=48)
    assert -36 < short.report(1.0)["isi_power_db"] < -30
    assert long.report(1.0)["isi_power_db"] < -45


def test_rrc_removable_singularities_are_continuous():
    for beta in (0.25, 0.5, 1.0):
        pole = 1.0 / (4.0 * beta)
        exact = rrc_pulse(np.array([0.0, pole, -pole]), beta)
        near = rrc_pulse(np.array([1e-7, pole + 1e-7, -pole - 1e-7]), beta)
        assert np.allclose(exact, near, atol=1e-5)
    assert rrc_pulse(np.array([0.0]), 0.0)[0] == 1.0  # beta = 0: sinc
    assert np.allclose(rrc_pulse(np.arange(1.0, 6.0), 0.0), 0.0, atol=1e-15)


def test_rrc_spectrum_stays_in_its_band():
    """|H(f)|^2 of the RRC of period T is the raised cosine, zero above (1+beta)/(2T); the
    16-period truncation leaves sidelobes near -37 dB and -47 dB of the energy outside."""
    h = rrc_taps(8, 0.25, 16)
    f, response = signal.freqz(h, worN=8192, fs=8.0)  # frequency in units of 1/T
    power = np.abs(response) ** 2
    outside = f > 1.25 / 2 * 1.05
    assert power[outside].max() / power.max() < 10 ** (-35 / 10)
    assert power[outside].sum() / power.sum() < 10 ** (-45 / 10)
    inside = f < 0.75 / 2  # the flat part of the raised cosine
    assert np.ptp(10 * np.log10(power[inside])) < 0.05


# -- the link in physical units ----------------------------------------------------------

W, N0 = 2.0e6, THERMAL_N0_290K  # 2 MHz of thermal noise at 290 K


def test_operating_point_in_physical_units():
    p = 1e-12  # -90 dBm
    ch = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, power_w=p, rate=0.5, modulation="qpsk")
    rs = W / 1.25
    assert ch.symbol_rate_hz == pytest.approx(rs)
    assert ch.info_bit_rate_bps == pytest.approx(0.5 * 2 * rs)
    assert ch.snr == pytest.approx(p / (N0 * W))
    assert ch.ebn0 == pytest.approx(p / (N0 * 0.5 * 2 * rs))
    assert ch.esn0 == pytest.approx(p / (N0 * rs))
    same = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, ebn0_db=ch.ebn0_db, rate=0.5, modulation="qpsk")
    assert same.power_w == pytest.approx(p, rel=1e-12)
    same = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, snr_db=ch.snr_db, rate=0.5, modulation="qpsk")
    assert same.power_w == pytest.approx(p, rel=1e-12)
    report = ch.report(0.5)
    assert report["info_bit_rate_bps"] == pytest.approx(rs)
    assert report["capacity_bps"] == pytest.approx(W * math.log2(1 + p / (N0 * W)))
    assert report["spectral_efficiency"] == pytest.approx(report["capacity_bps"] / W)
    assert report["info_spectral_efficiency"] == pytest.approx(rs / W)


@pytest.mark.statistical
@pytest.mark.parametrize("modulation,speedup", [("bpsk", 1.0), ("qpsk", 1.0), ("qpsk", 1.3)])
def test_waveform_power_is_p_and_stays_in_the_band(modulation, speedup, effort):
    """Mean power P and spectrum inside |f| <= W/2, also faster than Nyquist (speedup > 1),
    where the pulse keeps the band and only the symbols come faster."""
    p = 3e-13
    ch = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, power_w=p, modulation=modulation,
                         symbol_rate_hz=speedup * W / 1.25)
    assert ch.faster_than_nyquist == (speedup > 1)
    rng = np.random.default_rng(1)
    c = rng.integers(0, 2, size=(16 * effort, 4096), dtype=np.uint8)
    x = ch.modulate(ch.map_symbols(c))
    taps = len(ch.taps)
    steady = x[:, taps : -taps]  # away from the frame's ramp-up and ramp-down
    # power of a random linear combination: relative spread ~ 1/sqrt(#symbols), loose bound
    assert np.mean(np.abs(steady) ** 2) == pytest.approx(p, rel=0.03)
    # the spectrum (two-sided for the complex envelope) lies in |f| <= W/2
    f, psd = signal.welch(steady, fs=ch.sample_rate_hz, nperseg=1024, return_onesided=False, axis=-1)
    psd = psd.mean(axis=0)
    assert np.sum(psd) * (f[1] - f[0]) == pytest.approx(p, rel=0.03)
    # rectangular-window leakage sets the floor; well below the in-band level
    out_of_band = np.abs(f) > 0.5 * W * 1.1
    assert np.sum(psd[out_of_band]) / np.sum(psd) < 10 ** (-30 / 10)


def test_noiseless_receiver_recovers_symbols_at_the_centres():
    ch = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, power_w=1e-12, modulation="qpsk")
    rng = np.random.default_rng(2)
    c = rng.integers(0, 2, size=(3, 401), dtype=np.uint8)  # odd n: QPSK pads one bit
    a = ch.map_symbols(c)
    z = ch.matched_filter(ch.modulate(a), a.shape[1])
    # each centre sample is A*g0*a_k up to the truncated pulse's residual ISI (< -45 dB)
    assert np.max(np.abs(z / ch.gain - a)) < 0.01
    llr = ch.llr(z, c.shape[1])
    assert llr.shape == c.shape and np.array_equal(hard_decision(llr), c)
    # the same through transmit (QPSK as I/Q rails) at 60 dB: exact decisions, and LLRs
    # 2 a z / sigma_z^2 with z ~ a = A/sqrt(2) per component: 2 a^2 / sigma_z^2 = 2 Es/N0
    quiet = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, snr_db=60.0, modulation="qpsk")
    llr = quiet.transmit(c, rng)
    assert llr.shape == c.shape and np.array_equal(hard_decision(llr), c)
    assert np.median(np.abs(llr)) == pytest.approx(2 * quiet.esn0, rel=0.02)


@pytest.mark.statistical
@pytest.mark.parametrize("modulation", ["bpsk", "qpsk"])
def test_noise_after_matched_filter_matches_theory(modulation, effort):
    """Noise alone (density N0 over f_s) through the matched filter: variance per real
    component N0 f_s/2 * sum h^2 at the symbol centres, uncorrelated from symbol to symbol."""
    ch = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, power_w=1e-12, modulation=modulation)
    rng = np.random.default_rng(3)
    symbols = 2048
    length = (symbols - 1) * ch.samples_per_symbol + len(ch.taps)
    shape = (8 * effort, length)
    r = ch.add_noise(np.zeros(shape, dtype=np.complex128 if modulation == "qpsk" else np.float64), rng)
    # the injected noise has density N0: per real component variance N0 f_s / 2
    assert np.var(r.real) == pytest.approx(N0 * ch.sample_rate_hz / 2, rel=4 * math.sqrt(2 / r.size))
    z = ch.matched_filter(r, symbols)
    theory = N0 * ch.sample_rate_hz / 2 * np.sum(ch.taps**2)
    assert ch.noise_var_after_filter == pytest.approx(theory)
    components = [z.real] + ([z.imag] if modulation == "qpsk" else [])
    for part in components:
        assert np.var(part) == pytest.approx(theory, rel=4 * math.sqrt(2 / part.size))
        lag1 = np.mean(part[:, 1:] * part[:, :-1]) / theory
        assert abs(lag1) < 4 / math.sqrt(part[:, 1:].size)
    if modulation == "qpsk":
        assert abs(np.mean(z.real * z.imag)) / theory < 4 / math.sqrt(z.size)
    # in units of the symbol energy: sigma^2 = N0/2 per real dimension relative to Es
    assert ch.noise_var_after_filter / ch.gain**2 == pytest.approx(N0 / 2 / (ch.power_w / ch.symbol_rate_hz))


@pytest.mark.statistical
@pytest.mark.parametrize(
    "bandwidth_hz,n0,power_w,modulation",
    [
        (2.0e6, THERMAL_N0_290K, 2.0e-14, "bpsk"),  # Eb/N0 ~ 2.0 dB
        (2.0e6, THERMAL_N0_290K, 5.0e-14, "bpsk"),  # ~ 6.0 dB
        (5.0e3, 1.0e-9, 2.4e-5, "bpsk"),  # ~ 7.8 dB
        (2.0e6, THERMAL_N0_290K, 8.0e-14, "qpsk"),  # ~ 5.0 dB
    ],
)
def test_uncoded_ber_is_q_of_eb_from_physical_units(bandwidth_hz, n0, power_w, modulation, effort):
    ch = BandLimitedAWGN(bandwidth_hz=bandwidth_hz, n0_w_per_hz=n0, power_w=power_w, modulation=modulation)
    bits_per_symbol = 1 if modulation == "bpsk" else 2
    rb = bits_per_symbol * bandwidth_hz / 1.25  # bit rate at the Nyquist symbol rate, rate 1
    eb = power_w / rb  # J per bit
    truth = float(q_function(math.sqrt(2 * eb / n0)))
    assert Uncoded(8).reference_ber(ch) == pytest.approx(truth, rel=1e-12)
    result = simulate_point(Uncoded(2048), ch, StopRule(10**9, 200 * effort), _seed(1))
    # without ISI the centre samples have independent noise: errors are binomial
    assert abs(result.bit_errors - result.bits * truth) <= binomial_tolerance(result.bits, truth)


class Repetition(Code):
    """Test-local (3k, k) repetition code, soft decision by summing LLRs: over any AWGN
    with BPSK its BER is Q(sqrt(2 * 3 * Ec/N0)) = Q(sqrt(2 Eb/N0))."""

    def __init__(self, k, times=3):
        self.k, self.n, self.times = k, k * times, times
        self.rate = 1.0 / times
        self.name = f"repetition x{times}"

    def encode(self, u):
        return np.repeat(u, self.times, axis=1)

    def decode(self, llr):
        return hard_decision(llr.reshape(llr.shape[0], self.k, self.times).sum(axis=2))


@pytest.mark.statistical
@pytest.mark.parametrize("ebn0_db", [2.0, 6.0])
def test_coded_ber_with_eb_per_information_bit(ebn0_db, effort):
    """Rate 1/3: the power is set from Eb/N0 with Rb = Rs/3, and BER is Q(sqrt(2Eb/N0))."""
    code = Repetition(600)
    ch = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, ebn0_db=ebn0_db, rate=code.rate)
    assert ch.info_bit_rate_bps == pytest.approx(W / 1.25 / 3)
    assert ch.power_w == pytest.approx(10 ** (ebn0_db / 10) * N0 * W / 1.25 / 3)
    truth = float(q_function(math.sqrt(2 * 10 ** (ebn0_db / 10))))
    result = simulate_point(code, ch, StopRule(10**9, 300 * effort), _seed(2))
    assert abs(result.bit_errors - result.bits * truth) <= binomial_tolerance(result.bits, truth)


@pytest.mark.statistical
def test_convolutional_code_sees_the_same_channel_as_discrete_awgn(effort):
    """A registered code (K=7 (133,171) Viterbi): FER through the waveform equals FER over
    the discrete AWGN channel at the same Eb/N0 (two-sample test, frames independent)."""
    code = build_code({"type": "convolutional", "k": 200, "generators": ["133", "171"]})
    frames = 1500 * effort
    ebn0_db = 2.0
    wave = simulate_point(code, build_channel({"type": "bandlimited", "bandwidth_hz": 1e6}, "ebn0_db", ebn0_db, code.rate),
                          StopRule(10**9, frames), _seed(3))
    plain = simulate_point(code, AWGN(ebn0_db=ebn0_db, rate=code.rate), StopRule(10**9, frames), _seed(4))
    p = (wave.frame_errors + plain.frame_errors) / (2 * frames)
    assert 0.05 < p < 0.95  # the test has power at this point
    assert abs(wave.fer - plain.fer) <= 4 * math.sqrt(2 * p * (1 - p) / frames) + 1 / frames


@pytest.mark.statistical
def test_symbol_rate_above_nyquist_makes_ber_worse(effort):
    """Faster than W/(1+beta): same Eb/N0, the ISI lifts the BER far above Q(sqrt(2Eb/N0))."""
    ebn0_db = 7.0
    truth = float(q_function(math.sqrt(2 * 10 ** (ebn0_db / 10))))  # 7.7e-4
    stop = StopRule(10**9, 100 * effort)
    nyquist = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, ebn0_db=ebn0_db)
    fast = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, ebn0_db=ebn0_db, symbol_rate_hz=1.25 * W / 1.25)
    assert nyquist.isi_power_ratio < 1e-5 and fast.isi_power_ratio > 0.1
    assert fast.faster_than_nyquist and fast.uncoded_ber() is None
    good = simulate_point(Uncoded(2048), nyquist, stop, _seed(5))
    bad = simulate_point(Uncoded(2048), fast, stop, _seed(5))
    assert abs(good.bit_errors - good.bits * truth) <= binomial_tolerance(good.bits, truth)
    assert bad.ber_low > 10 * truth and bad.ber_low > good.ber_high


def test_lower_symbol_rate_uses_its_own_pulse_without_isi():
    ch = BandLimitedAWGN(bandwidth_hz=W, n0_w_per_hz=N0, snr_db=10.0, symbol_rate_hz=0.5 * W)
    assert not ch.faster_than_nyquist and ch.isi_power_ratio < 1e-5
    assert ch.pulse_samples == ch.samples_per_symbol


# -- capacity and limits -----------------------------------------------------------------


@pytest.mark.parametrize(
    "bandwidth_hz,power_w,n0",
    [(1e6, 1e-9, 1e-15), (3.1e3, 1e-6, 1e-11), (2e7, 1e-12, THERMAL_N0_290K), (1.0, 1.0, 1.0)],
)
def test_capacity_is_shannon_hartley(bandwidth_hz, power_w, n0):
    ch = BandLimitedAWGN(bandwidth_hz=bandwidth_hz, n0_w_per_hz=n0, power_w=power_w)
    c = bandwidth_hz * math.log2(1 + power_w / (n0 * bandwidth_hz))
    assert ch.capacity_bps() == pytest.approx(c, rel=1e-12)
    # capacity() is per channel use (a coded bit), as for every channel
    assert ch.capacity() == pytest.approx(biawgn_capacity(ch.ecn0), rel=1e-12) and ch.capacity() <= 1.0
    assert ch.spectral_efficiency() == pytest.approx(math.log2(1 + power_w / (n0 * bandwidth_hz)), rel=1e-12)


def test_capacity_tends_to_the_wideband_limit():
    p, n0 = 1e-12, THERMAL_N0_290K
    limit = p / (n0 * math.log(2))  # 360 kbit/s
    widths = (1e5, 1e6, 1e8, 1e11, 1e14)
    values = [BandLimitedAWGN(bandwidth_hz=w, n0_w_per_hz=n0, power_w=p).capacity_bps() for w in widths]
    assert values == sorted(values) and all(v < limit for v in values)
    assert values[-1] == pytest.approx(limit, rel=1e-5)
    # first-order approach: C = limit * (1 - x/2 + ...), x = P/(N0 W)
    x = p / (n0 * 1e11)
    assert 1 - values[-2] / limit == pytest.approx(x / 2, rel=1e-2)
    assert values[0] == pytest.approx(shannon_hartley(1e5, p, n0))


@pytest.mark.parametrize("modulation", ["bpsk", "qpsk"])
@pytest.mark.parametrize("parameter", ["snr_db", "ebn0_db", "power_w"])
@pytest.mark.parametrize("rate", [0.25, 0.5, 0.8])
def test_thresholds_are_where_capacities_equal_the_rate(modulation, parameter, rate):
    spec = BandLimitedSpec(bandwidth_hz=1e6, n0_w_per_hz=1e-15, modulation=modulation)
    thresholds = spec.thresholds(parameter, rate)
    for name, x in thresholds.items():
        assert spec.capacities(parameter, x, rate)[name] == pytest.approx(rate, abs=1e-6), name
    # Shannon–Hartley in physical terms: R*m*Rs = W log2(1 + SNR*)
    snr = 10 ** (spec.thresholds("snr_db", rate)["Shannon–Hartley"] / 10)
    m = 1 if modulation == "bpsk" else 2
    assert rate * m * 1e6 / 1.25 == pytest.approx(shannon_hartley(1e6, snr * 1e-15 * 1e6, 1e-15))


def test_symbol_rate_sweep_thresholds():
    spec = BandLimitedSpec(bandwidth_hz=1e6, n0_w_per_hz=1e-15, power_w=5e-10)  # SNR -3 dB
    for name, rs in spec.thresholds("symbol_rate_hz", 0.5).items():
        assert spec.capacities("symbol_rate_hz", rs, 0.5)[name] == pytest.approx(0.5, abs=1e-6)
    assert spec.thresholds("symbol_rate_hz", 0.5)["Shannon–Hartley"] == pytest.approx(2 * 1e6 * math.log2(1.5))


# -- configuration and errors ------------------------------------------------------------

BASE = {
    "name": "bl",
    "channel": {"type": "bandlimited", "bandwidth_hz": 1e6},
    "sweep": {"parameter": "snr_db", "values": [0.0, 3.0]},
    "codes": [{"type": "uncoded", "k": 64}],
}


def _config(channel=None, sweep=None):
    config = json.loads(json.dumps(BASE))
    config["channel"].update(channel or {})
    config["sweep"].update(sweep or {})
    return config


@pytest.mark.parametrize(
    "channel,sweep,message",
    [
        ({"bandwidth_hz": -1}, None, "channel.bandwidth_hz: must be greater than 0, got -1.0"),
        ({"bandwidth_hz": 0}, None, "channel.bandwidth_hz: must be greater than 0, got 0.0"),
        ({"n0_w_per_hz": -1e-20}, None, "channel.n0_w_per_hz: must be greater than 0, got -1e-20"),
        ({"power_w": 0.0}, None, "channel.power_w: must be greater than 0, got 0.0"),
        ({"rolloff": 1.5}, None, "channel.rolloff: must be in [0, 1], got 1.5"),
        ({"rolloff": -0.1}, None, "channel.rolloff: must be in [0, 1], got -0.1"),
        ({"samples_per_symbol": 1}, None, "channel.samples_per_symbol: must be at least 2, got 1"),
        ({"filter_span_symbols": 0}, None, "channel.filter_span_symbols: must be at least 1, got 0"),
        ({"symbol_rate_hz": -5}, None, "channel.symbol_rate_hz: must be greater than 0, got -5.0"),
        ({"symbol_rate_hz": 3e6}, None, "channel: symbol_rate_hz must be at most 2 x bandwidth_hz = 2e+06, got 3e+06"),
        ({"modulation": "17qam"}, None, "channel.modulation: '17qam': M = 17 is not a power of two"),
        ({"bandwith_hz": 1}, None, "channel.bandwith_hz: unknown key"),
        ({}, {"parameter": "power_w", "values": [1e-9, -1.0]}, "sweep.values[1]: power_w must be greater than 0 W, got -1.0"),
        ({}, {"parameter": "snr_db", "values": [200.0]}, "sweep.values[0]: snr_db must be in [-50, 100] dB, got 200.0"),
        ({}, {"parameter": "esn0_db"}, "sweep.parameter: channel 'bandlimited' is swept over snr_db or ebn0_db or power_w or symbol_rate_hz, got 'esn0_db'"),
        ({"power_w": 1e-9}, None, "sweep.values[0]: channel.power_w fixes the power at 1e-09 W; remove it to sweep snr_db (or sweep symbol_rate_hz)"),
        ({}, {"parameter": "symbol_rate_hz", "values": [1e5]}, "sweep.values[0]: symbol_rate_hz can be swept only with a fixed channel.power_w"),
    ],
)
def test_bad_physical_inputs_give_one_line_naming_the_field(channel, sweep, message):
    with pytest.raises(ConfigError) as info:
        resolve(_config(channel, sweep))
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(message), text


def test_missing_bandwidth_is_named():
    config = _config()
    del config["channel"]["bandwidth_hz"]
    with pytest.raises(ConfigError, match=r"^channel.bandwidth_hz: required, but missing$"):
        resolve(config)


def test_class_rejects_bad_values_with_the_field_name():
    for kwargs, message in [
        ({"bandwidth_hz": 0.0, "power_w": 1.0}, "bandwidth_hz must be greater than 0, got 0.0"),
        ({"bandwidth_hz": 1.0, "power_w": -1.0}, "power_w must be greater than 0, got -1.0"),
        ({"bandwidth_hz": 1.0, "n0_w_per_hz": 0.0, "power_w": 1.0}, "n0_w_per_hz must be greater than 0, got 0.0"),
        ({"bandwidth_hz": 1.0, "power_w": 1.0, "rolloff": 2.0}, "rolloff must be in [0, 1], got 2.0"),
        ({"bandwidth_hz": 1.0, "power_w": 1.0, "samples_per_symbol": 1}, "samples_per_symbol must be an integer of at least 2, got 1"),
        ({"bandwidth_hz": 1.0, "power_w": 1.0, "snr_db": 3.0}, "BandLimitedAWGN needs exactly one of power_w, snr_db and ebn0_db"),
    ]:
        with pytest.raises(ValueError) as info:
            BandLimitedAWGN(**kwargs)
        assert str(info.value) == message


def test_symbol_rate_sweep_builds_channels_at_fixed_power():
    resolved = resolve(_config({"power_w": 1e-8, "n0_w_per_hz": 1e-15}, {"parameter": "symbol_rate_hz", "values": [4e5, 8e5, 1.2e6]}))
    chans = [resolved.channel.build("symbol_rate_hz", v, 1.0) for v in resolved.points]
    assert [c.power_w for c in chans] == [1e-8] * 3
    assert [c.faster_than_nyquist for c in chans] == [False, False, True]


def test_experiment_rows_carry_the_link_budget_and_plots_include_rate_vs_snr(tmp_path):
    from shannonlab.sim.executors import InlineExecutor
    from shannonlab.sim.plot import plot_directory
    from shannonlab.sim.sweep import run_experiment

    config = _config({"modulation": "qpsk"}, {"values": [4.0, 8.0, 12.0]})
    config["codes"] = [{"type": "uncoded", "k": 256, "label": "uncoded QPSK"}]
    config["stop"] = {"min_frame_errors": 20, "max_frames": 4000}
    store = run_experiment(resolve(config), out=tmp_path, quiet=True, executor=InlineExecutor())
    data = json.loads((tmp_path / "results.json").read_text())
    rows = data["rows"]
    assert len(rows) == 3
    for row in rows:
        assert row["info_bit_rate_bps"] == pytest.approx(2 * 1e6 / 1.25)
        assert row["capacity_bps"] == pytest.approx(1e6 * math.log2(1 + 10 ** (row["value"] / 10)))
        assert row["snr_db"] == pytest.approx(row["value"])
        assert row["ebn0_db"] == pytest.approx(row["value"] - 10 * math.log10(1.6))
        assert row["ber_theory"] == pytest.approx(float(q_function(math.sqrt(2 * 10 ** (row["ebn0_db"] / 10)))))
    header = (tmp_path / "results.csv").read_text().splitlines()[0]
    assert header == ("code,channel,parameter,value,rate,k,n,frames,frame_errors,bits,bit_errors,ber,ber_low,"
                      "ber_high,fer,fer_low,fer_high,seconds,info_bits_per_s,ber_upper_bound")
    written = plot_directory(tmp_path)
    assert tmp_path / "spectral_efficiency.png" in written
    assert (tmp_path / "spectral_efficiency.png").stat().st_size > 10_000
    assert store is not None


def test_gap_to_capacity_and_operating_point():
    from shannonlab.plot.spectral_efficiency import operating_point
    from shannonlab.sim.plot_bandlimited import gap_to_capacity_db  # the old path still works

    # 1 bit/s/Hz needs SNR 0 dB; 2 bit/s/Hz needs 10 log10(3) dB
    assert gap_to_capacity_db(0.0, 1.0) == pytest.approx(0.0)
    assert gap_to_capacity_db(10 * math.log10(3) + 2.0, 2.0) == pytest.approx(2.0)
    points = [
        {"value": 0.0, "ber": 1e-2, "bit_errors": 100, "snr_db": 1.0, "info_spectral_efficiency": 0.8},
        {"value": 1.0, "ber": 1e-6, "bit_errors": 20, "snr_db": 2.0, "info_spectral_efficiency": 0.8},
    ]
    snr, eta, exact = operating_point(points, 1e-4)  # halfway in log-BER
    assert snr == pytest.approx(1.5) and eta == pytest.approx(0.8) and exact
    assert operating_point(points, 1e-8) is None


def test_normal_approximation_is_the_bi_awgn_one_at_ec_n0():
    from shannonlab.channels.capacity import biawgn_normal_approximation_fer

    spec = BandLimitedSpec(bandwidth_hz=1e6, modulation="qpsk")
    awgn = spec.normal_approximation_fer("ebn0_db", 1.5, 1944, 972)
    # Eb/N0 1.5 dB at rate 1/2 -> Ec/N0 = Eb/N0 / 2 per coded bit, as on BPSK/AWGN
    assert awgn == pytest.approx(biawgn_normal_approximation_fer(0.5 * 10**0.15, 1944, 972), rel=1e-12)
    fast = BandLimitedSpec(bandwidth_hz=1e6, symbol_rate_hz=1.5e6)
    assert math.isnan(fast.normal_approximation_fer("snr_db", 5.0, 100, 50))
