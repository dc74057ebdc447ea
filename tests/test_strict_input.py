"""Bad input is one line naming the field, never a traceback, a silent coercion or a
blow-up: misspelt keys get a suggestion at every level, strings and booleans are not
numbers, YAML is read strictly and boundedly, and every size is checked against the memory
it needs before anything is built."""

import copy
import subprocess
import sys

import pytest

from shannonlab.errors import ConfigError
from shannonlab.sim.capacity_study import resolve_study
from shannonlab.sim.config import load_experiment, resolve

BASE = {
    "name": "t",
    "seed": 1,
    "channel": {"type": "awgn"},
    "sweep": {"parameter": "ebn0_db", "values": [0.0]},
    "codes": [{"type": "uncoded", "k": 16}],
}


def _set(path, value, base=BASE):
    config = copy.deepcopy(base)
    *parents, last = path.split(".")
    node = config
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    if last.startswith("-"):
        del node[last[1:]]
    else:
        node[int(last) if last.isdigit() else last] = value
    return config


def _error(config) -> str:
    with pytest.raises(ConfigError) as info:
        resolve(config)
    text = str(info.value)
    assert "\n" not in text and len(text) < 400
    return text


@pytest.mark.parametrize("config, message", [
    ({**{k: v for k, v in BASE.items() if k != "codes"}, "codez": BASE["codes"]}, "codez: unknown key (did you mean codes?)"),
    ({**{k: v for k, v in BASE.items() if k != "channel"}, "chanel": BASE["channel"]},
     "chanel: unknown key (did you mean channel?)"),
    (_set("stop.min_frame_erors", 5), "stop.min_frame_erors: unknown key (did you mean min_frame_errors?)"),
    (_set("codes.0.kk", 5), "codes[0].kk: unknown key (did you mean k?)"),
    (_set("codes.0", {"type": "ldpc", "matrix": {"standard": "ieee80211n", "n": 648, "rate": "1/2"},
                      "decoder": {"max_iteratons": 5}}),
     "codes[0].decoder.max_iteratons: unknown key (did you mean max_iterations?)"),
    (_set("codes.0.type", "ldcp"), "codes[0].type: unknown code 'ldcp' (did you mean ldpc?)"),
    (_set("codes.0", {"tipe": "uncoded"}), "codes[0].tipe: unknown key (did you mean type?)"),
    (_set("sweep.parameter", "ebno_db"), "sweep.parameter: channel 'awgn' is swept over ebn0_db or esn0_db or snr_db, "
                                         "got 'ebno_db' (did you mean ebn0_db?)"),
    (_set("plot.x_scale", "lgo"), "plot.x_scale: must be one of 'linear' or 'log', got 'lgo' (did you mean log?)"),
])
def test_misspelt_keys_and_names_get_the_closest_allowed_one(config, message):
    assert _error(config).startswith(message)


@pytest.mark.parametrize("path, value, message", [
    ("seed", True, "seed: must be a number, got true"),
    ("codes.0.k", "16", "codes[0].k: must be a number, got the string '16' (write it without quotes)"),
    ("codes.0", {"type": "hamming", "extended": "yes"}, "codes[0].extended: must be true or false, got 'yes'"),
    ("stop.max_frames", "1000", "stop.max_frames: must be a number, got the string '1000'"),
    ("plot.target_ber", True, "plot.target_ber: must be a number, got true"),
    ("sweep.values", [0.0, "1"], "sweep.values[1]: must be a number, got the string '1'"),
    ("execution.connect_timeout", float("inf"), "execution.connect_timeout: must be a finite number, got inf"),
    ("sweep.values", {"start": 0, "stop": float("inf"), "step": 1}, "sweep.values.stop: must be a finite number"),
    ("codes.0.type", ["uncoded"], "codes[0].type: unknown code ['uncoded']"),
    ("codes.0.type", {"a": 1}, "codes[0].type: unknown code {'a': 1}"),
    ("name", "..", "name: must be a plain name"),
    ("codes.0", "x" * 5000, "codes[0]: must be a mapping, got 'xxxxx"),  # and the value shortened
])
def test_no_coercion_no_traceback(path, value, message):
    assert _error(_set(path, value)).startswith(message)


def _yaml_error(tmp_path, text: bytes | str) -> str:
    path = tmp_path / "e.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ConfigError) as info:
        load_experiment(path)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_yaml_is_read_strictly_and_boundedly(tmp_path):
    good = "name: t\nchannel: {type: awgn}\nsweep: {parameter: ebn0_db, values: [0]}\ncodes: [{type: uncoded, k: 8}]\n"
    assert load_experiment(tmp_path / "x" if False else _ok(tmp_path, good + "plot: {target_ber: 1e-4}\n")) \
        .experiment.plot.target_ber == 1e-4  # YAML 1.2 numbers: 1e-4 is a number, not a string
    path = tmp_path / "e.yaml"
    assert _yaml_error(tmp_path, good + "seed: 1\nseed: 2\n") == f"{path}: line 6: duplicate key 'seed' (each key may appear once)"
    assert _yaml_error(tmp_path, b"\xff\xfe") == f"{path}: not UTF-8 text (byte 0), not an experiment file"
    assert _yaml_error(tmp_path, good + "description: " + "[" * 3000 + "]" * 3000 + "\n").startswith(
        f"{path}: line 5: nested more than 50 levels deep")
    bomb = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)) + "codes: *a8\n"
    assert _yaml_error(tmp_path, bomb) == f"{path}: its aliases expand to more than 100000 values, not an experiment file"
    with pytest.raises(ConfigError, match="^/dev/zero: larger than 1024 KiB, not an experiment file$"):
        load_experiment("/dev/zero")


def _ok(tmp_path, text):
    path = tmp_path / "ok.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("path, value, field", [
    ("codes.0", {"type": "uncoded", "k": 10**9}, "codes[0].k: needs about 37.3 GiB of memory"),
    ("codes.0", {"type": "repetition", "n": 10**9 + 1}, "codes[0].n: needs about"),
    ("codes.0", {"type": "convolutional", "generators": ["133", "171"], "k": 10**9}, "codes[0].k: needs about"),
    ("codes.0", {"type": "ldpc", "matrix": {"random": "peg", "n": 10**6, "dv": 3, "dc": 6}}, "codes[0].matrix.n: needs"),
    ("codes.0", {"type": "ldpc", "matrix": {"standard": "5g-nr", "base_graph": 1, "k": 1000, "n": 10**9}},
     "codes[0].matrix.n: needs"),
    ("execution.chunk_frames", 10**9, "execution.chunk_frames: needs about 596.0 GiB"),
    ("channel", {"type": "bandlimited", "bandwidth_hz": 1e6, "samples_per_symbol": 10**8},
     "channel.samples_per_symbol: needs about"),
    ("channel", {"type": "bandlimited", "bandwidth_hz": 1e6, "filter_span_symbols": 10**9},
     "channel.filter_span_symbols: needs about"),
])
def test_sizes_are_bounded_by_the_memory_they_need(monkeypatch, path, value, field):
    monkeypatch.setenv("SHANNONLAB_MEMORY_LIMIT", "4G")
    config = _set(path, value)
    if path == "channel":
        config["sweep"] = {"parameter": "snr_db", "values": [0.0]}
    message = _error(config)
    assert message.startswith(field) and message.endswith("more than the 4.0 GiB allowed (SHANNONLAB_MEMORY_LIMIT)")


def test_capacity_study_discretisation_is_bounded(monkeypatch):
    monkeypatch.setenv("SHANNONLAB_MEMORY_LIMIT", "4G")
    with pytest.raises(ConfigError, match=r"^discretisation.output_step: needs about .* \(Blahut-Arimoto on the "
                                          r"1773 x 4590000000 matrix of curves\[0\] at snr_db = 30\)"):
        resolve_study({"kind": "capacity", "name": "c", "curves": [{"channel": "gaussian", "values": [30]}],
                       "discretisation": {"output_step": 1e-7}})


def test_an_alist_of_dev_zero_is_one_line(tmp_path):
    config = _set("codes.0", {"type": "ldpc", "matrix": {"alist": "/dev/zero"}})
    assert _error(config) == "codes[0]: alist file '/dev/zero': larger than 64 MiB, not an alist file"


def test_dask_address_that_is_no_address_fails_at_once(tmp_path):
    path = _ok(tmp_path, "name: t\nchannel: {type: awgn}\nsweep: {parameter: ebn0_db, values: [0]}\n"
                         "codes: [{type: uncoded, k: 8}]\n")
    proc = subprocess.run([sys.executable, "-m", "shannonlab.cli", "run", str(path), "--dask", "not an address"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == "error: --dask: must be a scheduler address like tcp://host:8786 or 'local', got 'not an address'\n"
