"""Blahut–Arimoto: certified bounds against closed forms, both methods, edge cases, errors."""

import math

import numpy as np
import pytest

from shannonlab.channels.blahut_arimoto import blahut_arimoto, mutual_information, validate_channel
from shannonlab.channels.capacity import (
    bec_capacity,
    binary_entropy,
    bsc_capacity,
    z_channel_capacity,
    z_channel_input_distribution,
)
from shannonlab.errors import ShannonlabError

METHODS = ("accelerated", "plain")


def _check(result, exact, tol=1e-9):
    """The certificate brackets the exact value, is tight, and the midpoint is within tol."""
    assert result.converged
    assert result.lower - 1e-13 <= exact <= result.upper + 1e-13
    assert result.upper - result.lower < tol
    assert abs(result.capacity - exact) < tol


def _kkt(W, result, tol=1e-7):
    """Every input's divergence under the returned p is at most C (+tol), with equality
    where p > 0. (The certificate's upper end may come from another iterate, so the
    returned p alone is optimal only to a looser tolerance than the certified gap.)"""
    q = result.input_distribution @ W
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(W > 0, W * np.log2(W / q), 0.0).sum(axis=1)
    assert d.max() <= result.capacity + tol
    used = result.input_distribution > 1e-6
    assert np.all(np.abs(d[used] - result.capacity) < tol)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("f", [0.0, 1e-6, 0.01, 0.11, 0.3, 0.5])
def test_bsc_matches_closed_form(method, f):
    result = blahut_arimoto([[1 - f, f], [f, 1 - f]], method=method)
    _check(result, bsc_capacity(f))
    assert np.allclose(result.input_distribution, 0.5, atol=1e-6) or f == 0.5


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_bec_matches_closed_form(method, eps):
    result = blahut_arimoto([[1 - eps, eps, 0.0], [0.0, eps, 1 - eps]], method=method)
    _check(result, bec_capacity(eps))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("p", [0.0, 0.05, 0.5, 0.9, 0.99])
def test_z_channel_matches_closed_form(method, p):
    W = np.array([[1.0, 0.0], [p, 1 - p]])
    result = blahut_arimoto(W, method=method)
    _check(result, z_channel_capacity(p))
    assert result.input_distribution == pytest.approx(z_channel_input_distribution(p), abs=1e-4)
    _kkt(W, result)


@pytest.mark.parametrize("method", METHODS)
def test_symmetric_channel_matches_log_m_minus_row_entropy(method):
    """A circulant channel is symmetric: C = log2 m - H(row), uniform input."""
    rng = np.random.default_rng(11)
    row = rng.random(9)
    row /= row.sum()
    W = np.array([np.roll(row, i) for i in range(9)])
    exact = math.log2(9) + float(np.sum(row * np.log2(row)))
    result = blahut_arimoto(W, method=method)
    _check(result, exact)
    assert np.allclose(result.input_distribution, 1 / 9, atol=1e-6)


def test_noiseless_and_near_noiseless_channels():
    for m in (1, 2, 16, 256):
        _check(blahut_arimoto(np.eye(m)), math.log2(m))
    # identity plus 1e-12 spread uniformly off the diagonal: symmetric, so log2 m - H(row)
    m, e = 64, 1e-12
    W = np.full((m, m), e / (m - 1)) + np.eye(m) * (1 - e - e / (m - 1))
    row = W[0]
    _check(blahut_arimoto(W), math.log2(m) + float(np.sum(row * np.log2(row))))


def test_degenerate_shapes_have_zero_capacity():
    for W in ([[0.2, 0.3, 0.5]], [[1.0], [1.0], [1.0]], [[0.3, 0.7], [0.3, 0.7]]):
        result = blahut_arimoto(W)
        _check(result, 0.0)
        assert result.capacity == pytest.approx(0.0, abs=1e-12)
        assert result.output_distribution.shape == (np.shape(W)[1],)


@pytest.mark.parametrize("method", METHODS)
def test_useless_input_gets_zero_probability(method):
    """The third input is the average of the first two: capacity 1 bit, reached without it;
    an output column no input produces is ignored."""
    W = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0]]
    result = blahut_arimoto(W, method=method)
    _check(result, 1.0)
    assert result.input_distribution[2] < 1e-6
    assert result.output_distribution[2] == 0.0


@pytest.mark.parametrize("n,m,seed", [(8, 8, 1), (32, 5, 2), (5, 40, 3), (64, 64, 4)])
def test_random_channels_both_methods_agree_and_satisfy_kkt(n, m, seed):
    rng = np.random.default_rng(seed)
    W = rng.random((n, m)) ** 3  # skewed entries, some inputs unused at capacity
    W[rng.random((n, m)) < 0.2] = 0.0
    W[:, 0] += 1e-3
    W /= W.sum(axis=1, keepdims=True)
    fast = blahut_arimoto(W)
    plain = blahut_arimoto(W, method="plain")
    for r in (fast, plain):
        assert r.converged and r.upper - r.lower < 1e-9
        _kkt(W, r)
    # both intervals contain C, so they overlap
    assert max(fast.lower, plain.lower) <= min(fast.upper, plain.upper) + 1e-13
    assert fast.lower == pytest.approx(mutual_information(fast.input_distribution, W), abs=1e-12)
    assert fast.iterations < plain.iterations


def test_dense_256_channel_certified_quickly():
    rng = np.random.default_rng(2026)
    W = rng.random((256, 256))
    W /= W.sum(axis=1, keepdims=True)
    result = blahut_arimoto(W, tol=1e-12)
    assert result.converged and result.upper - result.lower < 1e-12
    _kkt(W, result, tol=1e-11)
    with pytest.raises(ShannonlabError, match=r"^tol: must be at least 1e-13 \(double-precision rounding\), got 1e-15$"):
        blahut_arimoto(W, tol=1e-15)
    assert 0 < np.count_nonzero(result.input_distribution > 1e-9) < 256


def test_unconverged_result_still_brackets():
    rng = np.random.default_rng(5)
    W = rng.random((64, 64))
    W /= W.sum(axis=1, keepdims=True)
    exact = blahut_arimoto(W, tol=1e-12).capacity
    short = blahut_arimoto(W, method="plain", max_iterations=50)
    assert not short.converged and short.iterations == 50
    assert short.lower <= exact <= short.upper


def test_mutual_information_values():
    assert mutual_information([1.0, 0.0], [[0.9, 0.1], [0.1, 0.9]]) == 0.0
    f = 0.2
    assert mutual_information([0.5, 0.5], [[1 - f, f], [f, 1 - f]]) == pytest.approx(1 - binary_entropy(f), abs=1e-14)
    # I(p; W) = H(Y) - H(Y|X) for the Z-channel at p = (0.6, 0.4)
    hy = binary_entropy(0.4 * 0.5)
    assert mutual_information([0.6, 0.4], [[1, 0], [0.5, 0.5]]) == pytest.approx(hy - 0.4, abs=1e-14)


@pytest.mark.parametrize("matrix,message", [
    ([[0.5, 0.5], [0.5, 0.5], [0.2, 0.2], [0.3, 0.6]], "W: row 2 sums to 0.4, every row must sum to 1"),
    ([[0.5, 0.5], [-0.1, 1.1]], "W: entry [1, 0] is -0.1, entries must be probabilities >= 0"),
    ([[0.5, float("nan")]], "W: entry [0, 1] is nan, every entry must be a finite number"),
    ([], "W: must be a 2-D matrix (rows are inputs), got 1 dimension(s)"),
    (np.zeros((0, 3)), "W: is empty, it needs at least one input row and one output column"),
    ([0.5, 0.5], "W: must be a 2-D matrix (rows are inputs), got 1 dimension(s)"),
    ([["a", "b"]], "W: must be a matrix of numbers (could not convert string to float: 'a')"),
])
def test_bad_matrices_get_one_line_errors(matrix, message):
    with pytest.raises(ShannonlabError) as info:
        blahut_arimoto(matrix)
    assert str(info.value) == message


def test_bad_arguments_get_one_line_errors():
    with pytest.raises(ShannonlabError, match=r"^method: must be one of accelerated, plain, got 'fast'$"):
        blahut_arimoto([[1.0]], method="fast")
    with pytest.raises(ShannonlabError, match=r"^tol: must be a positive number, got 0.0$"):
        blahut_arimoto([[1.0]], tol=0.0)
    with pytest.raises(ShannonlabError, match=r"^p: sums to 0.9, must sum to 1$"):
        mutual_information([0.4, 0.5], [[1, 0], [0, 1]])
    with pytest.raises(ShannonlabError, match=r"^p: must have one probability per input row \(2\), got shape \(3,\)$"):
        mutual_information([0.4, 0.5, 0.1], [[1, 0], [0, 1]])
    # rounding in a file is tolerated and renormalised
    assert validate_channel([[0.333333, 0.333333, 0.333334]]).sum() == pytest.approx(1.0, abs=1e-15)


def test_many_near_duplicate_inputs_few_outputs():
    """300 inputs, 2 outputs, rows crowding the corners: the Hessian on the support is
    singular (rank 2), the capacity uses two inputs; the certificate must still close."""
    rng = np.random.default_rng(7)
    W = rng.random((300, 2)) ** 4
    W /= W.sum(axis=1, keepdims=True)
    result = blahut_arimoto(W)
    assert result.converged and result.upper - result.lower < 1e-9
    assert result.iterations < 1000  # the Newton polish works despite the singular Hessian
    # with two outputs the best inputs are the two extreme rows: C of that 2x2 channel
    pair = W[[np.argmax(W[:, 0]), np.argmin(W[:, 0])]]
    assert blahut_arimoto(pair).capacity == pytest.approx(result.capacity, abs=1e-9)
    _kkt(W, result)
