"""Figures: one module per kind, over the shared helpers of :mod:`.style`.

* :mod:`.waterfall` — ``ber.png``, ``fer.png``: error rates against the swept parameter;
* :mod:`.capacity_plane` — ``capacity.png``: codes placed at a target BER on the rate plane;
* :mod:`.rate_vs_ber` — ``rate_vs_ber.png``: rate against bit-error probability;
* :mod:`.spectral_efficiency` — ``spectral_efficiency.png``: bit/s/Hz against SNR;
* :mod:`.capacity_curves` — ``capacity_curves.png``: capacity against a channel parameter;
* :mod:`.directory` — everything a results directory calls for (``shannonlab plot DIR``).

Every figure is built with matplotlib's object API, never through pyplot, so nothing here
changes a notebook's backend.
"""

from .directory import Drawn, draw_directory, plot_directory, read_results
from .style import NothingToShow, PlotOptions

__all__ = ["Drawn", "NothingToShow", "PlotOptions", "draw_directory", "plot_directory", "read_results"]
