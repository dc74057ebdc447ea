"""Moved to :mod:`shannonlab.theory` (capacity, limits, finite_length, units); this module
keeps the old import path ``shannonlab.channels.capacity`` working."""

from ..theory.capacity import *  # noqa: F401,F403
from ..theory.capacity import _biawgn_softplus_moments  # noqa: F401
from ..theory.finite_length import *  # noqa: F401,F403
from ..theory.limits import *  # noqa: F401,F403
from ..theory.units import LN2, db_to_linear, q_function  # noqa: F401
