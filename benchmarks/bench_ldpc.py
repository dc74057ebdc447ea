"""LDPC belief propagation on one core, in decoded information bits/s: the IEEE 802.11n
n = 648 rate-1/2 code at Eb/N0 = 2 dB, 20 iterations at most, early stopping, the same
fixed set of LLRs for every decoder. Targets of the first issue: flooding sum-product
>= 2e6, layered normalized min-sum >= 5e6. Bar of issue 18 (AFF3CT v3.0.2, inter-frame
SIMD, one core): layered NMS 0.8 19.2e6, flooding sum-product 3.0e6. The ``-q`` rows
decode in fixed point (``quantization``: int8 messages for 8 bits or fewer, int16 above).

Peer: the ``ldpc`` package's BpDecoder (``pip install ldpc``), product-sum, parallel
(flooding) schedule, 20 iterations, on the same LLRs: it takes per-bit channel error
probabilities 1/(1 + e^|L|) and the hard decisions, frame by frame; its time includes
that conversion."""

import numpy as np
from harness import Workload, encoder_workload

from shannonlab.channels import AWGN
from shannonlab.codes.ldpc.code import LDPCSpec

FRAMES = 4000
MATRIX = {"standard": "ieee80211n", "n": 648, "rate": "1/2"}


def _llrs(code, frames, ebn0_db=2.0, seed=1):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
    return u, AWGN(ebn0_db=ebn0_db, rate=code.rate).transmit(code.encode(u), rng)


def _ours(algorithm, schedule, matrix=MATRIX, frames=FRAMES, **options):
    def setup():
        code = LDPCSpec(matrix=matrix, decoder={"algorithm": algorithm, "schedule": schedule, **options}).build()
        _, llr = _llrs(code, frames)
        code.decode(llr[:8])  # compile

        def run():
            return code.decode(llr)

        return run, frames * code.k

    return setup


def _peer_ldpc(frames=300):
    def setup():
        from ldpc import BpDecoder  # ImportError when the peer is not installed

        code = LDPCSpec(matrix=MATRIX).build()
        u, llr = _llrs(code, frames)
        decoder = BpDecoder(code.H, error_rate=0.1, max_iter=20, bp_method="product_sum", schedule="parallel",
                            input_vector_type="received_vector")
        hard = (llr < 0).astype(np.uint8)
        probs = 1.0 / (1.0 + np.exp(np.abs(llr)))

        def run():
            out = np.empty((frames, code.n), dtype=np.uint8)
            for f in range(frames):
                decoder.update_channel_probs(probs[f])
                out[f] = decoder.decode(hard[f])
            return out

        decided = run()[:, : code.k]
        ours = code.decode(llr)
        # same LLRs, same algorithm: the frame error rates must be close
        assert abs(np.any(decided != u, axis=1).mean() - np.any(ours != u, axis=1).mean()) < 0.03
        return run, frames * code.k

    return setup


WORKLOADS = [
    Workload("ldpc-bp:648-r1/2-sum-product-flooding", _ours("sum-product", "flooding"),
             "802.11n n=648 R=1/2, 2 dB, flooding sum-product, <= 20 it, early stop", target=2e6, aff3ct=3.0e6),
    Workload("ldpc-bp:648-r1/2-nms-layered", _ours("normalized-min-sum", "layered"),
             "802.11n n=648 R=1/2, 2 dB, layered normalized min-sum (alpha 0.8), <= 20 it, early stop", target=5e6,
             aff3ct=19.2e6),
    Workload("ldpc-bp:648-r1/2-nms-layered-q8", _ours("normalized-min-sum", "layered",
                                                      quantization={"bits": 8, "fraction_bits": 2}),
             "as nms-layered, fixed point: 8-bit LLRs (2 fractional bits), int8 messages"),
    Workload("ldpc-bp:648-r1/2-oms-layered-q6", _ours("offset-min-sum", "layered",
                                                      quantization={"bits": 6, "fraction_bits": 1}),
             "layered offset min-sum (beta 0.5), fixed point: 6-bit LLRs (1 fractional bit), int8 messages"),
    Workload("ldpc-bp:648-r1/2-nms-layered-q16", _ours("normalized-min-sum", "layered",
                                                       quantization={"bits": 16, "fraction_bits": 8}),
             "as nms-layered, fixed point: 16-bit LLRs (8 fractional bits), int16 messages"),
    Workload("ldpc-bp:648-r1/2-sum-product-layered", _ours("sum-product", "layered"),
             "802.11n n=648 R=1/2, 2 dB, layered sum-product, <= 20 it, early stop"),
    Workload("ldpc-bp:648-r1/2-min-sum-flooding", _ours("min-sum", "flooding"),
             "802.11n n=648 R=1/2, 2 dB, flooding min-sum, <= 20 it, early stop"),
    Workload("ldpc-bp:648-r1/2-oms-layered", _ours("offset-min-sum", "layered"),
             "802.11n n=648 R=1/2, 2 dB, layered offset min-sum (beta 0.5), <= 20 it, early stop"),
    Workload("ldpc-bp:1944-r5/6-nms-layered", _ours("normalized-min-sum", "layered",
                                                    {"standard": "ieee80211n", "n": 1944, "rate": "5/6"}, 1000),
             "802.11n n=1944 R=5/6 at 2 dB Eb/N0 (far below its threshold: 20 iterations every frame)"),
    Workload("ldpc-bp:5g-bg1-k1024-n2048-nms-layered", _ours("normalized-min-sum", "layered",
                                                            {"standard": "5g-nr", "base_graph": 1, "k": 1024, "n": 2048}, 1000),
             "5G NR BG1 k=1024 rate-matched to n=2048 at 2 dB, layered normalized min-sum, <= 20 it, early stop"),
    Workload("ldpc-bp:648-r1/2-encode", encoder_workload(lambda: LDPCSpec(matrix=MATRIX).build(), FRAMES), "802.11n n=648 R=1/2 dual-diagonal encoder"),
    Workload("ldpc:bp-product-sum-648-r1/2", _peer_ldpc(),
             "the ldpc package's BpDecoder, product_sum, parallel schedule, 20 it, same LLRs"),
]
