"""LTE turbo decoding on one core: K = 6144, rate 1/3 (n = 18444), 6 iterations, max-log
BCJR (extrinsic scale 0.7), Eb/N0 = 0.8 dB, early stopping off so every frame costs the
full 6 iterations. Target of the issue: >= 2e6 decoded information bits/s; bar of issue 18
(AFF3CT v3.0.2, inter-frame SIMD, one core): 11.5e6. scikit-commpy's
``turbo_decode`` (the ``bench`` extra; pure Python, log-domain MAP without termination)
decodes the same LLRs, given as its BPSK symbols (bit 1 -> +1) y = -L sigma^2 / 2 with
noise variance sigma^2; its encoder agrees with ours on the information part (checked in
setup)."""

import numpy as np
from harness import Workload

from shannonlab.channels import AWGN
from shannonlab.codes.turbo import TurboSpec, qpp_parameters

K = 6144
EBN0_DB = 0.8


def _code(algorithm="max-log", early_stop=False):
    return TurboSpec(standard="lte", k=K, decoder={"algorithm": algorithm, "iterations": 6,
                                                    "early_stop": early_stop}).build()


def _llrs(code, frames, seed=1):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    channel = AWGN(ebn0_db=EBN0_DB, rate=code.rate)
    return u, channel, channel.transmit(code.encode(u), rng)


def _ours(frames=64, **options):
    def setup():
        code = _code(**options)
        _, _, llr = _llrs(code, frames)
        code.decode(llr[:2])  # compile

        def run():
            return code.decode(llr)

        return run, frames * K

    return setup


def _commpy():
    def setup():
        try:
            import commpy.channelcoding as cc
        except ImportError as exc:
            raise ImportError("scikit-commpy is not installed (pip install scikit-commpy)") from exc
        code = _code()
        u, channel, llr = _llrs(code, 1)
        f1, f2 = qpp_parameters(K)
        i = np.arange(K)
        trellis = cc.Trellis(np.array([3]), np.array([[0o13, 0o15]]), feedback=0o13, code_type="rsc")
        inter = cc.RandInterlv(K, 0)
        inter.p_array = (f1 * i + f2 * i * i) % K
        sys, p1, _ = cc.turbo_encode(u[0], trellis, trellis, inter)
        D = K + 4
        c = code.encode(u)[0]
        assert np.array_equal(c[:K], sys) and np.array_equal(c[D:D + K], p1), "commpy's code is not the LTE code"
        sigma2 = 1.0 / (2.0 * 10 ** (channel.esn0_db / 10))
        y = -llr[0] * sigma2 / 2.0  # commpy maps bit 1 to +1
        ys, y1, y2 = y[:K], y[D:D + K], y[2 * D:2 * D + K]

        def run():
            cc.turbo_decode(ys, y1, y2, trellis, sigma2, 6, inter)

        return run, K

    return setup


WORKLOADS = [
    Workload("turbo:lte-6144-maxlog-6it", _ours(), "LTE turbo K=6144 R=1/3, max-log, 6 iterations, 0.8 dB", target=2e6,
             aff3ct=11.5e6),
    Workload("turbo:lte-6144-logmap-6it", _ours(algorithm="log-map"), "LTE turbo K=6144, exact log-MAP, 6 iterations"),
    Workload("commpy:turbo-lte-6144-6it", _commpy(), "commpy.turbo_decode (MAP, 6 iterations) on the same LLRs",
             warmup=0, min_calls=1),
]
