"""Convolutional codes: rate-1/n from octal generators (K = 3..9, feed-forward or recursive),
zero-tail / truncated / tail-biting termination, puncturing, batched Viterbi and BCJR.

Construction (:mod:`.trellis`) is separate from encoding (:mod:`.encoding`) and decoding
(:mod:`.decoding`); :mod:`.code` joins them into the class a YAML entry builds.

>>> from shannonlab.codes.convolutional import ConvolutionalCode
>>> round(ConvolutionalCode(["133", "171"], k=1024, puncture="3/4").rate, 4)
0.7453
"""

from .code import BCJRSpec, ConvolutionalCode, ConvolutionalSpec, ViterbiSpec
from .decoding import BCJRDecoder, ViterbiDecoder
from .encoding import encode
from .puncturing import NAMED_PATTERNS, Puncturer
from .trellis import Trellis

__all__ = [
    "BCJRDecoder", "BCJRSpec", "ConvolutionalCode", "ConvolutionalSpec", "NAMED_PATTERNS",
    "Puncturer", "Trellis", "ViterbiDecoder", "ViterbiSpec", "encode",
]
