"""``shannonlab capacity``: values, JSON keys, sweeps and plots, one-line errors."""

import json
import math

import numpy as np
import pytest

from shannonlab.capacity_cli import parse_values
from shannonlab.channels.capacity import (
    biawgn_capacity,
    bsc_capacity,
    bsc_threshold,
    shannon_hartley,
    shannon_limit_ebn0_db,
    z_channel_capacity,
)
from shannonlab.cli import main
from shannonlab.errors import ShannonlabError


def _json(capsys, argv):
    assert main(["capacity", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_closed_forms_as_json(capsys):
    assert _json(capsys, ["bsc", "--p", "0.11"])["capacity_bits"] == bsc_capacity(0.11)
    assert _json(capsys, ["bec", "--epsilon", "0.25"])["capacity_bits"] == 0.75
    z = _json(capsys, ["z", "--p", "0.5"])
    assert z["capacity_bits"] == z_channel_capacity(0.5)
    assert z["input_distribution"] == pytest.approx([0.6, 0.4], abs=1e-12)
    assert _json(capsys, ["awgn", "--snr-db", "0"])["capacity_bits"] == 0.5
    assert _json(capsys, ["biawgn", "--esn0-db", "-3"])["capacity_bits"] == biawgn_capacity(10 ** -0.3)
    band = _json(capsys, ["bandlimited", "--bandwidth-hz", "1e6", "--power-w", "3e-6", "--n0-w-per-hz", "1e-12"])
    assert band["capacity_bps"] == shannon_hartley(1e6, 3e-6, 1e-12) == pytest.approx(2e6)


def test_limit(capsys):
    doc = _json(capsys, ["limit", "--rate", "0.5"])
    assert doc["ebn0_db_gaussian"] == pytest.approx(0.0, abs=1e-12)
    assert doc["ebn0_db_binary"] == shannon_limit_ebn0_db(0.5, "binary")
    assert doc["bsc_crossover"] == bsc_threshold(0.5)
    assert main(["capacity", "limit", "--rate", "0.5"]) == 0
    text = capsys.readouterr().out
    assert "0.1871 dB" in text and "0.0000 dB" in text


def test_sweep_with_negative_start_and_plot(capsys, tmp_path):
    png = tmp_path / "biawgn.png"
    doc = _json(capsys, ["biawgn", "--esn0-db", "-10:10:0.5", "--plot", str(png)])
    assert len(doc["esn0_db"]) == 41 and doc["esn0_db"][0] == -10.0 and doc["esn0_db"][-1] == 10.0
    assert doc["capacity_bits"][20] == biawgn_capacity(1.0)
    assert all(a < b for a, b in zip(doc["capacity_bits"], doc["capacity_bits"][1:]))
    assert png.stat().st_size > 10_000


def test_dmc_from_csv_and_npy(capsys, tmp_path):
    csv = tmp_path / "w.csv"
    csv.write_text("# Z-channel\n1.0, 0.0\n0.5, 0.5\n")
    doc = _json(capsys, ["dmc", "--matrix", str(csv)])
    assert doc["lower"] - 1e-13 <= math.log2(1.25) <= doc["upper"] + 1e-13 and doc["upper"] - doc["lower"] < 1e-9
    assert doc["input_distribution"] == pytest.approx([0.6, 0.4], abs=1e-6)
    assert doc["iterations"] > 0 and doc["converged"]
    npy = tmp_path / "w.npy"
    np.save(npy, np.array([[0.9, 0.1], [0.1, 0.9]]))
    doc = _json(capsys, ["dmc", "--matrix", str(npy), "--method", "plain"])
    assert abs(doc["capacity_bits"] - bsc_capacity(0.1)) < 1e-9
    assert main(["capacity", "dmc", "--matrix", str(npy)]) == 0
    assert "<= C <=" in capsys.readouterr().out


@pytest.mark.parametrize("argv,message", [
    (["bsc", "--p", "1.5"], "error: --p: must be a probability in [0, 1], got 1.5"),
    (["biawgn", "--esn0-db", "1:0:1"], "error: --esn0-db: a sweep start:stop:step needs step > 0 and stop >= start, got '1:0:1'"),
    (["awgn", "--snr-db", "abc"], "error: --snr-db: must be a number or a sweep start:stop:step, got 'abc'"),
    (["bandlimited", "--bandwidth-hz", "0", "--power-w", "1", "--n0-w-per-hz", "1"], "error: --bandwidth-hz: must be > 0 and finite, got 0"),
    (["limit", "--rate", "-1"], "error: --rate: must be a number of information bits per channel use in [1e-09, 100], got -1"),
    (["dmc", "--matrix", "missing.csv"], "error: --matrix: no such file 'missing.csv'"),
    (["bsc", "--p", "0:0.5:0.1", "--plot", "no/such/dir/x.png"], "error: --plot: directory 'no/such/dir' does not exist"),
])
def test_errors_are_one_line(capsys, argv, message):
    assert main(["capacity", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == message and captured.out == ""


def test_bad_matrix_file(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("0.9,0.1\n0.2,0.7\n")
    assert main(["capacity", "dmc", "--matrix", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == "error: --matrix: row 1 sums to 0.9, every row must sum to 1"
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("0.9,0.1\n1.0\n")
    assert main(["capacity", "dmc", "--matrix", str(ragged)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --matrix: cannot read ragged.csv as a matrix of numbers") and "\n" not in err


def test_parse_values():
    assert parse_values("--p", "0.1") == ([0.1], False)
    assert parse_values("--p", "0:0.3:0.1") == ([0.0, 0.1, 0.2, 0.3], True)
    with pytest.raises(ShannonlabError, match=r"^--p: a sweep is start:stop:step with finite numbers, got '0:1'$"):
        parse_values("--p", "0:1")
