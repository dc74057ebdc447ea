"""Scale-out: the same numbers on one process, a local pool and a Dask cluster; lost
workers, interruptions and out-of-order completion change nothing; clear one-line errors."""

from __future__ import annotations

import concurrent.futures as cf
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
import yaml

from shannonlab.channels import AWGN, BSC
from shannonlab.cli import main
from shannonlab.codes.uncoded import Uncoded, UncodedSpec
from shannonlab.sim import engine
from shannonlab.sim.config import resolve
from shannonlab.sim.engine import StopRule, run_chunks, simulate_point
from shannonlab.sim.executors import MISSING_DASK, InlineExecutor, LocalPoolExecutor
from shannonlab.sim.sweep import run_experiment

from shannonlab.sim.executors import DaskExecutor

try:
    import distributed
except ImportError:  # the test extra installs it; without it only the Dask tests are skipped
    distributed = None
needs_dask = pytest.mark.skipif(distributed is None, reason="distributed is not installed")

EXPERIMENT = {
    "name": "scaleout",
    "seed": 11,
    "channel": {"type": "awgn"},
    "sweep": {"parameter": "ebn0_db", "values": [0.0, 4.0, 6.0, 7.0]},
    "codes": [{"type": "uncoded", "k": 64}, {"type": "uncoded", "k": 24, "label": "short"}],
    "stop": {"min_frame_errors": 150, "max_frames": 6000},
    "execution": {"chunk_frames": 16},
}
#: Everything a row's numbers are made of (not seconds nor speed).
NUMBERS = ("code", "value", "frames", "frame_errors", "bits", "bit_errors", "ber", "ber_low", "ber_high",
           "fer", "fer_low", "fer_high")


def _rows(directory):
    with open(directory / "results.csv") as handle:
        csv_rows = [{k: r[k] for k in NUMBERS} for r in csv.DictReader(handle)]
    extra = [(r["chunks"], r["bit_errors_sq"], r["stopped_by"]) for r in json.loads((directory / "results.json").read_text())["rows"]]
    return csv_rows, extra


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    run_experiment(resolve(EXPERIMENT), out=out, workers=1, quiet=True)
    rows = _rows(out)
    assert {s for _, _, s in rows[1]} == {"min_frame_errors", "max_frames"}  # both stop rules are exercised
    return rows


def _worker_builds():
    return sorted(engine._BUILT_CODES)


@needs_dask
def test_one_process_a_pool_and_a_local_cluster_give_identical_rows(reference, tmp_path):
    run_experiment(resolve(EXPERIMENT), out=tmp_path / "pool", workers=2, quiet=True)
    assert _rows(tmp_path / "pool") == reference
    dask = DaskExecutor(workers=2, dashboard=False)
    dask.wait_timeout = 60
    try:
        assert dask.workers == 2
        run_experiment(resolve(EXPERIMENT), out=tmp_path / "dask", executor=dask, quiet=True)
        # each worker process built each code spec at most once for its many tasks
        builds = dask.client.run(_worker_builds)
    finally:
        dask.shutdown()
    assert _rows(tmp_path / "dask") == reference
    assert len(builds) == 2 and all(len(b) == len(set(b)) <= 2 for b in builds.values())


class KillOneWorker:
    """A DaskExecutor that SIGKILLs a worker busy with chunks the first time it waits."""

    def __init__(self, inner):
        self.inner, self.killed = inner, None
        self.task_seconds = 0.02  # many small tasks: plenty in flight when the worker dies

    @property
    def workers(self):
        return self.inner.workers

    def submit(self, fn, *args):
        return self.inner.submit(fn, *args)

    def wait_first(self, futures):
        if self.killed is None:  # at the first wait that finds a worker with chunks to run
            client = self.inner.client
            busy = [addr for addr, keys in client.processing().items() if keys]
            if busy:
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                self.killed = pid
        return self.inner.wait_first(futures)

    def recover(self, exc):
        return self.inner.recover(exc)


@needs_dask
def test_a_killed_dask_worker_does_not_change_the_result(reference, tmp_path):
    dask = DaskExecutor(workers=2, dashboard=False)
    dask.wait_timeout = 60
    killer = KillOneWorker(dask)
    try:
        run_experiment(resolve(EXPERIMENT), out=tmp_path / "killed", executor=killer, quiet=True)
        pids = set(dask.client.run(os.getpid).values())
    finally:
        dask.shutdown()
    assert killer.killed is not None and killer.killed not in pids  # it really died (the nanny restarted it)
    assert _rows(tmp_path / "killed") == reference


def test_a_killed_pool_process_does_not_change_the_result():
    code, channel, stop = Uncoded(64), AWGN(ebn0_db=5.0), StopRule(min_frame_errors=300, max_frames=10**6)
    seed = np.random.SeedSequence(entropy=5, spawn_key=(1,))
    inline = simulate_point(code, channel, stop, seed, chunk_frames=8)
    pool = LocalPoolExecutor(1)  # one process: the cheapest pool to break and start again
    pool.task_seconds = 0.01
    original_wait, killed = pool.wait_first, []

    def wait_and_kill(futures):
        if not killed:
            cf.wait(futures[:1])  # the pool's processes are up
            victim = next(iter(pool._pool._processes.values()))
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.pid)
        return original_wait(futures)

    pool.wait_first = wait_and_kill
    try:
        pooled = simulate_point(code, channel, stop, seed, executor=pool, chunk_frames=8, code_ref=UncodedSpec(k=64))
    finally:
        pool.shutdown(cancel=True)
    assert killed
    assert (pooled.frames, pooled.frame_errors, pooled.bit_errors, pooled.bit_errors_sq, pooled.chunks) == (
        inline.frames, inline.frame_errors, inline.bit_errors, inline.bit_errors_sq, inline.chunks)


class Deferred:
    """Runs nothing at submit; each wait finishes the most recently submitted task first,
    so chunks complete in the worst (reversed) order."""

    def __init__(self, workers):
        self.workers, self.pending, self.submitted = workers, [], []
        self.task_seconds = 1e-9  # one chunk per task

    def submit(self, fn, *args):
        future = cf.Future()
        self.pending.append((future, fn, args))
        self.submitted.append((args[3], args[4]))
        return future

    def wait_first(self, futures):
        live = [p for p in self.pending if p[0] in futures and not p[0].cancelled()]
        future, fn, args = live[-1]
        self.pending.remove(live[-1])
        future.set_result(fn(*args))
        return {future}, set(futures) - {future}

    def recover(self, exc):
        return False


def test_reversed_completion_gives_the_same_prefix_and_stops_asking_early():
    code, channel, stop = Uncoded(32), BSC(0.01), StopRule(min_frame_errors=40, max_frames=10**6)
    seed = np.random.SeedSequence(entropy=3, spawn_key=(2,))
    inline = simulate_point(code, channel, stop, seed, chunk_frames=4)
    deferred = Deferred(workers=8)
    out_of_order = simulate_point(code, channel, stop, seed, executor=deferred, chunk_frames=4)
    for name in ("frames", "frame_errors", "bit_errors", "bit_errors_sq", "chunks", "stopped_by"):
        assert getattr(out_of_order, name) == getattr(inline, name), name
    j = inline.chunks - 1
    assert out_of_order.discarded_chunks > 0  # chunks above j finished, and were not counted
    # once the target is known to be met, no chunk beyond it is asked for: at most the
    # 16 tasks in flight at that moment lie beyond j
    assert max(first for first, _ in deferred.submitted) <= j + 2 * deferred.workers


def _recording(inner, interrupt_at=None):
    class Recording:
        workers = inner.workers
        task_seconds = 1e-9
        submitted: list[tuple[int, int]] = []
        waits = 0

        def submit(self, fn, *args):
            if fn is run_chunks:  # not the warm-up tasks before the first point
                self.submitted.append((args[3], args[4]))
            return inner.submit(fn, *args)

        def wait_first(self, futures):
            Recording.waits += 1
            if interrupt_at is not None and Recording.waits == interrupt_at:
                raise KeyboardInterrupt
            return inner.wait_first(futures)

        def recover(self, exc):
            return False

        def shutdown(self, cancel=False):
            pass

    return Recording()


@pytest.mark.parametrize("interrupt_at", [3, 30])  # in the first point (no results.json yet), in the third
def test_an_interrupted_point_resumes_from_its_finished_chunks(reference, tmp_path, interrupt_at):
    out = tmp_path / "out"
    interrupted = _recording(InlineExecutor(), interrupt_at=interrupt_at)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(resolve(EXPERIMENT), out=out, executor=interrupted, quiet=True)
    saved = json.loads((out / "checkpoint.json").read_text())
    prefix = saved["state"]["prefix"]
    assert prefix >= 2 and saved["state"]["counts"]["chunks"] == prefix
    resumed = _recording(InlineExecutor())
    run_experiment(resolve(EXPERIMENT), out=out, executor=resumed, quiet=True)
    assert not (out / "checkpoint.json").exists()
    assert _rows(out) == reference  # the numbers of an uninterrupted run
    # the first point simulated again started where the checkpoint stopped
    assert resumed.submitted[0] == (prefix, 1)


def test_periodic_checkpoints_and_out_of_order_chunks_resume_exactly(monkeypatch):
    code, channel, stop = Uncoded(48), AWGN(ebn0_db=4.0), StopRule(min_frame_errors=120, max_frames=10**6)
    seed = np.random.SeedSequence(entropy=9, spawn_key=(4,))
    full = simulate_point(code, channel, stop, seed, chunk_frames=4)
    monkeypatch.setattr(engine, "CHECKPOINT_SECONDS", 0.0)
    states = []
    simulate_point(code, channel, stop, seed, executor=_recording(InlineExecutor()), chunk_frames=4,
                   on_checkpoint=states.append)
    assert len(states) > 5
    middle = json.loads(json.dumps(states[len(states) // 2]))  # as stored on disk
    # plus two chunks finished out of order beyond the prefix, as a pool may leave them
    extra, _ = run_chunks(code, channel, seed, middle["prefix"] + 2, 2, 4, stop.max_frames)
    middle["finished"] = [vars(c) for c in extra]
    resumed_executor = _recording(InlineExecutor())
    resumed = simulate_point(code, channel, stop, seed, executor=resumed_executor, chunk_frames=4, checkpoint=middle)
    for name in ("frames", "frame_errors", "bit_errors", "bit_errors_sq", "chunks", "ber_high"):
        assert getattr(resumed, name) == getattr(full, name), name
    asked = {first for first, _ in resumed_executor.submitted}
    assert min(asked) == middle["prefix"] and not asked & {middle["prefix"] + 2, middle["prefix"] + 3}
    # a checkpoint made with other chunk sizes is not used (the point starts over, same numbers)
    other = simulate_point(code, channel, stop, seed, chunk_frames=4, checkpoint=dict(middle, chunk_frames=5))
    assert (other.frames, other.bit_errors) == (full.frames, full.bit_errors)


def test_fresh_starts_over_at_once_and_stale_checkpoints_go(reference, tmp_path):
    out = tmp_path / "out"
    run_experiment(resolve(EXPERIMENT), out=out, workers=1, quiet=True)
    with pytest.raises(KeyboardInterrupt):  # --fresh, interrupted in its first point
        run_experiment(resolve(EXPERIMENT), out=out, executor=_recording(InlineExecutor(), interrupt_at=2),
                       fresh=True, quiet=True)
    assert _rows(out)[0] == [] and (out / "checkpoint.json").exists()
    run_experiment(resolve(EXPERIMENT), out=out, workers=1, quiet=True)
    assert _rows(out) == reference and not (out / "checkpoint.json").exists()
    # a checkpoint of a point that is already stored is dropped when the directory is opened
    stored = json.loads((out / "results.json").read_text())["rows"][0]
    (out / "checkpoint.json").write_text(json.dumps(
        {"owner": {"kind": "simulation", "name": EXPERIMENT["name"]}, "point_id": stored["point_id"], "state": {}}))
    run_experiment(resolve(EXPERIMENT), out=out, workers=1, quiet=True)
    assert not (out / "checkpoint.json").exists()


def _write(tmp_path, execution):
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(dict(EXPERIMENT, execution=execution)))
    return path


def test_missing_distributed_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    out = tmp_path / "out"
    assert main(["run", str(_write(tmp_path, {"backend": "dask"})), "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err == f"error: {MISSING_DASK}\n"
    assert MISSING_DASK == ('execution.backend: dask needs the \'distributed\' package; install it with '
                            'pip install -e ".[dask]" in your clone of shannonlab (or pip install distributed)')
    assert not out.exists()


@needs_dask
def test_unreachable_scheduler_is_one_line(tmp_path, capsys):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    out = tmp_path / "out"
    config = _write(tmp_path, {"backend": "dask", "scheduler": address, "connect_timeout": 1})
    assert main(["run", str(config), "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        f"error: execution.scheduler: cannot reach the Dask scheduler at {address} within 1 s (no answer); "
        f"start one with `dask scheduler` and workers with `dask worker {address}`, or fix the address\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    "execution, message",
    [
        ({"scheduler": "tcp://127.0.0.1:8786"}, "execution.scheduler: is only used with backend: dask"),
        ({"backend": "dask", "scheduler": "tcp://127.0.0.1:8786", "workers": 2},
         "execution.workers: is not used with a scheduler (the cluster's workers run the chunks); remove one of them"),
        ({"backend": "dask", "scheduler": "tcp://127.0.0.1 :8786"},
         "execution.scheduler: must be a scheduler address like tcp://host:8786, got 'tcp://127.0.0.1 :8786'"),
        ({"backend": "ray"}, "execution.backend: must be one of 'local' or 'dask', got 'ray'"),
    ],
)
def test_execution_errors_are_one_line(tmp_path, capsys, execution, message):
    assert main(["run", str(_write(tmp_path, execution)), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert capsys.readouterr().err == f"error: {message}\n"


def test_workers_flag_with_a_scheduler_is_refused(tmp_path, capsys):
    config = _write(tmp_path, {})
    assert main(["run", str(config), "--dask", "tcp://127.0.0.1:8786", "--workers", "2", "--quiet"]) == 2
    assert capsys.readouterr().err == (
        "error: --workers: not used with --dask SCHEDULER (the cluster's workers run the chunks)\n")


def test_chunk_frames_is_part_of_the_config_hash():
    base = resolve(EXPERIMENT)
    assert resolve(dict(EXPERIMENT, execution={"chunk_frames": 16, "workers": 3})).config_hash() == base.config_hash()
    assert resolve(dict(EXPERIMENT, execution={"chunk_frames": 8})).config_hash() != base.config_hash()
    assert resolve(dict(EXPERIMENT, execution={})).config_hash() != base.config_hash()


@needs_dask
def test_a_lost_scheduler_ends_in_one_line_with_the_rerun_hint(tmp_path):
    """A real scheduler and worker; the scheduler is killed while the run simulates."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="3s")
    dask = [sys.executable, "-m", "distributed.cli"]
    scheduler = subprocess.Popen([*dask[:2], "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                                  str(port), "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=env)
    worker = subprocess.Popen([*dask[:2], "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        config = tmp_path / "exp.yaml"
        config.write_text(yaml.safe_dump(dict(EXPERIMENT, stop={"min_frame_errors": 10**7, "max_frames": 10**7},
                                              execution={"chunk_frames": 16})))
        out = tmp_path / "out"
        run = subprocess.Popen([sys.executable, "-m", "shannonlab.cli", "run", str(config), "--out", str(out), "--dask",
                                address], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 240
        while not (out / "checkpoint.json").exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert run.poll() is None, run.communicate()
        scheduler.kill()
        _, stderr = run.communicate(timeout=240)
    finally:
        for process in (scheduler, worker):
            process.kill()
            process.wait()
    assert run.returncode == 2
    assert stderr.splitlines()[-1] == (
        f"error: lost the Dask scheduler at {address}: finished points and chunks are kept in "
        f"{out.resolve()}; run the same command again to resume once a scheduler is back")
    assert "Traceback" not in stderr and (out / "checkpoint.json").exists()
