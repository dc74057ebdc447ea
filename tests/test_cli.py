import csv
import json
import subprocess
import sys

import pytest
import yaml

from shannonlab.cli import main
from shannonlab.sim import sweep as sweep_module
from shannonlab.sim.config import resolve
from shannonlab.sim.results import CSV_COLUMNS
from shannonlab.sim.sweep import run_experiment

TINY = {
    "name": "tiny",
    "seed": 7,
    "channel": {"type": "awgn"},
    "sweep": {"parameter": "ebn0_db", "values": [0.0, 2.0, 4.0]},
    "codes": [{"type": "uncoded", "k": 64}, {"type": "uncoded", "k": 32, "label": "short"}],
    "stop": {"min_frame_errors": 20, "max_frames": 20000},
    "execution": {"workers": 1},
}


def _write(tmp_path, config, name="exp.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    return path


def _rows(directory):
    with open(directory / "results.csv") as handle:
        return list(csv.DictReader(handle))


def test_cli_run_end_to_end(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet"]) == 0
    with open(out / "results.csv") as handle:
        assert handle.readline().strip() == ",".join(CSV_COLUMNS)
    rows = _rows(out)
    assert len(rows) == 6 and {r["code"] for r in rows} == {"uncoded (k=64)", "short"}
    for name in ("ber.png", "fer.png", "results.json"):
        assert (out / name).stat().st_size > 0
    data = json.loads((out / "results.json").read_text())
    assert data["config"]["codes"][0]["k"] == 64 and data["seed"] == 7
    assert {"numpy", "numba"} <= set(data["versions"]) and data["machine"]["cpus"] >= 1
    # uncoded BPSK never reaches BER 1e-4 up to 4 dB: the capacity plane has nothing to show
    assert not (out / "capacity.png").exists()
    assert main(["plot", str(out)]) == 0
    captured = capsys.readouterr()
    assert "ber.png" in captured.out
    assert captured.err.strip() == "capacity.png not written: no code reaches BER 0.0001 within the sweep"
    # at a target the codes reach, it is drawn
    out2 = tmp_path / "out2"
    assert main(["run", str(_write(tmp_path, {**TINY, "plot": {"target_ber": 0.05}}, "e2.yaml")), "--out", str(out2),
                 "--quiet"]) == 0
    assert (out2 / "capacity.png").stat().st_size > 0


def test_rerun_resumes_and_fresh_starts_over(tmp_path, monkeypatch):
    out = tmp_path / "out"
    config = _write(tmp_path, TINY)
    assert main(["run", str(config), "--out", str(out), "--quiet"]) == 0
    first = _rows(out)
    calls = []
    original = sweep_module.simulate_point
    monkeypatch.setattr(sweep_module, "simulate_point", lambda *a, **k: calls.append(1) or original(*a, **k))
    assert main(["run", str(config), "--out", str(out), "--quiet"]) == 0
    assert calls == [] and _rows(out) == first
    assert main(["run", str(config), "--out", str(out), "--quiet", "--fresh"]) == 0
    assert len(calls) == 6
    assert [r["bit_errors"] for r in _rows(out)] == [r["bit_errors"] for r in first]


def test_interrupted_run_keeps_finished_points_and_resumes(tmp_path, monkeypatch):
    out = tmp_path / "out"
    resolved = resolve(TINY)
    original = sweep_module.simulate_point
    calls = []

    def interrupt_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(sweep_module, "simulate_point", interrupt_third)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(resolved, out=out, quiet=True)
    assert len(_rows(out)) == 2
    calls.clear()
    monkeypatch.setattr(sweep_module, "simulate_point", lambda *a, **k: calls.append(1) or original(*a, **k))
    run_experiment(resolved, out=out, quiet=True)
    assert len(calls) == 4 and len(_rows(out)) == 6


def test_results_of_another_experiment_are_never_overwritten(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet"]) == 0
    before = (out / "results.csv").read_text()
    other = dict(TINY, name="other")
    assert main(["run", str(_write(tmp_path, other, "b.yaml")), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"error: {out} holds the results of simulation experiment 'tiny', not of simulation experiment "
                   "'other'; use --out DIR for a new directory or --fresh to overwrite")
    assert (out / "results.csv").read_text() == before


def test_a_changed_seed_recomputes_and_the_old_rows_come_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet"]) == 0
    before = (out / "results.csv").read_text()
    assert main(["run", str(_write(tmp_path, dict(TINY, seed=8), "b.yaml")), "--out", str(out), "--quiet"]) == 0
    assert (out / "results.csv").read_text() != before
    calls = []
    original = sweep_module.simulate_point
    monkeypatch.setattr(sweep_module, "simulate_point", lambda *a, **k: calls.append(1) or original(*a, **k))
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet"]) == 0
    assert calls == [] and (out / "results.csv").read_text() == before  # kept aside, not lost

def test_workers_one_and_two_give_identical_rows(tmp_path):
    rows = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet", "--workers", str(workers)]) == 0
        rows[workers] = [{k: r[k] for k in ("code", "value", "frames", "frame_errors", "bit_errors", "ber", "fer")} for r in _rows(out)]
    assert rows[1] == rows[2]


def test_ber_floor_ends_a_codes_sweep(tmp_path):
    config = dict(TINY, sweep={"parameter": "ebn0_db", "values": [0.0, 8.0, 9.0, 10.0]},
                  codes=[{"type": "uncoded", "k": 64}], stop={"min_frame_errors": 20, "max_frames": 20000, "ber_floor": 1e-3})
    out = tmp_path / "out"
    assert main(["run", str(_write(tmp_path, config)), "--out", str(out), "--quiet"]) == 0
    rows = _rows(out)
    # 8 dB: BER ~ 2e-4 < floor -> the sweep ends there; 9 and 10 dB are not simulated
    assert [float(r["value"]) for r in rows] == [0.0, 8.0]
    assert 0 < float(rows[1]["ber"]) < 1e-3


def test_bad_config_exits_2_with_one_line_and_no_traceback(tmp_path):
    bad = dict(TINY, codes=[{"type": "uncoded", "k": -3}])
    proc = subprocess.run([sys.executable, "-m", "shannonlab.cli", "run", str(_write(tmp_path, bad))],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: codes[0].k: must be a positive integer, got -3"
    assert not (tmp_path / "results").exists()  # nothing written before validation passes


def test_cli_list_names_every_family(capsys):
    assert main(["list"]) == 0
    text = capsys.readouterr().out
    for name in ("uncoded", "bsc", "bec", "awgn", "ebn0_db"):
        assert name in text
