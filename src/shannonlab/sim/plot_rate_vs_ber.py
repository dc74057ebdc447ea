"""Moved to :mod:`shannonlab.plot.rate_vs_ber` (and the limit itself to
:func:`shannonlab.theory.limits.rate_limit`); this module keeps the old import path working."""

from pathlib import Path
from typing import Any

from ..theory.limits import rate_limit  # noqa: F401


def plot_rate_vs_ber(directory: str | Path, data: dict[str, Any]) -> Path:
    """Draw ``rate_vs_ber.png`` in ``directory`` from its loaded results ``data``."""
    from ..plot.rate_vs_ber import draw_rate_vs_ber
    from ..plot.style import PlotOptions
    from ..registry import parse_channel_spec

    config = data["config"]
    options = PlotOptions.from_config(config.get("plot"))
    figure = draw_rate_vs_ber(data["rows"], parse_channel_spec(config["channel"]), config["sweep"]["parameter"],
                              config["sweep"]["values"], options, config.get("name", Path(directory).name))
    path = Path(directory) / "rate_vs_ber.png"
    figure.savefig(path, dpi=options.dpi)
    return path
