"""Where chunks of frames run: in this process, or on a pool of local processes.

An executor offers ``submit(fn, *args) -> Future`` and ``wait_first(futures)`` (the
finished and the pending futures, once at least one has finished), and ``workers``, the
number of tasks it runs at once. The engine keeps about two tasks per worker in flight, so
any executor with this interface (a Dask client, say) plugs in unchanged; results never
depend on which executor ran them (see :mod:`.engine`).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from typing import Any, Callable


class InlineExecutor:
    """Runs each task at once in the calling process (workers = 1, no pickling)."""

    workers = 1

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # handed to the caller through the future, like a pool would
            future.set_exception(exc)
        return future

    def wait_first(self, futures):
        return cf.wait(futures, return_when=cf.FIRST_COMPLETED)

    def shutdown(self, cancel: bool = False) -> None:
        pass


def _quiet_worker() -> None:
    # A worker is one core: keep BLAS and numba from starting threads of their own.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        os.environ.setdefault(var, "1")


class LocalPoolExecutor:
    """A pool of ``workers`` local processes (spawned, so no state leaks from the parent)."""

    def __init__(self, workers: int):
        self.workers = int(workers)
        self._pool = cf.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker
        )

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        return self._pool.submit(fn, *args)

    def wait_first(self, futures):
        return cf.wait(futures, return_when=cf.FIRST_COMPLETED)

    def shutdown(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_executor(workers: int | None):
    """The local executor for ``workers`` processes (None: every core)."""
    workers = default_workers() if workers is None else workers
    return InlineExecutor() if workers <= 1 else LocalPoolExecutor(workers)
