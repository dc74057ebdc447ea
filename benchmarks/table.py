"""Print the README's benchmark table (markdown) from a results file of benchmarks/run.py.

    python benchmarks/table.py                      # the newest benchmarks/results/*.json
    python benchmarks/table.py results/2026-11-23.json

Each row is one of our workloads; where a peer ran the same workload on the same LLRs in
the same run, its figure and our ratio to it stand beside it. A document written by
``run.py --before-tree`` adds a second table: each row before and after, the speedup,
whether the decoded bits are identical, and AFF3CT's figure (issue 18) with the ratio
AFF3CT ÷ shannonlab (met when <= 1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results"

#: peer workload -> our workload it measures on identical inputs
PEERS = {
    "numpy:hamming74-table-lookup": "block:hamming74-syndrome-bsc",
    "komm:hamming74-syndrome": "block:hamming74-syndrome-bsc",
    "komm:viterbi-soft-k7-k1024": "conv:viterbi-soft-k7-k1024",
    "komm:bcjr-k7-k1024": "conv:bcjr-logmap-k7-k1024",
    "ldpc:bp-product-sum-648-r1/2": "ldpc-bp:648-r1/2-sum-product-flooding",
    "komm:sc-1024-512": "polar:sc-1024-512",
    "komm:capacity-dense64": "capacity:accelerated-dense64",
    "komm:capacity-dense256": "capacity:accelerated-dense256",
    "commpy:bpsk-rrc-awgn-per-frame": "bandlimited:bpsk-uncoded-link",
    "galois:rs-decode-255-223-4err": "rs:decode-255-223-4err",
    "galois:bch-decode-1023-923-4err": "bch:decode-1023-923-4err",
    "bchlib:bch-decode-1020-920-4err": "bch:decode-1020-920-4err",
}


def _rate(entry: dict) -> str:
    return f"{entry['info_bits_per_s']:.2e}" if "info_bits_per_s" in entry else "–"


def table(document: dict) -> str:
    results = {entry["name"]: entry for entry in document["results"]}
    peers_of: dict[str, list[dict]] = {}
    for peer, ours in PEERS.items():
        if peer in results:
            peers_of.setdefault(ours, []).append(results[peer])
    lines = [
        "| workload | shannonlab (bit/s) | target | peer on the same inputs | peer (bit/s) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for name, entry in results.items():
        if name in PEERS:
            continue
        target = f"{entry['target']:.0e}" if entry.get("target") else ""
        peers = peers_of.get(name) or [None]
        for peer in peers:
            if peer is None:
                peer_cells = ["", "", ""]
            elif "info_bits_per_s" not in peer:
                peer_cells = [peer["name"].split(":")[0], peer.get("skipped", "not run"), ""]
            else:
                ratio = entry["info_bits_per_s"] / peer["info_bits_per_s"]
                peer_cells = [peer["name"].split(":")[0], _rate(peer), f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×"]
            lines.append(f"| {name} | {_rate(entry)} | {target} | " + " | ".join(peer_cells) + " |")
    return "\n".join(lines)


def before_after(document: dict) -> str:
    """Rows measured before and after (or with an AFF3CT bar): the comparison of issue 18."""
    rows = [r for r in document["results"] if "before_info_bits_per_s" in r or "before_skipped" in r or r.get("aff3ct")]
    if not rows:
        return ""
    lines = [
        "| workload | before (bit/s) | after (bit/s) | speedup | same decisions | AFF3CT (bit/s) | AFF3CT ÷ after | bar |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        before = f"{r['before_info_bits_per_s']:.3g}" if "before_info_bits_per_s" in r else "– (new)"
        speedup = f"{r['speedup']:.1f}×" if "speedup" in r else ""
        same = {True: "yes", False: "no"}.get(r.get("same_decisions"), "")
        aff3ct = f"{r['aff3ct']:.3g}" if r.get("aff3ct") else ""
        ratio = f"{r['aff3ct_ratio']:.2f}" if "aff3ct_ratio" in r else ""
        met = ("met" if r["aff3ct_ratio"] <= 1 else "not met") if "aff3ct_ratio" in r else ""
        lines.append(f"| {r['name']} | {before} | {_rate(r)} | {speedup} | {same} | {aff3ct} | {ratio} | {met} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else max(RESULTS.glob("*.json"), key=lambda p: p.stat().st_mtime)
    document = json.loads(path.read_text())
    print(f"Measured {document['date'][:10]} on {document['machine']['processor']}, "
          f"{document['machine']['cpus']} cores, one core per workload ({path.name}).\n")
    print(table(document))
    comparison = before_after(document)
    if comparison:
        before = document.get("before", {})
        print(f"\nBefore: {before.get('code', '?')} ({before.get('date', '?')[:16]}); after: {document.get('code', '?')}; "
              f"{document['machine'].get('simd', '')}\n")
        print(comparison)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
