"""EXIT charts (theory/exit.py): analytic LDPC curves, the measured BCJR transfer curve and
the reference decoder's trajectory."""

import math

import numpy as np
import pytest

from shannonlab.codes.convolutional.code import ConvolutionalCode
from shannonlab.codes.ldpc.decoding import BeliefPropagation
from shannonlab.codes.ldpc.matrices import random_regular
from shannonlab.theory import gaussian_llr
from shannonlab.theory.ensembles import Ensemble
from shannonlab.theory.exit import (
    ReferenceBP, bcjr_transfer_curve, exit_tunnel_open, ldpc_exit_curves, ldpc_trajectory, mutual_information,
)

REG36 = Ensemble.regular(3, 6)


def test_curve_end_points():
    vn, cn = ldpc_exit_curves(REG36, 1.0, np.array([0.0, 1.0]))
    sigma_ch = math.sqrt(8 * 0.5 * 10 ** 0.1)
    assert vn[0] == pytest.approx(float(gaussian_llr.j_function(sigma_ch)), rel=1e-9)
    assert vn[1] == pytest.approx(1.0) and cn[0] == pytest.approx(0.0, abs=1e-9) and cn[1] == pytest.approx(1.0)


def test_tunnel_opens_near_the_threshold():
    # the EXIT (J-function) threshold of (3,6) sits between the GA (1.16 dB) and DE (1.10 dB)
    # thresholds' neighbourhood: closed at 1.0 dB, open at 1.3 dB.
    assert not exit_tunnel_open(REG36, 1.0)
    assert exit_tunnel_open(REG36, 1.3)


@pytest.mark.statistical
def test_averaging_estimator_of_a_consistent_gaussian(effort):
    rng = np.random.default_rng(3)
    samples = 100_000 * effort
    for sigma in (0.8, 2.0, 3.5):
        llr = sigma ** 2 / 2 + sigma * rng.standard_normal(samples)
        terms = np.logaddexp(0.0, -llr) / math.log(2)
        tolerance = 4 * terms.std() / math.sqrt(samples)
        assert mutual_information(llr) == pytest.approx(float(gaussian_llr.j_function(sigma)), abs=tolerance)


def test_reference_bp_agrees_with_the_project_decoder():
    """Per-iteration BER of the reference decoder equals the project's sum-product flooding
    decoder run through its public interface with max_iterations = l and early stop off
    (up to float32 rounding of the project's kernel: at most one bit in 3840)."""
    H = random_regular(96, 3, 6, seed=2)
    rng = np.random.default_rng(4)
    sigma = 0.7
    llr = 2 * (1 + sigma * rng.standard_normal((40, 96))) / sigma ** 2
    iv, ic, ber = ReferenceBP(H).run(llr, 5)
    for iterations in (1, 2, 3, 5):
        post, _, _ = BeliefPropagation(H, max_iterations=iterations, early_stop=False).run(llr)
        assert abs(float(np.mean(post < 0)) - ber[iterations - 1]) <= 1.0 / llr.size
    assert np.all(np.diff(iv) > 0) and np.all(np.diff(ic) > 0)


def test_trajectory_climbs_to_one_above_threshold():
    H = random_regular(600, 3, 6, seed=1)
    iv, ic, ber = ldpc_trajectory(H, 2.5, 25, np.random.default_rng(0), frames=8)
    assert iv[-1] > 0.999 and ic[-1] > 0.999 and ber[-1] == 0.0
    assert np.all(np.diff(iv[:8]) > 0)


def test_bcjr_transfer_curve_increases():
    code = ConvolutionalCode(["7", "5"], k=200, feedback="7", algorithm="bcjr", variant="log-map")
    rng = np.random.default_rng(1)
    curve = bcjr_transfer_curve(code, 0.5, np.array([0.0, 0.5, 0.9]), rng, frames=60)
    assert np.all(np.diff(curve) > 0) and 0.5 < curve[0] < curve[-1] < 1.0


def test_demapper_transfer_starts_at_the_bicm_capacity_and_set_partition_gains_from_iterating():
    """With no a-priori information the extrinsic demapper output carries the BICM capacity
    per bit (the parallel bit channels); Gray labels gain nothing from a-priori, set-partition
    labels a lot (ten Brink 2001)."""
    from shannonlab.modulation import Constellation
    from shannonlab.theory.coded_modulation import awgn_capacities
    from shannonlab.theory.exit import demapper_transfer_curve

    rng = np.random.default_rng(7)
    esn0_db = 8.0
    gray = Constellation.from_name("16qam")
    _, bicm = awgn_capacities(gray, 10 ** (esn0_db / 10))
    ie = demapper_transfer_curve(gray, esn0_db, np.array([0.0, 1.0]), rng, symbols=40000)
    # Monte Carlo over 40000 symbols x 4 bits: a standard error of a few 1e-3 bit
    assert abs(ie[0] - bicm / 4) < 0.015 and abs(ie[1] - ie[0]) < 0.02
    sp = demapper_transfer_curve(Constellation.from_name("16qam", labelling="set-partition"), esn0_db,
                                 np.array([0.0, 1.0]), rng, symbols=40000)
    assert sp[0] < ie[0] - 0.2 and sp[1] > ie[1] + 0.15


def test_exit_command_draws_the_three_kinds_of_curve(tmp_path, capsys):
    import json

    from shannonlab.cli import main

    png = tmp_path / "exit.png"
    assert main(["exit", "--dv", "3", "--dc", "6", "--ebn0-db", "1.3", "--generators", "5,7", "--feedback", "7",
                 "--constellation", "qpsk", "--esn0-db", "3", "--points", "3", "--plot", str(png), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ldpc"]["tunnel_open"] is True
    assert [c["label"].split(" ")[0] for c in document["transfer"]] == ["BCJR", "demapper"]
    assert png.stat().st_size > 10_000
    assert main(["exit", "--constellation", "qpsk"]) == 2
    assert capsys.readouterr().err.strip() == "error: --esn0-db: the demapper curves need an Es/N0 (dB)"
