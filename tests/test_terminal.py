"""What a run prints: the absolute results directory and what it keeps first, one aligned
table line per finished point (BER and FER with intervals, frames, errors, throughput) above
the bar on a terminal and as plain lines elsewhere, point numbers that agree with the closing
summary, and ``--dry-run``, which lists every point's fate and writes nothing."""

import io
import re

import yaml

from shannonlab.cli import main
from shannonlab.sim.config import resolve
from shannonlab.sim.sweep import run_experiment

CONFIG = {
    "name": "table",
    "seed": 4,
    "channel": {"type": "bsc"},
    "sweep": {"parameter": "p", "values": [0.08, 0.02, 1e-9, 2e-9, 3e-9]},
    "codes": [{"type": "uncoded", "k": 32, "label": "u32"}, {"type": "repetition", "n": 3, "label": "R3 majority"}],
    "stop": {"min_frame_errors": 20, "max_frames": 1000, "error_free_points": 2},
    "execution": {"workers": 1},
}
LINE = re.compile(r"^\s*\[(\d+)/(\d+)\] (u32        |R3 majority)  +([0-9.e-]+)  ([<0-9.e+-]+) +\[[^]]+\] +([<0-9.e+-]+) +"
                  r"\[[^]]+\] +(\d+) +(\d+) +(\d+) +([0-9.]+|-)$")


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _write(tmp_path, config):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_plain_lines_one_per_point_numbered_consistently(tmp_path):
    stream = io.StringIO()
    store = run_experiment(resolve(CONFIG), out=tmp_path / "out", stream=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"table: 10 to simulate -> {(tmp_path / 'out').resolve()}"
    header = lines[1].split()
    assert header[:3] == ["#", "code", "p"] and "FER" in header and header[-1] == "Mbit/s"
    table = [LINE.match(line) for line in lines[2:] if line.lstrip().startswith("[")]
    assert all(table) and len(table) == len(store.rows) == 8  # 2 x (2 noisy + 2 error-free)
    assert [int(m.group(1)) for m in table] == list(range(1, 9))
    # 10 planned: the count drops as each sweep ends early, so the last number is the total
    assert [m.group(2) for m in table] == ["10"] * 4 + ["9"] * 4
    ends = [line for line in lines if "sweep ends" in line]
    assert ends == ["        u32: sweep ends at p = 2e-09 (2 error-free points in a row); 1 point not needed",
                    "        R3 majority: sweep ends at p = 2e-09 (2 error-free points in a row); 1 point not needed"]
    assert table[2].group(5).startswith("<") and table[2].group(8) == "0"  # an error-free point: a bound
    # the columns line up under the header
    starts = {line.index("u32") if "u32" in line else line.index("R3") for line in lines[2:] if "[" in line[:8]}
    assert starts == {lines[1].index("code")}


def test_on_a_terminal_the_table_stands_above_a_bar(tmp_path):
    stream = Terminal()
    run_experiment(resolve(CONFIG), out=tmp_path / "out", stream=stream)
    text = stream.getvalue()
    assert "point/s" in text or "it/s" in text or "/8" in text  # the bar was drawn
    assert sum(1 for line in re.split(r"[\r\n]", text) if LINE.match(line)) == 8


def test_the_summary_agrees_with_the_table(tmp_path, capsys):
    path = _write(tmp_path, CONFIG)
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"8 points \(8 simulated; 2 not needed after a sweep ended early\) in [0-9.]+ s -> .*", out[0])
    assert out[1].startswith("  u32: 4 points, ") and "BER 0.0001" in out[1]


def test_dry_run_lists_every_point_and_writes_nothing(tmp_path, capsys):
    path = _write(tmp_path, CONFIG)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: table: 10 points: 10 to simulate -> {out.resolve()}"
    assert lines[1] == "  (a code's sweep may end earlier: error_free_points 2)"
    assert len(lines) == 3 + 10 and all(line.endswith("simulate") for line in lines[3:])
    assert not out.exists()
    grown = dict(CONFIG, codes=CONFIG["codes"][:1], sweep={"parameter": "p", "values": [0.08, 0.02]})
    assert main(["run", str(_write(tmp_path, grown)), "--out", str(out), "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["run", str(_write(tmp_path, CONFIG)), "--out", str(out), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(f"table: 10 points: 2 points kept, 8 to simulate -> {out.resolve()}")
    assert [line.split()[-1] for line in lines[3:5]] == ["kept", "kept"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
