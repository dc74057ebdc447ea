import copy

import pytest

from shannonlab.errors import ConfigError
from shannonlab.sim.config import load_experiment, resolve
from shannonlab.sim.registry import build_channel, build_code

BASE = {
    "name": "t",
    "seed": 1,
    "channel": {"type": "awgn", "modulation": "bpsk"},
    "sweep": {"parameter": "ebn0_db", "values": [0.0, 1.0]},
    "codes": [{"type": "uncoded", "k": 16}],
}


def _with(path: str, value):
    config = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = config
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[int(last) if last.isdigit() else last] = value
    return config


@pytest.mark.parametrize(
    "path,value,message",
    [
        ("codes.0.foo", 1, "codes[0].foo: unknown key (allowed: label, type, k)"),
        ("codes.0.k", -3, "codes[0].k: must be a positive integer, got -3"),
        ("codes.0.k", "many", "codes[0].k: must be an integer, got 'many'"),
        ("codes.0.type", "fountain", "codes[0].type: unknown code 'fountain' (allowed: uncoded"),
        ("stop.max_frames", -5, "stop.max_frames: must be a positive integer, got -5"),
        ("stop.min_frame_errors", 0, "stop.min_frame_errors: must be a positive integer, got 0"),
        ("stop.ber_floor", 2.0, "stop.ber_floor: must be less than 1, got 2.0"),
        ("stop.max_sconds", 3, "stop.max_sconds: unknown key (did you mean max_seconds?)"),
        ("execution.workers", 0, "execution.workers: must be a positive integer, got 0"),
        ("channel.type", "gilbert-elliott", "channel.type: unknown channel 'gilbert-elliott' (allowed: bsc, bec, z, awgn"),
        ("channel.modulation", "qam", "channel.modulation: unknown constellation 'qam' (allowed: bpsk, qpsk, 8psk"),
        ("channel.modulation", "12qam", "channel.modulation: '12qam': M = 12 is not a power of two"),
        ("channel.modulation", {"points": [[1, 0], [-1, 0]], "labels": [1, 1]},
         "channel.modulation.labels: must be a permutation of 0..1 (one per point), but label 1 appears twice"),
        ("sweep.parameter", "p", "sweep.parameter: channel 'awgn' is swept over ebn0_db or esn0_db or snr_db, got 'p'"),
        ("sweep.values", [], "sweep.values: must list at least one value"),
        ("sweep.values", {"start": 0, "stop": 1}, "sweep.values.step: required, but missing"),
        ("sweep.values", {"start": 2, "stop": 1, "step": 0.5}, "sweep.values: stop (1.0) must not be below start (2.0)"),
        ("colour", "red", "colour: unknown key (allowed: kind, name, description, references, seed, channel, sweep, codes, stop, execution, plot, output, trajectory)"),
        ("name", "a/b", "name: must be a plain name (letters, digits and . _ + -, not starting with a dot"),
        ("name", "..", "name: must be a plain name"),
        ("seed", -1, "seed: must be at least 0, got -1"),
    ],
)
def test_bad_inputs_give_one_line_naming_the_field(path, value, message):
    with pytest.raises(ConfigError) as info:
        resolve(_with(path, value))
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(message), text


def test_channel_range_errors_name_the_value():
    config = _with("channel", {"type": "bsc"})
    config["sweep"] = {"parameter": "p", "values": [0.1, 0.7]}
    with pytest.raises(ConfigError, match=r"^sweep.values\[1\]: p must be in \(0, 0.5\], got 0.7$"):
        resolve(config)
    config["sweep"] = {"parameter": "ebn0_db", "values": [1.0]}
    with pytest.raises(ConfigError, match=r"^sweep.parameter: channel 'bsc' is swept over p, got 'ebn0_db'$"):
        resolve(config)
    config = _with("channel", {"type": "bec"})
    config["sweep"] = {"parameter": "epsilon", "values": [1.5]}
    with pytest.raises(ConfigError, match=r"epsilon must be in \(0, 1\), got 1.5"):
        resolve(config)


def test_missing_sections_and_duplicate_labels():
    config = copy.deepcopy(BASE)
    del config["codes"]
    with pytest.raises(ConfigError, match="^codes: required, but missing$"):
        resolve(config)
    config = _with("codes", [{"type": "uncoded", "k": 4}, {"type": "uncoded", "k": 4}])
    with pytest.raises(ConfigError, match=r"codes\[1\].label: 'uncoded \(k=4\)' names codes\[0\] too"):
        resolve(config)
    with pytest.raises(ConfigError, match="experiment: must be a mapping"):
        resolve([1, 2])


def test_range_expansion_includes_stop():
    resolved = resolve(_with("sweep.values", {"start": 0.0, "stop": 1.0, "step": 0.25}))
    assert resolved.points == (0.0, 0.25, 0.5, 0.75, 1.0)


def test_yaml_errors_are_one_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ncodes: [\n")
    with pytest.raises(ConfigError) as info:
        load_experiment(path)
    assert "not valid YAML" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ConfigError, match="no such experiment file"):
        load_experiment(tmp_path / "missing.yaml")
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text("name: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_experiment(unsafe)


def test_python_api_matches_yaml_mapping():
    code = build_code({"type": "uncoded", "k": 8})
    assert (code.n, code.k, code.rate) == (8, 8, 1.0)
    channel = build_channel({"type": "bsc"}, "p", 0.25, code.rate)
    assert channel.p == 0.25
    with pytest.raises(ConfigError, match=r"^sweep.values\[0\]: p must be in"):
        build_channel({"type": "bsc"}, "p", 0.0, 1.0)


def test_config_hash_ignores_execution_and_output():
    a = resolve(BASE)
    b = resolve({**BASE, "execution": {"workers": 3}, "output": {"dir": "elsewhere"}})
    c = resolve({**BASE, "seed": 2})
    assert a.config_hash() == b.config_hash() != c.config_hash()
