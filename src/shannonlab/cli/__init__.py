"""The ``shannonlab`` command: ``run``, ``plot``, ``list``, ``capacity``, ``threshold``, ``bound``
(one module each; the last two in :mod:`.theory`).

Every bad input ends the command with one line on stderr naming the field and what is
allowed, and exit status 2. Ctrl-C, ``kill`` (SIGTERM) and a closed terminal (SIGHUP) end a
run alike: the chunks finished so far are checkpointed, one line says so, and the exit
status is 128 + the signal (130, 143, 129); a second signal while that happens ends the
process at once.
Value ranges (``start:stop:step`` here, ``{start, stop, step}`` in YAML) are expanded by the
one parser of :mod:`shannonlab.ranges`.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

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


class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP received: unwinds like Ctrl-C (checkpoints are written on
    the way), and the command exits with 128 + ``signum``."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.name = signal.Signals(signum).name


#: The signals that end a command cleanly.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _install_handlers() -> dict:
    """Handle :data:`STOP_SIGNALS` like Ctrl-C; return the previous handlers."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    received = []

    def handler(signum, frame):
        received.append(signum)
        if len(received) > 1:  # the first one's cleanup is under way: stop now
            os.write(2, f"interrupted again ({signal.Signals(signum).name}): stopping now\n".encode())
            os._exit(128 + signum)
        raise Interrupted(signum)

    return {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = _install_handlers()
    try:
        return args.func(args)
    except ShannonlabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        print(f"interrupted ({signal.Signals(signum).name})", file=sys.stderr)
        return 128 + signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
