"""Bounds on waterfalls (plot.bounds), EXIT charts and trajectories collected by a run."""

import json

import numpy as np
import yaml

from shannonlab.channels.awgn import AWGNSpec
from shannonlab.channels.bsc import BSCSpec
from shannonlab.cli import main
from shannonlab.plot.exit_chart import ExitPanel, draw_exit_chart
from shannonlab.plot.style import PlotOptions, legend_inside_figure
from shannonlab.plot.waterfall import draw_waterfall
from shannonlab.theory import bounds
from shannonlab.theory.ensembles import Ensemble


def _rows(n, k, values):
    return [{"code": "c", "value": v, "rate": k / n, "n": n, "k": k, "ber": 1e-3, "ber_low": 5e-4, "ber_high": 2e-3,
             "bit_errors": 10, "fer": 1e-2, "fer_low": 5e-3, "fer_high": 2e-2, "frame_errors": 10} for v in values]


def test_fer_figure_draws_each_bound_asked_for():
    options = PlotOptions(bounds=("rcu", "normal"))
    fig = draw_waterfall(_rows(128, 64, [1.0, 3.0]), AWGNSpec(), "ebn0_db", [1.0, 3.0], "fer", options, "t")
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    for name in ("RCU bound", "normal approximation"):
        assert any(label.startswith(name) for label in labels), labels
    # the RCU curve at 2 dB is the theory's value (log interpolation between grid points)
    rcu = [line for line in ax.get_lines() if line.get_linestyle() == "--" and len(line.get_xdata()) > 10][0]
    x, y = np.asarray(rcu.get_xdata()), np.asarray(rcu.get_ydata())
    i = int(np.argmin(abs(x - 2.0)))
    assert y[i] == np.float64(y[i]) and abs(np.log(y[i] / bounds.fer_bound("rcu", "biawgn", 128, 64, ebn0_db=x[i]))) < 0.05
    assert legend_inside_figure(fig, ax.get_legend() or fig.legends[0])


def test_bounds_on_a_bsc_axis():
    options = PlotOptions(bounds=("rcu", "dt", "metaconverse"), x_scale="log")
    fig = draw_waterfall(_rows(200, 100, [0.03, 0.08]), BSCSpec(), "p", [0.03, 0.08], "fer", options, "t")
    gids = {(line.get_gid() or "").split(":")[0] for line in fig.axes[0].get_lines()}
    assert {"rcu", "dt", "metaconverse"} <= gids
    mc = [line for line in fig.axes[0].get_lines() if line.get_gid() == "metaconverse:c"][0]
    x, y = np.asarray(mc.get_xdata()), np.asarray(mc.get_ydata())
    assert abs(np.log(y[50] / bounds.fer_bound("metaconverse", "bsc", 200, 100, p=x[50]))) < 0.05


def test_exit_chart_figure():
    panel = ExitPanel(Ensemble.regular(3, 6), 1.5, [0.6, 0.7, 0.8], [0.2, 0.4, 0.6])
    fig = draw_exit_chart([panel], PlotOptions(size=(6, 6)), transfer=[([0, 0.5, 1], [0.4, 0.7, 0.95], "BCJR")])
    assert len(fig.axes) == 2
    staircase = [line for line in fig.axes[0].get_lines() if line.get_label().startswith("measured")][0]
    assert list(staircase.get_xdata()[:3]) == [0.0, 0.2, 0.2] and list(staircase.get_ydata()[:3]) == [0.6, 0.6, 0.7]


def test_run_collects_trajectories_and_union_bounds(tmp_path, capsys):
    experiment = {
        "name": "t", "channel": {"type": "awgn"}, "sweep": {"parameter": "ebn0_db", "values": [2.0]},
        "codes": [{"type": "ldpc", "matrix": {"random": "regular", "n": 96, "dv": 3, "dc": 6, "seed": 1}},
                  {"type": "golay", "extended": True, "decoder": {"algorithm": "ml"}}],
        "stop": {"min_frame_errors": 5, "max_frames": 300}, "execution": {"workers": 1},
        "trajectory": {"iterations": 5, "frames": 4}, "plot": {"bounds": ["union", "metaconverse"]},
    }
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(experiment))
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 0
    rows = json.loads((tmp_path / "out" / "results.json").read_text())["rows"]
    ldpc, golay = rows
    assert len(ldpc["trajectory"]["variable_to_check"]) == 5 and ldpc["trajectory"]["lambda"] == {"3": 1.0}
    assert golay.get("trajectory") is None and 0 < golay["fer_union"] < 1
    assert (tmp_path / "out" / "exit_chart.png").exists()


def test_threshold_figure_marks_the_ensemble_threshold():
    from shannonlab.plot.exit_chart import draw_threshold_figure

    trajectory = {"variable_to_check": [0.6, 0.7, 0.8], "check_to_variable": [0.2, 0.4, 0.6],
                  "lambda": {"3": 1.0}, "rho": {"6": 1.0}}
    rows = [{**row, "n": 1000, "k": 500, "rate": 0.5, "trajectory": trajectory} for row in _rows(1000, 500, [1.0, 1.4])]
    fig = draw_threshold_figure(rows, AWGNSpec(), "ebn0_db", PlotOptions(), "t", method="ga")
    fer_axes, chart = fig.axes[:2]
    threshold = [line for line in fer_axes.get_lines() if line.get_label().startswith("BP threshold")][0]
    assert abs(threshold.get_xdata()[0] - 1.162) < 0.01
    assert sum(line.get_label().startswith("measured") for line in chart.get_lines()) == 2
