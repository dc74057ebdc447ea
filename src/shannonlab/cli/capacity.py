"""``shannonlab capacity``: capacities and Shannon limits from the command line.

    shannonlab capacity bsc --p 0.11
    shannonlab capacity bec --epsilon 0.3
    shannonlab capacity z --p 0.2
    shannonlab capacity awgn --snr-db 3                 # also --esn0-db, or --ebn0-db with --rate
    shannonlab capacity biawgn --esn0-db -10:10:0.5 --plot biawgn.png
    shannonlab capacity bandlimited --bandwidth-hz 1e6 --power-w 1e-6
    shannonlab capacity dmc --matrix W.csv          # rows are inputs; CSV or .npy
    shannonlab capacity limit --rate 0.5
    shannonlab capacity cm --constellation 16qam --esn0-db 10      # coded modulation, bits per symbol
    shannonlab capacity bicm --constellation 64qam --snr-db 0:20:1 --fading rayleigh

Human-readable by default; --json prints one JSON object whose capacity_bits holds the value
in bits per channel use (capacity_bps in bits per second for bandlimited), plus lower,
upper, iterations and input_distribution where they apply, and the convention of the axis.
A channel parameter may be a sweep start:stop:step (stop included); then the values are
lists and --plot FILE draws the curve. The channels and their capacity models come from the
registry (shannonlab list), the numbers from shannonlab.theory.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

import numpy as np

from ..errors import ShannonlabError
from ..ranges import parse_range
from ..theory.units import db_to_linear, linear_to_db
from .common import number

#: Kept for the old import path ``shannonlab.capacity_cli.parse_values``.
parse_values = parse_range

#: What each axis of the AWGN models means, printed beside the numbers.
CONVENTIONS = {
    "snr_db": "SNR = P/sigma^2 per real dimension (= 2 Es/N0 for BPSK)",
    "esn0_db": "Es/N0 per BPSK symbol (SNR = 2 Es/N0)",
    "ebn0_db": "Eb/N0 per information bit, Es/N0 = R Eb/N0 (SNR = 2 R Eb/N0)",
}


#: Rates ``--rate`` may take, bits per channel use: every limit is accurate to double
#: precision in between (at 100 bits, Eb/N0 is already 579 dB).
RATE_RANGE = (1e-9, 100.0)


def check_rate(rate: float) -> float:
    """``--rate`` within :data:`RATE_RANGE`, or a one-line error."""
    low, high = RATE_RANGE
    if not (math.isfinite(rate) and low <= rate <= high):
        raise ShannonlabError(f"--rate: must be a number of information bits per channel use in [{low:g}, {high:g}], "
                              f"got {rate:g}")
    return rate


def flag_of(parameter: str) -> str:
    """``snr_db`` -> ``--snr-db``."""
    return "--" + parameter.replace("_", "-")


def _allowed(allowed) -> str:
    if allowed.improves < 0 and (allowed.low, allowed.high) == (0.0, 1.0):
        return "a probability in [0, 1]"
    return allowed.allowed()


def _emit(args, document: dict, lines: list[str]) -> None:
    if args.json:
        print(json.dumps(document))
    else:
        print("\n".join(lines))


def _chosen_parameter(args, model) -> tuple[str, str]:
    given = [(p, getattr(args, p)) for p in model.parameters if getattr(args, p, None) is not None]
    flags = " or ".join(flag_of(p) for p in model.parameters)
    if len(given) != 1:
        raise ShannonlabError(f"{args.kind}: give exactly one of {flags}")
    return given[0]


def _cmd_scalar(args: argparse.Namespace) -> int:
    from ..plot.capacity_curves import CapacityCurve, draw_capacity_curves
    from ..plot.style import PlotOptions
    from ..registry import capacity_model

    spec, model = capacity_model(args.kind)
    parameter, text = _chosen_parameter(args, model)
    flag = flag_of(parameter)
    allowed = model.parameters[parameter]
    values, sweep = parse_range(flag, text)
    rate = 1.0
    if parameter == "ebn0_db":
        if args.rate is None:
            raise ShannonlabError("--rate: required with --ebn0-db (information bits per channel use)")
        rate = check_rate(args.rate)
    elif getattr(args, "rate", None) is not None:
        raise ShannonlabError(f"--rate: only used with --ebn0-db, not with {flag}")
    for value in values:
        if not allowed.contains(value):
            raise ShannonlabError(f"{flag}: must be {_allowed(allowed)}, got {value:g}")
    capacities = [spec.model_capacity(args.kind, parameter, v, rate) for v in values]
    convention = CONVENTIONS.get(parameter, allowed.description)
    document: dict = {"channel": args.kind, parameter: values if sweep else values[0],
                      "capacity_bits": capacities if sweep else capacities[0], "convention": convention}
    if parameter == "ebn0_db":
        document["rate"] = rate
    if not sweep:
        document.update(spec.capacity_details(args.kind, parameter, values[0]))
    title = f"{model.description}, C = {model.formula}"
    if sweep:
        lines = [f"{title} (bits per channel use; {convention})", f"{parameter:>10s}  capacity_bits"]
        lines += [f"{v:10.6g}  {c:.12f}" for v, c in zip(values, capacities)]
    else:
        lines = [f"{args.kind} {parameter}={values[0]:g}: C = {capacities[0]:.12f} bits per channel use "
                 f"[{model.formula}; {convention}]"]
        if "input_distribution" in document:
            lines.append("  reached with " + ", ".join(f"P(X={i}) = {v:.9f}"
                                                         for i, v in enumerate(document["input_distribution"])))
    if args.plot:
        if not args.plot.parent.is_dir():
            raise ShannonlabError(f"--plot: directory {str(args.plot.parent)!r} does not exist")
        options = PlotOptions(size=(7.0, 4.5), formats=(args.plot.suffix.lstrip(".") or "png",))
        curve = CapacityCurve(f"{model.description}", allowed.label, values, capacities)
        figure = draw_capacity_curves([curve], f"{model.description}: C = {model.formula}", options)
        figure.savefig(args.plot, dpi=options.dpi)
        document["plot"] = str(args.plot)
        lines.append(f"plot written to {args.plot}")
    _emit(args, document, lines)
    return 0


def _cmd_bandlimited(args: argparse.Namespace) -> int:
    from ..theory.capacity import shannon_hartley

    for flag, value, ok in (("--bandwidth-hz", args.bandwidth_hz, args.bandwidth_hz > 0),
                            ("--power-w", args.power_w, args.power_w >= 0),
                            ("--n0-w-per-hz", args.n0_w_per_hz, args.n0_w_per_hz > 0)):
        if not (ok and math.isfinite(value)):
            rule = "must be >= 0" if flag == "--power-w" else "must be > 0"
            raise ShannonlabError(f"{flag}: {rule} and finite, got {value:g}")
    try:
        bps = shannon_hartley(args.bandwidth_hz, args.power_w, args.n0_w_per_hz)
        snr = args.power_w / (args.n0_w_per_hz * args.bandwidth_hz)
        wideband = args.power_w / (args.n0_w_per_hz * math.log(2))
    except (ZeroDivisionError, OverflowError):
        bps = snr = wideband = math.inf
    if not all(math.isfinite(x) for x in (bps, snr, wideband, bps / args.bandwidth_hz)):
        raise ShannonlabError(
            f"--bandwidth-hz, --power-w, --n0-w-per-hz: W = {args.bandwidth_hz:g} Hz, P = {args.power_w:g} W, "
            f"N0 = {args.n0_w_per_hz:g} W/Hz overflow double precision (SNR P/(N0 W) or C above 1e308); "
            "give physical values")
    document = {"channel": "bandlimited", "bandwidth_hz": args.bandwidth_hz, "power_w": args.power_w,
                "n0_w_per_hz": args.n0_w_per_hz, "snr": snr, "capacity_bps": bps,
                "spectral_efficiency_bits_per_s_per_hz": bps / args.bandwidth_hz}
    lines = [f"Shannon-Hartley W log2(1 + P/(N0 W)): C = {bps:.9g} bit/s "
             f"(SNR {linear_to_db(snr):.3f} dB, {bps / args.bandwidth_hz:.6g} bit/s/Hz; "
             f"wideband limit P/(N0 ln 2) = {wideband:.6g} bit/s)"]
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


def _cmd_dmc(args: argparse.Namespace) -> int:
    from ..theory.blahut_arimoto import blahut_arimoto, validate_channel

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


def _cmd_limit(args: argparse.Namespace) -> int:
    from ..theory import limits as cap

    rate = check_rate(args.rate)
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


#: The axes of ``capacity cm|bicm`` (complex symbols; see shannonlab.channels.bicm).
MODULATION_CONVENTIONS = {
    "esn0_db": "Es/N0 per complex symbol",
    "snr_db": "SNR = Es/N0 per complex symbol (P/(N0 W))",
    "ebn0_db": "Eb/N0 per information bit, Es/N0 = R m Eb/N0",
}


def _cmd_coded_modulation(args: argparse.Namespace) -> int:
    """``capacity cm|bicm``: CM or BICM capacity of a constellation, bits per complex symbol."""
    from ..modulation import Constellation
    from ..theory import coded_modulation as cmod

    constellation = Constellation.from_name(args.constellation, args.labelling, args.code_rate, field="--constellation")
    given = [(p, getattr(args, p)) for p in MODULATION_CONVENTIONS if getattr(args, p) is not None]
    if len(given) != 1:
        raise ShannonlabError(f"{args.kind}: give exactly one of --esn0-db, --snr-db or --ebn0-db")
    parameter, text = given[0]
    flag = flag_of(parameter)
    values, sweep = parse_range(flag, text)
    for value in values:
        if not -50.0 <= value <= 100.0:
            raise ShannonlabError(f"{flag}: must be in [-50, 100] dB, got {value:g}")
    if parameter == "ebn0_db":
        if args.rate is None or not (0 < args.rate <= 1):
            raise ShannonlabError("--rate: required with --ebn0-db, the code rate in (0, 1]")
    elif args.rate is not None:
        raise ShannonlabError(f"--rate: only used with --ebn0-db, not with {flag}")
    k_factor = None
    if args.fading == "rician":
        if args.k_factor_db is None:
            raise ShannonlabError("--k-factor-db: required with --fading rician")
        k_factor = db_to_linear(args.k_factor_db)
    elif args.k_factor_db is not None:
        raise ShannonlabError("--k-factor-db: only used with --fading rician")
    scale = args.rate * constellation.m if parameter == "ebn0_db" else 1.0
    which = 0 if args.kind == "cm" else 1
    capacities = [cmod.capacities(constellation, db_to_linear(v) * scale, args.fading, k_factor)[which] for v in values]
    convention = MODULATION_CONVENTIONS[parameter]
    document: dict = {"channel": args.kind, "constellation": constellation.name, "labelling": constellation.labelling,
                      "bits_per_symbol": constellation.m, "fading": args.fading,
                      parameter: values if sweep else values[0],
                      "capacity_bits": capacities if sweep else capacities[0], "unit": "bits per complex symbol",
                      "convention": convention}
    if k_factor is not None:
        document["k_factor_db"] = args.k_factor_db
    if parameter == "ebn0_db":
        document["rate"] = args.rate
    what = "constellation-constrained (CM)" if args.kind == "cm" else "BICM (GMI)"
    title = f"{what} capacity of {constellation.name} ({constellation.labelling} labels) on {args.fading}"
    if sweep:
        lines = [f"{title}, bits per complex symbol ({convention})", f"{parameter:>10s}  capacity_bits"]
        lines += [f"{v:10.6g}  {c:.9f}" for v, c in zip(values, capacities)]
    else:
        lines = [f"{title} at {parameter}={values[0]:g}: C = {capacities[0]:.9f} bits per complex symbol"]
    if args.plot:
        from ..plot.capacity_curves import CapacityCurve, draw_capacity_curves
        from ..plot.style import PlotOptions

        if not args.plot.parent.is_dir():
            raise ShannonlabError(f"--plot: directory {str(args.plot.parent)!r} does not exist")
        options = PlotOptions(size=(7.0, 4.5), formats=(args.plot.suffix.lstrip(".") or "png",))
        curve = CapacityCurve(f"{args.kind.upper()} {constellation.name}", f"{parameter} (dB)", values, capacities)
        draw_capacity_curves([curve], title, options).savefig(args.plot, dpi=options.dpi)
        document["plot"] = str(args.plot)
        lines.append(f"plot written to {args.plot}")
    _emit(args, document, lines)
    return 0


def register(subparsers) -> None:
    """Add ``capacity`` and its channel kinds to the ``shannonlab`` parser."""
    capacity = subparsers.add_parser("capacity", help="capacity of a channel, or the Shannon limits of a rate",
                                     description=__doc__.replace("``", ""),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = capacity.add_subparsers(dest="kind", required=True, metavar="CHANNEL")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON object")

    from ..registry import capacity_models

    # let "-10:10:0.5" be a value, not an unknown option (argparse only knows "-10", "-1.5")
    negative = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-[\d.eE+-]*:[-\d.eE+:]*$")
    for kind, (_, model) in capacity_models().items():
        sub = kinds.add_parser(kind, parents=[common], help=f"{model.description}, C = {model.formula}")
        sub._negative_number_matcher = negative
        for parameter, allowed in model.parameters.items():
            sub.add_argument(flag_of(parameter), dest=parameter, metavar="VALUE|START:STOP:STEP",
                             help=f"{CONVENTIONS.get(parameter, allowed.description)}, {allowed.allowed()}")
        if "ebn0_db" in model.parameters:
            sub.add_argument("--rate", type=number,
                             help=f"code rate R (information bits per channel use, {RATE_RANGE[0]:g} to {RATE_RANGE[1]:g}), "
                                  "with --ebn0-db")
        sub.add_argument("--plot", type=Path, metavar="FILE", help="draw capacity against the parameter (PNG, PDF, SVG)")
        sub.set_defaults(func=_cmd_scalar)

    from ..channels.bandlimited import THERMAL_N0_290K

    band = kinds.add_parser("bandlimited", parents=[common],
                            help="Shannon-Hartley C = W log2(1 + P/(N0 W)) of a band-limited AWGN link, bit/s")
    band.add_argument("--bandwidth-hz", type=number, required=True, help="channel bandwidth W in Hz")
    band.add_argument("--power-w", type=number, required=True, help="received signal power P in W")
    band.add_argument("--n0-w-per-hz", type=number, default=THERMAL_N0_290K,
                      help=f"one-sided noise density N0 in W/Hz (default kT at 290 K = {THERMAL_N0_290K:.4g})")
    band.set_defaults(func=_cmd_bandlimited)

    dmc = kinds.add_parser("dmc", parents=[common], help="any discrete memoryless channel, by Blahut-Arimoto")
    dmc.add_argument("--matrix", type=Path, required=True, metavar="FILE",
                     help="CSV or .npy, W[x, y] = P(y|x), rows are inputs")
    dmc.add_argument("--tol", type=number, default=1e-9, help="certified gap upper - lower in bits (default 1e-9)")
    dmc.add_argument("--method", choices=("accelerated", "plain"), default="accelerated")
    dmc.add_argument("--max-iterations", type=int, default=1_000_000)
    dmc.set_defaults(func=_cmd_dmc)

    for kind, text in (("cm", "constellation-constrained capacity of a constellation, bits per complex symbol"),
                       ("bicm", "BICM capacity (GMI) of a labelled constellation, bits per complex symbol")):
        sub = kinds.add_parser(kind, parents=[common], help=text)
        sub._negative_number_matcher = negative
        sub.add_argument("--constellation", required=True, help="bpsk, qpsk, 8psk, 16qam, 64qam, 256qam, 1024qam, "
                         "4pam, 16apsk, 32apsk, any <M>psk, <M>qam, <M>pam")
        sub.add_argument("--labelling", default="gray", help="gray (default), natural or set-partition")
        sub.add_argument("--code-rate", help="DVB-S2 code rate choosing the APSK ring radii (default 3/4)")
        for parameter, convention in MODULATION_CONVENTIONS.items():
            sub.add_argument(flag_of(parameter), dest=parameter, metavar="VALUE|START:STOP:STEP", help=convention)
        sub.add_argument("--rate", type=number, help="code rate R, with --ebn0-db")
        sub.add_argument("--fading", choices=("awgn", "rayleigh", "rician"), default="awgn",
                         help="awgn (default), or fast fading with the gain known at the receiver")
        sub.add_argument("--k-factor-db", type=number, help="Rician K-factor in dB")
        sub.add_argument("--plot", type=Path, metavar="FILE", help="draw capacity against the parameter")
        sub.set_defaults(func=_cmd_coded_modulation)

    limit = kinds.add_parser("limit", parents=[common], help="Shannon limits (dB) of a code rate, both inputs")
    limit.add_argument("--rate", type=number, required=True,
                       help=f"information bits per channel use, {RATE_RANGE[0]:g} to {RATE_RANGE[1]:g}")
    limit.set_defaults(func=_cmd_limit)
