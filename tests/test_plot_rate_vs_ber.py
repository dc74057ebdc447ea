"""The rate-vs-ber plot kind: the Shannon limit it draws and the file it writes."""

import pytest

from shannonlab.channels import binary_entropy, biawgn_capacity, bsc_capacity
from shannonlab.errors import ConfigError
from shannonlab.sim.config import resolve
from shannonlab.sim.plot import plot_directory
from shannonlab.sim.plot_rate_vs_ber import rate_limit
from shannonlab.sim.sweep import run_experiment


def test_rate_limit_is_capacity_over_one_minus_h2():
    c = bsc_capacity(0.1)
    constant = lambda rate: c  # noqa: E731
    assert rate_limit(constant, 1e-15) == pytest.approx(c, rel=1e-9)  # pb -> 0: R -> C
    assert rate_limit(constant, 0.01) == pytest.approx(c / (1 - binary_entropy(0.01)), rel=1e-9)
    assert rate_limit(constant, 0.0999) < 1.0 and rate_limit(constant, 0.1001) == 1.0  # R = 1 at pb = f
    # an Eb/N0 axis: capacity per use grows with the rate; the limit solves R (1 - H2) = C(R)
    ebn0 = 10 ** (1.0 / 10)
    capacity = lambda rate: biawgn_capacity(rate * ebn0)  # noqa: E731
    rate = rate_limit(capacity, 1e-3)
    assert 0 < rate < 1 and rate * (1 - binary_entropy(1e-3)) == pytest.approx(capacity(rate), abs=1e-9)


def test_rate_vs_ber_plot_is_written(tmp_path):
    config = {
        "name": "rvb", "seed": 1, "channel": {"type": "bsc"},
        "sweep": {"parameter": "p", "values": [0.05, 0.1]},
        "codes": [{"type": "repetition", "n": 1}, {"type": "repetition", "n": 3}, {"type": "hamming", "r": 3}],
        "stop": {"min_frame_errors": 50, "max_frames": 20_000},
        "plot": {"kind": "rate-vs-ber"},
    }
    run_experiment(resolve(config), out=tmp_path, quiet=True, workers=1)
    written = plot_directory(tmp_path)
    assert tmp_path / "rate_vs_ber.png" in written
    assert (tmp_path / "rate_vs_ber.png").stat().st_size > 10_000


def test_unknown_plot_kind_is_refused():
    config = {"name": "x", "channel": {"type": "bsc"}, "sweep": {"parameter": "p", "values": [0.1]},
              "codes": [{"type": "hamming"}], "plot": {"kind": "rate-vs-snr"}}
    with pytest.raises(ConfigError, match=r"^plot.kind: must be one of 'waterfall', 'rate-vs-ber' or 'threshold', "
                                          r"got 'rate-vs-snr' \(did you mean rate-vs-ber\?\)$"):
        resolve(config)
