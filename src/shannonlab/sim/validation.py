"""Moved to :mod:`shannonlab.validation`; this module keeps the old import path working."""

from ..validation import *  # noqa: F401,F403
from ..validation import config_error, describe_location, validate  # noqa: F401
