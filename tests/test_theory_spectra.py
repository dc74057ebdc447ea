"""Weight spectra (theory/weight_spectrum.py), the Golay and generic linear codes, and the
ML union / tangential-sphere bounds (theory/union_bounds.py)."""

import math

import numpy as np
import pytest

from shannonlab.codes.block.golay import GolayCode, GolaySpec
from shannonlab.codes.block.hamming import HammingCode
from shannonlab.codes.block.linear import LinearSpec
from shannonlab.codes.convolutional.code import ConvolutionalCode
from shannonlab.errors import ShannonlabError
from shannonlab.theory import bounds
from shannonlab.theory.union_bounds import (
    bit_multiplicity, convolutional_union_bound, tangential_sphere_bound, union_bound_awgn, union_bound_bsc,
)
from shannonlab.theory.weight_spectrum import (
    dual_basis, enumerate_spectrum, input_output_weight_enumerator, macwilliams, weight_enumerator,
)


def hamming_polynomial(n):
    """A(z) = [(1+z)^n + n(1-z)(1-z^2)^((n-1)/2)]/(n+1) (MacWilliams and Sloane, ch. 1)."""
    def mul(x, y):
        out = [0] * (len(x) + len(y) - 1)
        for i, a in enumerate(x):
            for j, b in enumerate(y):
                out[i + j] += a * b
        return out

    first, second = [1], [1, -1]
    for _ in range(n):
        first = mul(first, [1, 1])
    for _ in range((n - 1) // 2):
        second = mul(second, [1, 0, -1])
    return np.array([(a + n * b) // (n + 1) for a, b in zip(first, second)], dtype=np.int64)


@pytest.mark.parametrize("r", [3, 4, 5])
def test_hamming_and_extended_hamming_polynomials(r):
    n = 2 ** r - 1
    a = hamming_polynomial(n)
    assert weight_enumerator(HammingCode(r)).tolist() == a.tolist()
    extended = np.zeros(n + 2, dtype=np.int64)
    for w in range(n + 1):
        extended[w + (w % 2)] += a[w]          # odd-weight words gain the parity bit
    assert weight_enumerator(HammingCode(r, extended=True)).tolist() == extended.tolist()


def test_golay_polynomials():
    a23 = {0: 1, 7: 253, 8: 506, 11: 1288, 12: 1288, 15: 506, 16: 253, 23: 1}
    a24 = {0: 1, 8: 759, 12: 2576, 16: 759, 24: 1}
    assert {w: int(c) for w, c in enumerate(weight_enumerator(GolayCode())) if c} == a23
    assert {w: int(c) for w, c in enumerate(weight_enumerator(GolayCode(extended=True))) if c} == a24


def test_macwilliams_matches_enumeration_on_a_random_code():
    rng = np.random.default_rng(5)
    g = rng.integers(0, 2, size=(9, 20)).astype(np.uint8)
    assert macwilliams(enumerate_spectrum(dual_basis(g)), 20).tolist() == enumerate_spectrum(g).tolist()


def test_macwilliams_path_for_high_rate_codes():
    # Hamming (63, 57): k = 57 is too many codewords, n - k = 6 is a small dual.
    assert weight_enumerator(HammingCode(6)).tolist() == hamming_polynomial(63).tolist()


def test_spectrum_of_codes_without_a_generator_attribute():
    conv = ConvolutionalCode(["7", "5"], k=8)             # zero-tail (20, 8) block code
    a = weight_enumerator(conv)
    assert a[0] == 1 and a.sum() == 2 ** 8 and np.flatnonzero(a[1:])[0] + 1 == 5


def test_iowe_sums_to_the_weight_enumerator():
    iowe = input_output_weight_enumerator(GolayCode())
    assert iowe.sum(axis=0).tolist() == weight_enumerator(GolayCode()).tolist()
    assert iowe[:, 0].tolist() == [1] + [0] * 12


def test_linear_spec_from_generator_and_parity_check():
    h = HammingCode(3).check_matrix.tolist()
    from_h = LinearSpec(parity_check=h).build()
    assert from_h.n == 7 and from_h.k == 4 and weight_enumerator(from_h).tolist() == [1, 0, 0, 7, 7, 0, 0, 1]
    g = [[1, 1, 1, 0, 0], [0, 0, 1, 1, 1]]               # pivots 0 and 2: reordered columns
    code = LinearSpec(generator=g).build()
    assert weight_enumerator(code).tolist() == enumerate_spectrum(np.array(g, np.uint8)).tolist()
    with pytest.raises(ValueError, match="exactly one of generator or parity_check"):
        LinearSpec()
    assert GolaySpec(extended=True).build().n == 24


def test_union_bound_awgn_closed_form_and_tsb_order():
    a = weight_enumerator(GolayCode(extended=True))
    esn0 = 0.5 * 10 ** 0.3
    direct = sum(c * 0.5 * math.erfc(math.sqrt(w * esn0)) for w, c in enumerate(a) if w and c)
    assert union_bound_awgn(a, 12, 3.0) == pytest.approx(direct, rel=1e-12)
    for db in (0.0, 2.0, 4.0):
        tsb = tangential_sphere_bound(a, 12, db)
        mc = bounds.fer_bound("metaconverse", "biawgn", 24, 12, ebn0_db=db)
        assert mc < tsb <= min(1.0, union_bound_awgn(a, 12, db))
    assert tangential_sphere_bound(a, 12, 0.0) < 0.5 < union_bound_awgn(a, 12, 0.0)


@pytest.mark.statistical
def test_ml_decoding_of_hamming_7_4_lies_under_the_tsb(effort):
    code = HammingCode(3, decoder="ml")
    rng = np.random.default_rng(11)
    frames, ebn0_db = 20000 * effort, 3.0
    sigma = math.sqrt(1 / (2 * 4 / 7 * 10 ** (ebn0_db / 10)))
    u = rng.integers(0, 2, (frames, 4), dtype=np.uint8)
    y = 1.0 - 2.0 * code.encode(u) + sigma * rng.standard_normal((frames, 7))
    errors = int(np.any(code.decode(2 * y / sigma ** 2) != u, axis=1).sum())
    tsb = tangential_sphere_bound(weight_enumerator(code), 4, ebn0_db)
    mc = bounds.fer_bound("metaconverse", "biawgn", 7, 4, ebn0_db=ebn0_db)
    slack = 4 * math.sqrt(frames * tsb)
    assert mc * frames - slack < errors < tsb * frames + slack


def test_union_bound_bsc_and_bit_multiplicity():
    a = [1, 0, 0, 7, 7, 0, 0, 1]
    p = 0.01
    # weight 3: P = 3p^2(1-p) + p^3; weight 4: 4p^3(1-p) + p^4 + 3 p^2 (1-p)^2; weight 7: 35 p^4 (1-p)^3 + ...
    p3 = 3 * p ** 2 * (1 - p) + p ** 3
    assert union_bound_bsc(a, p) > 7 * p3
    mult = bit_multiplicity(input_output_weight_enumerator(HammingCode(3)))
    assert mult.tolist() == [0.0, 0.0, 0.0, 3.0, 4.0, 0.0, 0.0, 1.0]
    assert union_bound_awgn(a, 4, 5.0, mult) < union_bound_awgn(a, 4, 5.0)


def test_convolutional_union_bound_matches_the_codes_own():
    code = ConvolutionalCode(["7", "5"], k=100)
    esn0 = 0.5 * 10 ** 0.5
    assert convolutional_union_bound(code.distance_spectrum, 0.5, ebn0_db=5.0) == pytest.approx(code.union_bound(esn0=esn0), rel=1e-12)


def test_bad_spectra_inputs():
    with pytest.raises(ShannonlabError, match="spectrum: must be A_w"):
        union_bound_awgn([1], 1, 1.0)
    with pytest.raises(ShannonlabError, match="k <= 32 or n - k <= 32"):
        weight_enumerator(_Big())


class _Big:
    k, n = 40, 100
    generator_matrix = np.hstack([np.eye(40, dtype=np.uint8), np.random.default_rng(0).integers(0, 2, (40, 60)).astype(np.uint8)])
