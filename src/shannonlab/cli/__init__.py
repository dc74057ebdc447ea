"""The ``shannonlab`` command: ``run``, ``plot``, ``list``, ``capacity``, ``threshold``, ``bound``
(one module each; the last two in :mod:`.theory`).

Every bad input ends the command with one line on stderr naming the field and what is
allowed, and exit status 2; an interruption keeps every finished point (exit status 130).
Value ranges (``start:stop:step`` here, ``{start, stop, step}`` in YAML) are expanded by the
one parser of :mod:`shannonlab.ranges`.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errors import ShannonlabError
from . import capacity, listing, plot, run, theory

#: Each command module adds its parser with ``register(subparsers)``.
COMMANDS = (run, plot, listing, capacity, theory)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shannonlab", description="Channel-coding simulation laboratory.")
    parser.add_argument("--version", action="version", version=f"shannonlab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ShannonlabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
