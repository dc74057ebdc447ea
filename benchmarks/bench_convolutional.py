"""Convolutional decoders on one core: the K = 7 (133, 171) code, k = 1024, zero-tail,
Eb/N0 = 3 dB, on the same AWGN LLRs for every decoder. Targets of the issue: soft Viterbi
>= 1e7 decoded information bits/s, BCJR max-log >= 2e6. komm (``pip install komm``, the
``bench`` extra) decodes the same LLRs; its polynomials are written LSB-first, so
(133, 171) is komm's (0o155, 0o117) -- checked by comparing codewords in setup."""

import numpy as np
from harness import Workload

from shannonlab.channels import AWGN
from shannonlab.codes.convolutional import ConvolutionalCode

K = 1024
EBN0_DB = 3.0


def _llrs(code, frames, seed=1):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    c = code.encode(u)
    return u, c, AWGN(ebn0_db=EBN0_DB, rate=code.rate).transmit(c, rng)


def _ours(generators, frames=256, **options):
    def setup():
        code = ConvolutionalCode(generators, K, **options)
        _, _, llr = _llrs(code, frames)
        code.decode(llr[:8])  # compile

        def run():
            code.decode(llr)

        return run, frames * K

    return setup


def _komm(algorithm, frames):
    def setup():
        try:
            import komm
        except ImportError as exc:
            raise ImportError("komm is not installed (pip install komm)") from exc
        ours = ConvolutionalCode(["133", "171"], K)
        tc = komm.TerminatedConvolutionalCode(
            komm.ConvolutionalCode(feedforward_polynomials=[[0o155, 0o117]]), num_blocks=K, mode="zero-termination")
        u, c, llr = _llrs(ours, frames)
        assert (tc.encode(u) == c).all(), "komm's code is not the same (133, 171) code"
        if algorithm == "viterbi":
            decoder = komm.ViterbiDecoder(tc, input_type="soft")
        else:
            decoder = komm.BCJRDecoder(tc, output_type="soft")

        def run():
            decoder.decode(llr)

        return run, frames * K

    return setup


K7 = ["133", "171"]
WORKLOADS = [
    Workload("conv:viterbi-soft-k7-k1024", _ours(K7), "soft Viterbi, (133,171) K=7, zero-tail, 3 dB", target=1e7),
    Workload("conv:viterbi-hard-k7-k1024", _ours(K7, decision="hard"), "hard Viterbi, (133,171) K=7, zero-tail, 3 dB"),
    Workload("conv:viterbi-soft-k7-3/4-k1024", _ours(K7, puncture="3/4"), "soft Viterbi, K=7 punctured to 3/4, 3 dB"),
    Workload("conv:viterbi-soft-k9-k1024", _ours(["561", "753"]), "soft Viterbi, (561,753) K=9, zero-tail, 3 dB"),
    Workload("conv:viterbi-soft-k7-tailbiting-k1024", _ours(K7, termination="tail-biting"),
             "wrap-around soft Viterbi, K=7 tail-biting, 3 dB"),
    Workload("conv:bcjr-maxlog-k7-k1024", _ours(K7, frames=64, algorithm="bcjr"), "BCJR max-log, K=7, zero-tail, 3 dB",
             target=2e6),
    Workload("conv:bcjr-logmap-k7-k1024", _ours(K7, frames=64, algorithm="bcjr", variant="log-map"),
             "BCJR exact log-MAP, K=7, zero-tail, 3 dB"),
    Workload("komm:viterbi-soft-k7-k1024", _komm("viterbi", 16), "komm.ViterbiDecoder(soft) on the same LLRs"),
    Workload("komm:bcjr-k7-k1024", _komm("bcjr", 4), "komm.BCJRDecoder(soft output) on the same LLRs"),
]
