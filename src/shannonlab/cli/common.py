"""Small pieces every command shares: argument types and printing what was drawn."""

from __future__ import annotations

import argparse
import sys


def positive_int(text: str) -> int:
    """An argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def number(text: str) -> float:
    """An argparse type: a float."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None


def print_drawn(drawn, only_notes: bool = False) -> None:
    """The files written (unless ``only_notes``) on stdout; why a figure was not written, on stderr."""
    if not only_notes:
        for path in drawn.written:
            print(path)
    for note in drawn.notes():
        print(note, file=sys.stderr)
