"""A read-only install with a read-only HOME still runs: numba's cache falls back to the
system's temporary directory, with a one-line notice (a real interpreter on a copy of the
package whose directories cannot hold a cache)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import shannonlab


def test_read_only_install_and_home_fall_back_with_one_line(tmp_path):
    copy = tmp_path / "site" / "shannonlab"
    shutil.copytree(Path(shannonlab.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    for directory in [copy, *[p for p in copy.rglob("*") if p.is_dir()]]:
        (directory / "__pycache__").write_text("")  # a file: no cache directory can be made here
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME")}
    env.update(PYTHONPATH=str(copy.parent), HOME=str(blocker / "home"), TMPDIR=str(temp))
    program = ("import numpy as np; from shannonlab.codes.block.repetition import RepetitionCode; "
               "print(RepetitionCode(3).decode(np.array([[1.0, -2.0, -3.0]])).tolist())")
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=300,
                          cwd=tmp_path)
    fallback = temp / f"shannonlab-numba-{os.getuid()}"
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "[[1]]\n"
    assert proc.stderr == (f"shannonlab: compiled kernels are cached in {fallback} (neither the install directory "
                           f"nor {blocker / 'home' / '.cache' / 'numba'} is writable)\n")
    assert any(fallback.rglob("*.nbi"))  # the kernel was cached there
