"""Density evolution and thresholds (theory/density_evolution.py, ensembles.py,
gaussian_llr.py) against published values."""

import math

import numpy as np
import pytest
from scipy import integrate

from shannonlab.errors import ShannonlabError
from shannonlab.theory import gaussian_llr
from shannonlab.theory.density_evolution import (
    QuantisedDE, bec_de, bec_threshold, biawgn_threshold, ga_de, protograph_ga, threshold_table,
)
from shannonlab.codes.ldpc.protographs import ieee80211n_protograph, nr_protograph
from shannonlab.theory.ensembles import Ensemble, Protograph, parse_distribution

REG36 = Ensemble.regular(3, 6)


def test_bec_threshold_of_the_3_6_ensemble():
    # Richardson and Urbanke, Modern Coding Theory, Table 3.63: eps* = 0.4294 (0.42944).
    assert bec_threshold(REG36) == pytest.approx(0.42944, abs=1e-5)


def test_bec_threshold_of_an_irregular_ensemble_and_its_stability_bound():
    # lambda(x) = 0.5x + 0.5x^2, rho(x) = x^5: eps* is at most the stability bound 1/(lambda'(0) rho'(1)) = 1/(0.5*5).
    e = Ensemble({2: 0.5, 3: 0.5}, {6: 1.0})
    eps = bec_threshold(e)
    assert eps <= 1 / (0.5 * 5) + 1e-9
    assert bec_de(e, eps - 1e-3)[-1] < 1e-10 and bec_de(e, eps + 1e-3)[-1] > 1e-3


def test_protograph_bec_de_equals_ensemble_de_for_a_regular_protograph():
    assert bec_threshold(Protograph(np.array([[3, 3]])), tol=1e-5) == pytest.approx(0.42944, abs=2e-5)


def test_ga_threshold_published():
    # Chung, Richardson, Urbanke, IEEE Trans. IT 47(2), 2001, Table I: sigma_GA = 0.8747 for (3,6).
    t = biawgn_threshold(REG36, "ga", bracket=(0.85, 0.9))
    assert t.sigma == pytest.approx(0.8747, abs=1e-4)
    assert t.ebn0_db == pytest.approx(10 * math.log10(1 / (2 * 0.5 * t.sigma ** 2)))


def test_full_de_sum_product_threshold_published():
    # Richardson, Shokrollahi, Urbanke 2001 / Chung et al. 2001: sigma* = 0.8809 for (3,6).
    t = biawgn_threshold(REG36, "de", tol=5e-4, bracket=(0.87, 0.89))
    assert t.sigma == pytest.approx(0.8809, abs=5e-4)


def test_min_sum_de_is_worse_than_sum_product():
    de = QuantisedDE(REG36, "min-sum")
    assert de.run(0.80)[-1] < 1e-10          # below its threshold (about 0.822)
    assert de.run(0.86)[-1] > 1e-3           # sum-product would still converge here
    assert QuantisedDE(REG36).run(0.86)[-1] < 1e-10


def test_pexit_of_nr_base_graph_2_converges_beyond_its_threshold():
    proto = nr_protograph(2)                 # rate 1/5; BI-AWGN Shannon limit -0.96 dB
    limit_sigma = 1 / math.sqrt(2 * proto.rate * 10 ** (-0.96 / 10))
    assert protograph_ga(proto, 0.8 * limit_sigma)[-1] > 1 - 1e-7
    assert protograph_ga(proto, 1.02 * limit_sigma)[-1] < 0.999


def test_threshold_table_rows():
    rows = threshold_table([REG36, ieee80211n_protograph(648, "1/2")], methods=("bec",))
    assert [r["ensemble"] for r in rows] == ["(3,6)", "802.11n (648, 1/2)"]
    assert 0.40 < rows[1]["bec_epsilon"] < 0.5         # below capacity 1 - R = 0.5


def test_phi_and_j_against_quadrature():
    for m in (0.05, 0.7, 3.0, 25.0):
        s = math.sqrt(2 * m)
        w = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        phi = 1 - integrate.quad(lambda z: w(z) * math.tanh((m + s * z) / 2), -30, 30, limit=400)[0]
        j = integrate.quad(lambda z: w(z) * (1 - np.logaddexp(0, -(m + s * z)) / math.log(2)), -30, 30, limit=400)[0]
        assert float(gaussian_llr.phi(m)) == pytest.approx(phi, rel=1e-7)
        assert float(gaussian_llr.j_of_mean(m)) == pytest.approx(j, rel=1e-7)
        assert float(gaussian_llr.mean_of_j(j)) == pytest.approx(m, rel=1e-6)


def test_ga_with_exact_phi_is_slightly_lower():
    assert ga_de(REG36, 0.871, phi="exact")[-1] > 4000
    assert ga_de(REG36, 0.873, phi="exact")[-1] < 10
    assert ga_de(REG36, 0.873, phi="chung")[-1] > 4000


@pytest.mark.parametrize("make,message", [
    (lambda: Ensemble({2: 0.5, 3: 0.4}, {6: 1.0}), "lambda: fractions must sum to 1, got 0.9"),
    (lambda: Ensemble({3: 1.0}, {1: 1.0}), "rho: degrees must be integers >= 2"),
    (lambda: parse_distribution("2=0.5", "lambda"), "lambda: expected degree:fraction pairs"),
    (lambda: Protograph(np.zeros((0, 4))), "base_matrix: needs at least one check row"),
    (lambda: Protograph(np.array([[1, 2, 0]])), "base_matrix: variable column 2 has no edge"),
    (lambda: Protograph(np.array([[1, 1]]), punctured=(0, 1)), "punctured: at least one variable node"),
    (lambda: Protograph.load("no-such-file.txt"), "base_matrix: no such file"),
])
def test_bad_ensembles_give_one_line_errors(make, message):
    with pytest.raises(ShannonlabError) as info:
        make()
    assert message in str(info.value) and "\n" not in str(info.value)


def test_protograph_file(tmp_path):
    path = tmp_path / "proto.txt"
    path.write_text("# punctured: 0\n1 2 1 0\n1 1 1 1\n")
    p = Protograph.load(str(path))
    assert p.punctured == (0,) and p.base.shape == (2, 4) and p.rate == pytest.approx(2 / 3)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(ShannonlabError, match="has no check rows"):
        Protograph.load(str(empty))
