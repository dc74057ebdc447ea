"""The engine's own overhead: uncoded BPSK frames through ``run_chunks`` (draw bits, encode,
AWGN, decide, count), the ceiling no coded simulation can beat on one core."""

import numpy as np
from harness import Workload

from shannonlab.channels import AWGN
from shannonlab.codes.uncoded import Uncoded
from shannonlab.sim.engine import run_chunks


def _engine_uncoded():
    code, channel = Uncoded(1024), AWGN(ebn0_db=6.0)
    seed = np.random.SeedSequence(1)
    chunks, chunk_frames = 64, 32

    def run():
        run_chunks(code, channel, seed, 0, chunks, chunk_frames, 10**9)

    return run, chunks * chunk_frames * code.k


WORKLOADS = [
    Workload("engine:uncoded-awgn-k1024", _engine_uncoded,
             "simulate_point's inner loop on uncoded BPSK, k=1024, 6 dB: bits, AWGN, decisions, counts"),
]
