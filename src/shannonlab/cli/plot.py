"""``shannonlab plot DIR``: redraw every figure of a results directory."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import print_drawn


def _cmd_plot(args: argparse.Namespace) -> int:
    from ..plot import draw_directory

    print_drawn(draw_directory(args.directory))
    return 0


def register(sub) -> None:
    plot = sub.add_parser("plot", help="redraw the plots of a results directory (a simulation or a capacity study)")
    plot.add_argument("directory", type=Path)
    plot.set_defaults(func=_cmd_plot)
