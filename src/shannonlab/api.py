"""The few functions most users need, importable from the top: ``import shannonlab as sl``.

Experiments run from a mapping (the YAML as a dict) or a file and return their rows;
capacities are asked by the name of a channel's capacity model (``shannonlab list``).

Example
-------
>>> import shannonlab as sl
>>> round(sl.capacity("bsc", p=0.11), 3)
0.5
>>> rows = sl.run_experiment({"name": "demo", "seed": 1, "channel": {"type": "bsc"},
...                           "sweep": {"parameter": "p", "values": [0.05]},
...                           "codes": [{"type": "repetition", "n": 3}],
...                           "stop": {"min_frame_errors": 20, "max_frames": 20000}})
>>> [(row["code"], row["value"], row["frames"] > 0) for row in rows]
[('repetition R3', 0.05, True)]
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .errors import ShannonlabError


def run_experiment(config: dict[str, Any] | str | Path, out: str | Path | None = None, workers: int | None = 1,
                   fresh: bool = False, quiet: bool = True, plot: bool = False) -> list[dict[str, Any]]:
    """Run (or resume) an experiment of any kind and return its rows.

    ``config`` is a YAML file path or the mapping a file would hold. ``out`` is the results
    directory (default: ``output.dir`` of the config when it names one, else a temporary
    directory removed afterwards); ``workers`` processes (1 runs in this process, None every
    core); ``plot`` draws the figures into ``out`` as ``shannonlab run`` does. The rows are
    those of ``results.json``: one per code and point (or per capacity of a study).
    """
    from .sim.capacity_study import CapacityStudy, load_file, resolve_study, run_study
    from .sim.config import resolve
    from .sim.sweep import run_experiment as run_sweep

    if isinstance(config, (str, Path)):
        item = load_file(config)
    elif isinstance(config, dict):
        item = resolve_study(config) if config.get("kind") == "capacity" else resolve(config)
    else:
        raise ShannonlabError(f"config: must be a mapping or a path to a YAML file, got {type(config).__name__}")
    named = item.output.dir if isinstance(item, CapacityStudy) else item.experiment.output.dir
    with tempfile.TemporaryDirectory(prefix="shannonlab-") as scratch:
        directory = Path(out if out is not None else named or scratch)
        if isinstance(item, CapacityStudy):
            rows = run_study(item, directory, quiet=quiet)
        else:
            rows = run_sweep(item, out=directory, workers=workers, fresh=fresh, quiet=quiet).rows
        if plot:
            from .plot import draw_directory

            draw_directory(directory)
    return rows


def capacity(name: str, rate: float = 1.0, **parameter: float) -> float:
    """Capacity in bits per channel use of the capacity model ``name`` (``bsc``, ``bec``, ``z``,
    ``awgn``/``gaussian``, ``biawgn``, ...) at one parameter given by keyword (``p=0.11``,
    ``epsilon=0.3``, ``snr_db=0``, ``esn0_db=0``, ``ebn0_db=1`` with ``rate``).

    >>> round(capacity("biawgn", esn0_db=0.0), 4), capacity("awgn", snr_db=0.0)
    (0.7215, 0.5)
    """
    from .registry import capacity_model

    spec, model = capacity_model(name, where="name")
    if len(parameter) != 1:
        raise ShannonlabError(f"{name}: give exactly one of {', '.join(model.parameters)} as a keyword")
    (key, value), = parameter.items()
    if key not in model.parameters:
        raise ShannonlabError(f"{key}: {name} takes one of {', '.join(model.parameters)}")
    try:
        return spec.model_capacity(name, key, float(value), rate)
    except ValueError as exc:
        raise ShannonlabError(str(exc)) from None
