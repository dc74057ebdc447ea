"""Block-code decoders on one core, in decoded information bits/s, the hard decision from the
LLRs included. The issue's target: Hamming(7,4) syndrome decoding on the BSC >= 2e8.
Peers on the same LLRs: komm's SyndromeTableDecoder (``pip install komm``; it takes hard
bits, so its timing includes our slicing) and a plain numpy table lookup (signs -> 7-bit
word -> 128-entry table). Also the long Hamming(127,120) syndrome decoder, the exhaustive
soft ML decoders, and repetition codes."""

import numpy as np
from harness import Workload, encoder_workload

from shannonlab.channels import AWGN, BSC
from shannonlab.codes.block import HammingCode, RepetitionCode

FRAMES = 1 << 18


def _llrs(code, channel, frames, seed=1):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    c = code.encode(u)
    return u, c, channel.transmit(c, rng)


def _ours(code, channel, frames=FRAMES):
    def setup():
        _, _, llr = _llrs(code, channel(code), frames)
        code.decode(llr[:8])  # compile

        def run():
            code.decode(llr)

        return run, frames * code.k

    return setup


def _numpy_lookup():
    code = HammingCode(3)
    u, _, llr = _llrs(code, BSC(0.1), FRAMES)
    words = ((np.arange(128)[:, None] >> np.arange(7)) & 1).astype(np.uint8)
    table = code.decode(4.0 * (1.0 - 2.0 * words))  # word -> corrected message, (128, 4)
    weights = (1 << np.arange(7)).astype(np.uint8)

    def run():
        return table[(llr < 0).view(np.uint8) @ weights]

    assert (run() == code.decode(llr)).all()
    return run, FRAMES * 4


def _komm(frames=1 << 15):
    def setup():
        try:
            import komm
        except ImportError as exc:
            raise ImportError("komm is not installed (pip install komm)") from exc
        ours = HammingCode(3)
        theirs = komm.HammingCode(3)
        u, c, llr = _llrs(ours, BSC(0.1), frames)
        assert (theirs.encode(u) == c).all(), "komm's Hamming(7,4) is not the same code"
        decoder = komm.SyndromeTableDecoder(theirs)
        assert (decoder.decode((llr < 0).astype(int)) == ours.decode(llr)).all()

        def run():
            decoder.decode((llr < 0).view(np.uint8))

        return run, frames * 4

    return setup


def _bsc(code):
    return BSC(0.1)


def _awgn(code):
    return AWGN(ebn0_db=5.0, rate=code.rate)


WORKLOADS = [
    Workload("block:hamming74-syndrome-bsc", _ours(HammingCode(3), _bsc),
             "Hamming(7,4) syndrome decoding (128-entry word table), BSC p=0.1", target=2e8),
    Workload("block:hamming74-ext-syndrome-bsc", _ours(HammingCode(3, True), _bsc),
             "extended Hamming(8,4) SECDED (256-entry table, failures reported), BSC p=0.1"),
    Workload("block:hamming1511-syndrome-bsc", _ours(HammingCode(4), _bsc),
             "Hamming(15,11) syndrome decoding (32768-entry word table), BSC p=0.1"),
    Workload("block:hamming127-syndrome-bsc", _ours(HammingCode(7), _bsc, FRAMES // 16),
             "Hamming(127,120): syndrome from packed H columns, 128-entry coset leaders, BSC p=0.1"),
    Workload("block:hamming74-ml-awgn", _ours(HammingCode(3, decoder="ml"), _awgn, FRAMES // 4),
             "Hamming(7,4) exhaustive soft ML (16 codewords, Gray order), AWGN 5 dB"),
    Workload("block:hamming1511-ml-awgn", _ours(HammingCode(4, decoder="ml"), _awgn, 1 << 12),
             "Hamming(15,11) exhaustive soft ML (2048 codewords, Gray order), AWGN 5 dB"),
    Workload("block:repetition9-majority-bsc", _ours(RepetitionCode(9), _bsc),
             "repetition R9 majority vote, BSC p=0.1"),
    Workload("block:repetition9-llrsum-awgn", _ours(RepetitionCode(9, "ml"), _awgn),
             "repetition R9 LLR sum, AWGN 5 dB"),
    Workload("block:hamming74-encode", encoder_workload(lambda: HammingCode(3), FRAMES), "Hamming(7,4) encoding, info bits/s"),
    Workload("numpy:hamming74-table-lookup", _numpy_lookup,
             "plain numpy: (llr < 0) @ 2^j -> 128-entry table, same LLRs"),
    Workload("komm:hamming74-syndrome", _komm(), "komm.SyndromeTableDecoder on the sliced LLRs"),
]
