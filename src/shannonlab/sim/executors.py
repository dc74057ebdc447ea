"""Where chunks of frames run: in this process, on a pool of local processes, or on a Dask
cluster.

An executor offers ``submit(fn, *args) -> Future`` and ``wait_first(futures)`` (the
finished and the pending futures, once at least one has finished), ``workers`` (the number
of tasks it runs at once), ``recover(exc)`` (True when ``exc`` means a lost worker and the
task may be submitted again) and ``shutdown(cancel)``. The engine keeps about two tasks per
worker in flight; results never depend on which executor ran them (see :mod:`.engine`).

* :class:`InlineExecutor` -- the calling process (``workers: 1``);
* :class:`LocalPoolExecutor` -- spawned local processes, the default (every core); they
  die with the process that started them (a parent-death signal on Linux, a watch thread
  elsewhere), so a killed run (even ``kill -9``) leaves no worker behind, and they ignore
  Ctrl-C (only the parent reports an interruption, in one line);
* :class:`DaskExecutor` -- a Dask ``distributed`` cluster (``execution: {backend: dask,
  scheduler: "tcp://HOST:8786"}``), or a ``LocalCluster`` it starts when no scheduler is
  given. ``distributed`` is the optional extra ``dask`` (``pip install -e ".[dask]"`` in a clone).

Tasks carry the code *spec* (a few hundred bytes), never a built code: each worker process
builds a spec once and keeps it (:func:`.engine._resolve_code`), and numba kernels compile
once per machine (``cache=True``) and load once per worker process.

>>> ex = make_executor(1)
>>> ex.submit(pow, 2, 10).result(), ex.workers
(1024, 1)
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from ..errors import ShannonlabError

#: The one line printed when ``backend: dask`` is asked for without ``distributed``.
MISSING_DASK = (
    "execution.backend: dask needs the 'distributed' package; install it with "
    'pip install -e ".[dask]" in your clone of shannonlab (or pip install distributed)'
)
#: Seconds to wait for a Dask scheduler before giving up (YAML ``execution.connect_timeout``).
CONNECT_TIMEOUT = 20.0
#: Environment of every worker process: one core each, no hidden thread pools.
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}


class InlineExecutor:
    """Runs each task at once in the calling process (workers = 1, no pickling)."""

    workers = 1
    #: Tasks the engine keeps in flight per worker: a task here runs inside ``submit``, so a
    #: second one would only be work done before the stop rule is checked again.
    tasks_per_worker = 1

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # handed to the caller through the future, like a pool would
            future.set_exception(exc)
        return future

    def wait_first(self, futures):
        return cf.wait(futures, return_when=cf.FIRST_COMPLETED)

    def recover(self, exc: BaseException) -> bool:
        return False

    def shutdown(self, cancel: bool = False) -> None:
        pass


#: The warning filter that keeps the resource tracker of a killed run quiet.
_QUIET_TRACKER = "ignore:resource_tracker:UserWarning"
#: prctl(2) option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends: the kernel's parent-death signal on Linux,
    else a thread that watches the parent id (a worker of a dead run is reparented)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the call
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _quiet_worker(parent: int | None = None) -> None:
    """Set up a pool worker: it ignores Ctrl-C (the parent alone reports an interruption
    and cancels its tasks), dies with its parent, and is one core (no BLAS or numba
    threads of its own)."""
    started = time.time()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while it was spawned
    if parent is not None:
        _die_with_parent(parent)
    for var, value in SINGLE_THREAD_ENV.items():
        os.environ.setdefault(var, value)
    from . import engine

    engine.WORKER_STARTED.append(started)  # its first task counts its start-up as setup


class LocalPoolExecutor:
    """A pool of ``workers`` local processes (spawned, so no state leaks from the parent).

    A worker process that dies (killed, out of memory) breaks a Python process pool; the
    pool is then started again and the lost tasks are submitted again (:meth:`recover`).
    """

    def __init__(self, workers: int):
        self.workers = int(workers)
        # multiprocessing's resource tracker outlives a killed run by a moment and then warns
        # about the pool's semaphores on the terminal; it takes its warning filters from here
        if _QUIET_TRACKER not in sys.warnoptions:
            sys.warnoptions.append(_QUIET_TRACKER)
        self._pool = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker,
            initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        # The pool starts its processes inside submit. They inherit this thread's signal
        # mask: with SIGINT blocked, a Ctrl-C while they still import cannot interrupt them
        # (and print their tracebacks); here it waits until the mask is restored.
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            return self._pool.submit(fn, *args)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def wait_first(self, futures):
        return cf.wait(futures, return_when=cf.FIRST_COMPLETED)

    def recover(self, exc: BaseException) -> bool:
        if not isinstance(exc, BrokenProcessPool):
            return False
        if getattr(self._pool, "_broken", False):  # the first lost task restarts the pool
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
        return True

    def shutdown(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)

    def abort(self) -> None:
        """Stop now (an interruption): end the workers instead of waiting for the tasks they
        run, or for their start-up if they are still importing."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)


class SchedulerLost(ShannonlabError):
    """The Dask scheduler went away during a run (the finished chunks are checkpointed)."""


def _shannonlab_version() -> str:
    from .. import __version__

    return __version__


class DaskExecutor:
    """Tasks run on a Dask ``distributed`` cluster.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without it a
    ``LocalCluster`` of ``workers`` single-threaded processes (default: every core) is
    started on 127.0.0.1 and closed again by :meth:`shutdown`. ``workers`` is the number
    of worker threads the scheduler currently knows (refreshed every few seconds, so
    workers joining or leaving during a run are used).

    A worker that dies costs only the tasks it was running: the scheduler runs them again
    elsewhere (and a ``LocalCluster``'s nanny restarts the worker). Results are the same
    as on any other executor.
    """

    #: Wall time a task aims for: a little longer than locally, for the network round trip.
    task_seconds = 0.25
    #: Seconds between two questions to the scheduler about its workers.
    REFRESH_SECONDS = 5.0

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        dashboard: bool = True,
    ):
        try:
            import distributed
        except ImportError:
            raise ShannonlabError(MISSING_DASK) from None
        self._distributed = distributed
        self.cluster = None
        self.scheduler = scheduler
        self.wait_timeout: float | None = None
        if scheduler is None:
            with warnings.catch_warnings():  # "port 8787 in use": another port is taken, describe() names it
                warnings.simplefilter("ignore", UserWarning)
                self.cluster = self._local_cluster(distributed, workers, dashboard)
            self.client = distributed.Client(self.cluster, set_as_default=False)
        else:
            # a lost scheduler is reported in one line (SchedulerLost), not as client log records
            logging.getLogger("distributed.client").setLevel(logging.CRITICAL)
            self.client = self._connect(scheduler, connect_timeout)
        self._check_versions()
        self._workers = 1
        self._refreshed = -float("inf")

    @staticmethod
    def _local_cluster(distributed, workers: int | None, dashboard: bool):
        return distributed.LocalCluster(
            n_workers=workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:8787" if dashboard else None,
            silence_logs=logging.CRITICAL,  # worker tracebacks at shutdown are noise; task errors reach us
            env=dict(SINGLE_THREAD_ENV),
        )

    def _connect(self, address: str, timeout: float):
        try:
            return self._distributed.Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = "no answer" if isinstance(exc, (OSError, TimeoutError)) else str(exc).splitlines()[0]
            raise ShannonlabError(
                f"execution.scheduler: cannot reach the Dask scheduler at {address} within {timeout:g} s ({reason}); "
                f"start one with `dask scheduler` and workers with `dask worker {address}`, or fix the address"
            ) from None

    def _check_versions(self) -> None:
        """Every worker must run the shannonlab this client runs (same code, same numbers)."""
        mine = _shannonlab_version()
        try:
            theirs = self.client.run(_shannonlab_version)
        except Exception as exc:  # e.g. a worker that cannot import shannonlab
            self.shutdown()
            raise ShannonlabError(
                f"execution.scheduler: a Dask worker cannot run shannonlab ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}); install shannonlab {mine} on every worker"
            ) from None
        wrong = {addr: v for addr, v in theirs.items() if v != mine}
        if wrong:
            addr, version = next(iter(wrong.items()))
            self.shutdown()
            raise ShannonlabError(
                f"execution.scheduler: worker {addr} runs shannonlab {version}, this client {mine}; "
                "install the same version on every worker"
            )

    @property
    def workers(self) -> int:
        now = time.monotonic()
        if now - self._refreshed > self.REFRESH_SECONDS:
            self._workers = max(1, sum(self.client.nthreads().values()))
            self._refreshed = now
        return self._workers

    @property
    def dashboard_link(self) -> str | None:
        try:
            return self.client.dashboard_link if "dashboard" in self.client.scheduler_info().get("services", {}) else None
        except Exception:
            return None

    def describe(self) -> str:
        """One line for the start of a run: where, how many workers, the dashboard."""
        where = f"scheduler {self.client.scheduler.address}" if self.cluster is None else "LocalCluster"
        nthreads = self.client.nthreads()
        link = self.dashboard_link
        return (f"dask: {where}, {len(nthreads)} workers ({sum(nthreads.values())} threads)"
                + (f", dashboard {link}" if link else ""))

    def _lost(self, exc: BaseException) -> SchedulerLost | None:
        """A :class:`SchedulerLost` when ``exc`` means the scheduler is gone, else None."""
        gone = "scheduler-connection-lost" in str(exc) or getattr(self.client, "status", "running") != "running"
        if not gone:
            return None
        where = self.scheduler or "the LocalCluster"
        return SchedulerLost(f"lost the Dask scheduler at {where}")

    def submit(self, fn: Callable, *args: Any):
        # pure=False: every task is new (no key deduplication, no hashing of the arguments)
        try:
            return self.client.submit(fn, *args, pure=False)
        except Exception as exc:
            lost = self._lost(exc)
            if lost is None:
                raise
            raise lost from None

    def wait_first(self, futures):
        try:
            with self.client.as_current():  # wait() looks for "the current client"
                return self._distributed.wait(futures, timeout=self.wait_timeout, return_when="FIRST_COMPLETED")
        except Exception as exc:
            lost = self._lost(exc)
            if lost is None:
                raise
            raise lost from None

    def recover(self, exc: BaseException) -> bool:
        # Dask itself reruns the tasks of a dead worker. What reaches us is a future lost
        # with its scheduler connection (cancelled) or a closed comm: submit it again,
        # unless the scheduler itself is gone.
        from distributed.comm.core import CommClosedError

        lost = self._lost(exc)
        if lost is not None:
            raise lost from None
        return isinstance(exc, (cf.CancelledError, CommClosedError))

    def shutdown(self, cancel: bool = False) -> None:
        try:
            self.client.close(timeout=5)
        except Exception:  # a scheduler that is gone: nothing to close
            pass
        finally:
            if self.cluster is not None:
                self.cluster.close()


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_executor(
    workers: int | None = None,
    backend: str = "local",
    scheduler: str | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
):
    """The executor for ``backend`` (``local``: ``workers`` processes, None = every core;
    ``dask``: the scheduler at ``scheduler``, or a LocalCluster of ``workers`` processes)."""
    if backend == "dask":
        return DaskExecutor(scheduler=scheduler, workers=workers, connect_timeout=connect_timeout)
    workers = default_workers() if workers is None else workers
    return InlineExecutor() if workers <= 1 else LocalPoolExecutor(workers)
