"""``shannonlab capacity cm|bicm``: the JSON interface and its one-line errors."""

import json

import pytest

from shannonlab.cli import main
from shannonlab.modulation import Constellation
from shannonlab.theory.coded_modulation import awgn_capacities, capacities


def test_capacity_cm_and_bicm_json(capsys):
    assert main(["capacity", "cm", "--constellation", "16qam", "--esn0-db", "10", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    cm, bicm = awgn_capacities(Constellation.from_name("16qam"), 10.0)
    assert doc["capacity_bits"] == pytest.approx(cm, abs=1e-12) and doc["bits_per_symbol"] == 4
    assert main(["capacity", "bicm", "--constellation", "16qam", "--snr-db", "10", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["capacity_bits"] == pytest.approx(bicm, abs=1e-12)
    # Eb/N0 with a code rate: Es/N0 = R m Eb/N0 = 2 x 10^0.3 ~ 6 dB
    assert main(["capacity", "cm", "--constellation", "16qam", "--ebn0-db", "3", "--rate", "0.5", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["capacity_bits"] == pytest.approx(awgn_capacities(Constellation.from_name("16qam"), 2 * 10**0.3)[0])
    assert main(["capacity", "cm", "--constellation", "qpsk", "--esn0-db", "-5:5:5", "--fading", "rician",
                 "--k-factor-db", "3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["capacity_bits"]) == 3
    assert doc["capacity_bits"][2] == pytest.approx(capacities(Constellation.from_name("qpsk"), 10**0.5, "rician",
                                                               10**0.3)[0])


@pytest.mark.parametrize("argv, message", [
    (["cm", "--constellation", "12qam", "--esn0-db", "3"], "error: --constellation: '12qam': M = 12 is not a power"),
    (["cm", "--constellation", "16qam"], "error: cm: give exactly one of --esn0-db, --snr-db or --ebn0-db"),
    (["bicm", "--constellation", "16qam", "--ebn0-db", "3"], "error: --rate: required with --ebn0-db"),
    (["cm", "--constellation", "qpsk", "--esn0-db", "3", "--fading", "rician"], "error: --k-factor-db: required"),
    (["cm", "--constellation", "16qam", "--labelling", "odd", "--esn0-db", "3"],
     "error: --constellation.labelling: must be one of gray, natural, set-partition"),
])
def test_capacity_cm_errors_are_one_line(argv, message, capsys):
    assert main(["capacity", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
