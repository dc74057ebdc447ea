"""Progress of a run on stderr, as a simulator user expects it: one aligned table line per
finished point (code, parameter value, BER and FER with their 95 % intervals, frames,
errors, throughput), with a tqdm bar below the table on a terminal; the same lines without
the bar when stderr is not a terminal (plus a line every :data:`PLAIN_INTERVAL` seconds
during a long point); nothing with ``quiet``.

Points are numbered ``[i/N]`` among the points this run simulates; when a code's sweep
ends early (``ber_floor``, ``error_free_points``) a line says so and N shrinks by the
points no longer needed, so the last number and the summary agree.

Example
-------
>>> import io
>>> out = io.StringIO()
>>> p = Progress(total=1, quiet=False, stream=out, labels=["uncoded"], parameter="ebn0_db")
>>> p.start_point("uncoded", "ebn0_db", 2.0)
>>> p.end_point({"ber": 0.0375, "ber_low": 0.03, "ber_high": 0.045, "fer": 0.9, "fer_low": 0.8,
...              "fer_high": 0.95, "frames": 100, "frame_errors": 90, "bit_errors": 384, "bit_errors_sq": 0,
...              "info_bits_per_s": 2.5e6})
>>> print(out.getvalue().rstrip())
    # code     ebn0_db  BER       95 % interval        FER       95 % interval           frames  frame err     bit err  Mbit/s
[1/1] uncoded        2  3.75e-02  [3.0e-02, 4.5e-02]   9.00e-01  [8.0e-01, 9.5e-01]         100         90         384    2.50
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from tqdm import tqdm

#: Seconds between two plain progress lines during one point when stderr is not a terminal.
PLAIN_INTERVAL = 30.0


def _rate(value: float) -> str:
    return f"{value:.2e}"


def _interval(low: float, high: float) -> str:
    return f"[{low:.1e}, {high:.1e}]" if low > 0 else f"[0, {high:.1e}]".ljust(18)


class Progress:
    """The table (and bar) of one run; see the module docstring."""

    def __init__(self, total: int, quiet: bool, stream: TextIO, labels: list[str] | None = None,
                 parameter: str = "value"):
        self.quiet = quiet
        self.stream = stream
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.total = self.initial_total = total
        self.done = 0
        self.width = max([4] + [len(label) for label in labels or []])
        self.parameter = parameter
        self.value_width = max(7, len(parameter))
        self.header_printed = False
        self.label = ""
        self.point = ""
        self.point_started = time.monotonic()
        self.last_line = time.monotonic()
        self.bar = None
        if not quiet and self.interactive and total > 0:
            self.bar = tqdm(total=total, file=stream, unit="point", dynamic_ncols=True, leave=False)

    def _write(self, text: str) -> None:
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)
        self.last_line = time.monotonic()

    def header(self) -> str:
        return (f"{'#':>{self._number_width()}s} {'code':<{self.width}s}  {self.parameter:>{self.value_width}s}  {'BER':<8s}  "
                f"{'95 % interval':<19s}  {'FER':<8s}  {'95 % interval':<19s}  {'frames':>9s}  {'frame err':>9s}  "
                f"{'bit err':>10s}  Mbit/s")

    def _number_width(self) -> int:
        return 2 * len(str(self.initial_total)) + 3

    def note(self, text: str) -> None:
        """A line of its own above the table (resuming, a sweep that ends, ...)."""
        self._write(text)

    def start_point(self, label: str, parameter: str, value: float) -> None:
        self.label = label
        self.point = f"{parameter}={value:g}"
        self.value = value
        self.point_started = time.monotonic()
        if self.bar is not None:
            self.bar.set_description(f"{label} {self.point}", refresh=True)

    def update(self, partial) -> None:
        if self.quiet:
            return
        text = f"frames={partial.frames} frame_errors={partial.frame_errors} bit_errors={partial.bit_errors}"
        if self.bar is not None:
            self.bar.set_postfix_str(text, refresh=True)
        elif time.monotonic() - self.last_line > PLAIN_INTERVAL:
            self._write(f"        {self.label} {self.point}: {text} ({time.monotonic() - self.point_started:.0f} s)")

    def line(self, row: dict[str, Any]) -> str:
        """The table line of a finished point."""
        if row["bit_errors"] == 0:
            ber = f"<{row['ber_high']:.1e}".ljust(8)
            ber_interval = _interval(0.0, row["ber_high"])
        else:
            ber, ber_interval = _rate(row["ber"]), _interval(row["ber_low"], row["ber_high"])
        fer = _rate(row["fer"]) if row["frame_errors"] else f"<{row['fer_high']:.1e}".ljust(8)
        speed = row.get("info_bits_per_s", 0.0)
        speed_text = f"{speed / 1e6:6.2f}" if speed < float("inf") else "     -"
        number = f"[{self.done}/{self.total}]".rjust(self._number_width())
        return (f"{number} {self.label:<{self.width}s}  {self.value:>{self.value_width}g}  {ber}  "
                f"{ber_interval:<19s}  {fer}  {_interval(row['fer_low'], row['fer_high']):<19s}  "
                f"{row['frames']:>9d}  {row['frame_errors']:>9d}  {row['bit_errors']:>10d}  {speed_text}")

    def end_point(self, row: dict[str, Any]) -> None:
        self.done += 1
        if not self.header_printed:
            self._write(self.header())
            self.header_printed = True
        self._write(self.line(row))
        if self.bar is not None:
            self.bar.update(1)

    def sweep_ends(self, label: str, parameter: str, value: float, reason: str, skipped: int) -> None:
        """A code's sweep ends early: its remaining points leave the count."""
        self.total -= skipped
        if self.bar is not None:
            self.bar.total = self.total
            self.bar.refresh()
        more = f"; {skipped} point{'s' if skipped != 1 else ''} not needed" if skipped else ""
        self._write(f"        {label}: sweep ends at {parameter} = {value:g} ({reason}){more}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
