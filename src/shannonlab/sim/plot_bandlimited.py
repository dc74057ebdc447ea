"""Moved to :mod:`shannonlab.plot.spectral_efficiency` (and the gap to
:func:`shannonlab.theory.limits.gap_to_capacity_db`); this module keeps the old import path working."""

from pathlib import Path
from typing import Any

from ..theory.limits import gap_to_capacity_db  # noqa: F401


def plot_spectral_efficiency(directory: str | Path, data: dict[str, Any]) -> Path:
    """Draw ``spectral_efficiency.png`` in ``directory`` from its loaded results ``data``."""
    from ..plot.spectral_efficiency import draw_spectral_efficiency
    from ..plot.style import PlotOptions

    config = data["config"]
    options = PlotOptions.from_config(config.get("plot"))
    figure = draw_spectral_efficiency(data["rows"], options, config.get("name", Path(directory).name))
    path = Path(directory) / "spectral_efficiency.png"
    figure.savefig(path, dpi=options.dpi)
    return path
