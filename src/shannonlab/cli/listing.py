"""``shannonlab list``: every registered code, decoder and channel with its parameters, the
capacity models, and the keys of an experiment file (stop, execution, plot, output)."""

from __future__ import annotations

import argparse


def experiment_keys() -> str:
    """The sections of an experiment file other than its channel and codes, with every key."""
    from ..registry import _describe_fields
    from ..sim.config import Execution, Output, Plot, Stop

    out = ["experiment file (besides name, seed, channel, sweep, codes):"]
    for name, model in (("stop", Stop), ("execution", Execution), ("plot", Plot), ("output", Output)):
        doc = " ".join((model.__doc__ or "").split("\n\n")[0].split()).replace("``", "")
        out.append(f"  {name}: {doc}")
        out.extend(_describe_fields(model, "      "))
    return "\n".join(out)


def _cmd_list(args: argparse.Namespace) -> int:
    from ..registry import describe

    print(describe())
    print(experiment_keys())
    return 0


def register(sub) -> None:
    listing = sub.add_parser("list", help="every registered code, decoder and channel with its parameters, and the "
                                          "keys of an experiment file")
    listing.set_defaults(func=_cmd_list)
