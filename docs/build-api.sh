#!/usr/bin/env bash
# The API reference in docs/api/ from the docstrings, with pdoc (pip install -e ".[docs]").
# pdoc because it needs no configuration or site generator: it imports the package, reads
# numpy-style docstrings and LaTeX math as they are, and writes static HTML that can be
# committed and opened from a clone. Modules that only keep an old import path are left out.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=$(python - <<'PY'
import pkgutil
import shannonlab
old_paths = {"channels.capacity", "channels.blahut_arimoto", "channels.rate_distortion", "sim.plot",
             "sim.plot_rate_vs_ber", "sim.plot_bandlimited", "sim.registry", "sim.validation", "capacity_cli",
             "cli.__main__"}
names = [m.name for m in pkgutil.walk_packages(shannonlab.__path__, "shannonlab.")
         if m.name.removeprefix("shannonlab.") not in old_paths]
print(" ".join(["shannonlab", *names]))
PY
)
rm -rf docs/api
python -m pdoc -d numpy --math --no-search --no-show-source -o docs/api $modules 2>&1 | grep -v "has already been added" || true
