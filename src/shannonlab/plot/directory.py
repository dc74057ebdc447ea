"""Draw every figure a results directory holds data for.

A simulation's directory gets ``ber.png`` and ``fer.png``, ``capacity.png`` (when a code
reaches the target BER), ``rate_vs_ber.png`` (``plot.kind: rate-vs-ber``) and
``spectral_efficiency.png`` (links in physical units), ``exit_chart.png`` (a run with
``trajectory:``: measured decoding trajectories on the ensemble's EXIT chart), ``threshold.png``
(``plot.kind: threshold``: FER against the ensemble's DE threshold beside its EXIT chart); a capacity
study's directory gets
``capacity_curves.png``. A figure with nothing to show is not written, and
:class:`Drawn` says why, so the command line can tell the user.

Example
-------
>>> drawn = Drawn()
>>> drawn.skipped["capacity.png"] = "no code reaches BER 0.0001 within the sweep"
>>> drawn.notes()
['capacity.png not written: no code reaches BER 0.0001 within the sweep']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ShannonlabError
from .style import NothingToShow, PlotOptions, save


@dataclass
class Drawn:
    """The files written and, per figure not written, the reason."""

    written: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def notes(self) -> list[str]:
        return [f"{name} not written: {reason}" for name, reason in self.skipped.items()]


def read_results(directory: str | Path) -> dict[str, Any]:
    """The parsed ``results.json`` of a results directory, or a one-line error."""
    import json

    directory = Path(directory)
    if not directory.exists():
        raise ShannonlabError(f"{directory}: no such results directory")
    if not directory.is_dir():
        raise ShannonlabError(f"{directory}: is a file; give the results directory that holds results.json")
    path = directory / "results.json"
    try:
        with open(path, "rb") as handle:  # bounded: never a whole /dev/zero
            text = handle.read(_MAX_BYTES + 1)
        if len(text) > _MAX_BYTES:
            raise ShannonlabError(f"{path}: larger than {_MAX_BYTES >> 20} MiB, not a results file of shannonlab")
        data = json.loads(text)
    except FileNotFoundError:
        raise ShannonlabError(f"{directory}: no results.json here (run an experiment first)") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        if isinstance(exc, ShannonlabError):
            raise
        raise ShannonlabError(f"{path}: not a results file ({(str(exc).splitlines() or [''])[0][:120]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("config"), dict) or not isinstance(data.get("rows"), list):
        raise ShannonlabError(f"{path}: not a results file of shannonlab (needs 'config' and 'rows')")
    # rows of the kinds whose shape is known here; another kind's figure module reads its own
    fields = {"capacity": _CAPACITY_FIELDS, "simulation": _SIMULATION_FIELDS}.get(data["config"].get("kind", "simulation"), {})
    for i, row in enumerate(data["rows"]):
        if not isinstance(row, dict) and fields:
            raise ShannonlabError(f"{path}: rows[{i}] is not a mapping, not a results file of shannonlab")
        for name, kind in fields.items():
            value = row.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ShannonlabError(f"{path}: rows[{i}].{name} is missing or not a {kind[0].__name__}, not a results "
                                      "file of shannonlab")
    return data


#: Largest results.json read.
_MAX_BYTES = 512 << 20
_NUMBER = (float, int)
#: What each row of a simulation's results.json has (and the figures read).
_SIMULATION_FIELDS = {"code": (str,), "value": _NUMBER, "rate": _NUMBER, "frames": (int,), "frame_errors": (int,),
                      "bit_errors": (int,), "ber": _NUMBER, "ber_low": _NUMBER, "ber_high": _NUMBER, "fer": _NUMBER,
                      "fer_low": _NUMBER, "fer_high": _NUMBER}
#: ... and of a capacity study's.
_CAPACITY_FIELDS = {"channel": (str,), "parameter": (str,), "value": _NUMBER, "closed_form": _NUMBER,
                    "blahut_arimoto": _NUMBER, "kind": (str,)}


def _figure(drawn: Drawn, name: str, directory: Path, options: PlotOptions, make) -> None:
    try:
        fig = make()
    except NothingToShow as reason:
        drawn.skipped[f"{name}.png"] = str(reason)
        for fmt in options.formats:  # a figure of earlier results would now mislead
            (directory / f"{name}.{fmt}").unlink(missing_ok=True)
        return
    drawn.written += save(fig, directory, name, options)


def draw_directory(directory: str | Path) -> Drawn:
    """Draw every figure ``directory``'s results call for (see the module docstring); a
    results.json that is not what shannonlab writes is a one-line error."""
    try:
        return _draw_directory(directory)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        if isinstance(exc, ShannonlabError):
            raise
        path = Path(directory) / "results.json"
        raise ShannonlabError(f"{path}: cannot be drawn, not a results file of shannonlab "
                              f"({type(exc).__name__}: {str(exc)[:80]})") from None


def _draw_directory(directory: str | Path) -> Drawn:
    from ..registry import parse_channel_spec
    from .capacity_plane import draw_capacity_plane
    from .rate_vs_ber import draw_rate_vs_ber
    from .spectral_efficiency import draw_spectral_efficiency, has_link_budget
    from .waterfall import draw_waterfall

    directory = Path(directory)
    data = read_results(directory)
    config = data["config"]
    drawn = Drawn()
    if config.get("kind") == "amc":
        from .amc import draw_scheme_fer, draw_throughput

        plot = config.get("plot") or {}
        options = PlotOptions(size=tuple(plot["size"]) if plot.get("size") else (8.0, 6.5),
                              formats=tuple(plot.get("formats") or ("png",)))
        _figure(drawn, "throughput", directory, options, lambda: draw_throughput(data, options))
        fer_options = PlotOptions(size=(8.0, 5.5), formats=options.formats)
        _figure(drawn, "fer", directory, fer_options, lambda: draw_scheme_fer(data, fer_options))
        return drawn
    if config.get("kind") == "capacity":
        from .capacity_curves import draw_study

        options = PlotOptions(size=(6.5, 5.0))
        _figure(drawn, "capacity_curves", directory, options, lambda: draw_study(data, options))
        return drawn
    rows = [row for row in data["rows"] if row.get("frames", 0) > 0]
    name = config.get("name", directory.name)
    options = PlotOptions.from_config(config.get("plot"))
    if not rows:
        drawn.skipped["ber.png, fer.png"] = "no point has been simulated yet"
        return drawn
    try:
        channel = parse_channel_spec(config["channel"])
        parameter = config["sweep"]["parameter"]
        values = [float(v) for v in config["sweep"]["values"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise ShannonlabError(f"{directory / 'results.json'}: its config cannot be read back ({exc})") from None
    for key in ("ber", "fer"):
        _figure(drawn, key, directory, options,
                lambda key=key: draw_waterfall(rows, channel, parameter, values, key, options, name))
    _figure(drawn, "capacity", directory, options,
            lambda: draw_capacity_plane(rows, channel, parameter, values, options, name))
    if has_link_budget(rows):
        _figure(drawn, "spectral_efficiency", directory, options, lambda: draw_spectral_efficiency(rows, options, name))
    if options.kind == "rate-vs-ber":
        _figure(drawn, "rate_vs_ber", directory, options,
                lambda: draw_rate_vs_ber(rows, channel, parameter, values, options, name))
    if options.kind == "threshold":
        from .exit_chart import draw_threshold_figure

        _figure(drawn, "threshold", directory, options,
                lambda: draw_threshold_figure(rows, channel, parameter, options, name))
    if any(row.get("trajectory") for row in rows):
        from .exit_chart import draw_trajectories

        square = PlotOptions(**{**options.__dict__, "size": (6.5, 6.0)})
        _figure(drawn, "exit_chart", directory, square, lambda: draw_trajectories(rows, parameter, square, name))
    return drawn


def plot_directory(directory: str | Path) -> list[Path]:
    """The files :func:`draw_directory` writes (reasons for skipped figures are dropped)."""
    return draw_directory(directory).written
