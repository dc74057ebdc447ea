"""Constellations, labels, mapping and the demappers: exact checks (noiseless symbols,
brute-force per-bit posterior sums, the rail shortcut against the full sum) and the
one-line errors of bad constellations."""

import math

import numpy as np
import pytest
from scipy.special import logsumexp

from shannonlab.errors import ShannonlabError
from shannonlab.modulation import NAMED, Constellation, Interleaver, gray_code
from shannonlab.modulation.labelling import bits_of

ALL = NAMED + ("16psk", "4psk", "16pam")


def brute_llr(c: Constellation, y: np.ndarray, n0, h=None, method="exact") -> np.ndarray:
    """ln sum_{b=0} p(y|x) - ln sum_{b=1} p(y|x), straight from the definition, per symbol."""
    y = np.asarray(y).reshape(-1)
    h = np.ones_like(y) if h is None else np.asarray(h).reshape(-1)
    n0 = np.broadcast_to(np.asarray(n0, dtype=float), y.shape).reshape(-1)
    metric = -np.abs(y[:, None] - h[:, None] * c.points[None, :]) ** 2 / n0[:, None]
    out = np.empty((y.size, c.m))
    for k in range(c.m):
        zero, one = c.bits[:, k] == 0, c.bits[:, k] == 1
        if method == "exact":
            out[:, k] = logsumexp(metric[:, zero], axis=1) - logsumexp(metric[:, one], axis=1)
        else:
            out[:, k] = metric[:, zero].max(axis=1) - metric[:, one].max(axis=1)
    return out


@pytest.mark.parametrize("name", ALL)
def test_unit_energy_power_of_two_and_labels_a_permutation(name):
    c = Constellation.from_name(name)
    assert c.M == 2**c.m and abs(c.energy - 1.0) < 1e-12
    assert sorted(c.labels.tolist()) == list(range(c.M))
    assert np.array_equal(c.points_by_label[c.labels], c.points)


@pytest.mark.parametrize("name", ["qpsk", "8psk", "16psk", "16qam", "64qam", "256qam", "1024qam", "4pam", "8pam"])
def test_gray_nearest_neighbours_differ_in_one_bit(name):
    c = Constellation.from_name(name)
    d = np.abs(c.points[:, None] - c.points[None, :])
    np.fill_diagonal(d, np.inf)
    i, j = np.nonzero(np.abs(d - d.min()) < 1e-9)
    assert i.size >= c.M  # every point has a nearest neighbour
    assert all(bin(int(c.labels[a] ^ c.labels[b])).count("1") == 1 for a, b in zip(i, j))


def _ring_transitions(c):
    """Per ring (inner first): the number of label bits that change between neighbours."""
    radius = np.round(np.abs(c.points), 9)
    out = []
    for r in np.unique(radius):
        ring = np.flatnonzero(radius == r)
        labels = c.labels[ring[np.argsort(np.angle(c.points[ring]))]]
        out.append([bin(int(a ^ b)).count("1") for a, b in zip(labels, np.roll(labels, 1))])
    return out


def test_dvbs2_apsk_labels_are_the_standards():
    # 16-APSK: Gray around both rings (EN 302 307-1 fig. 13)
    assert [set(t) for t in _ring_transitions(Constellation.from_name("16apsk"))] == [{1}, {1}]
    # 32-APSK (fig. 14): Gray on the inner and middle rings; the 16-point outer ring is
    # quasi-Gray, 4 of its 16 neighbour pairs differ in two bits
    inner, middle, outer = _ring_transitions(Constellation.from_name("32apsk"))
    assert set(inner) == set(middle) == {1} and sorted(outer) == [1] * 12 + [2] * 4
    c = Constellation.from_name("32apsk")
    angle = {label: round(float(np.degrees(np.angle(c.points_by_label[label]))) % 360, 6) for label in range(32)}
    assert (angle[0], angle[8], angle[11], angle[17], angle[24], angle[30]) == (45.0, 22.5, 270.0, 45.0, 0.0, 180.0)


def test_apsk_ring_ratios_follow_the_code_rate():
    for rate, gamma in (("2/3", 3.15), ("3/4", 2.85), ("9/10", 2.57)):
        c = Constellation.from_name("16apsk", code_rate=rate)
        radii = np.unique(np.round(np.abs(c.points), 12))
        assert radii[-1] / radii[0] == pytest.approx(gamma, rel=1e-9)
    c = Constellation.from_name("32apsk", code_rate="4/5")
    radii = np.unique(np.round(np.abs(c.points), 12))
    assert (radii[1] / radii[0], radii[2] / radii[0]) == pytest.approx((2.72, 4.87), rel=1e-9)
    counts = [int(np.sum(np.isclose(np.abs(c.points), r))) for r in radii]
    assert counts == [4, 12, 16]


def test_qam_labels_are_the_product_of_gray_rails_in_ieee_order():
    c = Constellation.from_name("16qam")
    a = 1 / math.sqrt(10)
    # label b0 b1 b2 b3: b0 b1 choose the in-phase amplitude (00 -> +3, 01 -> +1, 11 -> -1, 10 -> -3)
    amplitude = {0: 3, 1: 1, 3: -1, 2: -3}
    for label in range(16):
        x = c.points_by_label[label]
        assert x == pytest.approx(a * (amplitude[label >> 2] + 1j * amplitude[label & 3]), abs=1e-15)


def test_set_partition_labels_grow_the_subset_distance():
    for name in ("16qam", "64qam", "8psk", "8pam"):
        c = Constellation.from_name(name, labelling="set-partition")
        previous = c.min_distance
        for level in range(1, c.m):
            # points agreeing on the `level` least significant label bits
            mask = (1 << level) - 1
            subset_distances = []
            for coset in range(1 << level):
                pts = c.points[(c.labels & mask) == coset]
                d = np.abs(pts[:, None] - pts[None, :]) + np.eye(pts.size) * 1e9
                subset_distances.append(d.min())
            assert min(subset_distances) > previous * 1.2, (name, level)
            previous = min(subset_distances)


def test_mapping_follows_the_labels_msb_first():
    c = Constellation.from_name("8psk")
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2, (5, 3 * 7), dtype=np.uint8)
    labels = bits.reshape(5, 7, 3) @ np.array([4, 2, 1])
    assert np.array_equal(c.map(bits), c.points_by_label[labels])


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("method", ["exact", "max-log"])
def test_noiseless_symbols_demap_to_their_bits_with_the_exact_llr(name, method):
    c = Constellation.from_name(name)
    bits = bits_of(np.arange(c.M), c.m).reshape(1, -1)  # every label once
    y = c.map(bits)
    n0 = 0.05 * c.min_distance**2  # noiseless at an SNR where every bit is decided right
    llr = c.demap(y, n0, method=method)
    assert llr.shape == (1, c.M * c.m) and llr.dtype == np.float64
    assert np.array_equal(llr < 0, bits == 1)
    np.testing.assert_allclose(llr.reshape(-1, c.m), brute_llr(c, y, n0, method=method), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("name", ["bpsk", "qpsk", "8psk", "16qam", "64qam", "256qam", "8pam", "16apsk", "32apsk"])
@pytest.mark.parametrize("method", ["exact", "max-log"])
def test_demapper_equals_brute_force_posterior_sums_awgn_and_fading(name, method):
    c = Constellation.from_name(name)
    rng = np.random.default_rng(7)
    F, S = 3, 40
    x = c.map(rng.integers(0, 2, (F, S * c.m), dtype=np.uint8))
    for n0 in (2.0, 0.3, 0.01):
        noise = (rng.standard_normal((F, S)) + 1j * rng.standard_normal((F, S))) * math.sqrt(n0 / 2)
        y = x + noise
        np.testing.assert_allclose(c.demap(y, n0, method).reshape(-1, c.m), brute_llr(c, y, n0, method=method),
                                   rtol=1e-10, atol=1e-9)
        h = (rng.standard_normal((F, S)) + 1j * rng.standard_normal((F, S))) / math.sqrt(2)
        y = h * x + noise
        np.testing.assert_allclose(c.demap(y, n0, method, h=h).reshape(-1, c.m),
                                   brute_llr(c, y, n0, h=h, method=method), rtol=1e-10, atol=1e-9)


def test_rail_demapper_equals_the_full_constellation_sum():
    for name in ("16qam", "256qam", "8pam"):
        c = Constellation.from_name(name)
        full = Constellation(c.points, c.labels, "full")  # same points and labels, no rail
        assert c.rail is not None and full.rail is None
        rng = np.random.default_rng(3)
        y = c.map(rng.integers(0, 2, (4, 50 * c.m), dtype=np.uint8)) + 0.2 * (
            rng.standard_normal((4, 50)) + 1j * rng.standard_normal((4, 50)))
        for method in ("exact", "max-log"):
            np.testing.assert_allclose(c.demap(y, 0.08, method), full.demap(y, 0.08, method), rtol=1e-11, atol=1e-9)


def test_exact_llr_keeps_precision_where_one_side_underflows():
    # 64-QAM at N0 = 1e-4: exp of the metric gaps underflows; the result is still the log-sum-exp
    c = Constellation.from_name("64qam")
    full = Constellation(c.points, c.labels)
    y = c.points[:5].reshape(1, -1) + 0.004
    for const in (c, full):
        np.testing.assert_allclose(const.demap(y, 1e-4).reshape(-1, 6), brute_llr(c, y, 1e-4), rtol=1e-12)


def test_zero_gain_symbols_carry_nothing_and_n0_may_vary_per_symbol():
    c = Constellation.from_name("16qam")
    y = np.array([[0.3 + 0.1j, -0.5 + 0.2j]])
    h = np.array([[0.0, 1.0]])
    llr = c.demap(y, 0.1, h=h)
    assert np.all(llr[0, :4] == 0.0) and np.all(llr[0, 4:] != 0.0)
    n0 = np.array([[0.1, 0.5]])
    np.testing.assert_allclose(c.demap(y, n0).reshape(-1, 4), brute_llr(c, y, n0.reshape(-1)), rtol=1e-12)


def test_custom_constellation_from_a_mapping():
    c = Constellation.from_mapping({"points": [[1, 1], [-1, 1], [-1, -1], [1, -1]], "labels": ["00", "10", "11", "01"]})
    q = Constellation.from_name("qpsk")
    np.testing.assert_allclose(c.points_by_label, q.points_by_label, atol=1e-15)  # Gray QPSK, listed otherwise
    assert abs(c.energy - 1) < 1e-12 and c.labels.tolist() == [0, 2, 3, 1]
    y = c.map(np.array([[0, 0, 1, 1]], dtype=np.uint8))
    assert y[0, 0] == pytest.approx((1 + 1j) / math.sqrt(2)) and y[0, 1] == pytest.approx((-1 - 1j) / math.sqrt(2))


@pytest.mark.parametrize(
    "spec, message",
    [
        ("17qam", "modulation: '17qam': M = 17 is not a power of two"),
        ("12psk", "modulation: '12psk': M = 12 is not a power of two"),
        ("32qam", "modulation: '32qam': square M-QAM needs M = 4, 16, 64, 256 or 1024"),
        ("foo", "modulation: unknown constellation 'foo'"),
        ({"name": "16qam", "labelling": "random"}, "modulation.labelling: must be one of gray, natural, set-partition"),
        ({"name": "16apsk", "code_rate": "1/2"}, "modulation.code_rate: 16apsk is defined for rates 2/3, 3/4"),
        ({"points": [[1, 0], [0, 1], [-1, 0]]}, "modulation.points: the number of points M must be a power of two"),
        ({"points": [[1, 0], [-1, 0]], "labels": [0, 0]}, "modulation.labels: must be a permutation of 0..1"),
        ({"points": [[1, 0], [-1, 0]], "labels": [0, 2]}, "modulation.labels: must be a permutation of 0..1"),
        ({"points": [[1, 0], [1, 0]]}, "modulation.points: points 0 and 1 coincide"),
        ({"points": [[1, 0], [-1, 0]], "labels": ["0", "2"]}, "modulation.labels[1]: a bit string must have 1"),
        ({"points": [[1, 0], [-1, 0]], "colour": 1}, "modulation: unknown key 'colour'"),
    ],
)
def test_bad_constellations_give_one_line_errors_naming_the_field(spec, message):
    with pytest.raises(ShannonlabError) as info:
        Constellation.from_mapping(spec)
    text = str(info.value)
    assert text.startswith(message) and "\n" not in text


def test_demap_rejects_bad_inputs():
    c = Constellation.from_name("qpsk")
    with pytest.raises(ShannonlabError, match="method: must be one of exact, max-log"):
        c.demap(np.zeros((1, 2), complex), 1.0, method="map")
    with pytest.raises(ShannonlabError, match="n0: the noise density"):
        c.demap(np.zeros((1, 2), complex), 0.0)
    with pytest.raises(ShannonlabError, match="bits: 3 bits per frame is not a multiple of m = 2"):
        c.map(np.zeros((1, 3), np.uint8))


def test_interleavers_are_permutations_fixed_by_seed_and_length():
    for kind in ("random", "row-column", "none"):
        for n, m in ((12, 4), (13, 4), (1944, 6)):
            perm = Interleaver(kind, seed=5).permutation(n, m)
            assert sorted(perm.tolist()) == list(range(n))
    a = Interleaver("random", seed=5).permutation(100, 2)
    assert np.array_equal(a, Interleaver("random", seed=5).permutation(100, 2))
    assert not np.array_equal(a, Interleaver("random", seed=6).permutation(100, 2))
    # row-column: symbol s takes bits s, S + s, 2S + s, ... (m distant parts of the codeword)
    perm = Interleaver("row-column").permutation(12, 3)
    assert perm.reshape(4, 3).tolist() == [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]]
    assert gray_code(4).tolist() == [0, 1, 3, 2]
