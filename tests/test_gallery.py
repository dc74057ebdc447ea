"""The gallery machinery: several experiment files per run (all validated first), the
``references`` field, ``kind: capacity`` studies and Blahut–Arimoto with an input cost."""

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.special import ndtr

from shannonlab.channels.blahut_arimoto import blahut_arimoto_cost
from shannonlab.cli import main
from shannonlab.errors import ConfigError, ShannonlabError
from shannonlab.sim.capacity_study import (
    channel_matrix,
    compute_curve_point,
    load_file,
    predicted_loss,
    resolve_study,
)
from shannonlab.sim.config import resolve

GALLERY = Path(__file__).resolve().parents[1] / "experiments" / "gallery"

TINY = {
    "name": "tiny",
    "seed": 7,
    "channel": {"type": "awgn"},
    "sweep": {"parameter": "ebn0_db", "values": [0.0, 2.0]},
    "codes": [{"type": "uncoded", "k": 32}],
    "stop": {"min_frame_errors": 10, "max_frames": 5000},
    "execution": {"workers": 1},
}
STUDY = {
    "kind": "capacity",
    "name": "tiny-capacity",
    "references": ["Cover & Thomas, Elements of Information Theory, sec. 7.1"],
    "curves": [
        {"channel": "bsc", "values": [0.0, 0.11, 0.5]},
        {"channel": "bec", "values": {"start": 0.0, "stop": 1.0, "step": 0.5}},
        {"channel": "z", "values": [0.5]},
        {"channel": "biawgn", "values": [0.0]},
        {"channel": "gaussian", "values": [0.0]},
    ],
    "discretisation": {"output_step": 0.1},
    "tol": 1.0e-5,
}


def _write(directory, config, name):
    path = directory / name
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


# --- several files per run -------------------------------------------------------------------


def test_run_takes_several_files_of_both_kinds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = _write(tmp_path, {**TINY, "output": {"dir": "out/a"}}, "a.yaml")
    second = _write(tmp_path, {**STUDY, "output": {"dir": "out/b"}}, "b.yaml")
    assert main(["run", str(first), str(second), "--quiet"]) == 0
    assert len(list(csv.DictReader(open(tmp_path / "out/a/results.csv")))) == 2
    rows = list(csv.DictReader(open(tmp_path / "out/b/capacity.csv")))
    assert len(rows) == 9 and (tmp_path / "out/b/capacity_curves.png").stat().st_size > 0


def test_every_file_is_validated_before_anything_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    good = _write(tmp_path, {**TINY, "output": {"dir": "out/good"}}, "good.yaml")
    bad = _write(tmp_path, {**TINY, "codes": [{"type": "uncoded", "k": -3}]}, "bad.yaml")
    assert main(["run", str(good), str(bad), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {bad}: codes[0].k: must be a positive integer, got -3\n"
    assert not (tmp_path / "out").exists()  # the good file did not run either


def test_out_with_several_files_is_refused(tmp_path, capsys):
    a = _write(tmp_path, TINY, "a.yaml")
    b = _write(tmp_path, TINY, "b.yaml")
    assert main(["run", str(a), str(b), "--out", str(tmp_path / "x"), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        "error: --out: names one results directory, so it takes one experiment file, got 2\n"
    )


def test_every_gallery_file_validates():
    files = sorted(GALLERY.glob("*.yaml"))
    assert len(files) == 12
    for path in files:
        item = load_file(path)
        references = item.references if hasattr(item, "references") else item.experiment.references
        assert references, f"{path.name} cites no published reference"



def test_every_example_experiment_validates():
    files = sorted(p for p in GALLERY.parent.rglob("*.yaml") if p.parent != GALLERY)
    assert len(files) >= 15
    for path in files:
        load_file(path)  # a ConfigError names the file and the field


# --- references and kind ---------------------------------------------------------------------


def test_references_are_kept_but_not_hashed():
    plain = resolve(TINY)
    cited = resolve({**TINY, "references": ["Proakis, Digital Communications, fig. 4.2-4"]})
    assert cited.experiment.references == ["Proakis, Digital Communications, fig. 4.2-4"]
    assert cited.resolved()["references"] == ["Proakis, Digital Communications, fig. 4.2-4"]
    assert cited.config_hash() == plain.config_hash() == resolve({**TINY, "kind": "simulation"}).config_hash()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"references": "Proakis"}, "references: must be a list"),
        ({"kind": "cap"}, "kind: must be one of 'simulation', 'capacity', 'amc', got 'cap'"),
    ],
)
def test_bad_kind_or_references(tmp_path, change, message):
    path = _write(tmp_path, {**TINY, **change}, "x.yaml")
    with pytest.raises(ConfigError) as info:
        load_file(path)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"curves": []}, "curves: must have at least 1 entries"),
        ({"curves": [{"channel": "gilbert-elliott", "values": [1.0]}]}, "curves[0]: channel must be one of bsc, bec, z,"),
        ({"curves": [{"channel": "bsc", "values": [1.5]}]}, "curves[0]: bsc takes p in [0, 1], got 1.5"),
        ({"curves": [{"channel": "bsc", "values": []}]}, "curves[0].values: must list at least one value"),
        ({"discretisation": {"output_step": 0.0}}, "discretisation.output_step: must be greater than 0"),
        ({"tol": 0.5}, "tol: must be at most 0.01"),
        ({"seed": 3}, "seed: unknown key"),
    ],
)
def test_capacity_study_errors_are_one_line(change, message):
    with pytest.raises(ConfigError) as info:
        resolve_study({**STUDY, **change})
    text = str(info.value)
    assert text.startswith(message), text
    assert "\n" not in text


# --- capacity studies --------------------------------------------------------------------------


def test_capacity_study_matches_closed_forms(tmp_path):
    study = resolve_study(STUDY)
    out = tmp_path / "study"
    assert main(["run", str(_write(tmp_path, STUDY, "s.yaml")), "--out", str(out), "--quiet"]) == 0
    data = json.loads((out / "results.json").read_text())
    assert data["config"]["references"] == STUDY["references"]
    for row in data["rows"]:
        assert row["ba_lower"] - 1e-12 <= row["blahut_arimoto"] <= row["ba_upper"] + 1e-12
        if row["kind"] in ("bsc", "bec", "z"):  # exact matrices: BA is the closed form within tol
            assert abs(row["blahut_arimoto"] - row["closed_form"]) <= study.tol
        else:  # quantised outputs lose information: never above the closed form
            assert row["ba_upper"] <= row["closed_form"] + study.tol
    gaussian = [r for r in data["rows"] if r["kind"] == "gaussian"][0]
    assert gaussian["predicted_loss"] == pytest.approx(0.1**2 / 24 * 0.5 / math.log(2))


# --- Blahut–Arimoto with an input cost -----------------------------------------------------


def test_cost_constrained_ba_reproduces_the_gaussian_capacity_within_the_predicted_loss():
    """½ log2(1 + SNR) minus the output-quantisation loss Δ²/24 · P/(1+P) nats; halving Δ
    divides the loss by four, so the prediction is checked, not only bounded."""
    for snr_db in (-5.0, 0.0):
        losses = []
        for step in (0.1, 0.05):
            study = resolve_study({**STUDY, "discretisation": {"output_step": step}, "tol": 1e-6})
            curve = resolve_study({**STUDY, "curves": [{"channel": "gaussian", "values": [snr_db]}]}).curves[0]
            row = compute_curve_point(study, curve, snr_db)
            loss = row["closed_form"] - row["blahut_arimoto"]
            gap = row["ba_upper"] - row["ba_lower"]
            assert gap < 1e-6
            assert abs(loss - predicted_loss(study, "gaussian", snr_db)) < 0.05 * loss + gap
            losses.append(loss)
        assert losses[0] / losses[1] == pytest.approx(4.0, rel=0.05)


def test_cost_constrained_ba_meets_the_budget_and_brackets_capacity():
    x = np.arange(-7.0, 7.01, 0.25)
    edges = np.arange(-15.0, 15.01, 0.05)
    cdf = ndtr(edges[None, :] - x[:, None])
    W = np.diff(np.hstack([np.zeros((x.size, 1)), cdf, np.ones((x.size, 1))]), axis=1)
    r = blahut_arimoto_cost(W, x**2, 0.5, tol=1e-6)
    assert r.converged and r.expected_cost <= 0.5 + 1e-12
    assert r.lower <= 0.5 * math.log2(1.5) and r.gap < 1e-6
    # a symmetric optimum: the input distribution is even in x
    assert np.allclose(r.input_distribution, r.input_distribution[::-1], atol=1e-6)


def test_cost_that_cannot_bind_gives_the_plain_capacity():
    W = np.array([[0.9, 0.1], [0.1, 0.9]])
    r = blahut_arimoto_cost(W, [0.0, 1.0], 5.0)
    assert r.capacity == pytest.approx(1 - (-(0.9 * math.log2(0.9) + 0.1 * math.log2(0.1))), abs=1e-6)
    # a binding cost: P(X=1) <= 0.2, so C = H2(0.2*0.9 + 0.8*0.1) - H2(0.1)
    r = blahut_arimoto_cost(W, [0.0, 1.0], 0.2, tol=1e-8)

    def h2(p):
        return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))

    assert r.lower - 1e-12 <= h2(0.26) - h2(0.1) <= r.upper + 1e-12 and r.gap < 1e-8
    assert r.input_distribution[1] == pytest.approx(0.2, abs=1e-6)


@pytest.mark.parametrize(
    "cost, budget, message",
    [
        ([0.0], 1.0, "cost: must have one entry per input row (2), got 1"),
        ([0.0, -1.0], 1.0, "cost: every entry must be a finite number >= 0"),
        ([1.0, 2.0], 0.5, "budget: must be at least the smallest input cost 1, got 0.5"),
    ],
)
def test_cost_constrained_ba_errors(cost, budget, message):
    with pytest.raises(ShannonlabError) as info:
        blahut_arimoto_cost([[0.9, 0.1], [0.1, 0.9]], cost, budget)
    assert str(info.value) == message


def test_discretised_matrices_are_stochastic():
    study = resolve_study(STUDY)
    for channel, value in (("bsc", 0.2), ("bec", 0.3), ("z", 0.4), ("biawgn", 3.0), ("gaussian", 3.0)):
        W, cost, budget = channel_matrix(study, channel, value)
        assert np.allclose(W.sum(axis=1), 1.0) and (W >= 0).all()
        assert (cost is None) == (channel != "gaussian")
