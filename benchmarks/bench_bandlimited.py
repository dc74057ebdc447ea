"""The band-limited waveform channel: uncoded information bits per second through the whole
link (bits -> symbols -> RRC upsampling -> noise over the simulated band -> matched filter
-> symbol-centre LLRs -> decisions), 8 samples per symbol, 16-symbol RRC, frames of 1024
bits in batches of 32 (one engine chunk). The waveform costs ~8 Gaussian samples and two
129-tap filters per symbol, so it is far below the discrete AWGN shortcut (bench_engine).

Peer: CommPy's ``rrcosfilter`` with ``numpy.convolve`` per frame and ``commpy.channels.awgn``,
the chain a CommPy user writes for the same BPSK link.
"""

import numpy as np
from harness import Workload

from shannonlab.channels.bandlimited import BandLimitedAWGN
from shannonlab.codes.uncoded import Uncoded
from shannonlab.sim.engine import run_chunks

FRAMES, K = 32, 1024


def _engine(modulation):
    def setup():
        code = Uncoded(K)
        channel = BandLimitedAWGN(bandwidth_hz=1e6, snr_db=8.0, modulation=modulation)
        seed = np.random.SeedSequence(1)
        chunks = 4

        def run():
            run_chunks(code, channel, seed, 0, chunks, FRAMES, 10**9)

        return run, chunks * FRAMES * K

    return setup


def _transmit_only():
    channel = BandLimitedAWGN(bandwidth_hz=1e6, snr_db=8.0)
    rng = np.random.default_rng(2)
    c = rng.integers(0, 2, size=(FRAMES, K), dtype=np.uint8)

    def run():
        channel.transmit(c, rng)

    return run, FRAMES * K


def _commpy_bpsk():
    from commpy.channels import awgn
    from commpy.filters import rrcosfilter

    sps, span, rolloff = 8, 16, 0.25
    _, h = rrcosfilter(span * sps + 1, rolloff, 1.0, float(sps))
    h = h / np.sqrt(np.sum(h**2))
    rng = np.random.default_rng(3)
    bits = rng.integers(0, 2, size=(FRAMES, K), dtype=np.uint8)
    delay = len(h) - 1

    def run():
        decisions = np.empty_like(bits)
        for f in range(FRAMES):
            up = np.zeros(K * sps)
            up[::sps] = 1.0 - 2.0 * bits[f]
            x = np.convolve(up, h)
            y = awgn(x, 8.0 + 10 * np.log10(sps * 0.8))  # per-sample SNR giving P/(N0 W) = 8 dB
            z = np.convolve(y, h)[delay : delay + K * sps : sps]
            decisions[f] = z < 0
        return decisions

    return run, FRAMES * K


WORKLOADS = [
    Workload("bandlimited:bpsk-uncoded-link", _engine("bpsk"),
             "run_chunks: uncoded BPSK through the RRC waveform channel, 8 samples/symbol, 1024-bit frames"),
    Workload("bandlimited:qpsk-uncoded-link", _engine("qpsk"),
             "run_chunks: uncoded Gray QPSK (complex envelope) through the RRC waveform channel"),
    Workload("bandlimited:bpsk-transmit", _transmit_only,
             "BandLimitedAWGN.transmit alone on a 32 x 1024 batch (modulate, noise, matched filter, LLR)"),
    Workload("commpy:bpsk-rrc-awgn-per-frame", _commpy_bpsk,
             "CommPy rrcosfilter + numpy.convolve + commpy.channels.awgn, frame by frame, hard decisions"),
]
