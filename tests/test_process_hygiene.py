"""A stopped run leaves no process behind and says so in one line (real processes, real
signals): SIGTERM and SIGHUP checkpoint like Ctrl-C and exit 143 / 129, SIGKILL takes the
pool workers and the resource tracker with it (nothing keeps the terminal's pipe open), and
Ctrl-C while the workers are still starting prints one line, no worker traceback."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

#: A run that keeps two workers busy until it is stopped.
ENDLESS = {
    "name": "endless",
    "seed": 3,
    "channel": {"type": "awgn"},
    "sweep": {"parameter": "ebn0_db", "values": [0.0]},
    "codes": [{"type": "uncoded", "k": 256}],
    "stop": {"min_frame_errors": 10_000_000, "max_frames": 10_000_000},
    "execution": {"workers": 2, "chunk_frames": 64},
}


def _start(tmp_path: Path, *extra: str) -> subprocess.Popen:
    config = tmp_path / "endless.yaml"
    config.write_text(yaml.safe_dump(ENDLESS))
    command = [sys.executable, "-m", "shannonlab.cli", "run", str(config), "--out", str(tmp_path / "out"), *extra]
    # a session of its own, as a terminal would give it; stdout is a pipe like `| tee`
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=tmp_path)


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == sid and fields[0] != "Z":  # fields: state, ppid, pgrp, session
            alive.append(int(entry.name))
    return alive


def _wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _workers(sid: int) -> int:
    return sum(1 for pid in _session(sid)
               if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes())


def _simulating(proc: subprocess.Popen, out: Path) -> None:
    _wait_for(lambda: (out / "checkpoint.json").exists() or proc.poll() is not None, 240, "a checkpoint")
    assert proc.poll() is None, proc.communicate()
    assert _workers(proc.pid) == 2


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_checkpoint_and_exit_like_ctrl_c(tmp_path, signum, status):
    proc = _start(tmp_path)
    _simulating(proc, tmp_path / "out")
    os.kill(proc.pid, signum)
    stdout, stderr = proc.communicate(timeout=120)  # returns once nobody holds the pipes
    assert proc.returncode == status
    name = signal.Signals(signum).name
    assert stderr.splitlines()[-1] == (f"interrupted ({name}): finished points and chunks are kept in "
                                       f"{tmp_path / 'out'}; run the same command again to resume")
    assert "Traceback" not in stderr
    saved = json.loads((tmp_path / "out" / "checkpoint.json").read_text())
    state = saved["state"]  # the interruption kept the chunks finished (in order or not)
    assert state["counts"]["frames"] + sum(chunk["frames"] for chunk in state["finished"]) > 0
    _wait_for(lambda: not _session(proc.pid), 30, "the workers to end")


def test_sigkill_leaves_no_worker_and_no_resource_tracker(tmp_path):
    proc = _start(tmp_path)
    _simulating(proc, tmp_path / "out")
    members = _session(proc.pid)
    assert len(members) >= 4  # the run, two workers, the resource tracker
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)  # EOF on stdout and stderr: no orphan holds them open
    _wait_for(lambda: not _session(proc.pid), 30, "every process of the run to end")
    assert proc.returncode == -signal.SIGKILL


def test_ctrl_c_while_workers_start_prints_one_line(tmp_path):
    proc = _start(tmp_path)
    _wait_for(lambda: _workers(proc.pid) >= 1 or proc.poll() is not None, 240, "the pool to start")
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: the whole foreground group
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.splitlines()[-1].startswith("interrupted (SIGINT)")
    assert [line for line in stderr.splitlines() if "interrupted" in line] == [stderr.splitlines()[-1]]
    _wait_for(lambda: not _session(proc.pid), 30, "the workers to end")
