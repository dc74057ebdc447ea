"""Moved to :mod:`shannonlab.cli.capacity`; this module keeps the old import path working."""

from .cli.capacity import *  # noqa: F401,F403
from .cli.capacity import _cmd_scalar, load_matrix, parse_values, register  # noqa: F401
