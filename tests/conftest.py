"""Shared test options: ``--effort N`` multiplies the sample size of statistical tests
(default 1 keeps the whole suite within a few minutes on 2 cores)."""

import numpy as np
import pytest


def pytest_addoption(parser):
    parser.addoption("--effort", type=int, default=1, help="sample-size multiplier for statistical tests")


@pytest.fixture
def effort(request) -> int:
    return max(1, request.config.getoption("--effort"))


def binomial_tolerance(trials: float, p: float, sigmas: float = 4.0) -> float:
    """Half-width, in counts, of a +-``sigmas`` band around trials*p for a binomial count."""
    return sigmas * float(np.sqrt(trials * p * (1.0 - p))) + 1.0
