import numpy as np
import pytest
from scipy import stats

from shannonlab.sim.intervals import ber_interval, clopper_pearson


def test_clopper_pearson_known_values():
    # Published: 0 of 100 -> [0, 0.0362]; 10 of 100 -> [0.0490, 0.1762].
    assert clopper_pearson(0, 100) == (0.0, pytest.approx(0.03621669, abs=1e-7))
    low, high = clopper_pearson(10, 100)
    assert low == pytest.approx(0.04900469, abs=1e-7) and high == pytest.approx(0.17622260, abs=1e-7)
    assert clopper_pearson(100, 100)[1] == 1.0


def test_ber_interval_is_binomial_for_independent_errors():
    frames, k = 1000, 100
    rng = np.random.default_rng(1)
    errors = rng.binomial(k, 0.01, frames)
    low, high = ber_interval(int(errors.sum()), int((errors**2).sum()), frames, k, fer_high=1.0)
    cp_low, cp_high = clopper_pearson(int(errors.sum()), frames * k)
    # design effect ~ 1: the interval is within a few percent of the exact binomial one
    assert low == pytest.approx(cp_low, rel=0.1) and high == pytest.approx(cp_high, rel=0.1)


@pytest.mark.statistical
@pytest.mark.parametrize("clustered", [False, True])
def test_ber_interval_covers_truth_at_95_percent(clustered, effort):
    """Coverage over many repetitions, with errors independent or in bursts within frames."""
    rng = np.random.default_rng(7 + clustered)
    k, frames, p_frame, burst = 64, 400, 0.05, 20
    repetitions = 400 * effort
    covered = 0
    for _ in range(repetitions):
        if clustered:  # a failed frame carries a burst of errors, as decoder failures do
            failed = rng.random(frames) < p_frame
            errors = np.where(failed, rng.binomial(k, burst / k, frames), 0)
            truth = p_frame * burst / k
        else:
            errors = rng.binomial(k, 0.01, frames)
            truth = 0.01
        frame_errors = int(np.count_nonzero(errors))
        fer_high = clopper_pearson(frame_errors, frames)[1]
        low, high = ber_interval(int(errors.sum()), int((errors**2).sum()), frames, k, fer_high)
        covered += low <= truth <= high
    # coverage 0.95 up to 3 binomial standard deviations of the coverage estimate
    assert covered / repetitions >= 0.95 - 3 * np.sqrt(0.95 * 0.05 / repetitions)


def test_naive_binomial_interval_would_undercover_clustered_errors():
    """Why the design effect is needed: the naive interval misses the truth far too often."""
    rng = np.random.default_rng(11)
    k, frames, truth = 64, 400, 0.05 * 20 / 64
    misses = 0
    for _ in range(300):
        failed = rng.random(frames) < 0.05
        errors = np.where(failed, rng.binomial(k, 20 / k, frames), 0)
        low, high = clopper_pearson(int(errors.sum()), frames * k)
        misses += not (low <= truth <= high)
    assert misses / 300 > 0.2


def test_zero_errors_bound_is_that_of_the_bits_simulated():
    """About 3/bits (the bits of 50 frames of 1000), not FER's 3/frames, and never above FER's."""
    fer_high = clopper_pearson(0, 50)[1]
    assert fer_high == pytest.approx(1 - 0.025 ** (1 / 50))
    assert stats.beta.ppf(0.975, 1, 50) == pytest.approx(fer_high)
    low, high = ber_interval(0, 0, 50, 1000, fer_high)
    assert low == 0.0 and high == pytest.approx(1 - 0.025 ** (1 / 50_000)) and 7.3e-5 < high < 7.5e-5
    assert ber_interval(0, 0, 1, 1000, 1e-4) == (0.0, 1e-4)  # capped by FER's bound
