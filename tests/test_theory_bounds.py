"""Finite-length bounds (theory/bounds.py): the closed-form sums against direct evaluations
from the definitions, the saddlepoint tails against exact numerical convolution and the
noncentral chi-square law, and the order theory demands."""

import itertools
import math

import numpy as np
import pytest
from scipy import special, stats

from shannonlab.errors import ShannonlabError
from shannonlab.theory import bounds
from shannonlab.theory.saddlepoint import log_lower_tail, log_tilted_upper_tail


def _words(n):
    return np.array(list(itertools.product((0, 1), repeat=n)), dtype=np.int64)


def direct_bsc_rcu(n, k, p):
    """E[min(1, (M-1) P[d(Xbar, Y) <= d(X, Y)])] with X = 0, every y and every xbar enumerated."""
    words = _words(n)
    distances = (words[:, None, :] != words[None, :, :]).sum(axis=2)   # d(y, xbar)
    total = 0.0
    for y, row in zip(words, distances):
        t = y.sum()
        pairwise = np.mean(row <= t)
        total += p ** t * (1 - p) ** (n - t) * min(1.0, (2 ** k - 1) * pairwise)
    return total


def direct_bsc_metaconverse(n, k, p):
    """Neyman-Pearson by sorting every output y by P(y|0)/Q(y), Q uniform, accepting until
    Q-mass 2^-k (the last output partly)."""
    words = _words(n)
    t = words.sum(axis=1)
    prob = p ** t * (1 - p) ** (n - t)
    budget, alpha = 2.0 ** (n - k), 0.0       # in units of Q-mass 2^-n
    for pr in sorted(prob, reverse=True):
        take = min(1.0, budget)
        alpha += take * pr
        budget -= take
        if budget <= 0:
            break
    return 1.0 - alpha


@pytest.mark.parametrize("n,k,p", [(6, 2, 0.1), (8, 3, 0.2), (9, 5, 0.05)])
def test_bsc_rcu_and_metaconverse_against_direct_evaluation(n, k, p):
    assert bounds.bsc_rcu(n, k, p) == pytest.approx(direct_bsc_rcu(n, k, p), rel=1e-12)
    assert bounds.bsc_metaconverse(n, k, p) == pytest.approx(direct_bsc_metaconverse(n, k, p), rel=1e-10)


def test_bsc_dt_against_direct_evaluation():
    n, k, p = 9, 4, 0.15
    words = _words(n)
    t = words.sum(axis=1)
    density = n * math.log(2) + t * math.log(p) + (n - t) * math.log(1 - p)
    direct = np.sum(p ** t * (1 - p) ** (n - t) * np.minimum(1.0, (2 ** k - 1) / 2 * np.exp(-density)))
    assert bounds.bsc_dt(n, k, p) == pytest.approx(direct, rel=1e-12)


def test_metaconverse_is_met_by_perfect_codes():
    # Golay (23,12) and Hamming (15,11) decode every pattern of weight <= t and nothing else.
    for n, k, t, p in [(23, 12, 3, 0.05), (15, 11, 1, 0.02)]:
        fer = 1.0 - sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(t + 1))
        assert bounds.bsc_metaconverse(n, k, p) == pytest.approx(fer, rel=1e-10)


def test_bec_bounds_against_direct_evaluation():
    n, k, e = 10, 4, 0.3
    rcu = dt = mc = 0.0
    for pattern in itertools.product((0, 1), repeat=n):
        t = sum(pattern)
        pr = e ** t * (1 - e) ** (n - t)
        rcu += pr * min(1.0, (2 ** k - 1) * 2.0 ** (t - n))
        dt += pr * min(1.0, (2 ** k - 1) / 2 * 2.0 ** (t - n))
        mc += pr * max(0.0, 1.0 - 2.0 ** (n - t) / 2 ** k)
    assert bounds.bec_rcu(n, k, e) == pytest.approx(rcu, rel=1e-12)
    assert bounds.bec_dt(n, k, e) == pytest.approx(dt, rel=1e-12)
    assert bounds.bec_metaconverse(n, k, e) == pytest.approx(mc, rel=1e-12)


def test_long_blocks_in_log_space():
    # n = 10 000 at rate 0.45 on BSC(0.11) (C = 0.5): tiny FERs, still ordered and finite.
    n, k, p = 10_000, 4_500, 0.11
    mc, rcu, dt = (bounds.fer_bound(b, "bsc", n, k, p=p) for b in ("metaconverse", "rcu", "dt"))
    assert 0.0 < mc < rcu <= dt < 1e-3
    e_mc, e_rcu = bounds.fer_bound("metaconverse", "bec", n, 5_000, epsilon=0.45), bounds.fer_bound("rcu", "bec", n, 5_000, epsilon=0.45)
    assert 0.0 < e_mc < e_rcu < 1e-10


def _exact_biawgn_law(n, esn0, step=0.0005):
    """Law of S = sum of n letters i = log 2 - log(1 + e^-L) on a grid: exact bin masses
    of one letter (its CDF is Gaussian in L), n-fold convolution by FFT."""
    mean, std = 4 * esn0, math.sqrt(8 * esn0)
    edges = np.arange(-12.0, math.log(2) + step, step)
    edges[-1] = math.log(2)
    with np.errstate(divide="ignore"):
        llr = -np.log(np.expm1(math.log(2) - edges))
    cdf = special.ndtr((llr - mean) / std)
    cdf[-1] = 1.0
    pmf = np.diff(cdf)
    pmf[0] += cdf[0]
    centres = 0.5 * (edges[:-1] + edges[1:])
    size = 1 << int(math.ceil(math.log2(n * len(pmf))))
    law = np.maximum(np.fft.irfft(np.fft.rfft(pmf, size) ** n, size)[: n * (len(pmf) - 1) + 1], 0.0)
    return n * centres[0] + step * np.arange(len(law)), law


def test_biawgn_saddlepoint_against_numerical_convolution():
    n, k, ebn0_db = 128, 64, 3.0
    grid, law = _exact_biawgn_law(n, k / n * 10 ** (ebn0_db / 10))
    gamma = bounds._log_m_minus_1(k) - math.log(2)
    tilted = np.where(grid > -600, law * np.exp(-np.maximum(grid, -600)), 0.0)
    dt = law[grid <= gamma].sum() + (2.0 ** k - 1) / 2 * tilted[grid > gamma].sum()
    assert bounds.biawgn_dt(n, k, ebn0_db) == pytest.approx(dt, rel=1e-3)
    q_tail = np.cumsum(tilted[::-1])[::-1]
    cut = int(np.argmax(q_tail < 2.0 ** -k))
    assert bounds.biawgn_metaconverse(n, k, ebn0_db) == pytest.approx(law[:cut].sum(), rel=5e-3)


def test_awgn_sphere_statistic_is_noncentral_chi_square():
    # i = c - b (Z - delta)^2 per letter: P[S <= g] = P[W >= (n c - g) / b], W ~ ncx2(n, n delta^2).
    n, snr = 200, 1.5
    b, delta = snr / (2 * (1 + snr)), 1 / math.sqrt(snr)
    c = 0.5 * math.log1p(snr) + 0.5
    cgf = bounds.awgn_sphere_cgf(snr)
    for gamma in (0.8 * n * cgf(0.0)[1], 0.95 * n * cgf(0.0)[1]):
        exact = stats.ncx2.sf((n * c - gamma) / b, n, n * delta ** 2)
        assert math.exp(log_lower_tail(cgf, n, gamma)) == pytest.approx(exact, rel=2e-3)
        # Under Q = N(0, 1+P): i = c - (P/2)(W' - delta')^2, delta'^2 = (1+P)/P.
        exact_q = stats.ncx2.cdf((n * c - 1.1 * gamma) / (snr / 2), n, n * (1 + snr) / snr)
        assert math.exp(log_tilted_upper_tail(cgf, n, 1.1 * gamma, -1.0)) == pytest.approx(exact_q, rel=2e-3)


@pytest.mark.parametrize("channel,values", [
    ("bsc", [0.07, 0.08, 0.09]), ("bec", [0.36, 0.4, 0.45]),
    ("biawgn", [1.0, 2.0, 3.0]), ("awgn", [1.0, 2.0, 3.0]),
])
def test_bounds_are_ordered(channel, values):
    """meta-converse <= normal approximation <= RCU, and meta-converse <= DT, for FERs between
    about 1e-5 and 0.2 at (256, 128): the normal approximation is no bound, and deep in the
    tails it leaves the band (BSC(0.06): 7.0e-4 above RCU's 6.8e-4; BEC(0.34) below the
    meta-converse)."""
    n, k = 256, 128
    key = bounds.PARAMETER[channel]
    for v in values:
        mc, na, rcu, dt = (bounds.fer_bound(b, channel, n, k, **{key: v}) for b in ("metaconverse", "normal", "rcu", "dt"))
        assert mc <= na <= rcu, (channel, v, mc, na, rcu)
        assert mc <= dt


def test_curve_and_min_ebn0():
    curve = bounds.fer_curve("rcu", "biawgn", 128, 64, [1.0, 2.0, 3.0])
    assert np.all(np.diff(curve) < 0)
    converse, achievable = (bounds.min_ebn0_db(b, "biawgn", 128, 64, 1e-4, lo=1.0, hi=5.0) for b in ("metaconverse", "rcu"))
    assert converse < achievable
    assert bounds.fer_bound("rcu", "biawgn", 128, 64, ebn0_db=achievable) == pytest.approx(1e-4, rel=2e-3)


@pytest.mark.parametrize("call,message", [
    (lambda: bounds.fer_bound("rcu", "bsc", 50, 100, p=0.1), "k: must be at most n = 50"),
    (lambda: bounds.fer_bound("rcu", "bsc", 50, 10, p=1.5), "p: must lie in [0, 1]"),
    (lambda: bounds.fer_bound("rcu", "bec", 50, 10), "epsilon: channel bec needs it"),
    (lambda: bounds.fer_bound("sphere", "bsc", 50, 10, p=0.1), "bound: must be one of"),
    (lambda: bounds.fer_bound("rcu", "z", 50, 10, p=0.1), "channel: must be one of"),
])
def test_bad_inputs_give_one_line_errors(call, message):
    with pytest.raises(ShannonlabError) as info:
        call()
    assert message in str(info.value) and "\n" not in str(info.value)
