"""Write docs/performance.md, the throughput page, from the JSON files in benchmarks/results/.

    python benchmarks/performance.py                     # writes docs/performance.md
    python benchmarks/performance.py --stdout            # print instead
    python benchmarks/performance.py --results a.json --scaling engine-scaling-x.json

Inputs: the workload files of ``benchmarks/run.py`` (``<date>.json``: one entry per
workload, one core each; each workload's newest measurement) and the newest ``engine-scaling-<date>.json`` of
``benchmarks/bench_engine.py --scaling``. Nothing is measured here and nothing is typed by
hand into the page: rerun the benchmarks, then this script.

The decoder table has the columns researchers compare decoders by (code, decoder,
iterations, early stop, quantisation, Mb/s per core, CPU and SIMD width). What a workload
is comes from :data:`CATALOGUE` where it is listed, otherwise from its name and
description (``<= 20 it``, ``early stop``, ``int8`` ...), so a new workload shows up
without editing this file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results"
PAGE = HERE.parent / "docs" / "performance.md"

#: Workload families that are not decoders (rates of other things, or the engine's own section).
NOT_DECODERS = ("capacity:", "bandlimited:", "engine:", "engine-unbatched:", "bare:", "commpy:", "demap:",
                "numpy:demap")

#: What each known decoder workload is: name -> (code, decoder, iterations, early stop, quantisation).
CATALOGUE: dict[str, tuple[str, str, str, str, str]] = {
    "block:hamming74-syndrome-bsc": ("Hamming (7,4), BSC", "syndrome table", "–", "–", "hard bits"),
    "block:hamming74-ext-syndrome-bsc": ("ext. Hamming (8,4), BSC", "syndrome table (SECDED)", "–", "–", "hard bits"),
    "block:hamming1511-syndrome-bsc": ("Hamming (15,11), BSC", "syndrome table", "–", "–", "hard bits"),
    "block:hamming127-syndrome-bsc": ("Hamming (127,120), BSC", "syndrome, packed H", "–", "–", "hard bits"),
    "block:hamming74-ml-awgn": ("Hamming (7,4), AWGN", "soft ML (16 codewords)", "–", "–", "float64"),
    "block:hamming1511-ml-awgn": ("Hamming (15,11), AWGN", "soft ML (2048 codewords)", "–", "–", "float64"),
    "block:repetition9-majority-bsc": ("repetition (9,1), BSC", "majority", "–", "–", "hard bits"),
    "block:repetition9-llrsum-awgn": ("repetition (9,1), AWGN", "LLR sum", "–", "–", "float64"),
    "conv:viterbi-soft-k7-k1024": ("conv. (133,171) K=7, k=1024", "Viterbi, soft", "–", "–", "float32"),
    "conv:viterbi-hard-k7-k1024": ("conv. (133,171) K=7, k=1024", "Viterbi, hard", "–", "–", "float32 (±1)"),
    "conv:viterbi-soft-k7-3/4-k1024": ("conv. K=7 punctured 3/4, k=1024", "Viterbi, soft", "–", "–", "float32"),
    "conv:viterbi-soft-k9-k1024": ("conv. (561,753) K=9, k=1024", "Viterbi, soft", "–", "–", "float32"),
    "conv:viterbi-soft-k7-tailbiting-k1024": ("conv. K=7 tail-biting, k=1024", "wrap-around Viterbi, soft", "–", "–",
                                              "float32"),
    "conv:bcjr-maxlog-k7-k1024": ("conv. (133,171) K=7, k=1024", "BCJR max-log", "–", "–", "float32"),
    "conv:bcjr-logmap-k7-k1024": ("conv. (133,171) K=7, k=1024", "BCJR log-MAP (exact)", "–", "–", "float32"),
    "ldpc-bp:648-r1/2-sum-product-flooding": ("LDPC 802.11n (648,324)", "sum-product, flooding", "≤ 20", "yes", "float32"),
    "ldpc-bp:648-r1/2-nms-layered": ("LDPC 802.11n (648,324)", "normalized min-sum 0.8, layered", "≤ 20", "yes", "float32"),
    "ldpc-bp:648-r1/2-sum-product-layered": ("LDPC 802.11n (648,324)", "sum-product, layered", "≤ 20", "yes", "float32"),
    "ldpc-bp:648-r1/2-min-sum-flooding": ("LDPC 802.11n (648,324)", "min-sum, flooding", "≤ 20", "yes", "float32"),
    "ldpc-bp:648-r1/2-oms-layered": ("LDPC 802.11n (648,324)", "offset min-sum 0.5, layered", "≤ 20", "yes", "float32"),
    "ldpc-bp:1944-r5/6-nms-layered": ("LDPC 802.11n (1944,1620)", "normalized min-sum 0.8, layered", "20 (every frame)",
                                      "yes", "float32"),
    "ldpc-bp:5g-bg1-k1024-n2048-nms-layered": ("LDPC 5G NR BG1 (2048,1024)", "normalized min-sum, layered", "≤ 20", "yes",
                                               "float32"),
    "polar:sc-1024-512": ("polar (1024,512)", "SC (rate-0/1/rep nodes)", "–", "–", "float32"),
    "polar:ca-scl2-1024-512-crc11": ("polar (1024,512) + CRC11", "CA-SCL, L = 2", "–", "–", "float32"),
    "polar:ca-scl8-1024-512-crc11": ("polar (1024,512) + CRC11", "CA-SCL, L = 8", "–", "–", "float32"),
    "polar:ca-scl32-1024-512-crc11": ("polar (1024,512) + CRC11", "CA-SCL, L = 32", "–", "–", "float32"),
    "turbo:lte-6144-maxlog-6it": ("LTE turbo (18444,6144)", "max-log BCJR, extrinsic scaled", "6", "no", "float32"),
    "turbo:lte-6144-logmap-6it": ("LTE turbo (18444,6144)", "log-MAP BCJR (exact)", "6", "no", "float32"),
}

#: Peer workload -> our workload it measures on identical inputs (as in table.py).
PEERS = {
    "numpy:hamming74-table-lookup": "block:hamming74-syndrome-bsc",
    "komm:hamming74-syndrome": "block:hamming74-syndrome-bsc",
    "komm:viterbi-soft-k7-k1024": "conv:viterbi-soft-k7-k1024",
    "komm:bcjr-k7-k1024": "conv:bcjr-logmap-k7-k1024",
    "ldpc:bp-product-sum-648-r1/2": "ldpc-bp:648-r1/2-sum-product-flooding",
    "komm:sc-1024-512": "polar:sc-1024-512",
    "commpy:turbo-lte-6144-6it": "turbo:lte-6144-logmap-6it",
}


def describe(entry: dict) -> tuple[str, str, str, str, str]:
    """(code, decoder, iterations, early stop, quantisation) of a workload entry.

    >>> describe({"name": "ldpc-bp:x", "description": "802.11n n=648, 2 dB, int8 layered NMS, <= 10 it, early stop"})
    ('802.11n n=648', 'int8 layered NMS', '≤ 10', 'yes', 'int8')
    >>> describe({"name": "polar:fast-ssc-1024-512", "description": "fast-SSC, 2 dB"})[1:]
    ('fast-SSC', '–', '–', 'float32')
    """
    meta = entry.get("meta")
    if isinstance(meta, dict):  # a structured description, where a benchmark gives one
        return tuple(str(meta.get(k, "")) for k in ("code", "decoder", "iterations", "early_stop", "quantization"))
    if entry["name"] in CATALOGUE:
        return CATALOGUE[entry["name"]]
    text = entry.get("description", "")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    noise = re.compile(r"^-?[\d.]+ dB$|^<=|^≤|\d+ it\b|^early stop|^p ?=|^same LLRs")
    kept = [p for p in parts if not noise.search(p)]
    family = entry["name"].split(":")[0]
    code, decoder = (kept[0], ", ".join(kept[1:])) if len(kept) > 1 else (family, kept[0] if kept else "")
    found = re.search(r"(<=|≤)?\s*(\d+)\s*it(erations)?\b", text)
    iterations = f"{'≤ ' if found and found.group(1) else ''}{found.group(2)}" if found else "–"
    early = "yes" if "early stop" in text else ("no" if found else "–")
    quant = re.search(r"\b(int8|int16|\d+-bit|Q\d+\.\d+|fixed[- ]point)\b", text)
    return code, decoder, iterations, early, quant.group(1) if quant else "float32"


def operating_point(entry: dict) -> str:
    """The channel the workload's LLRs come from, as its description says.

    >>> operating_point({"description": "SC (min-sum), 2 dB"}), operating_point({"description": "majority, BSC p=0.1"})
    ('AWGN 2 dB', 'BSC p=0.1')
    """
    text = entry.get("description", "")
    found = re.search(r"(-?\d+(?:\.\d+)?) ?dB", text)
    if found:
        return f"AWGN {found.group(1)} dB"
    found = re.search(r"BSC p ?= ?([\d.]+)", text)
    return f"BSC p={found.group(1)}" if found else ""


def _mbps(value: float | None) -> str:
    if value is None:
        return ""
    mbps = value / 1e6
    return f"{mbps:.3g}" if mbps < 1000 else f"{mbps:.0f}"


def _before(entry: dict) -> float | None:
    """The previous decoder's rate, where the benchmark measured it beside (any of the
    spellings a benchmark may use)."""
    for key in ("before_info_bits_per_s", "previous_info_bits_per_s"):
        if isinstance(entry.get(key), (int, float)):
            return float(entry[key])
    for key in ("before", "previous"):
        if isinstance(entry.get(key), dict) and "info_bits_per_s" in entry[key]:
            return float(entry[key]["info_bits_per_s"])
    return None


def _machine_line(document: dict, cores: bool = True) -> str:
    m = document.get("machine", {})
    cpu = m.get("cpu") or m.get("processor") or "CPU not recorded"
    simd = m.get("simd") or document.get("simd") or "SIMD width not recorded"
    count = m.get("cores") or m.get("cpus")
    return f"{cpu}, {simd}" + (f", {count} cores" if cores else "")


def decoder_table(document: dict, machine: str) -> list[str]:
    results = {entry["name"]: entry for entry in document["results"]}
    peers: dict[str, list[dict]] = {}
    for peer, ours in PEERS.items():
        if peer in results and "info_bits_per_s" in results[peer]:
            peers.setdefault(ours, []).append(results[peer])
    rows = [entry for name, entry in results.items()
            if not name.startswith(NOT_DECODERS) and name not in PEERS and "encode" not in name
            and "capacity" not in name and "info_bits_per_s" in entry]
    has_before = any(_before(entry) is not None for entry in rows)
    head = ["code", "decoder", "iterations", "early stop", "quantisation", "channel", "Mb/s per core"]
    head += ["before (Mb/s)", "after ÷ before"] if has_before else []
    head += ["peer on the same inputs (Mb/s)", "CPU, SIMD"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for entry in rows:
        cells = list(describe(entry)) + [operating_point(entry), _mbps(entry["info_bits_per_s"])]
        if has_before:
            before = _before(entry)
            cells += [_mbps(before), f"{entry['info_bits_per_s'] / before:.2f}" if before else ""]
        cells.append(", ".join(f"{p['name'].split(':')[0]} {_mbps(p['info_bits_per_s'])}" for p in peers.get(entry["name"], [])))
        cells.append(machine)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def engine_table(document: dict) -> list[str]:
    results = {entry["name"]: entry for entry in document["results"]}
    codes = sorted({name.split(":", 1)[1] for name in results if name.startswith("bare:")})
    if not codes:
        return ["(no `bare:` / `engine:` workloads in this file: run `python benchmarks/run.py bare: engine:`)"]
    lines = ["| code (decoder, operating point) | bare decoder, ms/frame | engine, ms/frame | engine ÷ bare | "
             "engine before lanes, ms/frame | speed-up |", "|---|---:|---:|---:|---:|---:|"]
    for code in codes:
        bare, engine, before = (results.get(f"{kind}:{code}") for kind in ("bare", "engine", "engine-unbatched"))
        k = _k_of(bare)

        def per_frame(entry):
            return k / entry["info_bits_per_s"] * 1e3 if entry and "info_bits_per_s" in entry and k else None

        b, e, u = per_frame(bare), per_frame(engine), per_frame(before)
        what = bare["description"].split(":")[0]
        lines.append(f"| {what} | {b:.1f} | " + (f"{e:.1f} | {e / b:.2f} |" if e else " | |")
                     + (f" {u:.0f} | {u / e:.0f}× |" if u and e else " | |"))
    return lines


def _k_of(entry: dict | None) -> int | None:
    found = re.search(r"\bk=(\d+)", entry.get("description", "")) if entry else None
    return int(found.group(1)) if found else None


def scaling_table(document: dict) -> list[str]:
    lines = ["| workload | processes | info bit/s | speed-up | identical numbers | load average |",
             "|---|---:|---:|---:|---|---:|"]
    base: dict[str, float] = {}
    for row in document["rows"]:
        if row["processes"] == 1:
            base[row["workload"]] = row["info_bits_per_s"]
        one = base.get(row["workload"])
        speedup = f"{row['info_bits_per_s'] / one:.2f}" if one else ""
        lines.append(f"| {row['workload']} | {row['processes']} | {row['info_bits_per_s']:.3g} | {speedup} | "
                     f"{'yes' if row['identical_to_one_process'] else 'NO'} | {row['load_average']:.1f} |")
    return lines


def compile_table(document: dict) -> list[str]:
    lines = ["| family | first call, cache empty s | second call s | first call, cache warm s | "
             "kernels compiled with the cache warm | load average |", "|---|---:|---:|---:|---|---:|"]
    for row in document["families"]:
        cold, warm = row["cold"], row["warm"]
        compiled = ", ".join(warm["compiled"]) or "none"
        lines.append(f"| {row['family']} | {cold['first_s']:.1f} | {cold['second_s']:.3f} | {warm['first_s']:.2f} | "
                     f"{compiled} | {row['load_average']:.1f} |")
    return lines


def _newest(pattern: str, exclude: str | None = None) -> Path | None:
    files = [p for p in RESULTS.glob(pattern) if not (exclude and p.name.startswith(exclude))]
    return max(files, key=lambda p: (p.stat().st_mtime, p.name)) if files else None


def merged(paths: list[Path]) -> dict:
    """One document from several run.py files: each workload's newest measurement (a run of a
    few workloads does not hide the others); the newest file's machine and date."""
    loaded = (json.loads(p.read_text()) | {"file": p.name} for p in paths)
    documents = sorted((d for d in loaded if isinstance(d.get("results"), list)), key=lambda d: d.get("date", ""))
    newest = dict(documents[-1])
    entries: dict[str, dict] = {}
    for document in documents:
        for entry in document["results"]:
            if "info_bits_per_s" in entry or entry["name"] not in entries:
                entries[entry["name"]] = entry | {"file": document["file"]}
    newest["results"] = list(entries.values())
    newest["files"] = [d["file"] for d in documents]
    return newest


def page(results_paths: list[Path], scaling_path: Path | None, compile_path: Path | None = None) -> str:
    document = merged(results_paths)
    files = sorted({entry["file"] for entry in document["results"]})
    scaling = json.loads(scaling_path.read_text()) if scaling_path else None
    recorded = bool(document.get("machine", {}).get("cpu"))
    source = document if recorded or not scaling else scaling  # run.py files before CPU model and SIMD were recorded
    machine = _machine_line(source)
    out = [
        "# Throughput",
        "",
        "<!-- Generated by benchmarks/performance.py from benchmarks/results/; do not edit by hand. -->",
        "",
        f"Decoded information bits per second on **one core** (numba kernels single-threaded), "
        f"from {', '.join(f'`benchmarks/results/{f}`' for f in files)} (`python benchmarks/run.py`; "
        "each workload's newest measurement). "
        "Mb/s = 10^6 information bits per second; a peer ran the same workload on the same LLRs in the same run. "
        "Iterations \"≤ 20\" with early stop: the mean is lower, it depends on the operating point in the "
        "decoder's description (`benchmarks/bench_*.py`).",
        "",
        f"Machine: {machine}" + ("." if recorded or not scaling else
                                 f" (as recorded by the scaling run, `{scaling_path.name}`, on the same machine class)."),
        "",
        "## Decoders",
        "",
        *decoder_table(document, _machine_line(source, cores=False)),
        "",
        "## The engine on long codes",
        "",
        "The bare decoder on one batch of LLRs with its lanes full, against whole points through "
        "`simulate_point` (messages, encoder, channel, decoder, counts; one process) on the same code "
        "and operating point, and against the engine before it knew about lanes (every task one frame, "
        "so a 32-lane decoder ran 1 frame per call). The bar: engine ÷ bare ≤ 1.3.",
        "",
        *engine_table(document),
        "",
        "## Scaling over processes",
        "",
    ]
    if scaling:
        out += [
            f"The same point on 1, 2, ... worker processes (`python benchmarks/bench_engine.py --scaling`, "
            f"`benchmarks/results/{scaling_path.name}`, {scaling['date'][:10]}, {_machine_line(scaling)}): "
            "each pool is started and its kernels loaded before the clock starts; information bits per "
            "second of wall time; the numbers (frames, errors) must be identical on every count. "
            "A load average above the number of cores means other work shared the machine.",
            "",
            *scaling_table(scaling),
            "",
            "Whole runs (imports, pool or cluster start, every point) on 1 process, a local pool and a Dask "
            "cluster: [distributed.md](distributed.md).",
        ]
    else:
        out.append("(no engine-scaling-*.json yet: run `python benchmarks/bench_engine.py --scaling`)")
    out += ["", "## Cold start", ""]
    if compile_path:
        compiled = json.loads(compile_path.read_text())
        out += [
            f"numba compiles each kernel on its first call and keeps it in its on-disk cache "
            f"(`python benchmarks/bench_compile.py`, `benchmarks/results/{compile_path.name}`, "
            f"{compiled['date'][:10]}, {_machine_line(compiled)}). Per family, a fresh process with an empty "
            "cache directory, then another with the cache the first left: the first call builds the code "
            "and runs one batch through encoder, AWGN and decoder (the engine's warm-up), the second does it "
            "again. A run's `seconds` and `info_bits_per_s` leave all of this out (`setup_seconds`).",
            "",
            *compile_table(compiled),
        ]
        quick = compiled.get("quickstart")
        if quick:
            out += [
                "",
                f"`shannonlab run experiments/quickstart.yaml` as in a fresh clone (numba cache empty): "
                f"**{quick['cold']:.0f} s**; the same run again with the cache it left: **{quick['warm']:.0f} s**; "
                f"cold ÷ warm = **{quick['ratio']:.2f}** (load average {quick['cold_load_average']:.1f} and "
                f"{quick['warm_load_average']:.1f}; the points' own seconds {quick['cold_points_seconds']:.0f} and "
                f"{quick['warm_points_seconds']:.0f}). Before its first point a run compiles every code on the "
                "workers at once, one code per worker (`engine.prepare`).",
            ]
    else:
        out.append("(no compile-*.json yet: run `python benchmarks/bench_compile.py`)")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, nargs="+", help="benchmarks/run.py files (default: every one)")
    parser.add_argument("--scaling", type=Path, help="an engine-scaling file (default: the newest)")
    parser.add_argument("--stdout", action="store_true", help="print the page instead of writing docs/performance.md")
    args = parser.parse_args(argv)
    results = args.results or [p for p in RESULTS.glob("*.json") if not p.name.startswith(("engine-scaling", "compile-"))]
    if not results:
        parser.error("no benchmark results in benchmarks/results/: run python benchmarks/run.py first")
    text = page(results, args.scaling or _newest("engine-scaling-*.json"), _newest("compile-*.json"))
    if args.stdout:
        print(text, end="")
    else:
        PAGE.write_text(text)
        print(f"written {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
