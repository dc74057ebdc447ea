"""CRC module: published check values, an independent long division, batch attach/check,
error detection guarantees and the one-line errors."""


import numpy as np
import pytest

from shannonlab.codes.crc import CRC, CRC_MODELS
from shannonlab.errors import ConfigError
from shannonlab.sim.registry import build_code

# CRC of b"123456789" from the RevEng catalogue of parametrised CRC algorithms.
CATALOGUE = {
    "CRC16": 0x31C3,  # CRC-16/XMODEM (= CRC-16/LTE)
    "CRC24A": 0xCDE703,  # CRC-24/LTE-A
    "CRC24B": 0x23EF52,  # CRC-24/LTE-B
    "CRC8": 0xF4,  # CRC-8/SMBUS
    "CRC16-CCITT-FALSE": 0x29B1,  # CRC-16/IBM-3740
    "CRC16-ARC": 0xBB3D,
    "CRC32": 0xCBF43926,  # CRC-32/ISO-HDLC
    "CRC32C": 0xE3069283,  # CRC-32/ISCSI
}

# Generator polynomials of 3GPP TS 38.212 Section 5.1 as lists of exponents.
TS38212 = {
    "CRC6": [6, 5, 0],
    "CRC11": [11, 10, 9, 5, 0],
    "CRC16": [16, 12, 5, 0],
    "CRC24A": [24, 23, 18, 17, 14, 11, 10, 7, 6, 5, 4, 3, 1, 0],
    "CRC24B": [24, 23, 6, 5, 1, 0],
    "CRC24C": [24, 23, 21, 20, 17, 15, 13, 12, 8, 4, 2, 1, 0],
}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_catalogue_check_values(name):
    assert CRC(name).checksum(b"123456789") == CATALOGUE[name]
    assert CRC(name).check_value == CATALOGUE[name]


@pytest.mark.parametrize("name", sorted(TS38212))
def test_3gpp_polynomials(name):
    full = sum(1 << e for e in TS38212[name])
    crc = CRC(name)
    assert crc.width == max(TS38212[name])
    assert (crc.poly | (1 << crc.width)) == full
    assert CRC(hex(full)).poly == crc.poly  # the same code given by hex


def _long_division(bits, full_poly, width):
    """Remainder of m(x) x^r divided by g(x), with Python integers (bit i = x^i)."""
    value = int("".join(map(str, bits)) or "0", 2) << width
    while value.bit_length() > width:
        value ^= full_poly << (value.bit_length() - width - 1)
    return [int(b) for b in f"{value:0{width}b}"]


@pytest.mark.parametrize("name", sorted(TS38212))
def test_parity_equals_long_division(name):
    rng = np.random.default_rng(7)
    crc = CRC(name)
    full = crc.poly | (1 << crc.width)
    for length in (0, 1, 5, 40, 123):
        u = rng.integers(0, 2, size=(4, length), dtype=np.uint8)
        parity = crc.compute(u)
        for row, p in zip(u, parity):
            assert p.tolist() == _long_division(row.tolist(), full, crc.width)


@pytest.mark.parametrize("name", sorted(CRC_MODELS))
def test_attach_check_and_detection(name):
    rng = np.random.default_rng(3)
    crc = CRC(name)
    u = rng.integers(0, 2, size=(50, 64), dtype=np.uint8)
    frames = crc.attach(u)
    assert frames.shape == (50, 64 + crc.width)
    assert np.array_equal(frames[:, :64], u)
    assert crc.check(frames).all()
    # every single-bit error and every burst no longer than r is detected
    k = frames.shape[1]
    for start in range(0, k, 7):
        for length in (1, min(crc.width, k - start)):
            bad = frames.copy()
            bad[:, start] ^= 1
            bad[:, start + length - 1] ^= 1 if length > 1 else 0
            bad[:, start + 1 : start + length - 1] ^= rng.integers(0, 2, size=(50, max(0, length - 2)), dtype=np.uint8)
            assert not crc.check(bad).any()


def test_check_keeps_batch_shape():
    crc = CRC("CRC11")
    frames = crc.attach(np.zeros((6, 20), dtype=np.uint8)).reshape(2, 3, -1)
    assert crc.check(frames).shape == (2, 3)


def test_names_are_forgiving():
    assert CRC("crc-24a").poly == CRC("CRC24A").poly == CRC("24A").poly
    assert CRC("11").poly == CRC("CRC_11").poly == 0x621


def test_unknown_crc_one_line_errors():
    with pytest.raises(ValueError, match=r"^unknown CRC 'CRC99' \(allowed: CRC6, CRC11, .*'0x11021'\)$"):
        CRC("CRC99")
    with pytest.raises(ConfigError) as info:
        build_code({"type": "polar", "n": 64, "k": 32, "crc": "CRC99"})
    message = str(info.value)
    assert message.startswith("code.crc: unknown CRC 'CRC99' (allowed: CRC6, CRC11, CRC16, CRC24A")
    assert "\n" not in message
    with pytest.raises(ValueError, match="constant term"):
        CRC("0x10")
