"""Honest points without errors: results.csv says the BER is an upper bound (a column
after the fixed ones), that bound is the one of the bits actually simulated (about 3.7/bits,
not FER's 3.7/frames), a code's sweep goes on past an error-free point unless the user chose a
rule (``error_free_points``, ``ber_floor``), and the capacity plane places a code whose curve
passes the target between a measured point and an error-free one (as "≤ x")."""

import csv
import json

import pytest
import yaml

from shannonlab.cli import main
from shannonlab.plot import draw_directory
from shannonlab.sim.config import resolve
from shannonlab.sim.results import CSV_COLUMNS
from shannonlab.sim.sweep import run_experiment

OLD_COLUMNS = ("code,channel,parameter,value,rate,k,n,frames,frame_errors,bits,bit_errors,ber,ber_low,ber_high,"
               "fer,fer_low,fer_high,seconds,info_bits_per_s").split(",")

#: BSC points: noisy, error-free (p = 1e-9 over 64 000 bits), noisy again.
SWEEP = {
    "name": "zero",
    "seed": 2,
    "channel": {"type": "bsc"},
    "sweep": {"parameter": "p", "values": [0.05, 1e-9, 1e-9 * 1.5, 0.05 * 1.5]},
    "codes": [{"type": "uncoded", "k": 32}],
    "stop": {"min_frame_errors": 20, "max_frames": 2000},
    "execution": {"workers": 1},
}


def _run(tmp_path, config):
    path = tmp_path / "z.yaml"
    path.write_text(yaml.safe_dump(config))
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet", "--fresh"]) == 0
    with open(out / "results.csv") as handle:
        return list(csv.DictReader(handle)), out


def test_csv_marks_error_free_points_and_their_bound_is_that_of_the_bits(tmp_path):
    rows, out = _run(tmp_path, SWEEP)
    assert CSV_COLUMNS[:len(OLD_COLUMNS)] == OLD_COLUMNS and CSV_COLUMNS[len(OLD_COLUMNS):] == ["ber_upper_bound"]
    assert (out / "results.csv").read_text().splitlines()[0] == ",".join(CSV_COLUMNS)
    assert [r["ber_upper_bound"] for r in rows] == ["false", "true", "true", "false"]
    free = rows[1]
    bits = int(free["bits"])
    assert bits == 2000 * 32 and float(free["ber"]) == 0.0
    assert float(free["ber_high"]) == pytest.approx(1 - 0.025 ** (1 / bits))  # 5.8e-5, not FER's 1.8e-3
    assert float(free["ber_high"]) < float(free["fer_high"]) / 30


@pytest.mark.parametrize("stop, simulated", [
    ({}, 4),  # no rule chosen: every point
    ({"error_free_points": 1}, 2),
    ({"error_free_points": 2}, 3),
    ({"ber_floor": 1e-3}, 2),  # the error-free point's bound 5.8e-5 is below the floor
    ({"ber_floor": 1e-5}, 4),  # ... but not below this one
])
def test_a_sweep_ends_early_only_by_a_rule_the_user_chose(tmp_path, stop, simulated):
    config = dict(SWEEP, stop={"min_frame_errors": 20, "max_frames": 2000, **stop})
    store = run_experiment(resolve(config), out=tmp_path / "out", quiet=True)
    assert len(store.rows) == simulated


def test_the_capacity_plane_places_a_code_that_passes_the_target_before_an_error_free_point(tmp_path):
    rows, out = _run(tmp_path, dict(SWEEP, sweep={"parameter": "p", "values": [0.05, 1e-9]},
                                    plot={"target_ber": 1e-3}))
    data = json.loads((out / "results.json").read_text())
    assert data["rows"][1]["ber_is_upper_bound"] and data["rows"][1]["ber_high"] < 1e-3 < data["rows"][1]["fer_high"]
    drawn = draw_directory(out)
    assert "capacity.png" in [p.name for p in drawn.written], drawn.notes()
