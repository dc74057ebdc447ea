"""LDPC codes: standard matrices, encoders, BP decoders, alist files, YAML spec."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import binomial_tolerance

from shannonlab.channels import AWGN
from shannonlab.codes.ldpc.code import LDPCCode, LDPCSpec
from shannonlab.codes.ldpc.decoding import RULES, BeliefPropagation
from shannonlab.codes.ldpc.encoding import DualDiagonalEncoder, RankDeficientError, SystematicEncoder
from shannonlab.codes.ldpc.matrices import (AlistError, column_weights, gf2_rank, ieee80211n, peg, qc_expand,
                                            random_regular, read_alist, row_weights, write_alist)
from shannonlab.codes.ldpc.tables_80211n import base_matrix
from shannonlab.errors import ConfigError
from shannonlab.sim.engine import StopRule, simulate_point
from shannonlab.sim.registry import build_code

ALGORITHMS = list(RULES)
SCHEDULES = ["flooding", "layered"]

# (n, rate): ones in H, the set of column weights, the set of row weights (from the
# standard's tables; the rate-1/2 codes have 88, 86, 86 nonzero blocks).
EXPECTED_80211N = {
    (648, "1/2"): (2376, {2, 3, 12}, {7, 8}),
    (648, "2/3"): (2376, {2, 3, 4, 6, 8}, {11}),
    (648, "3/4"): (2376, {2, 3, 4, 6}, {14, 15}),
    (648, "5/6"): (2376, {2, 3, 4}, {22}),
    (1296, "1/2"): (4644, {2, 3, 4, 11}, {7, 8}),
    (1296, "2/3"): (4752, {2, 3, 7, 8}, {11}),
    (1296, "3/4"): (4752, {2, 3, 6}, {14, 15}),
    (1296, "5/6"): (4590, {2, 3, 4}, {21, 22}),
    (1944, "1/2"): (6966, {2, 3, 4, 11}, {7, 8}),
    (1944, "2/3"): (7128, {2, 3, 6, 8}, {11}),
    (1944, "3/4"): (6885, {2, 3, 6}, {14, 15}),
    (1944, "5/6"): (6399, {2, 3, 4}, {19, 20}),
}
RATE = {"1/2": 0.5, "2/3": 2 / 3, "3/4": 0.75, "5/6": 5 / 6}


def _code(rate="1/2", n=648, **decoder):
    return LDPCSpec(matrix={"standard": "ieee80211n", "n": n, "rate": rate}, decoder=decoder).build()


# ------------------------------------------------------------------ matrices and encoders


@pytest.mark.parametrize("key", list(EXPECTED_80211N))
def test_80211n_matrix_size_weights_rank(key):
    n, rate = key
    H = ieee80211n(n, rate)
    ones, cw, rw = EXPECTED_80211N[key]
    m = round(n * (1 - RATE[rate]))
    assert H.shape == (m, n) and H.nnz == ones
    assert set(column_weights(H).tolist()) == cw and set(row_weights(H).tolist()) == rw
    assert gf2_rank(H) == m  # the dual-diagonal encoder assumes full rank
    # the parity part: column kb has shifts (1, 0, 1), then the dual diagonal of identities
    b = base_matrix(n, rate)
    kb = 24 - b.shape[0]
    assert b[0, kb] == 1 and b[-1, kb] == 1 and sorted(b[:, kb][b[:, kb] >= 0].tolist()) == [0, 1, 1]


def test_qc_expansion_shifts_right():
    H = qc_expand(np.array([[2, -1], [0, 1]]), 4).toarray()
    assert H[0].tolist() == [0, 0, 1, 0, 0, 0, 0, 0] and H[3].tolist() == [0, 1, 0, 0, 0, 0, 0, 0]
    assert H[4:, :4].tolist() == np.eye(4, dtype=int).tolist()


@pytest.mark.parametrize("key", list(EXPECTED_80211N))
def test_encoded_words_satisfy_every_check(key):
    n, rate = key
    H = ieee80211n(n, rate)
    rng = np.random.default_rng(n)
    k = n - H.shape[0]
    u = rng.integers(0, 2, size=(20, k), dtype=np.uint8)
    fast = DualDiagonalEncoder(base_matrix(n, rate), n // 24).encode(u)
    general = SystematicEncoder(H).encode(u)
    assert np.array_equal(fast, general)
    assert np.array_equal(fast[:, :k], u)
    assert not ((H @ fast.T.astype(np.int64)) % 2).any()


def test_systematic_encoder_on_a_peg_code():
    H = peg(120, 3, 6, seed=3)
    enc = SystematicEncoder(H)
    u = np.random.default_rng(0).integers(0, 2, size=(10, enc.k), dtype=np.uint8)
    c = enc.encode(u)
    assert enc.k == 60 and not ((H @ c.T.astype(np.int64)) % 2).any()
    assert np.array_equal(c[:, enc.info_positions], u)


def test_rank_deficient_H_gets_a_one_line_error():
    H = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 1, 0]])
    with pytest.raises(RankDeficientError) as info:
        SystematicEncoder(H)
    assert str(info.value) == ("H (3 x 4) has GF(2) rank 2 < 3 rows, so it is not an (4, 1) code; systematic "
                               "encoding needs a full-rank H (use another seed or remove the dependent rows)")
    with pytest.raises(ConfigError) as info:  # a (4, 8)-regular graph always has dependent rows
        build_code({"type": "ldpc", "matrix": {"random": "regular", "n": 64, "dv": 4, "dc": 8}}, "codes[0]")
    assert str(info.value).startswith("codes[0]: H (32 x 64) has GF(2) rank ")


def test_random_regular_and_peg_graphs():
    for build in (random_regular, peg):
        H = build(200, 3, 6, seed=5)
        assert H.shape == (100, 200)
        assert set(column_weights(H).tolist()) == {3} and set(row_weights(H).tolist()) == {6}
        assert H.max() == 1
        assert (build(200, 3, 6, seed=5) != H).nnz == 0  # the seed fixes the graph
    overlap = (peg(200, 3, 6, seed=5).astype(np.int64) @ peg(200, 3, 6, seed=5).T.astype(np.int64)).toarray()
    np.fill_diagonal(overlap, 0)
    assert overlap.max() <= 1  # PEG leaves no 4-cycle at this size
    with pytest.raises(ValueError, match="must be a multiple of dc"):
        random_regular(10, 3, 4)


# ------------------------------------------------------------------ alist


def test_alist_round_trip(tmp_path):
    H = ieee80211n(648, "3/4")
    write_alist(H, tmp_path / "h.alist")
    assert (read_alist(tmp_path / "h.alist") != H).nnz == 0
    code = build_code({"type": "ldpc", "matrix": {"alist": str(tmp_path / "h.alist")}})
    assert (code.n, code.k) == (648, 486)


def test_alist_without_zero_padding(tmp_path):
    path = tmp_path / "small.alist"
    path.write_text("4 2\n2 3\n1 2 2 1\n3 3\n1\n1 2\n1 2\n2\n1 2 3\n2 3 4\n")
    assert read_alist(path).toarray().tolist() == [[1, 1, 1, 0], [0, 1, 1, 1]]


@pytest.mark.parametrize("text, message", [
    ("4 2\n", "ends early, expected the maximum column and row weights on line 2"),
    ("4 x\n", "line 1 ('n m') must hold integers, got '4 x'"),
    ("4 2\n2 3\n1 2 2\n3 3\n", "lines 3-4 must hold 4 column weights and 2 row weights, got 3 and 2"),
    ("4 2\n2 3\n1 2 2 1\n3 3\n1\n1 2\n1 2\n2\n1 2 3\n2 3 5\n", "line 10 must list 3 distinct columns in 1..4 for row 2"),
    ("4 2\n2 3\n1 2 2 1\n3 3\n1\n1 2\n1 2\n2\n1 2 3\n2 3 4\n".replace("\n2\n1 2 3", "\n1\n1 2 3"),
     "the row lists and the column lists describe different matrices"),
])
def test_malformed_alist_gets_a_one_line_error(tmp_path, text, message):
    path = tmp_path / "bad.alist"
    path.write_text(text)
    with pytest.raises(AlistError) as info:
        read_alist(path)
    assert str(info.value) == f"alist file {str(path)!r}: {message}"
    with pytest.raises(ConfigError) as info:
        build_code({"type": "ldpc", "matrix": {"alist": str(path)}}, "codes[2]")
    assert str(info.value) == f"codes[2]: alist file {str(path)!r}: {message}"


# ------------------------------------------------------------------ decoders: exact tests


@pytest.mark.parametrize("algorithm, schedule", list(itertools.product(ALGORITHMS, SCHEDULES)))
def test_noiseless_decoding_is_exact_in_one_iteration(algorithm, schedule):
    code = _code("2/3", algorithm=algorithm, schedule=schedule, max_iterations=1, early_stop=False)
    u = np.random.default_rng(1).integers(0, 2, size=(40, code.k), dtype=np.uint8)
    report = code.decode_report(4.0 * (1.0 - 2.0 * code.encode(u)))
    assert np.array_equal(report.bits, u)
    assert report.iterations.tolist() == [1] * 40 and not report.failures.any()
    stopping = _code("2/3", algorithm=algorithm, schedule=schedule)
    assert stopping.decode_report(4.0 * (1.0 - 2.0 * code.encode(u))).iterations.tolist() == [0] * 40


@pytest.mark.parametrize("algorithm, schedule", list(itertools.product(ALGORITHMS, SCHEDULES)))
def test_a_few_errors_are_corrected(algorithm, schedule):
    code = _code(algorithm=algorithm, schedule=schedule)
    rng = np.random.default_rng(7)
    u = rng.integers(0, 2, size=(30, code.k), dtype=np.uint8)
    c = code.encode(u)
    llr = 3.0 * (1.0 - 2.0 * c)
    for f in range(30):  # three wrong, confident decisions per frame
        llr[f, rng.choice(code.n, 3, replace=False)] *= -0.7
    report = code.decode_report(llr)
    assert np.array_equal(report.bits, u) and not report.failures.any()
    assert (report.iterations >= 1).all()
    post = code.posterior(llr)
    assert np.array_equal((post < 0).astype(np.uint8), c)


def _map_llrs(H: np.ndarray, llr: np.ndarray) -> np.ndarray:
    """Exact bitwise MAP LLRs by enumerating every codeword."""
    n = H.shape[1]
    words = np.array([w for w in itertools.product((0, 1), repeat=n) if not ((H @ np.array(w)) % 2).any()])
    metric = -(words * llr).sum(axis=1)  # ln P(c | y) + const
    out = np.empty(n)
    for v in range(n):
        zero, one = metric[words[:, v] == 0], metric[words[:, v] == 1]
        out[v] = np.logaddexp.reduce(zero) - np.logaddexp.reduce(one)
    return out


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_sum_product_equals_bitwise_map_on_a_tree(schedule):
    # a cycle-free Tanner graph: each check meets the others in at most one variable,
    # with no loop; the (7,4) Hamming checks 0123, 345, 567 plus a pendant check 18
    H = np.zeros((4, 9), dtype=np.uint8)
    for row, cols in enumerate([(0, 1, 2, 3), (3, 4, 5), (5, 6, 7), (1, 8)]):
        H[row, list(cols)] = 1
    rng = np.random.default_rng(3)
    llr = rng.normal(0.8, 1.5, size=(6, 9))
    dec = BeliefPropagation(sp.csr_matrix(H), "sum-product", schedule, max_iterations=8, early_stop=False)
    post, _, _ = dec.run(llr)
    for f in range(6):
        np.testing.assert_allclose(post[f], _map_llrs(H, llr[f]), rtol=2e-5, atol=2e-5)


def test_frames_are_independent_of_their_batch():
    code = _code(algorithm="sum-product", schedule="flooding")
    rng = np.random.default_rng(11)
    u = rng.integers(0, 2, size=(37, code.k), dtype=np.uint8)
    llr = AWGN(ebn0_db=1.5, rate=0.5).transmit(code.encode(u), rng)
    together = code.decoder.run(llr)
    for f in (0, 5, 36):
        alone = code.decoder.run(llr[f:f + 1])
        assert np.array_equal(alone[0][0], together[0][f]) and alone[1][0] == together[1][f]


@pytest.mark.parametrize("algorithm, schedule", [("sum-product", "flooding"), ("normalized-min-sum", "layered")])
def test_early_stopping_never_changes_a_decoded_frame(algorithm, schedule):
    """A frame stopped at a zero syndrome decodes to what 20 full iterations give."""
    stop = _code(algorithm=algorithm, schedule=schedule)
    full = _code(algorithm=algorithm, schedule=schedule, early_stop=False)
    rng = np.random.default_rng(5)
    u = rng.integers(0, 2, size=(400, stop.k), dtype=np.uint8)
    llr = AWGN(ebn0_db=2.0, rate=0.5).transmit(stop.encode(u), rng)
    a, b = stop.decode_report(llr), full.decode_report(llr)
    converged = ~a.failures
    assert converged.sum() > 350 and (a.iterations[converged] < 20).all()
    assert np.array_equal(a.bits[converged], b.bits[converged])
    assert (b.iterations == 20).all()
    assert a.iterations.mean() < 10


# ------------------------------------------------------------------ decoders: statistics


def _fer(code, ebn0_db, frames, seed):
    result = simulate_point(code, AWGN(ebn0_db=ebn0_db, rate=code.rate), StopRule(10**9, frames),
                            np.random.SeedSequence(entropy=seed, spawn_key=(0,)))
    return result.frame_errors, result


@pytest.mark.statistical
def test_sum_product_648_half_rate_reaches_fer_1e2_near_2db(effort):
    """Published: the 802.11n n=648 R=1/2 code with ~20-50 iterations of BP reaches FER 1e-2
    at about Eb/N0 = 2 dB. Here 20 flooding iterations; the band is a factor 2 around 1e-2
    (about +-0.15 dB on this waterfall) widened by the binomial spread."""
    frames = 4000 * effort
    errors, result = _fer(_code(), 2.0, frames, 1)
    assert 0.5e-2 * frames - binomial_tolerance(frames, 0.5e-2) <= errors <= 2e-2 * frames + binomial_tolerance(frames, 2e-2)
    assert 3 < result.iterations / result.frames < 12


@pytest.mark.statistical
def test_min_sum_variants_and_schedules_rank_as_published(effort):
    """At 2 dB, 20 iterations: plain min-sum loses about 0.5 dB to sum-product (FER several
    times higher); normalized and offset min-sum recover most of it; the layered schedule
    does at least as well as flooding with the same iteration budget."""
    frames = 2000 * effort
    fer = {}
    for algorithm, schedule in [("sum-product", "flooding"), ("sum-product", "layered"), ("min-sum", "flooding"),
                                ("normalized-min-sum", "layered"), ("offset-min-sum", "layered")]:
        fer[algorithm, schedule] = _fer(_code(algorithm=algorithm, schedule=schedule), 2.0, frames, 2)[0]
    spa = fer["sum-product", "flooding"]
    assert fer["min-sum", "flooding"] > 3 * spa + binomial_tolerance(frames, spa / frames)
    assert fer["sum-product", "layered"] <= spa + binomial_tolerance(frames, spa / frames)
    for variant in ("normalized-min-sum", "offset-min-sum"):
        assert fer[variant, "layered"] < fer["min-sum", "flooding"] / 2
        assert fer[variant, "layered"] <= 3 * spa + binomial_tolerance(frames, 3 * spa / frames)


# ------------------------------------------------------------------ YAML spec


def test_spec_builds_and_names_the_code():
    code = build_code({"type": "ldpc", "matrix": {"standard": "ieee80211n", "n": 1944, "rate": "5/6"},
                       "decoder": {"algorithm": "offset-min-sum", "schedule": "layered", "beta": 0.25}})
    assert isinstance(code, LDPCCode) and (code.n, code.k) == (1944, 1620)
    assert code.name == "LDPC 802.11n n=1944 R=5/6 offset-min-sum b=0.25 layered 20 it"
    random_code = build_code({"type": "ldpc", "matrix": {"random": "peg", "n": 96, "dv": 3, "dc": 6, "seed": 4}})
    assert (random_code.n, random_code.k) == (96, 48)


@pytest.mark.parametrize("spec, message", [
    ({"matrix": {"standard": "ieee80211n", "n": 600, "rate": "1/2"}},
     "codes[0].matrix.n: must be one of 648, 1296 or 1944, got 600"),
    ({"matrix": {"standard": "ieee80211n", "n": 648, "rate": "7/8"}},
     "codes[0].matrix.rate: must be one of '1/2', '2/3', '3/4' or '5/6', got '7/8'"),
    ({"matrix": {"standard": "ieee80211n", "n": 648}}, "codes[0].matrix.rate: required, but missing"),
    ({"matrix": {}}, "codes[0].matrix: give exactly one of 'standard' (ieee80211n, 5g-nr, dvb-s2), 'alist' (a file) or 'random' (regular, peg)"),
    ({"matrix": {"alist": "h.alist", "n": 5}}, "codes[0].matrix.n: unknown key (allowed: alist)"),
    ({"matrix": {"random": "regular", "n": 100, "dv": 3}}, "codes[0].matrix.dc: required, but missing"),
    ({"matrix": {"alist": "h.alist"}, "decoder": {"alpha": -0.5}}, "codes[0].decoder.alpha: must be greater than 0, got -0.5"),
    ({"matrix": {"alist": "h.alist"}, "decoder": {"max_iterations": -3}},
     "codes[0].decoder.max_iterations: must be a positive integer, got -3"),
    ({"matrix": {"alist": "h.alist"}, "decoder": {"schedule": "serial"}},
     "codes[0].decoder.schedule: must be one of 'flooding' or 'layered', got 'serial'"),
])
def test_bad_specs_get_one_line_errors(spec, message):
    with pytest.raises(ConfigError) as info:
        build_code({"type": "ldpc", **spec}, "codes[0]")
    assert str(info.value) == message


def test_engine_records_iterations():
    code = _code("3/4", algorithm="normalized-min-sum", schedule="layered")
    result = simulate_point(code, AWGN(ebn0_db=3.0, rate=0.75), StopRule(10**9, 300),
                            np.random.SeedSequence(entropy=9, spawn_key=(0,)))
    assert result.frames == 300 and 0 < result.iterations <= 300 * 20
    assert result.failures <= result.frame_errors


# ------------------------------------------------------------------ 5G NR


from shannonlab.codes.ldpc.nr import LIFTING_SETS, nr_base_matrix, nr_code, nr_parameters  # noqa: E402


def test_nr_base_graphs_match_the_standard_tables():
    for bg, (rows, cols, nnz, core_weights) in {1: (46, 68, 316, [19, 19, 19, 19]), 2: (42, 52, 197, [8, 10, 8, 10])}.items():
        b = nr_base_matrix(bg, 384)
        assert b.shape == (rows, cols) and int((b >= 0).sum()) == nnz
        assert ((b[:4] >= 0).sum(axis=1)).tolist() == core_weights
        # each extension row ends in its own identity: column kb + 4 + (row - 4)
        kf = 22 if bg == 1 else 10
        for row in range(4, rows):
            assert b[row, kf + row] == 0 and (b[row, kf + row + 1:] < 0).all()


@pytest.mark.parametrize("bg, k, z, i_ls, kb, fillers", [
    (1, 8448, 384, 1, 22, 0), (1, 500, 24, 1, 22, 28), (1, 2288, 104, 6, 22, 0),
    (2, 100, 18, 4, 6, 80), (2, 3840, 384, 1, 10, 0), (2, 600, 72, 4, 9, 120), (2, 193, 26, 6, 8, 67),
])
def test_nr_lifting_size_and_fillers(bg, k, z, i_ls, kb, fillers):
    p = nr_parameters(bg, k)
    assert (p.z, p.i_ls, p.kb, p.fillers) == (z, i_ls, kb, fillers)
    assert p.k_full == (22 if bg == 1 else 10) * z


@pytest.mark.parametrize("bg", [1, 2])
@pytest.mark.parametrize("i_ls", list(LIFTING_SETS))
def test_nr_encoder_gives_codewords_for_every_shift_set(bg, i_ls):
    z = LIFTING_SETS[i_ls] * 2
    kb = 22 if bg == 1 else 10
    k = kb * z - 3  # three filler bits
    if bg == 2:
        k = min(k, 6 * z)  # stay in the K_b = 6 regime where Z is this small
    code = nr_code(bg, k, 3 * k)
    u = np.random.default_rng(i_ls).integers(0, 2, size=(6, k), dtype=np.uint8)
    c = code.encoder.encode(u)
    assert not ((code.H @ c.T.astype(np.int64)) % 2).any()
    assert np.array_equal(c[:, :k], u) and not c[:, code.fillers].any()


def test_nr_rate_matching_punctures_shortens_and_repeats():
    punctured = nr_code(1, 500, 600)  # high rate: the tail of the parity part is not sent
    z = punctured.params.z
    assert punctured.transmitted.tolist() == [p for p in range(2 * z, 2 * z + 628) if not 500 <= p < 528][:600]
    # the last bit sent is column 2z + 628 - 1 = 675 in block 28: blocks 0..28 stay, rows 0..6
    assert punctured.H.shape == (7 * z, 29 * z)
    repeated = nr_code(2, 40, 2000)  # low rate: the circular buffer wraps around
    readable = 50 * repeated.params.z - repeated.params.fillers
    assert np.array_equal(repeated.transmitted[readable:2 * readable], repeated.transmitted[:readable])
    code = build_code({"type": "ldpc", "matrix": {"standard": "5g-nr", "base_graph": 2, "k": 40, "n": 2000}})
    u = np.random.default_rng(0).integers(0, 2, size=(5, 40), dtype=np.uint8)
    c = code.encode(u)
    llr = 0.2 * (1.0 - 2.0 * c)  # weak per copy, strong once the repeats are summed
    assert np.array_equal(code.decode(llr), u)
    copies = np.count_nonzero(repeated.transmitted == repeated.transmitted[0])
    assert copies == -(-2000 // readable)
    assert np.allclose(code.graph_llrs(llr)[:, repeated.transmitted[0]], 0.2 * (1.0 - 2.0 * c[:, 0]) * copies)


@pytest.mark.parametrize("algorithm, schedule", [("sum-product", "layered"), ("normalized-min-sum", "layered"),
                                                 ("offset-min-sum", "flooding")])
def test_nr_decoding_noiseless_and_with_errors(algorithm, schedule):
    code = build_code({"type": "ldpc", "matrix": {"standard": "5g-nr", "base_graph": 1, "k": 500, "n": 1000},
                       "decoder": {"algorithm": algorithm, "schedule": schedule}})
    assert (code.n, code.k, code.rate) == (1000, 500, 0.5)
    rng = np.random.default_rng(3)
    u = rng.integers(0, 2, size=(20, 500), dtype=np.uint8)
    llr = 4.0 * (1.0 - 2.0 * code.encode(u))
    assert np.array_equal(code.decode(llr), u)
    for f in range(20):
        llr[f, rng.choice(1000, 4, replace=False)] *= -0.5
    report = code.decode_report(llr)
    assert np.array_equal(report.bits, u) and not report.failures.any()


@pytest.mark.parametrize("matrix, message", [
    ({"standard": "5g-nr", "n": 300}, "codes[0].matrix.k: required, but missing"),
    ({"standard": "5g-nr", "k": 4000, "n": 20000},  # R = 0.2: BG2, which carries at most 3840 bits
     "codes[0].matrix: base graph 2 carries at most 3840 information bits, got k=4000 "
     "(TS 38.212 would segment the block; give base_graph: 1 for one code block)"),
    ({"standard": "5g-nr", "base_graph": 3, "k": 100, "n": 300},
     "codes[0].matrix.base_graph: must be one of 1 or 2, got 3"),
    ({"standard": "5g-nr", "base_graph": 2, "k": 4000, "n": 9000},
     "codes[0].matrix: base graph 2 carries at most 3840 information bits, got k=4000"),
    ({"standard": "5g-nr", "base_graph": 1, "k": 100, "n": 100},
     "codes[0].matrix: n = 100 transmitted bits must exceed k = 100"),
    ({"standard": "5g-nr", "base_graph": 1, "k": 100, "n": 300, "rate": "1/2"},
     "codes[0].matrix.rate: unknown key (allowed: standard, base_graph, k, n)"),
])
def test_nr_spec_errors(matrix, message):
    with pytest.raises(ConfigError) as info:
        build_code({"type": "ldpc", "matrix": matrix}, "codes[0]")
    assert str(info.value) == message


def test_on_the_bec_every_rule_is_the_peeling_decoder():
    """With LLRs 0 or +-100 every check rule passes 'known' or 'unknown' exactly, so all
    rules give the same decisions and iteration counts."""
    from shannonlab.channels import BEC
    rng = np.random.default_rng(4)
    codes = {a: _code(algorithm=a, max_iterations=40) for a in ALGORITHMS}
    u = rng.integers(0, 2, size=(200, 324), dtype=np.uint8)
    llr = BEC(0.42).transmit(codes["sum-product"].encode(u), rng)
    reports = {a: code.decode_report(llr) for a, code in codes.items()}
    first = reports["sum-product"]
    assert 0 < first.failures.sum() < 200  # near the threshold: some frames fail
    for report in reports.values():
        assert np.array_equal(report.bits, first.bits) and np.array_equal(report.iterations, first.iterations)


def test_float32_exp_and_log_of_the_sum_product_rule():
    from numba import njit

    from shannonlab.codes.ldpc.kernels import exp_neg, log
    from shannonlab.codes.vector import load, splat, store

    @njit
    def apply(x, e, lg):  # rows of 8 lanes, the vectors the decoder computes on
        for i in range(x.shape[0]):
            v = load(x, i, 8)
            store(e, i, exp_neg(v))
            store(lg, i, log(v + splat(np.float32(1.0), 8)))

    x = np.concatenate([np.linspace(0, 1, 5000), np.linspace(1, 80, 5000)]).astype(np.float32)
    e, lg = np.empty_like(x), np.empty_like(x)
    apply(x.reshape(-1, 8), e.reshape(-1, 8), lg.reshape(-1, 8))
    np.testing.assert_allclose(e, np.exp(-x.astype(np.float64)), rtol=4e-7)
    np.testing.assert_allclose(lg, np.log(x.astype(np.float64) + np.float32(1.0)), rtol=4e-7, atol=1e-7)
