"""``kind: amc``: every scheme simulated over the SNR sweep, the envelope picks the highest
rate under the target FER, amc.csv and throughput.png, and one-line errors."""

import csv
import json

import pytest
import yaml

from shannonlab.cli import main
from shannonlab.errors import ConfigError
from shannonlab.plot import draw_directory
from shannonlab.sim.amc import AMCStudy, envelope, resolve_amc, run_amc, snr_for_capacity
from shannonlab.sim.executors import InlineExecutor

TINY = {
    "kind": "amc",
    "name": "tiny-amc",
    "seed": 3,
    "channel": {"type": "awgn"},
    "sweep": {"parameter": "snr_db", "values": [0.0, 6.0, 12.0, 30.0]},
    "schemes": [
        {"label": "QPSK uncoded", "modulation": "qpsk", "code": {"type": "uncoded", "k": 64}},
        {"label": "16QAM rep3", "modulation": "16qam", "code": {"type": "repetition", "n": 3}},
        {"label": "64QAM uncoded", "modulation": "64qam", "code": {"type": "uncoded", "k": 66}},
    ],
    "stop": {"min_frame_errors": 20, "max_frames": 400},
    "execution": {"workers": 1},
}


def test_amc_runs_every_scheme_and_writes_the_envelope(tmp_path):
    study = resolve_amc(TINY)
    run_amc(study, tmp_path / "out", quiet=True, executor=InlineExecutor())  # in this process: no pool to start
    drawn = draw_directory(tmp_path / "out")
    assert [p.name for p in drawn.written] == ["throughput.png", "fer.png"]
    rows = list(csv.DictReader(open(tmp_path / "out/amc.csv")))
    assert [float(r["snr_db"]) for r in rows] == [0.0, 6.0, 12.0, 30.0]
    assert list(rows[0])[:5] == ["snr_db", "chosen", "throughput", "capacity", "gap_db"]
    assert rows[0]["chosen"] == "" and float(rows[0]["throughput"]) == 0.0  # nothing works at 0 dB
    assert rows[-1]["chosen"] == "64QAM uncoded" and float(rows[-1]["throughput"]) == pytest.approx(6.0)
    for row in rows:
        if row["chosen"]:
            assert float(row[f"fer[{row['chosen']}]"]) <= 0.1
            # the envelope never beats capacity: the gap is positive
            assert float(row["gap_db"]) > 0 and float(row["throughput"]) < float(row["capacity"])
    data = json.loads((tmp_path / "out/results.json").read_text())
    assert [s["bits_per_symbol"] for s in data["schemes"]] == [2, 4, 6]
    # repetition (3,1) on 16-QAM: 3 coded bits padded to one symbol, k/S = 1 (not R m = 4/3)
    assert data["schemes"][1]["info_bits_per_symbol"] == pytest.approx(1.0)
    assert (tmp_path / "out/throughput.png").stat().st_size > 0
    assert (tmp_path / "out/schemes/0-QPSK-uncoded/results.csv").exists()


def test_envelope_prefers_the_highest_rate_under_the_target():
    study = AMCStudy.model_validate({**TINY, "target_fer": 0.2})
    schemes = [{"label": "a", "info_bits_per_symbol": 1.0}, {"label": "b", "info_bits_per_symbol": 3.0}]
    fers = {"a": {0.0: 0.5, 6.0: 0.0, 12.0: 0.0, 30.0: 0.0}, "b": {0.0: 1.0, 6.0: 0.3, 12.0: 0.15, 30.0: 0.0}}
    rows = envelope(study, schemes, fers)
    assert [r["chosen"] for r in rows] == ["", "a", "b", "b"]
    assert rows[2]["throughput"] == pytest.approx(3.0 * 0.85)
    assert rows[2]["gap_db"] == pytest.approx(12.0 - 10 * __import__("math").log10(2 ** 2.55 - 1))
    fading = {"type": "rayleigh"}
    from shannonlab.theory.fading import rayleigh_ergodic_capacity

    assert rayleigh_ergodic_capacity(snr_for_capacity(fading, 2.0)) == pytest.approx(2.0, abs=1e-8)


def test_run_validates_an_amc_file_before_running(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({**TINY, "target_fer": 0.0}))
    assert main(["run", str(path), "--quiet"]) == 2
    assert capsys.readouterr().err.startswith("error: target_fer: must be greater than 0")


@pytest.mark.parametrize("change, message", [
    ({"channel": {"type": "awgn", "modulation": "16qam"}}, "channel: must not set modulation: every scheme sets its own"),
    ({"target_fer": 1.5}, "target_fer: must be less than 1"),
    ({"sweep": {"parameter": "ebn0_db", "values": [1.0]}}, "sweep.parameter: must be one of 'snr_db'"),
    ({"schemes": [{"label": "x", "modulation": "12qam", "code": {"type": "uncoded"}}]},
     "schemes[0].modulation: '12qam': M = 12 is not a power of two"),
    ({"schemes": [{"label": "x", "modulation": "qpsk", "code": {"type": "uncoded", "k": 0}}]},
     "schemes[0].code.k: must be a positive integer"),
    ({"schemes": [{"label": "x", "modulation": "qpsk", "code": {"type": "uncoded"}}] * 2},
     "schemes[1].label: 'x' names an earlier scheme too"),
])
def test_bad_amc_files_give_one_line_errors(change, message):
    with pytest.raises(ConfigError) as info:
        resolve_amc({**TINY, **change})
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
