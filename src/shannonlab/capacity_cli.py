"""``shannonlab capacity``: capacities and Shannon limits from the command line.

    shannonlab capacity bsc --p 0.11
    shannonlab capacity bec --epsilon 0.3
    shannonlab capacity z --p 0.2
    shannonlab capacity awgn --snr-db 3
    shannonlab capacity biawgn --esn0-db -10:10:0.5 --plot biawgn.png
    shannonlab capacity bandlimited --bandwidth-hz 1e6 --power-w 1e-6 --n0-w-per-hz 1e-12
    shannonlab capacity dmc --matrix W.csv          # rows are inputs; CSV or .npy
    shannonlab capacity limit --rate 0.5

Human-readable by default; ``--json`` prints one JSON object whose ``capacity_bits`` holds
the value in bits per channel use (``capacity_bps`` in bits per second for ``bandlimited``),
plus ``lower``, ``upper``, ``iterations`` and ``input_distribution`` where they apply. A
channel parameter may be a sweep ``start:stop:step`` (stop included); then the values are
lists and ``--plot FILE`` draws the curve. Every number comes from
:mod:`shannonlab.channels.capacity` or :mod:`shannonlab.channels.blahut_arimoto`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

import numpy as np

from .errors import ShannonlabError

#: kind -> (flag, JSON key, axis label)
NAMES = {"bsc": "BSC", "bec": "BEC", "z": "Z-channel", "awgn": "AWGN", "biawgn": "BI-AWGN"}
SCALAR_KINDS = {
    "bsc": ("--p", "p", "crossover probability p"),
    "bec": ("--epsilon", "epsilon", "erasure probability epsilon"),
    "z": ("--p", "p", "Z-channel probability p of receiving 0 for input 1"),
    "awgn": ("--snr-db", "snr_db", "SNR (dB)"),
    "biawgn": ("--esn0-db", "esn0_db", "Es/N0 (dB)"),
}


def parse_values(flag: str, text: str) -> tuple[list[float], bool]:
    """A number, or a sweep ``start:stop:step`` (stop included), as (values, is_sweep).

    >>> parse_values("--esn0-db", "-1:1:0.5")
    ([-1.0, -0.5, 0.0, 0.5, 1.0], True)
    """
    parts = text.split(":")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise ShannonlabError(f"{flag}: must be a number or a sweep start:stop:step, got {text!r}") from None
    if len(numbers) == 1:
        return numbers, False
    if len(numbers) != 3 or not all(math.isfinite(x) for x in numbers):
        raise ShannonlabError(f"{flag}: a sweep is start:stop:step with finite numbers, got {text!r}")
    start, stop, step = numbers
    if step <= 0 or stop < start:
        raise ShannonlabError(f"{flag}: a sweep start:stop:step needs step > 0 and stop >= start, got {text!r}")
    count = int(math.floor((stop - start) / step + 1e-9)) + 1
    if count > 100_000:
        raise ShannonlabError(f"{flag}: a sweep may have at most 100000 values, got {count}")
    return [round(start + i * step, 12) for i in range(count)], True


def _probability(flag: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ShannonlabError(f"{flag}: must be a probability in [0, 1], got {value:g}")


def _finite_db(flag: str, value: float) -> None:
    if not -100.0 <= value <= 100.0:
        raise ShannonlabError(f"{flag}: must be a finite number of dB in [-100, 100], got {value:g}")


def _scalar_capacity(kind: str, value: float) -> float:
    from .channels import capacity as cap

    if kind == "bsc":
        _probability("--p", value)
        return cap.bsc_capacity(value)
    if kind == "bec":
        _probability("--epsilon", value)
        return cap.bec_capacity(value)
    if kind == "z":
        _probability("--p", value)
        return cap.z_channel_capacity(value)
    if kind == "awgn":
        _finite_db("--snr-db", value)
        return cap.gaussian_capacity(10 ** (value / 10))
    _finite_db("--esn0-db", value)
    return cap.biawgn_capacity(10 ** (value / 10))


def _formula(kind: str) -> str:
    return {"bsc": "1 - H2(p)", "bec": "1 - epsilon", "z": "log2(1 + (1-p) p^(p/(1-p)))",
            "awgn": "1/2 log2(1 + SNR), Gaussian input", "biawgn": "BPSK input, quadrature"}[kind]


def _plot(path: Path, xs, ys, xlabel: str, ylabel: str, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(xs, ys, marker="." if len(xs) < 60 else None, linewidth=1.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _emit(args, document: dict, lines: list[str]) -> None:
    if args.json:
        print(json.dumps(document))
    else:
        print("\n".join(lines))


def cmd_scalar(args: argparse.Namespace) -> int:
    kind = args.kind
    flag, key, label = SCALAR_KINDS[kind]
    values, sweep = parse_values(flag, getattr(args, key))
    capacities = [_scalar_capacity(kind, v) for v in values]
    document: dict = {"channel": kind, key: values if sweep else values[0],
                      "capacity_bits": capacities if sweep else capacities[0]}
    if kind == "z" and not sweep and values[0] < 1.0:
        from .channels.capacity import z_channel_input_distribution

        document["input_distribution"] = list(z_channel_input_distribution(values[0]))
    if sweep:
        lines = [f"{NAMES[kind]} capacity, {_formula(kind)} (bits per channel use)", f"{key:>10s}  capacity_bits"]
        lines += [f"{v:10.6g}  {c:.12f}" for v, c in zip(values, capacities)]
    else:
        lines = [f"{NAMES[kind]} {key}={values[0]:g}: C = {capacities[0]:.12f} bits per channel use "
                 f"[{_formula(kind)}]"]
        if "input_distribution" in document:
            p0, p1 = document["input_distribution"]
            lines.append(f"  reached with P(X=0) = {p0:.9f}, P(X=1) = {p1:.9f}")
    if args.plot:
        if not args.plot.parent.is_dir():
            raise ShannonlabError(f"--plot: directory {str(args.plot.parent)!r} does not exist")
        _plot(args.plot, values, capacities, label, "capacity (bits per channel use)", f"{NAMES[kind]} capacity")
        document["plot"] = str(args.plot)
        lines.append(f"plot written to {args.plot}")
    _emit(args, document, lines)
    return 0


def cmd_bandlimited(args: argparse.Namespace) -> int:
    from .channels.capacity import shannon_hartley

    for flag, value, ok in (("--bandwidth-hz", args.bandwidth_hz, args.bandwidth_hz > 0),
                            ("--power-w", args.power_w, args.power_w >= 0),
                            ("--n0-w-per-hz", args.n0_w_per_hz, args.n0_w_per_hz > 0)):
        if not (ok and math.isfinite(value)):
            rule = "must be >= 0" if flag == "--power-w" else "must be > 0"
            raise ShannonlabError(f"{flag}: {rule} and finite, got {value:g}")
    bps = shannon_hartley(args.bandwidth_hz, args.power_w, args.n0_w_per_hz)
    snr = args.power_w / (args.n0_w_per_hz * args.bandwidth_hz)
    document = {"channel": "bandlimited", "bandwidth_hz": args.bandwidth_hz, "power_w": args.power_w,
                "n0_w_per_hz": args.n0_w_per_hz, "snr": snr, "capacity_bps": bps,
                "spectral_efficiency_bits_per_s_per_hz": bps / args.bandwidth_hz}
    lines = [f"Shannon-Hartley W log2(1 + P/(N0 W)): C = {bps:.9g} bit/s "
             f"(SNR {10 * math.log10(snr) if snr > 0 else -math.inf:.3f} dB, {bps / args.bandwidth_hz:.6g} bit/s/Hz; "
             f"wideband limit P/(N0 ln 2) = {args.power_w / (args.n0_w_per_hz * math.log(2)):.6g} bit/s)"]
    _emit(args, document, lines)
    return 0


def load_matrix(path: Path) -> np.ndarray:
    """A channel matrix from a .npy file or a CSV file (comma or whitespace separated)."""
    if not path.is_file():
        raise ShannonlabError(f"--matrix: no such file {str(path)!r}")
    try:
        if path.suffix == ".npy":
            return np.load(path, allow_pickle=False)
        text = path.read_text()
        delimiter = "," if "," in text else None
        return np.loadtxt(path, delimiter=delimiter, ndmin=2, comments="#")
    except (ValueError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ShannonlabError(f"--matrix: cannot read {path.name} as a matrix of numbers ({first})") from None


def cmd_dmc(args: argparse.Namespace) -> int:
    from .channels.blahut_arimoto import blahut_arimoto, validate_channel

    W = validate_channel(load_matrix(args.matrix), name="--matrix")
    result = blahut_arimoto(W, tol=args.tol, max_iterations=args.max_iterations, method=args.method)
    document = {"channel": "dmc", "matrix": str(args.matrix), "inputs": W.shape[0], "outputs": W.shape[1],
                "capacity_bits": result.capacity, "lower": result.lower, "upper": result.upper,
                "iterations": result.iterations, "converged": result.converged, "method": result.method,
                "input_distribution": result.input_distribution.tolist()}
    state = "certified" if result.converged else "NOT converged (max iterations reached); bounds still hold"
    lines = [f"DMC {W.shape[0]}x{W.shape[1]} from {args.matrix}: C = {result.capacity:.12f} bits per channel use",
             f"  {result.lower:.12f} <= C <= {result.upper:.12f}  (gap {result.gap:.2e}, {state}; "
             f"{result.iterations} iterations, {result.method})",
             "  capacity-achieving input distribution: "
             + ", ".join(f"{i}:{v:.6f}" for i, v in enumerate(result.input_distribution) if v > 1e-9)]
    _emit(args, document, lines)
    return 0 if result.converged else 1


def cmd_limit(args: argparse.Namespace) -> int:
    from .channels import capacity as cap

    rate = args.rate
    if not (0.0 < rate and math.isfinite(rate)):
        raise ShannonlabError(f"--rate: must be a positive number of bits per channel use, got {rate:g}")
    document: dict = {"rate": rate,
                      "ebn0_db_gaussian": cap.shannon_limit_ebn0_db(rate, "gaussian"),
                      "esn0_db_gaussian": cap.shannon_limit_esn0_db(rate, "gaussian")}
    if rate < 1.0:
        document.update({"ebn0_db_binary": cap.shannon_limit_ebn0_db(rate, "binary"),
                         "esn0_db_binary": cap.shannon_limit_esn0_db(rate, "binary"),
                         "bsc_crossover": cap.bsc_threshold(rate), "bec_erasure": 1.0 - rate})
    lines = [f"Shannon limits for rate R = {rate:g} (bits per real channel use):",
             f"  Gaussian input: Eb/N0 = {document['ebn0_db_gaussian']:.4f} dB  (Es/N0 = "
             f"{document['esn0_db_gaussian']:.4f} dB)   [(2^(2R) - 1)/(2R)]"]
    if rate < 1.0:
        lines += [f"  binary input:   Eb/N0 = {document['ebn0_db_binary']:.4f} dB  (Es/N0 = "
                  f"{document['esn0_db_binary']:.4f} dB)   [C_BI-AWGN(R Eb/N0) = R]",
                  f"  BSC: crossover p* = {document['bsc_crossover']:.6f}  [1 - H2(p*) = R]",
                  f"  BEC: erasure probability epsilon* = {document['bec_erasure']:.6f}  [1 - epsilon* = R]"]
    else:
        lines.append("  binary input: no limit, a binary-input channel carries at most 1 bit per use")
    _emit(args, document, lines)
    return 0


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None


def register(subparsers) -> None:
    """Add ``capacity`` and its channel kinds to the ``shannonlab`` parser."""
    capacity = subparsers.add_parser("capacity", help="capacity of a channel, or the Shannon limits of a rate",
                                     description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = capacity.add_subparsers(dest="kind", required=True, metavar="CHANNEL")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON object")

    for kind, (flag, key, label) in SCALAR_KINDS.items():
        help_text = {"bsc": "binary symmetric channel, 1 - H2(p)", "bec": "binary erasure channel, 1 - epsilon",
                     "z": "Z-channel: input 1 is received as 0 with probability p",
                     "awgn": "real AWGN with Gaussian input, 1/2 log2(1 + SNR)",
                     "biawgn": "BPSK on real AWGN (binary input)"}[kind]
        sub = kinds.add_parser(kind, parents=[common], help=help_text)
        # let "-10:10:0.5" be a value, not an unknown option (argparse only knows "-10", "-1.5")
        sub._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-[\d.eE+-]*:[-\d.eE+:]*$")
        sub.add_argument(flag, dest=key, required=True, metavar="VALUE|START:STOP:STEP", help=label)
        sub.add_argument("--plot", type=Path, metavar="FILE", help="draw capacity against the parameter (PNG)")
        sub.set_defaults(func=cmd_scalar)

    band = kinds.add_parser("bandlimited", parents=[common], help="Shannon-Hartley W log2(1 + P/(N0 W)), bit/s")
    band.add_argument("--bandwidth-hz", type=_number, required=True)
    band.add_argument("--power-w", type=_number, required=True)
    band.add_argument("--n0-w-per-hz", type=_number, required=True)
    band.set_defaults(func=cmd_bandlimited)

    dmc = kinds.add_parser("dmc", parents=[common], help="any discrete memoryless channel, by Blahut-Arimoto")
    dmc.add_argument("--matrix", type=Path, required=True, metavar="FILE",
                     help="CSV or .npy, W[x, y] = P(y|x), rows are inputs")
    dmc.add_argument("--tol", type=_number, default=1e-9, help="certified gap upper - lower in bits (default 1e-9)")
    dmc.add_argument("--method", choices=("accelerated", "plain"), default="accelerated")
    dmc.add_argument("--max-iterations", type=int, default=1_000_000)
    dmc.set_defaults(func=cmd_dmc)

    limit = kinds.add_parser("limit", parents=[common], help="Shannon limits (dB) of a code rate, both inputs")
    limit.add_argument("--rate", type=_number, required=True, help="information bits per channel use")
    limit.set_defaults(func=cmd_limit)
