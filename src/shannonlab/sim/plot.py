"""Moved to :mod:`shannonlab.plot` (one module per kind of figure); this module keeps the old
import path ``shannonlab.sim.plot`` working."""

from ..plot.crossing import crossing  # noqa: F401
from ..plot.directory import draw_directory, plot_directory  # noqa: F401
from ..plot.style import by_code as _by_code  # noqa: F401
from ..plot.waterfall import normal_approximation_curves  # noqa: F401
