"""Convolutional decoders on one core: k = 1024, zero-tail, Eb/N0 = 3 dB, on the same AWGN
LLRs for every decoder of a code. Codes: the K = 7 (133, 171) feed-forward code; the
8-state recursive systematic (1, 15/13) code of LTE turbo (``rsc8``); the 64-state
recursive systematic code with feedback 133 and parity 171 (``rsc64``, AFF3CT's RSC with
polynomials {133, 171}). Targets of the first issue: soft Viterbi >= 1e7 decoded
information bits/s, BCJR max-log >= 2e6. Bar of issue 18 (AFF3CT v3.0.2, inter-frame SIMD,
one core): 8-state BCJR max-log 212e6, 64-state 1.77e6. The ``-q8`` rows decode in fixed
point (8-bit LLRs, 3 fractional bits, int16 metrics). komm (``pip install komm``, the
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
        if "quantization" in options:
            from shannonlab.codes.simd import Quantization

            options["quantization"] = Quantization(**options["quantization"])
        code = ConvolutionalCode(generators, K, **options)
        _, _, llr = _llrs(code, frames)
        code.decode(llr[:8])  # compile

        def run():
            return code.decode(llr)

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
            return decoder.decode(llr)

        return run, frames * K

    return setup


K7 = ["133", "171"]
RSC8 = {"generators": ["13", "15"], "feedback": "13"}
RSC64 = {"generators": ["133", "171"], "feedback": "133"}
Q8 = {"bits": 8, "fraction_bits": 3}
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
    Workload("conv:bcjr-logmap-linear-k7-k1024", _ours(K7, frames=64, algorithm="bcjr", variant="log-map-linear"),
             "BCJR linear log-MAP (correction max(0, 0.6216 - 0.2390 |a-b|)), K=7, zero-tail, 3 dB"),
    Workload("conv:bcjr-maxlog-rsc8-k1024", _ours(RSC8["generators"], 256, feedback="13", algorithm="bcjr"),
             "BCJR max-log, 8-state RSC (1, 15/13) of LTE, zero-tail, 3 dB", aff3ct=212e6),
    Workload("conv:bcjr-logmap-rsc8-k1024", _ours(RSC8["generators"], 64, feedback="13", algorithm="bcjr",
                                                  variant="log-map"),
             "BCJR exact log-MAP, 8-state RSC of LTE, zero-tail, 3 dB"),
    Workload("conv:bcjr-logmap-linear-rsc8-k1024", _ours(RSC8["generators"], 256, feedback="13", algorithm="bcjr",
                                                         variant="log-map-linear"),
             "BCJR linear log-MAP, 8-state RSC of LTE, zero-tail, 3 dB"),
    Workload("conv:bcjr-maxlog-rsc64-k1024", _ours(RSC64["generators"], 64, feedback="133", algorithm="bcjr"),
             "BCJR max-log, 64-state RSC (1, 171/133), zero-tail, 3 dB", aff3ct=1.77e6),
    Workload("conv:viterbi-soft-k7-q8-k1024", _ours(K7, quantization=Q8),
             "soft Viterbi, K=7, fixed point: 8-bit LLRs (3 fractional bits), int16 path metrics"),
    Workload("conv:bcjr-maxlog-rsc8-q8-k1024", _ours(RSC8["generators"], 256, feedback="13", algorithm="bcjr",
                                                     quantization=Q8),
             "BCJR max-log, 8-state RSC of LTE, fixed point: 8-bit LLRs, int16 metrics"),
    Workload("komm:viterbi-soft-k7-k1024", _komm("viterbi", 16), "komm.ViterbiDecoder(soft) on the same LLRs"),
    Workload("komm:bcjr-k7-k1024", _komm("bcjr", 4), "komm.BCJRDecoder(soft output) on the same LLRs"),
]
