"""Polar codes: construction (Bhattacharyya, Gaussian approximation, 5G NR sequence),
non-systematic and systematic encoding, SC and (CRC-aided) SC-list decoding."""

from .code import PolarCode, PolarSpec, build_polar
from .construction import RELIABILITY_5G, bhattacharyya, frozen_mask, gaussian_approximation, reliability, reliability_5g
from .decoding import sc_decode, schedule
from .list_decoding import scl_decode
from .encoding import encode, polar_transform, systematic_encode

__all__ = ["PolarCode", "PolarSpec", "build_polar", "RELIABILITY_5G", "bhattacharyya", "frozen_mask",
           "gaussian_approximation", "reliability", "reliability_5g", "sc_decode", "schedule", "scl_decode",
           "encode", "polar_transform", "systematic_encode"]
