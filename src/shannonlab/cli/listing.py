"""``shannonlab list``: every registered code, decoder and channel with its parameters."""

from __future__ import annotations

import argparse


def _cmd_list(args: argparse.Namespace) -> int:
    from ..registry import describe

    print(describe())
    return 0


def register(sub) -> None:
    listing = sub.add_parser("list", help="every registered code, decoder and channel with its parameters")
    listing.set_defaults(func=_cmd_list)
