"""`shannonlab plot` and `shannonlab capacity` on bad input: one line, never a traceback."""

import json
import re

import pytest

from shannonlab.cli import main

SIM_CONFIG = {"name": "x", "channel": {"type": "awgn"}, "sweep": {"parameter": "ebn0_db", "values": [0]}}


@pytest.mark.parametrize("document, message", [
    ({}, "not a results file of shannonlab (needs 'config' and 'rows')"),
    ([], "not a results file of shannonlab (needs 'config' and 'rows')"),
    ({"config": {"name": "x"}, "rows": [1, 2]}, "rows[0] is not a mapping, not a results file of shannonlab"),
    ({"config": SIM_CONFIG, "rows": [{"frames": 5}]}, "rows[0].code is missing or not a str"),
    ({"config": SIM_CONFIG, "rows": [{"frames": "a", "code": "c"}]}, "rows[0].value is missing or not a float"),
    ({"config": {"kind": "capacity"}, "rows": [{"a": 1}]}, "rows[0].channel is missing or not a str"),
    ({"config": {"kind": "capacity"}, "rows": [{"channel": "bsc", "parameter": "p", "value": 0.1, "closed_form": 0.5,
                                                "blahut_arimoto": 0.5, "kind": "bsc"}]},
     "cannot be drawn, not a results file of shannonlab (KeyError: 'curves')"),
])
def test_plot_of_an_unexpected_results_json_is_one_line(tmp_path, capsys, document, message):
    (tmp_path / "results.json").write_text(json.dumps(document))
    assert main(["plot", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'results.json'}: {message}") and err.count("\n") == 1


def test_plot_of_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "results.json").write_text("{}")
    assert main(["plot", str(tmp_path / "results.json")]) == 2
    assert capsys.readouterr().err == (f"error: {tmp_path / 'results.json'}: is a file; give the results directory "
                                       "that holds results.json\n")


@pytest.mark.parametrize("argv, message", [
    (["bandlimited", "--bandwidth-hz", "1e308", "--power-w", "1e308"], "overflow double precision"),
    (["bandlimited", "--bandwidth-hz", "1e-308", "--power-w", "1e308"], "overflow double precision"),
    (["limit", "--rate", "2000"], "--rate: must be a number of information bits per channel use in [1e-09, 100], "
                                  "got 2000"),
    (["limit", "--rate", "1e-320"], "--rate: must be a number of information bits per channel use"),
    (["awgn", "--ebn0-db", "3", "--rate", "1e300"], "--rate: must be a number of information bits per channel use"),
])
def test_capacity_overflows_are_one_line(capsys, argv, message):
    assert main(["capacity", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_capacity_help_has_no_restructured_text(capsys):
    with pytest.raises(SystemExit):
        main(["capacity", "--help"])
    assert "``" not in capsys.readouterr().out


def test_list_describes_what_users_asked_about(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    start = out.index("\n  repetition:") + 1
    repetition = out[start:re.search(r"\n  [a-z0-9-]+:", out[start:]).start() + start]  # up to the next family
    assert "Majority vote of the n hard decisions" in repetition and "syndrome-table" not in repetition
    assert "dir: str or null (default None)  results directory, relative to the working directory (not to the YAML " \
           "file); default results/NAME" in out
    assert "error_free_points: int or null (default None)  a code's sweep ends after this many points in a row" in out
    assert "chunk_frames: int or null (default None)  frames per random-number chunk" in out
    assert "``" not in out and ":class:" not in out
