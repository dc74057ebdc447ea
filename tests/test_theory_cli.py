"""``shannonlab threshold`` and ``shannonlab bound`` (cli/theory.py): the interface of issue 17."""

import json

import pytest

from shannonlab.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_threshold_bec_json(capsys):
    code, out, _ = run(capsys, "threshold", "--dv", "3", "--dc", "6", "--channel", "bec", "--json")
    assert code == 0 and json.loads(out)["threshold"] == pytest.approx(0.42944, abs=1e-5)


def test_threshold_biawgn_ga_json_has_ebn0_beside(capsys):
    code, out, _ = run(capsys, "threshold", "--dv", "3", "--dc", "6", "--channel", "biawgn", "--method", "ga", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["threshold"] == pytest.approx(0.8747, abs=2e-4) and doc["ebn0_db"] == pytest.approx(1.162, abs=3e-3)


def test_threshold_irregular_and_protograph(capsys, tmp_path):
    code, out, _ = run(capsys, "threshold", "--lambda", "2:0.5,3:0.5", "--rho", "6:1", "--channel", "bec", "--json")
    assert code == 0 and 0.3 < json.loads(out)["threshold"] < 0.4 + 1e-9
    path = tmp_path / "p.txt"
    path.write_text("3 3\n")
    code, out, _ = run(capsys, "threshold", "--base-matrix", str(path), "--channel", "bec", "--json")
    assert code == 0 and json.loads(out)["threshold"] == pytest.approx(0.42944, abs=1e-5)


def test_bound_json(capsys):
    code, out, _ = run(capsys, "bound", "rcu", "--channel", "bsc", "--p", "0.11", "--n", "100", "--k", "50", "--json")
    assert code == 0 and json.loads(out)["fer"] == pytest.approx(0.44108, abs=1e-5)
    code, out, _ = run(capsys, "bound", "metaconverse", "--channel", "bec", "--epsilon", "0.45", "--n", "500",
                       "--k", "250", "--json")
    assert code == 0 and json.loads(out)["fer"] == pytest.approx(0.0091, abs=1e-4)
    code, out, _ = run(capsys, "bound", "normal", "--channel", "awgn", "--ebn0-db", "-0.5", "--n", "128", "--k", "64",
                       "--json")
    assert code == 0 and 0 < json.loads(out)["fer"] < 1


@pytest.mark.parametrize("argv,message", [
    (("bound", "rcu", "--channel", "bsc", "--p", "0.1", "--n", "10", "--k", "50"), "k: must be at most n = 10"),
    (("bound", "rcu", "--channel", "bec", "--p", "0.1", "--n", "10", "--k", "5"), "p: channel bec takes --epsilon only"),
    (("threshold", "--lambda", "2:0.5,3:0.4", "--rho", "6:1", "--channel", "bec"), "lambda: fractions must sum to 1"),
    (("threshold", "--dv", "3", "--channel", "bec"), "--dv and --dc go together"),
])
def test_bad_inputs_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_protograph_with_no_check_rows(capsys, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("# punctured: 0\n")
    code, _, err = run(capsys, "threshold", "--base-matrix", str(path), "--channel", "bec")
    assert code == 2 and "has no check rows" in err
