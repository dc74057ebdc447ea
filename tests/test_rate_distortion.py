"""Blahut's rate-distortion algorithm: certified bounds against R(D) = H2(q) - H2(D)."""

import math

import numpy as np
import pytest

from shannonlab.channels.capacity import binary_entropy
from shannonlab.channels.rate_distortion import rate_distortion
from shannonlab.errors import ShannonlabError

HAMMING = [[0.0, 1.0], [1.0, 0.0]]


@pytest.mark.parametrize("q,D", [(0.5, 0.0), (0.5, 1e-6), (0.5, 0.11), (0.5, 0.3), (0.2, 0.0), (0.2, 0.01),
                                 (0.2, 0.05), (0.2, 0.1), (0.01, 0.001), (0.2, 0.2), (0.2, 0.35), (0.5, 0.7)])
def test_bernoulli_hamming_matches_closed_form(q, D):
    exact = binary_entropy(q) - binary_entropy(D) if D < min(q, 1 - q) else 0.0
    r = rate_distortion([1 - q, q], HAMMING, D)
    assert r.converged and r.upper - r.lower < 1e-9
    assert r.lower - 1e-13 <= exact <= r.upper + 1e-13
    assert abs(r.rate - exact) < 1e-9
    # the certificate's test channel is feasible and its rate is the upper bound
    assert r.achieved_distortion <= D + 1e-12
    joint = np.array([1 - q, q])[:, None] * r.test_channel
    assert float(np.sum(joint * np.array(HAMMING))) == pytest.approx(r.achieved_distortion, abs=1e-14)


def test_uniform_source_with_hamming_distortion_on_m_letters():
    """R(D) = log2 m - H2(D) - D log2(m - 1) for D <= 1 - 1/m (Cover & Thomas, Problem 10.5)."""
    m, D = 4, 0.2
    d = 1.0 - np.eye(m)
    exact = math.log2(m) - binary_entropy(D) - D * math.log2(m - 1)
    r = rate_distortion(np.full(m, 1 / m), d, D)
    assert r.lower - 1e-13 <= exact <= r.upper + 1e-13 and abs(r.rate - exact) < 1e-9


def test_slope_is_the_derivative_of_the_curve():
    q, D = 0.3, 0.1
    r = rate_distortion([1 - q, q], HAMMING, D)
    # dR/dD = -H2'(D) = -log2((1 - D)/D)
    assert r.slope == pytest.approx(-math.log2((1 - D) / D), rel=1e-6)


@pytest.mark.parametrize("args,message", [
    (([0.5, 0.6], HAMMING, 0.1), "source: sums to 1.1, must sum to 1"),
    (([1.2, -0.2], HAMMING, 0.1), "source: entry 1 is -0.2, probabilities must be finite and >= 0"),
    (([0.5, 0.5], [[0, 1]], 0.1), "distortion: must have one row per source letter (2) and at least one column, got shape (1, 2)"),
    (([0.5, 0.5], [[0, -1], [1, 0]], 0.1), "distortion: entry [0, 1] is -1.0, distortions must be finite and >= 0"),
    (([0.5, 0.5], [[1, 2], [1, 3]], 0.5), "D: must be at least D_min = 1 (the smallest reachable distortion), got 0.5"),
    (([0.5, 0.5], HAMMING, float("nan")), "D: must be a finite number, got nan"),
])
def test_bad_inputs_get_one_line_errors(args, message):
    with pytest.raises(ShannonlabError) as info:
        rate_distortion(*args)
    assert str(info.value) == message

