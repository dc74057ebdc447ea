import math

import numpy as np
import pytest

from shannonlab.channels import AWGN, BEC, BSC, LLR_MAX, binary_entropy
from shannonlab.channels.capacity import (
    bec_capacity,
    biawgn_capacity,
    bsc_capacity,
    bsc_threshold,
    gaussian_capacity,
    inverse_binary_entropy,
    min_ber,
    shannon_hartley,
    shannon_limit_ebn0_db,
)


def test_binary_entropy_values():
    assert binary_entropy(0.5) == 1.0
    assert binary_entropy(0.0) == 0.0 and binary_entropy(1.0) == 0.0
    assert binary_entropy(0.11) == pytest.approx(0.49992, abs=1e-5)
    for h in (0.01, 0.3, 0.99):
        assert binary_entropy(inverse_binary_entropy(h)) == pytest.approx(h, abs=1e-12)


def test_bsc_llr_and_flips():
    rng = np.random.default_rng(3)
    ch = BSC(0.2)
    c = rng.integers(0, 2, (400, 500), dtype=np.uint8)
    llr = ch.transmit(c, rng)
    assert np.allclose(np.abs(llr), math.log(4))
    flips = np.count_nonzero((llr < 0) != (c == 1))
    assert abs(flips - 0.2 * c.size) < 4 * math.sqrt(c.size * 0.16)
    assert ch.capacity() == pytest.approx(1 - binary_entropy(0.2))


def test_bec_erasures_and_llr():
    rng = np.random.default_rng(4)
    ch = BEC(0.3)
    c = rng.integers(0, 2, (400, 500), dtype=np.uint8)
    llr = ch.transmit(c, rng)
    erased = llr == 0
    assert abs(erased.sum() - 0.3 * c.size) < 4 * math.sqrt(c.size * 0.21)
    assert np.all(llr[~erased] == LLR_MAX * (1 - 2.0 * c[~erased]))
    assert ch.capacity() == pytest.approx(0.7)


def test_awgn_noise_variance_and_llr_scaling():
    rng = np.random.default_rng(5)
    ch = AWGN(ebn0_db=2.0, rate=0.5)
    assert ch.esn0_db == pytest.approx(2.0 - 10 * math.log10(2))
    c = np.zeros((200, 1000), np.uint8)
    llr = ch.transmit(c, rng)
    y = llr * ch.sigma2 / 2
    assert np.mean(y) == pytest.approx(1.0, abs=4 * ch.sigma / math.sqrt(c.size))
    # the sample variance of n Gaussians has relative standard deviation sqrt(2/n)
    assert np.var(y) == pytest.approx(ch.sigma2, rel=4 * math.sqrt(2 / c.size))
    # LLR = 2y/sigma^2 is the true log-likelihood ratio: its mean is 2/sigma^2
    assert np.mean(llr) == pytest.approx(2 / ch.sigma2, rel=1e-2)


def test_awgn_needs_one_operating_point():
    with pytest.raises(ValueError):
        AWGN()
    with pytest.raises(ValueError):
        AWGN(ebn0_db=1.0, esn0_db=1.0)
    assert AWGN(esn0_db=0.0).esn0 == pytest.approx(1.0)


def test_channel_argument_checks():
    for bad in (0.0, 0.6, -0.1):
        with pytest.raises(ValueError, match="p must be in"):
            BSC(bad)
    for bad in (0.0, 1.0):
        with pytest.raises(ValueError, match="epsilon must be in"):
            BEC(bad)


def test_hard_decision_bsc_is_q_of_sqrt_2esn0():
    ch = AWGN(esn0_db=3.0)
    from scipy.stats import norm

    assert ch.hard_decision_bsc().p == pytest.approx(norm.sf(math.sqrt(2 * 10 ** 0.3)), rel=1e-12)


def test_capacities_closed_forms():
    assert bsc_capacity(0.11) == pytest.approx(0.50008, abs=1e-5)
    assert bec_capacity(0.25) == 0.75
    assert gaussian_capacity(3.0) == pytest.approx(1.0)
    assert shannon_hartley(1e6, 1e-3, 1e-9) == pytest.approx(1e6 * math.log2(2.0))
    # wideband limit P/(N0 ln 2)
    assert shannon_hartley(1e12, 1e-3, 1e-9) == pytest.approx(1e-3 / (1e-9 * math.log(2)), rel=1e-6)
    assert AWGN(esn0_db=0.0).gaussian_capacity() == pytest.approx(0.5 * math.log2(3.0))


def test_biawgn_capacity_against_monte_carlo_and_limits():
    rng = np.random.default_rng(6)
    es = 0.8
    llr = rng.normal(4 * es, math.sqrt(8 * es), 2_000_000)
    samples = 1 - np.logaddexp(0, -llr) / math.log(2)
    estimate = samples.mean()
    assert biawgn_capacity(es) == pytest.approx(estimate, abs=5 * samples.std() / math.sqrt(samples.size))
    assert biawgn_capacity(1e3) == pytest.approx(1.0, abs=1e-12)
    # low SNR: C ~ (2 Es/N0) / (2 ln 2)
    assert biawgn_capacity(1e-5) == pytest.approx(1e-5 / math.log(2), rel=1e-4)
    # BI-AWGN never beats Gaussian input
    for es in (0.1, 1.0, 4.0):
        assert biawgn_capacity(es) < gaussian_capacity(2 * es)


def test_shannon_limits_published_values():
    # Gaussian: (2^(2R)-1)/(2R); the binary-input limits are the textbook 0.187 dB (R=1/2)
    # and -0.794 dB (R=1/4), -1.59 dB as R -> 0.
    assert shannon_limit_ebn0_db(0.5, "gaussian") == pytest.approx(0.0, abs=1e-12)
    assert shannon_limit_ebn0_db(0.5, "binary") == pytest.approx(0.187, abs=2e-3)
    assert shannon_limit_ebn0_db(0.25, "binary") == pytest.approx(-0.794, abs=2e-3)
    assert shannon_limit_ebn0_db(1e-4, "gaussian") == pytest.approx(10 * math.log10(math.log(2)), abs=1e-3)


def test_bsc_threshold_and_min_ber():
    assert bsc_threshold(0.5) == pytest.approx(0.110028, abs=1e-6)
    assert min_ber(0.5, 0.6) == 0.0
    pb = min_ber(0.5, 0.25)
    assert 0.5 * (1 - binary_entropy(pb)) == pytest.approx(0.25, abs=1e-12)
