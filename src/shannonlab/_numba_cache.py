"""A writable cache for numba's compiled kernels, wherever shannonlab is installed.

numba caches a ``cache=True`` kernel beside its source (``__pycache__``) or in the user's
cache directory (``~/.cache/numba``); when neither is writable (a read-only install with a
read-only HOME) it refuses to define the kernel at all. Before any kernel is defined,
:func:`ensure` checks both and otherwise points ``NUMBA_CACHE_DIR`` at a directory in the
system's temporary space, or, if there is none either, turns caching off (kernels are then
compiled in every process), each with a one-line notice on stderr. Worker processes inherit
the choice through the environment and print nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile


def _writable(path: str) -> bool:
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            return True
    except OSError:
        return False


def _uncached() -> None:
    from numba.core.dispatcher import Dispatcher

    Dispatcher.enable_caching = lambda self: None  # compile in every process instead


def ensure() -> str | None:
    """Make sure numba can cache (see the module docstring); return the notice printed, if any."""
    if os.environ.get("NUMBA_CACHE_DIR") == os.devnull:  # a worker of an uncached run
        _uncached()
        return None
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    beside_sources = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")
    if _writable(beside_sources):
        return None
    user = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "numba")
    if _writable(user):
        return None
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    fallback = os.path.join(tempfile.gettempdir(), f"shannonlab-numba-{uid}")
    if _writable(fallback):
        os.environ["NUMBA_CACHE_DIR"] = fallback
        if "numba" in sys.modules:  # numba read its configuration already
            sys.modules["numba"].config.CACHE_DIR = fallback
        notice = (f"shannonlab: compiled kernels are cached in {fallback} (neither the install directory nor {user} "
                  "is writable)")
    else:
        _uncached()
        os.environ["NUMBA_CACHE_DIR"] = os.devnull  # workers: uncached too, without the notice
        notice = "shannonlab: no writable directory for numba's cache; kernels are compiled in every process"
    print(notice, file=sys.stderr, flush=True)
    return notice
