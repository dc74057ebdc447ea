"""shannonlab: a channel-coding simulation laboratory.

Channels (:mod:`shannonlab.channels`) turn coded bits into LLRs, codes
(:mod:`shannonlab.codes`) encode and decode whole batches of frames, and the engine
(:mod:`shannonlab.sim`) runs Monte Carlo sweeps driven by YAML experiments and compares
the results with the limits of information theory.

Example
-------
>>> import numpy as np
>>> from shannonlab.sim.registry import build_code, build_channel
>>> code = build_code({"type": "uncoded", "k": 8})
>>> channel = build_channel({"type": "bsc"}, "p", 0.1, code.rate)
>>> llr = channel.transmit(code.encode(np.zeros((2, 8), np.uint8)), np.random.default_rng(1))
>>> code.decode(llr).shape
(2, 8)
"""

__version__ = "0.1.0"
