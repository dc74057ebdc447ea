"""Closed forms and limits of channels/capacity.py against independent computations."""

import math

import numpy as np
import pytest
from scipy import special

from shannonlab.channels.blahut_arimoto import blahut_arimoto
from shannonlab.channels.capacity import (
    binary_entropy,
    biawgn_capacity,
    biawgn_dispersion,
    biawgn_normal_approximation_fer,
    bsc_capacity,
    bsc_dispersion,
    bsc_normal_approximation_fer,
    bsc_threshold,
    gaussian_capacity,
    min_ber,
    normal_approximation_fer,
    shannon_hartley,
    shannon_limit_ebn0,
    shannon_limit_ebn0_db,
    shannon_limit_esn0_db,
    z_channel_capacity,
)

ESN0_DB = (-20.0, -10.0, -3.0, 0.0, 3.0, 6.0, 10.0, 15.0)


def _biawgn_moments_legendre(esn0):
    """E[log2(1 + e^-L)] and E[log2^2(1 + e^-L)], L ~ N(4 Es/N0, 8 Es/N0), by composite
    Gauss-Legendre on the received value y (a different variable and rule from the module)."""
    sigma2 = 1.0 / (2.0 * esn0)
    sigma = math.sqrt(sigma2)
    nodes, weights = np.polynomial.legendre.leggauss(20)
    edges = np.linspace(1.0 - 40 * sigma, 1.0 + 40 * sigma, 4001)
    mid, half = (edges[1:] + edges[:-1]) / 2, (edges[1:] - edges[:-1]) / 2
    y = (mid[:, None] + half[:, None] * nodes).ravel()
    w = (half[:, None] * weights).ravel()
    density = np.exp(-((y - 1.0) ** 2) / (2 * sigma2)) / math.sqrt(2 * math.pi * sigma2)
    s = np.logaddexp(0.0, -2.0 * y / sigma2) / math.log(2)
    return float(np.sum(w * density * s)), float(np.sum(w * density * s * s))


@pytest.mark.parametrize("esn0_db", ESN0_DB)
def test_biawgn_capacity_and_dispersion_to_1e10_by_legendre(esn0_db):
    esn0 = 10 ** (esn0_db / 10)
    m1, m2 = _biawgn_moments_legendre(esn0)
    assert abs(biawgn_capacity(esn0) - (1 - m1)) < 1e-10
    assert abs(biawgn_dispersion(esn0) - (m2 - m1 * m1)) < 1e-10


@pytest.mark.parametrize("esn0_db", (-10.0, 0.0, 6.0, 12.0))
def test_biawgn_capacity_to_1e10_by_mpmath(esn0_db):
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 30
    esn0 = mp.mpf(10) ** (mp.mpf(esn0_db) / 10)
    mean, std = 4 * esn0, mp.sqrt(8 * esn0)
    soft = lambda z: mp.log(1 + mp.exp(-(mean + std * z))) / mp.log(2)  # noqa: E731
    first = mp.quad(lambda z: mp.npdf(z) * soft(z), [-mp.inf, -mean / std, mp.inf])
    second = mp.quad(lambda z: mp.npdf(z) * soft(z) ** 2, [-mp.inf, -mean / std, mp.inf])
    assert abs(biawgn_capacity(float(esn0)) - float(1 - first)) < 1e-10
    assert abs(biawgn_dispersion(float(esn0)) - float(second - first ** 2)) < 1e-10


def test_biawgn_agrees_with_blahut_arimoto_on_the_quantised_channel():
    """Slicing y into 1200 bins is a DMC whose capacity (data processing) is just below C."""
    esn0 = 10 ** (0.0 / 10)
    sigma = math.sqrt(1 / (2 * esn0))
    edges = np.concatenate([[-np.inf], np.linspace(-1 - 8 * sigma, 1 + 8 * sigma, 1199), [np.inf]])
    W = np.array([np.diff(special.ndtr((edges - x) / sigma)) for x in (1.0, -1.0)])
    result = blahut_arimoto(W / W.sum(axis=1, keepdims=True))
    assert result.upper <= biawgn_capacity(esn0) + 1e-12
    assert biawgn_capacity(esn0) - result.lower < 2e-5


def test_gaussian_and_shannon_hartley():
    assert gaussian_capacity(3.0) == 1.0
    assert shannon_hartley(1e6, 1e-3, 1e-9) == pytest.approx(1e6 * math.log2(2.0), rel=1e-15)
    # wideband limit P / (N0 ln 2)
    assert shannon_hartley(1e12, 1e-3, 1e-9) == pytest.approx(1e-3 / (1e-9 * math.log(2)), rel=1e-6)


@pytest.mark.parametrize("rate", (0.01, 1 / 3, 0.5, 0.8, 0.95))
def test_shannon_limits(rate):
    gaussian = shannon_limit_ebn0(rate, "gaussian")
    assert gaussian_capacity(2 * rate * gaussian) == pytest.approx(rate, abs=1e-12)  # SNR = 2 R Eb/N0
    binary = shannon_limit_ebn0(rate, "binary")
    assert biawgn_capacity(rate * binary) == pytest.approx(rate, abs=1e-10)
    assert binary > gaussian
    assert shannon_limit_esn0_db(rate, "binary") == pytest.approx(10 * math.log10(rate * binary), abs=1e-12)
    f = bsc_threshold(rate)
    assert bsc_capacity(f) == pytest.approx(rate, abs=1e-12)


def test_shannon_limit_values():
    assert shannon_limit_ebn0_db(0.5, "gaussian") == pytest.approx(0.0, abs=1e-12)
    assert shannon_limit_ebn0_db(0.5, "binary") == pytest.approx(0.1871, abs=1e-3)  # the classic 0.187 dB
    assert shannon_limit_ebn0_db(1e-6, "gaussian") == pytest.approx(10 * math.log10(math.log(2)), abs=1e-4)


def test_min_ber_solves_the_rate_distortion_equation():
    for rate, capacity in ((0.5, 0.4), (0.8, 0.1), (1 / 3, 0.3)):
        pb = min_ber(rate, capacity)
        assert rate * (1 - binary_entropy(pb)) == pytest.approx(capacity, abs=1e-12)
    assert min_ber(0.5, 0.6) == 0.0


def test_z_channel_formula():
    assert z_channel_capacity(0.0) == 1.0 and z_channel_capacity(1.0) == 0.0
    assert z_channel_capacity(0.5) == pytest.approx(math.log2(1.25), abs=1e-15)


def test_normal_approximation_by_hand():
    """eps = Q((nC - k + log2(n)/2) / sqrt(nV)), computed here from its pieces."""
    p, n, k = 0.11, 500, 200
    C = 1 - (-p * math.log2(p) - (1 - p) * math.log2(1 - p))
    V = p * (1 - p) * math.log2((1 - p) / p) ** 2
    assert bsc_dispersion(p) == pytest.approx(V, rel=1e-14)
    expected = 0.5 * math.erfc((n * C - k + 0.5 * math.log2(n)) / math.sqrt(n * V) / math.sqrt(2))
    assert bsc_normal_approximation_fer(p, n, k) == pytest.approx(expected, rel=1e-12)
    without = 0.5 * math.erfc((n * C - k) / math.sqrt(n * V) / math.sqrt(2))
    assert normal_approximation_fer(n, k, C, V, log_term=False) == pytest.approx(without, rel=1e-12)
    # BI-AWGN (1024, 512) at Eb/N0 = 1 dB
    esn0 = 0.5 * 10 ** 0.1
    C, V = biawgn_capacity(esn0), biawgn_dispersion(esn0)
    expected = 0.5 * math.erfc((1024 * C - 512 + 5) / math.sqrt(1024 * V) / math.sqrt(2))
    assert biawgn_normal_approximation_fer(esn0, 1024, 512) == pytest.approx(expected, rel=1e-12)


def test_normal_approximation_behaviour():
    # FER falls with SNR and rises with k; at rates above capacity it tends to 1 as n grows
    fers = [biawgn_normal_approximation_fer(10 ** (db / 10), 256, 128) for db in (-3, -2, -1, 0)]
    assert all(a > b for a, b in zip(fers, fers[1:]))
    assert bsc_normal_approximation_fer(0.05, 1000, 600) < bsc_normal_approximation_fer(0.05, 1000, 700)
    f = bsc_threshold(0.5)
    assert bsc_normal_approximation_fer(f * 1.1, 10**6, 5 * 10**5) > 0.999
    assert bsc_normal_approximation_fer(f * 0.9, 10**6, 5 * 10**5) < 1e-12
    assert bsc_normal_approximation_fer(0.0, 100, 100) == 0.0  # noiseless: V = 0, rate 1 fits

