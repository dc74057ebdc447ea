"""Progress of a run on stderr: a tqdm bar on a terminal, occasional plain lines otherwise,
nothing with ``quiet``."""

from __future__ import annotations

import time
from typing import Any, TextIO

from tqdm import tqdm

#: Seconds between two plain progress lines when stderr is not a terminal.
PLAIN_INTERVAL = 30.0


class Progress:
    def __init__(self, total: int, quiet: bool, stream: TextIO):
        self.quiet = quiet
        self.stream = stream
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.bar = None
        if not quiet and self.interactive:
            self.bar = tqdm(total=total, file=stream, unit="point", dynamic_ncols=True, leave=True)
        self.label = ""
        self.point = ""
        self.last_line = time.monotonic()
        self.done = 0
        self.total = total

    def start_point(self, label: str, parameter: str, value: float) -> None:
        self.label = label
        self.point = f"{parameter}={value:g}"
        if self.bar is not None:
            self.bar.set_description(f"{label} {self.point}", refresh=True)

    def update(self, partial) -> None:
        if self.quiet:
            return
        text = f"frames={partial.frames} frame_errors={partial.frame_errors} bit_errors={partial.bit_errors}"
        if self.bar is not None:
            self.bar.set_postfix_str(text, refresh=True)
        elif time.monotonic() - self.last_line > PLAIN_INTERVAL:
            self._line(f"{self.label} {self.point}: {text}")

    def end_point(self, row: dict[str, Any]) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
        elif not self.quiet:
            bound = "<" if row["ber_is_upper_bound"] else ""
            self._line(
                f"[{self.done}/{self.total}] {self.label} {self.point}: BER {bound}{row['ber'] if not bound else row['ber_high']:.3g} "
                f"FER {row['fer']:.3g} ({row['frames']} frames, {row['frame_errors']} in error, {row['seconds']:.1f} s)"
            )

    def skip_point(self) -> None:
        self.skip_points(1)

    def skip_points(self, count: int) -> None:
        self.done += count
        if self.bar is not None and count:
            self.bar.update(count)

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)
        self.last_line = time.monotonic()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
