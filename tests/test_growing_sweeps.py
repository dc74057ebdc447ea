"""A results directory grows with its config: finished points are keyed by what determines
their numbers (code spec, channel spec, value, seed, chunk size) and their stop rule, so
adding points or codes, relabelling, or a stricter stop rule reuse them; every count equals
that of an uninterrupted run of the final config from scratch."""

import copy
import io
import json
import re

import pytest
import yaml

from shannonlab.cli import main
from shannonlab.sim import engine
from shannonlab.sim import sweep as sweep_module
from shannonlab.sim.config import resolve
from shannonlab.sim.sweep import run_experiment

BASE = {
    "name": "grow",
    "seed": 5,
    "channel": {"type": "awgn"},
    "sweep": {"parameter": "ebn0_db", "values": [0.0, 9.0]},  # 9 dB: ends at max_frames, in a partial chunk
    "codes": [{"type": "uncoded", "k": 40, "label": "u40"}],
    "stop": {"min_frame_errors": 30, "max_frames": 5000},
    "execution": {"workers": 1, "chunk_frames": 7},
}
#: What a row's numbers are (not its label, time or speed).
NUMBERS = ("value", "frames", "frame_errors", "bit_errors", "bit_errors_sq", "chunks", "ber", "ber_high", "fer",
           "fer_low", "fer_high", "stopped_by")


def _with(**changes):
    config = copy.deepcopy(BASE)
    config.update(copy.deepcopy(changes))
    return config


def _numbers(store_or_dir):
    rows = store_or_dir.rows if hasattr(store_or_dir, "rows") else json.loads(
        (store_or_dir / "results.json").read_text())["rows"]
    return [(r["code"], *(r[k] for k in NUMBERS)) for r in rows]


def _scratch(config, tmp_path, name="scratch"):
    return _numbers(run_experiment(resolve(config), out=tmp_path / name, quiet=True))


@pytest.fixture
def counted(monkeypatch):
    """Every simulate_point call: (value, checkpoint given)."""
    calls = []
    original = sweep_module.simulate_point

    def counting(code, channel, stop, seed, **kwargs):
        calls.append(kwargs.get("checkpoint") is not None)
        return original(code, channel, stop, seed, **kwargs)

    monkeypatch.setattr(sweep_module, "simulate_point", counting)
    return calls


def test_added_points_and_codes_reuse_every_finished_point(tmp_path, counted):
    out = tmp_path / "out"
    run_experiment(resolve(BASE), out=out, quiet=True)
    counted.clear()
    grown = _with(sweep={"parameter": "ebn0_db", "values": [0.0, 1.5, 9.0]},
                  codes=[{"type": "uncoded", "k": 24, "label": "u24"}, {"type": "uncoded", "k": 40, "label": "u40"}])
    store = run_experiment(resolve(grown), out=out, quiet=True)
    assert len(counted) == 4  # 1.5 dB of u40, and the three points of the new code
    assert _numbers(store) == _scratch(grown, tmp_path)
    assert [p.action for p in store.plan.points] == ["simulate"] * 3 + ["kept", "simulate", "kept"]


def test_a_new_label_renames_without_simulating(tmp_path, counted):
    out = tmp_path / "out"
    run_experiment(resolve(BASE), out=out, quiet=True)
    counted.clear()
    renamed = _with(codes=[{"type": "uncoded", "k": 40, "label": "uncoded, 40 bits"}])
    store = run_experiment(resolve(renamed), out=out, quiet=True)
    assert counted == [] and {r["code"] for r in store.rows} == {"uncoded, 40 bits"}
    assert "uncoded, 40 bits" in (out / "results.csv").read_text() and "u40" not in (out / "results.csv").read_text()


@pytest.mark.parametrize("stricter", [
    {"min_frame_errors": 90, "max_frames": 5000},  # more errors: continues from the whole chunks
    {"min_frame_errors": 30, "max_frames": 20000},  # more frames (5000 is not a multiple of 7: a partial chunk)
    {"min_frame_errors": 500, "max_frames": 9000},
])
def test_a_stricter_stop_rule_continues_finished_points(tmp_path, counted, monkeypatch, stricter):
    out = tmp_path / "out"
    first = run_experiment(resolve(_with(stop={"min_frame_errors": 30, "max_frames": 5000})), out=out, quiet=True)
    counted.clear()
    asked = []
    original = engine.run_chunks
    monkeypatch.setattr(engine, "run_chunks", lambda *a: asked.append(a[3]) or original(*a))
    config = _with(stop=stricter)
    store = run_experiment(resolve(config), out=out, quiet=True)
    calls, asked_first = list(counted), min(asked)
    actions = [p.action for p in store.plan.points]
    # 0 dB ended at 30 frame errors: the same under more frames (kept), continued under more
    # errors; 9 dB ended at 5000 frames with fewer errors: the same under more errors (kept)
    assert actions == ["continue" if stricter["min_frame_errors"] > 30 else "kept",
                       "continue" if stricter["max_frames"] > 5000 else "kept"]
    assert calls == [True] * actions.count("continue")  # continued from their chunks, none from scratch
    whole = [row["chunks"] - (row["frames"] % 7 > 0) for row, action in zip(first.rows, actions) if action == "continue"]
    assert asked_first >= min(whole)  # no chunk below a finished prefix was simulated again
    assert _numbers(store) == _scratch(config, tmp_path)  # the numbers of a run under the new rule


def test_a_looser_stop_rule_or_a_changed_code_simulates_again(tmp_path, counted):
    out = tmp_path / "out"
    two = _with(codes=[{"type": "uncoded", "k": 40, "label": "u40"}, {"type": "uncoded", "k": 16, "label": "u16"}])
    run_experiment(resolve(two), out=out, quiet=True)
    counted.clear()
    changed = copy.deepcopy(two)
    changed["codes"][1]["k"] = 17  # another code under the same label: its points only
    store = run_experiment(resolve(changed), out=out, quiet=True)
    assert counted == [False, False] and _numbers(store) == _scratch(changed, tmp_path)
    counted.clear()
    looser = dict(changed, stop={"min_frame_errors": 10, "max_frames": 5000})
    store = run_experiment(resolve(looser), out=out, quiet=True)
    # fewer errors end 0 dB earlier: simulated again; 9 dB had fewer than 10 anyway: kept
    assert [p.action for p in store.plan.points] == ["simulate", "kept"] * 2
    assert counted == [False] * 2 and _numbers(store) == _scratch(looser, tmp_path, "scratch2")


def test_rows_written_before_point_ids_are_kept(tmp_path, counted):
    out = tmp_path / "out"
    run_experiment(resolve(BASE), out=out, quiet=True)
    data = json.loads((out / "results.json").read_text())
    for row in data["rows"]:  # as results.json looked before rows were keyed by content
        for key in ("point_id", "stop", "resume"):
            row.pop(key)
    (out / "results.json").write_text(json.dumps(data))
    counted.clear()
    store = run_experiment(resolve(BASE), out=out, quiet=True)
    assert counted == [] and len(store.rows) == 2


def test_the_run_says_what_it_keeps_and_what_it_simulates(tmp_path, capsys):
    out = tmp_path / "out"
    stream = io.StringIO()
    run_experiment(resolve(BASE), out=out, stream=stream)
    assert stream.getvalue().splitlines()[0] == f"grow: 2 to simulate -> {out.resolve()}"
    config = tmp_path / "grow.yaml"
    config.write_text(yaml.safe_dump(BASE))
    assert main(["run", str(config), "--out", str(out)]) == 0  # the command line: the same words, and a summary
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == f"grow: 2 points kept, nothing to simulate -> {out.resolve()}"
    assert "#" not in captured.err  # no table: nothing was simulated
    assert re.fullmatch(rf"2 points \(0 simulated, 2 kept\) in [0-9.]+ s -> {re.escape(str(out.resolve()))}",
                        captured.out.splitlines()[0])
    stream = io.StringIO()
    run_experiment(resolve(_with(sweep={"parameter": "ebn0_db", "values": [0.0, 6.0, 9.0]},
                                 stop={"min_frame_errors": 40, "max_frames": 5000})), out=out, stream=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == (f"grow: 1 point kept, 1 to continue under the stricter stop rule, 1 to simulate -> "
                        f"{out.resolve()}")
    assert lines[1].startswith("continuing u40 ebn0_db = 0 from its ")
