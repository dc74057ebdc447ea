"""Moved to :mod:`shannonlab.registry` (the one table of codes and channels); this module keeps
the old import path ``shannonlab.sim.registry`` working."""

from ..registry import *  # noqa: F401,F403
from ..registry import (  # noqa: F401
    CHANNELS,
    CODES,
    build_channel,
    build_code,
    check_sweep,
    describe,
    parse_channel_spec,
    parse_code_spec,
)
