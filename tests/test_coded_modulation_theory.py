"""Coded-modulation theory: CM/BICM capacities (quadrature against closed forms, adaptive
quadrature and Monte Carlo), fading averages, and the exact uncoded error rates against
independent numerical integration and simulation."""

import math

import numpy as np
import pytest
from scipy import integrate, special

from shannonlab.modulation import Constellation
from shannonlab.theory.capacity import biawgn_capacity
from shannonlab.theory.coded_modulation import (
    awgn_capacities,
    bicm_capacity,
    capacities,
    cm_capacity,
    esn0_for_rate,
    monte_carlo,
)
from shannonlab.theory.fading import (
    fading_average,
    gain_cdf,
    gaussian_outage_probability,
    q_average,
    rayleigh_ergodic_capacity,
)
from shannonlab.theory.uncoded import (
    bpsk_ber,
    bpsk_rayleigh_ber,
    diversity_order,
    pam_ber,
    pam_ser,
    psk_ber,
    psk_ser,
    qam_ber,
    qam_ser,
    rail_map_ber,
)

from conftest import binomial_tolerance


def _rail_capacity_by_quad(c: Constellation, esn0: float) -> float:
    """CM capacity of a product constellation by scipy's adaptive quadrature on one rail."""
    a, bits, rails = c.rail
    n0 = 1.0 / esn0
    sigma = math.sqrt(n0 / 2)

    def loss(z, i):
        d = -((a[i] + z - a) ** 2) / n0
        return special.logsumexp(d) - d[i]

    total = 0.0
    for i in range(a.size):
        f = lambda z: loss(z, i) * math.exp(-0.5 * (z / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
        total += integrate.quad(f, -14 * sigma, 14 * sigma, epsabs=1e-13, epsrel=1e-12, limit=400,
                                points=[-(a[i] - x) for x in a])[0]
    return rails * (bits.shape[1] - total / a.size / math.log(2))


@pytest.mark.parametrize("esn0_db", [-10.0, 0.0, 5.0, 10.0, 15.0])
def test_bpsk_and_qpsk_cm_capacity_equal_the_bi_awgn_closed_form(esn0_db):
    esn0 = 10 ** (esn0_db / 10)
    assert cm_capacity(Constellation.from_name("bpsk"), esn0) == pytest.approx(biawgn_capacity(esn0), abs=1e-9)
    qpsk = Constellation.from_name("qpsk")
    cm, bicm = awgn_capacities(qpsk, esn0)
    assert cm == pytest.approx(2 * biawgn_capacity(esn0 / 2), abs=1e-9) and bicm == pytest.approx(cm, abs=1e-12)


@pytest.mark.parametrize("name, esn0_db", [("16qam", 0.0), ("16qam", 12.0), ("64qam", 18.0), ("8pam", 10.0)])
def test_rail_quadrature_matches_adaptive_quadrature(name, esn0_db):
    c = Constellation.from_name(name)
    esn0 = 10 ** (esn0_db / 10)
    assert cm_capacity(c, esn0) == pytest.approx(_rail_capacity_by_quad(c, esn0), abs=1e-7)


@pytest.mark.parametrize("esn0_db", [0.0, 8.0, 14.0])
def test_two_dimensional_quadrature_matches_the_rails_to_1e_7(esn0_db):
    c = Constellation.from_name("16qam")
    full = Constellation(c.points, c.labels)  # same points and labels, integrated in 2-D
    esn0 = 10 ** (esn0_db / 10)
    a, b = awgn_capacities(c, esn0), awgn_capacities(full, esn0)
    assert a == pytest.approx(b, abs=1e-7)


def test_capacities_are_ordered_and_saturate():
    for name in ("8psk", "16qam", "64qam"):
        c = Constellation.from_name(name)
        low, mid, high = (awgn_capacities(c, 10 ** (x / 10)) for x in (-5.0, 8.0, 40.0))
        for cm, bicm in (low, mid, high):
            assert 0 <= bicm <= cm + 1e-12 <= c.m + 1e-12
            assert cm <= math.log2(1 + 10 ** (40 / 10))
        assert high[0] == pytest.approx(c.m, abs=1e-9) and low[0] < mid[0] < high[0]
    # Gray labels keep BICM within a few hundredths of a bit of CM at 10 dB; set partitioning does not
    gray, sp = Constellation.from_name("16qam"), Constellation.from_name("16qam", labelling="set-partition")
    cm, bicm_gray = awgn_capacities(gray, 10.0)
    cm_sp, bicm_sp = awgn_capacities(sp, 10.0)
    assert cm_sp == pytest.approx(cm, abs=1e-7)  # CM does not depend on the labels
    assert cm - bicm_gray < 0.01 and cm - bicm_sp > 0.1


@pytest.mark.statistical
@pytest.mark.parametrize("name, esn0_db, fading", [
    ("8psk", 6.0, "awgn"), ("16qam", 10.0, "awgn"), ("16apsk", 9.0, "awgn"),
    ("16qam", 12.0, "rayleigh"), ("qpsk", 3.0, "rician"),
])
def test_cm_and_bicm_capacity_against_monte_carlo(name, esn0_db, fading, effort):
    c = Constellation.from_name(name)
    esn0 = 10 ** (esn0_db / 10)
    k = 3.0 if fading == "rician" else None
    cm, bicm = capacities(c, esn0, fading, k)
    mc = monte_carlo(c, esn0, 20000 * effort, np.random.default_rng(11), fading, k)
    assert abs(mc["cm"] - cm) < 4 * mc["cm_se"], (mc, cm)
    assert abs(mc["bicm"] - bicm) < 4 * mc["bicm_se"], (mc, bicm)


def test_rayleigh_capacity_quadrature_equals_the_numerical_gain_integral():
    c = Constellation.from_name("qpsk")
    esn0 = 10.0
    direct = integrate.quad(lambda g: 2 * biawgn_capacity(esn0 * g / 2) * math.exp(-g), 0, 60, limit=200)[0]
    assert cm_capacity(c, esn0, "rayleigh") == pytest.approx(direct, abs=1e-7)


def test_ergodic_rayleigh_capacity_and_outage_closed_forms():
    for snr in (0.01, 1.0, 10.0, 1000.0, 1e5):
        numeric = integrate.quad(lambda g: math.log2(1 + snr * g) * math.exp(-g), 0, np.inf, limit=400)[0]
        assert rayleigh_ergodic_capacity(snr) == pytest.approx(numeric, rel=1e-9)
    assert gaussian_outage_probability(1.0, 10.0) == pytest.approx(1 - math.exp(-0.1), rel=1e-12)
    assert gain_cdf(1.0, "rician", 0.0) == pytest.approx(1 - math.exp(-1), rel=1e-9)  # K = 0 is Rayleigh


def test_limits_on_es_n0_solve_capacity_equals_rate():
    c = Constellation.from_name("16qam")
    for kind, which in (("cm", 0), ("bicm", 1)):
        esn0 = esn0_for_rate(c, 2.0, kind)
        assert awgn_capacities(c, esn0)[which] == pytest.approx(2.0, abs=1e-6)
    assert esn0_for_rate(c, 4.0) == math.inf


# --- uncoded error rates ---------------------------------------------------------------------


def _nearest_point_rail_ber(L: int, a_over_sigma: float) -> float:
    """Gray PAM BER by direct integration over the nearest-point decision intervals."""
    amplitudes = np.arange(L) * 2.0 - (L - 1)  # spacing 2, noise sigma = 1/a_over_sigma
    sigma = 1.0 / a_over_sigma
    labels = np.arange(L) ^ (np.arange(L) >> 1)
    edges = np.concatenate([[-np.inf], (amplitudes[:-1] + amplitudes[1:]) / 2, [np.inf]])
    bits = int(math.log2(L))
    total = 0.0
    for i in range(L):
        for j in range(L):
            lo, hi = (edges[j] - amplitudes[i]) / sigma, (edges[j + 1] - amplitudes[i]) / sigma
            # the mass of (lo, hi) from the nearer tail, so that 1e-24 does not cancel to 0
            p = special.ndtr(-lo) - special.ndtr(-hi) if lo >= 0 else special.ndtr(hi) - special.ndtr(lo)
            total += p * bin(int(labels[i] ^ labels[j])).count("1")
    return total / (L * bits)


@pytest.mark.parametrize("M", [4, 16, 64, 256, 1024])
@pytest.mark.parametrize("esn0_db", [0.0, 10.0, 20.0])
def test_cho_yoon_qam_ber_equals_direct_integration(M, esn0_db):
    esn0 = 10 ** (esn0_db / 10)
    direct = _nearest_point_rail_ber(math.isqrt(M), math.sqrt(3 * esn0 / (M - 1)))
    assert qam_ber(M, esn0) == pytest.approx(direct, rel=1e-10, abs=1e-300)
    L = math.isqrt(M)
    ser_rail = 2 * (1 - 1 / L) * special.ndtr(-math.sqrt(3 * esn0 / (M - 1)))
    assert qam_ser(M, esn0) == pytest.approx(1 - (1 - ser_rail) ** 2, rel=1e-12)


def test_pam_and_psk_closed_forms_reduce_to_bpsk_and_qpsk():
    for esn0 in (0.3, 1.0, 5.0):
        assert pam_ber(2, esn0) == pytest.approx(bpsk_ber(esn0), rel=1e-12)
        assert psk_ser(2, esn0) == pytest.approx(bpsk_ber(esn0), rel=1e-9)
        assert psk_ber(4, esn0) == pytest.approx(bpsk_ber(esn0 / 2), rel=1e-9)
        assert qam_ber(4, esn0) == pytest.approx(bpsk_ber(esn0 / 2), rel=1e-12)
        assert pam_ber(8, esn0) == pytest.approx(_nearest_point_rail_ber(8, math.sqrt(6 * esn0 / 63)), rel=1e-10)
        assert pam_ser(4, esn0) == pytest.approx(1.5 * bpsk_ber(esn0 / 5), rel=1e-12)
    # 8-PSK SER: the sector integral of the phase density (Pawula) by brute quadrature
    esn0 = 10.0
    density = lambda phi: math.exp(-esn0) / (2 * math.pi) + math.sqrt(esn0 / math.pi) * math.cos(phi) * math.exp(
        -esn0 * math.sin(phi) ** 2) * special.ndtr(math.sqrt(2 * esn0) * math.cos(phi))
    inside = integrate.quad(density, -math.pi / 8, math.pi / 8, epsabs=1e-14)[0]
    assert psk_ser(8, esn0) == pytest.approx(1 - inside, rel=1e-8)


def test_bpsk_rayleigh_closed_form_and_its_diversity_slope():
    for snr in (0.5, 3.0, 100.0):
        assert bpsk_rayleigh_ber(snr) == pytest.approx(q_average(math.sqrt(2), snr, "rayleigh"), rel=1e-12)
        assert bpsk_rayleigh_ber(snr) == pytest.approx(fading_average(bpsk_ber, snr), rel=1e-8)
        assert q_average(math.sqrt(2), snr, "rician", 0.0) == pytest.approx(bpsk_rayleigh_ber(snr), rel=1e-9)
    # the MGF forms of QAM and PSK on fading against the average of their AWGN forms
    assert qam_ber(16, 20.0, "rayleigh") == pytest.approx(fading_average(lambda s: qam_ber(16, s), 20.0), rel=1e-7)
    for fading, k in (("rayleigh", None), ("rician", 2.0)):  # Gray QPSK: sector MGF integral = averaged Q
        assert psk_ber(4, 20.0, fading, k) == pytest.approx(qam_ber(4, 20.0, fading, k), rel=1e-9)
    assert diversity_order(bpsk_rayleigh_ber, 40.0) == pytest.approx(1.0, abs=1e-3)  # one decade per 10 dB
    assert diversity_order(bpsk_ber, 10.0) > 5  # AWGN: the waterfall, no such slope
    assert bpsk_rayleigh_ber(1e4) * 4e4 == pytest.approx(1.0, rel=1e-3)


def _simulate_uncoded(c: Constellation, esn0: float, symbols: int, method: str, seed: int, fading: str = "awgn"):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, (1, symbols * c.m), dtype=np.uint8)
    x = c.map(bits)
    n0 = 1 / esn0
    h = None
    if fading == "rayleigh":
        h = (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape)) / math.sqrt(2)
        x = h * x
    y = x + math.sqrt(n0 / 2) * (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape))
    llr = c.demap(y, n0, method, h=h)
    return int(np.count_nonzero((llr < 0) != (bits == 1))), bits.size


@pytest.mark.statistical
@pytest.mark.parametrize("name, esn0_db, fading, reference", [
    ("16qam", 10.0, "awgn", lambda e: qam_ber(16, e)),
    ("64qam", 16.0, "awgn", lambda e: qam_ber(64, e)),
    ("8psk", 10.0, "awgn", lambda e: psk_ber(8, e)),
    ("4pam", 8.0, "awgn", lambda e: pam_ber(4, e)),
    ("bpsk", 10.0, "rayleigh", bpsk_rayleigh_ber),
    ("16qam", 15.0, "rayleigh", lambda e: qam_ber(16, e, "rayleigh")),
])
def test_uncoded_ber_of_nearest_point_decisions_against_closed_forms(name, esn0_db, fading, reference, effort):
    c = Constellation.from_name(name)
    esn0 = 10 ** (esn0_db / 10)
    errors, bits = _simulate_uncoded(c, esn0, 40000 * effort // c.m * 4, "max-log", 5, fading)
    p = reference(esn0)
    # symbol errors make bit errors of one symbol dependent: widen by the bits per symbol
    assert abs(errors - bits * p) <= binomial_tolerance(bits, p) * math.sqrt(c.m), (errors / bits, p)


@pytest.mark.statistical
def test_exact_log_map_bit_decisions_against_their_exact_error_rate(effort):
    c = Constellation.from_name("16qam")
    esn0 = 10 ** (5.0 / 10)
    a, rail_bits, _ = c.rail
    exact = rail_map_ber(a, rail_bits, 1 / esn0)
    assert exact < qam_ber(16, esn0)  # MAP bit decisions beat the bits of the nearest point
    # and noiseless-limit check: at high SNR both agree
    assert rail_map_ber(a, rail_bits, 1 / 1000.0) == pytest.approx(qam_ber(16, 1000.0), rel=1e-3)
    errors, bits = _simulate_uncoded(c, esn0, 60000 * effort, "exact", 9)
    assert abs(errors - bits * exact) <= binomial_tolerance(bits, exact) * 2


def test_outage_probability_of_block_fading_against_sampled_gains():
    from shannonlab.theory.coded_modulation import outage_probability

    c = Constellation.from_name("16qam")
    esn0 = 10 ** 1.5
    p = outage_probability(c, 2.0, esn0)
    g = np.random.default_rng(4).exponential(size=4000)
    # P(C_CM(esn0 g) < 2): the gains below the threshold gain, counted one by one on a sample
    threshold = esn0_for_rate(c, 2.0) / esn0
    assert p == pytest.approx(1 - math.exp(-threshold), rel=1e-12)
    below = np.count_nonzero([awgn_capacities(c, esn0 * x)[0] < 2.0 for x in g[:300]])
    assert abs(below - 300 * p) <= binomial_tolerance(300, p)
    assert outage_probability(None, 1.0, 10.0) == pytest.approx(1 - math.exp(-0.1))
    assert outage_probability(c, 4.0, esn0) == 1.0  # beyond m bits per symbol
    assert outage_probability(None, 1.0, 10.0, "rician", 10.0) < outage_probability(None, 1.0, 10.0)
