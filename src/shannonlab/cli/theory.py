r"""``shannonlab threshold``, ``shannonlab bound`` and ``shannonlab exit``: ensemble thresholds,
finite-length bounds and EXIT charts from the command line (the numbers come from
:mod:`shannonlab.theory`).

    shannonlab threshold --dv 3 --dc 6 --channel bec --json          # {"threshold": 0.4294..., ...}
    shannonlab threshold --dv 3 --dc 6 --channel biawgn --method de  # sigma*, with ebn0_db beside it
    shannonlab threshold --lambda 2:0.3,3:0.7 --rho 7:1 --channel biawgn --method ga
    shannonlab threshold --base-matrix nr-bg2 --channel biawgn       # also nr-bg1, ieee80211n:648:1/2,
                                                                    # or a FILE of edge counts
    shannonlab bound rcu --channel bsc --p 0.11 --n 100 --k 50 --json       # {"fer": ...}
    shannonlab bound metaconverse --channel biawgn --ebn0-db 2 --n 128 --k 64
    shannonlab bound normal --channel bec --epsilon 0.4 --n 1000 --rate 0.5
    shannonlab exit --dv 3 --dc 6 --ebn0-db 1.2 --generators 5,7 --feedback 7 \
        --constellation 16qam --labelling gray,set-partition --esn0-db 8 --plot exit.png

``--method``: ``ga`` (Gaussian approximation; PEXIT for a base matrix) or ``de`` (quantised
density evolution of sum-product; ``--rule min-sum`` for min-sum). On the BEC DE is exact.
``--node-perspective`` reads --lambda/--rho as fractions of nodes instead of edges. A base
matrix FILE holds one row of edge counts per line, ``# punctured: 0 1`` names punctured
columns (or ``--punctured 0,1``). ``--target-fer F`` with ``bound`` prints instead the smallest
Eb/N0 (biawgn, awgn) at which the bound reaches F.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ..errors import ShannonlabError
from .common import number, positive_int


def _ensemble(args):
    from ..theory.ensembles import Ensemble, parse_distribution

    given = [name for name, value in (("--dv/--dc", args.dv or args.dc), ("--lambda/--rho", args.lam or args.rho),
                                      ("--base-matrix", args.base_matrix)) if value]
    if len(given) != 1:
        raise ShannonlabError("ensemble: give exactly one of --dv/--dc, --lambda/--rho or --base-matrix")
    if args.base_matrix:
        punctured = [int(v) for v in args.punctured.split(",") if v.strip()] if args.punctured else []
        from ..codes.ldpc.protographs import protograph

        return protograph(args.base_matrix, punctured)
    if args.dv or args.dc:
        if not (args.dv and args.dc):
            raise ShannonlabError("ensemble: --dv and --dc go together")
        return Ensemble.regular(args.dv, args.dc)
    if not (args.lam and args.rho):
        raise ShannonlabError("ensemble: --lambda and --rho go together")
    lam, rho = parse_distribution(args.lam, "lambda"), parse_distribution(args.rho, "rho")
    return Ensemble.from_node_perspective(lam, rho) if args.node_perspective else Ensemble(lam, rho)


def _cmd_threshold(args: argparse.Namespace) -> int:
    from ..theory.density_evolution import bec_threshold, biawgn_threshold

    ensemble = _ensemble(args)
    start = time.perf_counter()
    if args.channel == "bec":
        if args.method == "ga":
            raise ShannonlabError("method: the BEC threshold is exact (method de); ga is for biawgn")
        value = bec_threshold(ensemble)
        document = {"threshold": value, "channel": "bec", "parameter": "epsilon", "rate": ensemble.rate,
                    "capacity_gap": 1.0 - ensemble.rate - value, "method": "de (exact)"}
    else:
        result = biawgn_threshold(ensemble, args.method or "ga", rule=args.rule)
        document = {**result.as_dict(), "channel": "biawgn", "parameter": "sigma"}
    document["ensemble"] = getattr(ensemble, "name", "")
    document["seconds"] = round(time.perf_counter() - start, 3)
    if args.json:
        print(json.dumps(document))
    elif args.channel == "bec":
        print(f"{document['ensemble']} on the BEC: epsilon* = {document['threshold']:.5f} (rate {ensemble.rate:.4g}, "
              f"capacity limit {1 - ensemble.rate:.5f})")
    else:
        print(f"{document['ensemble']} on BI-AWGN ({document['method']}): sigma* = {document['threshold']:.5f}, "
              f"Eb/N0* = {document['ebn0_db']:.4f} dB (rate {ensemble.rate:.4g})")
    return 0


def _cmd_bound(args: argparse.Namespace) -> int:
    from ..theory import bounds

    if (args.k is None) == (args.rate is None):
        raise ShannonlabError("k: give exactly one of --k or --rate")
    k = args.k if args.k is not None else args.rate * args.n
    key = bounds.PARAMETER[args.channel]
    value = {"p": args.p, "epsilon": args.epsilon, "ebn0_db": args.ebn0_db}[key]
    others = [flag for flag, v, name in (("--p", args.p, "p"), ("--epsilon", args.epsilon, "epsilon"),
                                         ("--ebn0-db", args.ebn0_db, "ebn0_db")) if v is not None and name != key]
    if others:
        raise ShannonlabError(f"{others[0][2:]}: channel {args.channel} takes --{key.replace('_', '-')} only")
    start = time.perf_counter()
    if args.target_fer is not None:
        db = bounds.min_ebn0_db(args.bound, args.channel, args.n, k, args.target_fer)
        document = {"ebn0_db": db, "fer": args.target_fer}
        line = f"{args.bound} on {args.channel}, (n, k) = ({args.n}, {k:g}): FER {args.target_fer:g} at Eb/N0 = {db:.4f} dB"
    else:
        if value is None:
            raise ShannonlabError(f"{key}: channel {args.channel} needs --{key.replace('_', '-')}")
        fer = bounds.fer_bound(args.bound, args.channel, args.n, k, **{key: value})
        document = {"fer": fer, key: value}
        kind = "converse (no code does better)" if args.bound == "metaconverse" else (
            "approximation" if args.bound == "normal" else "achievability (some code does at least this well)")
        line = f"{args.bound} on {args.channel} at {key} = {value:g}, (n, k) = ({args.n}, {k:g}): FER = {fer:.6g}  [{kind}]"
    document.update({"bound": args.bound, "channel": args.channel, "n": args.n, "k": k,
                     "seconds": round(time.perf_counter() - start, 4)})
    print(json.dumps(document) if args.json else line)
    return 0


def _cmd_exit(args: argparse.Namespace) -> int:
    """One EXIT figure: an LDPC ensemble's curves, and measured transfer curves of a
    convolutional code's BCJR and of a constellation's demapper for each labelling."""
    import numpy as np

    from ..plot.exit_chart import ExitPanel, draw_exit_chart
    from ..plot.style import PlotOptions
    from ..theory.exit import bcjr_transfer_curve, demapper_transfer_curve, exit_tunnel_open

    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    ia = np.linspace(0.0, 1.0, args.points)
    document: dict = {"transfer": []}
    panels, transfer = [], []
    if args.dv or args.dc or args.lam or args.rho or args.base_matrix:
        if args.ebn0_db is None:
            raise ShannonlabError("--ebn0-db: the LDPC curves need an Eb/N0 (dB)")
        ensemble = _ensemble(args)
        panels.append(ExitPanel(ensemble, args.ebn0_db))
        document["ldpc"] = {"ensemble": getattr(ensemble, "name", ""), "ebn0_db": args.ebn0_db,
                            "tunnel_open": exit_tunnel_open(ensemble, args.ebn0_db)}
    if args.generators:
        from ..registry import build_code

        spec = {"type": "convolutional", "generators": args.generators.split(","), "k": 1024,
                "decoder": {"algorithm": "bcjr", "variant": "log-map"}}
        if args.feedback:
            spec["feedback"] = args.feedback
        code = build_code(spec, "--generators")
        ebn0 = args.ebn0_db if args.ebn0_db is not None else 1.0
        ie = bcjr_transfer_curve(code, ebn0, ia, rng)
        label = f"BCJR ({args.generators}{'; fb ' + args.feedback if args.feedback else ''}), Eb/N0 = {ebn0:g} dB"
        transfer.append((ia, ie, label))
    if args.constellation:
        from ..modulation import Constellation

        if args.esn0_db is None:
            raise ShannonlabError("--esn0-db: the demapper curves need an Es/N0 (dB)")
        for labelling in args.labelling.split(","):
            constellation = Constellation.from_name(args.constellation, labelling=labelling.strip(),
                                                    field="--constellation")
            ie = demapper_transfer_curve(constellation, args.esn0_db, ia, rng)
            transfer.append((ia, ie, f"demapper {args.constellation} {labelling.strip()}, Es/N0 = {args.esn0_db:g} dB"))
    if not panels and not transfer:
        raise ShannonlabError("exit: give an ensemble (--dv/--dc, --lambda/--rho, --base-matrix), --generators or "
                              "--constellation")
    for x, y, label in transfer:
        document["transfer"].append({"label": label, "ia": [float(v) for v in x], "ie": [float(v) for v in y]})
    if args.plot:
        if not args.plot.parent.is_dir():
            raise ShannonlabError(f"--plot: directory {str(args.plot.parent)!r} does not exist")
        options = PlotOptions(size=(7.0, 6.0), formats=(args.plot.suffix.lstrip(".") or "png",))
        figure = draw_exit_chart(panels, options, transfer=transfer, title="EXIT chart")
        figure.savefig(args.plot, dpi=options.dpi)
        document["plot"] = str(args.plot)
    document["seconds"] = round(time.perf_counter() - start, 3)
    if args.json:
        print(json.dumps(document))
    else:
        if "ldpc" in document:
            tunnel = "open" if document["ldpc"]["tunnel_open"] else "closed"
            print(f"{document['ldpc']['ensemble']} at Eb/N0 = {args.ebn0_db:g} dB: the EXIT tunnel is {tunnel}")
        for curve in document["transfer"]:
            print(f"{curve['label']}: I_E = " + ", ".join(f"{v:.3f}" for v in curve["ie"])
                  + f" at I_A = {', '.join(f'{v:.2g}' for v in curve['ia'])}")
        if args.plot:
            print(f"plot written to {args.plot}")
    return 0


def _ensemble_arguments(parser) -> None:
    """The options that name an LDPC ensemble (read by :func:`_ensemble`): threshold and exit."""
    parser.add_argument("--dv", type=positive_int, help="variable-node degree of a regular ensemble")
    parser.add_argument("--dc", type=positive_int, help="check-node degree of a regular ensemble")
    parser.add_argument("--lambda", dest="lam", metavar="D:F,...", help="variable degree distribution, e.g. 2:0.3,3:0.7")
    parser.add_argument("--rho", metavar="D:F,...", help="check degree distribution, e.g. 6:0.5,7:0.5")
    parser.add_argument("--node-perspective", action="store_true", help="--lambda/--rho are fractions of nodes, not edges")
    parser.add_argument("--base-matrix", metavar="FILE|nr-bg1|nr-bg2|ieee80211n:N:RATE", help="a protograph")
    parser.add_argument("--punctured", metavar="J,...", help="punctured columns of the base matrix")


def register(subparsers) -> None:
    """Add ``threshold``, ``bound`` and ``exit`` to the ``shannonlab`` parser."""
    t = subparsers.add_parser("threshold", help="density-evolution threshold of an LDPC ensemble or protograph",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    _ensemble_arguments(t)
    t.add_argument("--channel", choices=("bec", "biawgn"), required=True)
    t.add_argument("--method", choices=("de", "ga"), help="biawgn: ga (default) or de (quantised DE)")
    t.add_argument("--rule", choices=("sum-product", "min-sum"), default="sum-product", help="check rule of --method de")
    t.add_argument("--json", action="store_true", help="print one JSON object")
    t.set_defaults(func=_cmd_threshold)

    b = subparsers.add_parser("bound", help="finite-length bounds (RCU, DT, meta-converse, normal approximation)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("bound", choices=("rcu", "dt", "metaconverse", "normal"))
    b.add_argument("--channel", choices=("bsc", "bec", "biawgn", "awgn"), required=True)
    b.add_argument("--p", type=number, help="BSC crossover probability")
    b.add_argument("--epsilon", type=number, help="BEC erasure probability")
    b.add_argument("--ebn0-db", type=number, help="Eb/N0 in dB (biawgn: BPSK, awgn: Gaussian/spherical codes)")
    b.add_argument("--n", type=positive_int, required=True, help="block length")
    b.add_argument("--k", type=number, help="information bits (may be fractional: n times the rate)")
    b.add_argument("--rate", type=number, help="instead of --k: k = rate n")
    b.add_argument("--target-fer", type=number, help="print the smallest Eb/N0 where the bound reaches this FER")
    b.add_argument("--json", action="store_true", help="print one JSON object")
    b.set_defaults(func=_cmd_bound)

    e = subparsers.add_parser("exit", help="EXIT chart: LDPC ensemble curves, BCJR and demapper transfer curves",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    _ensemble_arguments(e)
    e.add_argument("--ebn0-db", type=number, help="Eb/N0 (dB) of the LDPC curves and the BCJR curve")
    e.add_argument("--generators", metavar="G1,G2", help="convolutional code (octal), its BCJR transfer curve")
    e.add_argument("--feedback", metavar="OCTAL", help="feedback polynomial (recursive code)")
    e.add_argument("--constellation", help="constellation name (16qam, 8psk, ...), its demapper transfer curves")
    e.add_argument("--labelling", default="gray", help="labellings, comma separated (gray, natural, set-partition)")
    e.add_argument("--esn0-db", type=number, help="Es/N0 (dB) of the demapper curves")
    e.add_argument("--points", type=positive_int, default=11, help="a-priori information values 0..1 (default 11)")
    e.add_argument("--seed", type=int, default=1, help="seed of the measured curves")
    e.add_argument("--plot", type=Path, metavar="FILE", help="draw the chart (PNG, PDF or SVG)")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.set_defaults(func=_cmd_exit)
    import re
    b._negative_number_matcher = re.compile(r"^-\d+$|^-\d*\.\d+$")
