"""A results directory belongs to one experiment and to one run at a time: a second run
refuses at once naming the holder's PID, another experiment's results, checkpoint or a
foreign results.csv are never overwritten (by either kind of experiment), an unwritable
directory is found before anything is simulated, and temporary files of a killed run go."""

import json
import os
import subprocess
import sys

import pytest
import yaml

from shannonlab.cli import main
from shannonlab.sim.results import DirectoryLock

TINY = {
    "name": "tiny",
    "seed": 7,
    "channel": {"type": "bsc"},
    "sweep": {"parameter": "p", "values": [0.1]},
    "codes": [{"type": "uncoded", "k": 32}],
    "stop": {"min_frame_errors": 20, "max_frames": 2000},
    "execution": {"workers": 1},
}
STUDY = {"kind": "capacity", "name": "tiny", "curves": [{"channel": "bsc", "values": [0.1]}]}


def _write(tmp_path, config, name="exp.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    return path


def test_a_second_run_refuses_at_once_naming_the_holder(tmp_path):
    out = tmp_path / "out"
    config = _write(tmp_path, TINY)
    with DirectoryLock(out):  # this process is the run in progress
        proc = subprocess.run([sys.executable, "-m", "shannonlab.cli", "run", str(config), "--out", str(out)],
                              capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr == (f"error: {out}: another shannonlab run (PID {os.getpid()}) is writing there; wait for "
                           "it to finish or use --out DIR\n")
    assert sorted(p.name for p in out.iterdir()) == []  # nothing written, the lock file gone with its holder
    assert main(["run", str(config), "--out", str(out), "--quiet"]) == 0  # free again


@pytest.mark.parametrize("first, second", [(TINY, STUDY), (STUDY, TINY), (TINY, dict(TINY, name="other"))])
def test_another_experiment_never_takes_a_directory_over(tmp_path, capsys, first, second):
    out = tmp_path / "out"
    assert main(["run", str(_write(tmp_path, first, "a.yaml")), "--out", str(out), "--quiet"]) == 0
    before = (out / "results.json").read_text()
    assert main(["run", str(_write(tmp_path, second, "b.yaml")), "--out", str(out), "--quiet"]) == 2
    kind = first.get("kind", "simulation")
    assert capsys.readouterr().err == (
        f"error: {out} holds the results of {kind} experiment '{first['name']}', not of "
        f"{second.get('kind', 'simulation')} experiment '{second['name']}'; use --out DIR for a new directory or "
        "--fresh to overwrite\n")
    assert (out / "results.json").read_text() == before
    assert main(["run", str(_write(tmp_path, second, "b.yaml")), "--out", str(out), "--quiet", "--fresh"]) == 0


def test_a_checkpoint_or_a_results_csv_of_someone_else_is_not_taken_over(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "checkpoint.json").write_text(json.dumps({"owner": {"kind": "simulation", "name": "other"},
                                                     "point_id": "x", "state": {}}))
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err == (f"error: {out} holds the checkpoint of simulation experiment 'other', not of "
                                       "simulation experiment 'tiny'; use --out DIR for a new directory or --fresh "
                                       "to overwrite\n")
    (out / "checkpoint.json").unlink()
    (out / "results.csv").write_text("a,b\n1,2\n")
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err == (f"error: {out / 'results.csv'}: not described by a results.json of shannonlab; "
                                       "use --out DIR for a new directory or --fresh to overwrite\n")
    assert (out / "results.csv").read_text() == "a,b\n1,2\n"
    (out / "results.json").write_text("{}")
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err.startswith(f"error: {out / 'results.json'}: not a results file of shannonlab")


def test_an_unwritable_output_directory_is_one_line_before_simulating(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(blocker / "out"), "--quiet"]) == 2
    assert capsys.readouterr().err == f"error: output.dir: cannot create {blocker / 'out'} (Not a directory)\n"


def test_temporary_files_of_a_killed_run_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    left = [out / ".results.json.k2j4_x.tmp", out / ".checkpoint.json.a1b2.tmp", out / ".results.csv.zz.tmp"]
    for path in left:
        path.write_text("half")
    (out / "notes.txt").write_text("mine")
    assert main(["run", str(_write(tmp_path, TINY)), "--out", str(out), "--quiet"]) == 0
    assert not any(path.exists() for path in left) and (out / "notes.txt").read_text() == "mine"
