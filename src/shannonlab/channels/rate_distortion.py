"""Moved to :mod:`shannonlab.theory.rate_distortion`; this module keeps the old import path
``shannonlab.channels.rate_distortion`` working."""

from ..theory.rate_distortion import *  # noqa: F401,F403
from ..theory.rate_distortion import RateDistortionResult, rate_distortion  # noqa: F401
