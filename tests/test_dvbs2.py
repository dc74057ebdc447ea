"""DVB-S2 LDPC codes (EN 302 307-1): dimensions, H c = 0 for the IRA encoder's words of
every stored code, IRA structure, noiseless decoding, one-line errors; and the 5G NR
base-graph rule of TS 38.212 7.2.2."""

import numpy as np
import pytest
import scipy.sparse as sp

from shannonlab.codes.ldpc import dvbs2_code, nr_base_graph
from shannonlab.codes.ldpc.dvbs2 import K_LDPC, _tables
from shannonlab.errors import ConfigError
from shannonlab.registry import build_code

# k of Tables 5a (normal) and 5b (short) of EN 302 307-1, written out again here
NORMAL_K = {"1/4": 16200, "1/3": 21600, "2/5": 25920, "1/2": 32400, "3/5": 38880, "2/3": 43200, "3/4": 48600,
            "4/5": 51840, "5/6": 54000, "8/9": 57600, "9/10": 58320}
SHORT_K = {"1/4": 3240, "1/3": 5400, "2/5": 6480, "1/2": 7200, "3/5": 9720, "2/3": 10800, "3/4": 11880,
           "4/5": 12600, "5/6": 13320, "8/9": 14400}
CODES = [(64800, r) for r in NORMAL_K] + [(16200, r) for r in SHORT_K]


@pytest.mark.parametrize("n, rate", CODES)
def test_encoded_words_satisfy_every_check(n, rate):
    code = dvbs2_code(n, rate)
    k = (NORMAL_K if n == 64800 else SHORT_K)[rate]
    assert code.H.shape == (n - k, n) and code.encoder.k == k and code.q == (n - k) // 360
    u = np.random.default_rng(n + k).integers(0, 2, (3, k), dtype=np.uint8)
    c = code.encoder.encode(u)
    assert np.array_equal(c[:, :k], u)
    assert not ((code.H @ c.T.astype(np.int64)) % 2).any()
    # IRA structure: the parity part is the staircase, every information bit has degree >= 2
    stair = sp.eye(n - k, dtype=np.uint8, format="csr") + sp.eye(n - k, k=-1, dtype=np.uint8, format="csr")
    assert (code.H[:, k:] != stair).nnz == 0


def test_normal_frame_tables_are_check_regular():
    """Every normal-frame code connects each check to the same number of information bits
    (EN 302 307-1 designs them so): a mistyped address would break the regularity."""
    for rate in _tables(64800):
        code = dvbs2_code(64800, rate)
        degrees = np.asarray(code.H[:, : K_LDPC[64800][rate]].sum(axis=1)).ravel()
        assert degrees.min() == degrees.max(), rate


def test_table_sizes_match_k():
    for n, ks in ((64800, NORMAL_K), (16200, SHORT_K)):
        for rate, k in ks.items():
            assert len(_tables(n)[rate]) * 360 == k


@pytest.mark.parametrize("n, rate", [(16200, "1/4"), (16200, "8/9"), (64800, "1/2")])
def test_noiseless_decoding(n, rate):
    code = build_code({"type": "ldpc", "matrix": {"standard": "dvb-s2", "n": n, "rate": rate},
                       "decoder": {"algorithm": "min-sum", "max_iterations": 5}})
    assert (code.n, code.k) == (n, (NORMAL_K if n == 64800 else SHORT_K)[rate])
    u = np.random.default_rng(1).integers(0, 2, (2, code.k), dtype=np.uint8)
    report = code.decode_report(6.0 * (1.0 - 2.0 * code.encode(u)))
    assert np.array_equal(report.bits, u) and report.iterations.tolist() == [0, 0]


@pytest.mark.parametrize("matrix, message", [
    ({"standard": "dvb-s2", "n": 16200, "rate": "9/10"}, "DVB-S2 short frames have rates 1/4, 1/3"),
    ({"standard": "dvb-s2", "n": 32400, "rate": "1/2"}, "matrix.n: must be one of 64800 or 16200"),
    ({"standard": "dvb-s2", "n": 64800}, "matrix.rate: required"),
    ({"standard": "dvb-s2", "n": 64800, "rate": "1/2", "k": 10}, "matrix.k: unknown key"),
])
def test_dvbs2_errors(matrix, message):
    with pytest.raises(ConfigError, match=message) as info:
        build_code({"type": "ldpc", "matrix": matrix})
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("k, n, bg", [
    (1024, 2048, 2), (1024, 1536, 2),   # A = 1008 <= 3824, R <= 0.67: BG2 (the shipped experiment)
    (1024, 1200, 1),                    # R = 0.85 > 0.67 and A > 292: BG1
    (308, 330, 2), (309, 330, 1),       # A = K - 16 <= 292 picks BG2 at any rate
    (3840, 6000, 2), (3849, 6000, 1),   # A <= 3824 edge (K = A + 16; above, K = A + 24)
    (8448, 40000, 2), (8448, 12000, 1),  # R <= 0.25 picks BG2 at any size
])
def test_nr_base_graph_rule_of_ts_38212(k, n, bg):
    assert nr_base_graph(k, n) == bg


def test_nr_spec_without_base_graph_uses_the_rule():
    chosen = build_code({"type": "ldpc", "matrix": {"standard": "5g-nr", "k": 1024, "n": 2048}})
    explicit = build_code({"type": "ldpc", "matrix": {"standard": "5g-nr", "base_graph": 2, "k": 1024, "n": 2048}})
    assert chosen.H.shape == explicit.H.shape and (chosen.H != explicit.H).nnz == 0
    assert "BG2" in chosen.name
