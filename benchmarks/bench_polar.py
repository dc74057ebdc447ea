"""Polar decoders on one core: N = 1024, K = 512 (GA construction at 2 dB), AWGN LLRs at
Eb/N0 = 2 dB, decoded information bits per second. Targets from issue 8: SC >= 2e7,
CA-SCL8 (CRC11) >= 1e6. Peer: komm's SCDecoder on the same LLRs (exact f, same G_N)."""

import numpy as np
from harness import Workload

from shannonlab.channels import AWGN
from shannonlab.codes.polar import build_polar

N, K, EBN0_DB = 1024, 512, 2.0
CONSTRUCTION = {"method": "ga", "design_snr_db": EBN0_DB}


def _llrs(code, frames, seed=2026):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2, size=(frames, code.k), dtype=np.uint8)
    return AWGN(ebn0_db=EBN0_DB, rate=code.rate).transmit(code.encode(u), rng)


def _ours(frames, **fields):
    def setup():
        code = build_polar(n=N, k=K, construction=CONSTRUCTION, **fields)
        llr = _llrs(code, frames)

        def run():
            code.decode_report(llr)

        return run, frames * code.k

    return setup


def _komm_sc():
    import komm

    code = build_polar(n=N, k=K, construction=CONSTRUCTION)
    decoder = komm.SCDecoder(komm.PolarCode(10, np.flatnonzero(code.frozen)), output_type="hard")
    frames = 64
    llr = _llrs(code, frames)

    def run():
        decoder.decode(llr)

    return run, frames * K


WORKLOADS = [
    Workload("polar:sc-1024-512", _ours(2048), "SC (min-sum, rate-0/rate-1/repetition nodes), 2 dB", target=2e7),
    Workload("polar:ca-scl8-1024-512-crc11", _ours(128, crc="CRC11", decoder={"algorithm": "scl", "list_size": 8}),
             "CA-SCL, L = 8, CRC11 (3GPP), LLR path metrics, lazy copy, Fast-SSCL rate-0/1/rep nodes, 2 dB", target=1e6),
    Workload("polar:ca-scl2-1024-512-crc11", _ours(256, crc="CRC11", decoder={"algorithm": "scl", "list_size": 2}),
             "CA-SCL, L = 2, CRC11, 2 dB"),
    Workload("polar:ca-scl32-1024-512-crc11", _ours(32, crc="CRC11", decoder={"algorithm": "scl", "list_size": 32}),
             "CA-SCL, L = 32, CRC11, 2 dB"),
    Workload("komm:sc-1024-512", _komm_sc, "komm.SCDecoder (exact f) on the same code and LLRs"),
]
