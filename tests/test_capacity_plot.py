"""The finite-length limit on fer.png: PPV normal approximation per (n, k), checked by hand."""

import math

import numpy as np
import pytest
import yaml

from shannonlab.channels.awgn import AWGNSpec
from shannonlab.channels.bsc import BSCSpec
from shannonlab.cli import main
from shannonlab.plot import waterfall as plot_module
from shannonlab.sim.plot import normal_approximation_curves


def _ppv(n, k, C, V):
    return 0.5 * math.erfc((n * C - k + 0.5 * math.log2(n)) / math.sqrt(n * V) / math.sqrt(2))


def test_awgn_spec_normal_approximation_by_hand():
    """(128, 64) at Eb/N0 = 2 dB: Es/N0 = 2 dB + 10 log10(1/2); C and V of BI-AWGN there."""
    from shannonlab.channels.capacity import biawgn_capacity, biawgn_dispersion

    esn0 = 10 ** ((2.0 - 10 * math.log10(2)) / 10)
    expected = _ppv(128, 64, biawgn_capacity(esn0), biawgn_dispersion(esn0))
    assert AWGNSpec().normal_approximation_fer("ebn0_db", 2.0, 128, 64) == pytest.approx(expected, rel=1e-12)
    assert AWGNSpec().normal_approximation_fer("esn0_db", 10 * math.log10(esn0), 128, 64) == pytest.approx(expected, rel=1e-12)


def test_bsc_spec_normal_approximation_by_hand():
    p = 0.05
    C = 1 + p * math.log2(p) + (1 - p) * math.log2(1 - p)
    V = p * (1 - p) * math.log2((1 - p) / p) ** 2
    assert BSCSpec().normal_approximation_fer("p", p, 255, 131) == pytest.approx(_ppv(255, 131, C, V), rel=1e-12)


def test_fer_plot_draws_one_curve_per_block_length(tmp_path, monkeypatch):
    config = {
        "name": "ppv", "seed": 3, "channel": {"type": "awgn"},
        "sweep": {"parameter": "ebn0_db", "values": [0.0, 3.0]},
        "codes": [{"type": "convolutional", "generators": ["5", "7"], "k": 64},
                  {"type": "convolutional", "generators": ["5", "7"], "k": 64, "label": "again"},
                  {"type": "uncoded", "k": 128}, {"type": "hamming", "r": 3}],
        "stop": {"min_frame_errors": 10, "max_frames": 2000},
        "execution": {"workers": 1},
    }
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(config))
    drawn = {}
    original = plot_module.normal_approximation_curves

    def spy(channel, parameter, codes, x_grid):
        curves = original(channel, parameter, codes, x_grid)
        drawn.update(curves)
        drawn["x"] = x_grid
        return curves

    monkeypatch.setattr(plot_module, "normal_approximation_curves", spy)
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert (tmp_path / "out" / "fer.png").stat().st_size > 0
    # one curve per distinct (n, k), only where it means something: not for uncoded (k = n) nor n < 100
    assert set(drawn) == {(132, 64), "x"}
    x = drawn["x"]
    i = int(np.argmin(np.abs(x - 1.5)))
    spec = AWGNSpec()
    assert drawn[(132, 64)][i] == spec.normal_approximation_fer("ebn0_db", float(x[i]), 132, 64)
    from shannonlab.channels.capacity import biawgn_capacity, biawgn_dispersion

    esn0 = 10 ** (x[i] / 10) * 64 / 132
    assert drawn[(132, 64)][i] == pytest.approx(_ppv(132, 64, biawgn_capacity(esn0), biawgn_dispersion(esn0)), rel=1e-12)


def test_channel_without_the_method_draws_nothing():
    from shannonlab.channels.z import ZSpec  # no dispersion offered (the BEC has one now)

    assert normal_approximation_curves(ZSpec(), "p", {"c": [{"n": 7, "k": 4}]}, np.array([0.1])) == {}
