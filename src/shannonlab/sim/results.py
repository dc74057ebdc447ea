"""Results on disk: ``results.csv`` (one row per code x point, fixed columns) and
``results.json`` (the rows with every extra count, the resolved config and its hash,
versions, seed, machine, timings). Both are rewritten atomically after every point, so an
interrupted run keeps every finished point, and a rerun of the same config resumes.

The point in progress is checkpointed in ``checkpoint.json`` beside them (its config
hash, point key and finished chunks, see :func:`shannonlab.sim.engine.simulate_point`):
a resumed run continues that point where it stopped. The file disappears once the point's
row is stored.
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import ShannonlabError

#: The columns of results.csv, in order (a public interface: keep them exactly).
CSV_COLUMNS = (
    "code,channel,parameter,value,rate,k,n,frames,frame_errors,bits,bit_errors,"
    "ber,ber_low,ber_high,fer,fer_low,fer_high,seconds,info_bits_per_s"
).split(",")


#: The side file holding the finished chunks of the point in progress.
CHECKPOINT_FILE = "checkpoint.json"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def versions() -> dict[str, str]:
    found = {}
    for name in ("shannonlab", "numpy", "scipy", "numba", "pydantic", "matplotlib"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def _point_key(label: str, parameter: str, value: float) -> str:
    return f"{label}|{parameter}|{float(value)!r}"


class ResultStore:
    """The results of one experiment in one directory.

    Opening a directory that holds results of another config raises an error (the
    results are never silently overwritten); ``fresh=True`` starts over on purpose.
    """

    def __init__(self, directory: str | Path, config: dict[str, Any], config_hash: str, fresh: bool = False):
        self.directory = Path(directory)
        self.config = config
        self.config_hash = config_hash
        self.rows: list[dict[str, Any]] = []
        self.started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ShannonlabError(f"output.dir: cannot create {self.directory} ({exc.strerror})") from None
        existing = self.directory / "results.json"
        if existing.exists() and not fresh:
            try:
                stored = json.loads(existing.read_text())
            except (OSError, ValueError) as exc:
                raise ShannonlabError(f"{existing}: unreadable ({exc}); use --fresh to start over") from None
            if stored.get("config_hash") != config_hash:
                raise ShannonlabError(
                    f"{self.directory} holds results of another config (hash {stored.get('config_hash')}, this one "
                    f"{config_hash}); use --out DIR for a new directory or --fresh to overwrite"
                )
            self.rows = list(stored.get("rows", []))
            self.started = stored.get("started", self.started)
        if fresh:  # start over now: an interruption before the first point must not resume old rows
            self.clear_checkpoint()
            if existing.exists():
                self.save()
        else:
            try:
                stale = json.loads(self.checkpoint_path.read_text())
            except (OSError, ValueError):
                stale = None
            if stale is not None and (stale.get("config_hash") != config_hash or stale.get("point_key") in self.done()):
                self.clear_checkpoint()

    def done(self) -> dict[str, dict[str, Any]]:
        return {row["point_key"]: row for row in self.rows}

    def add(self, row: dict[str, Any]) -> None:
        self.rows = [r for r in self.rows if r["point_key"] != row["point_key"]] + [row]
        self.save()
        self.clear_checkpoint()

    @property
    def checkpoint_path(self) -> Path:
        return self.directory / CHECKPOINT_FILE

    def save_checkpoint(self, key: str, state: dict[str, Any]) -> None:
        """Keep the finished chunks of the point ``key`` in progress (atomically)."""
        document = {"config_hash": self.config_hash, "point_key": key, "state": state}
        atomic_write(self.checkpoint_path, json.dumps(document) + "\n")

    def load_checkpoint(self, key: str) -> dict[str, Any] | None:
        """The state saved for point ``key`` by an interrupted run of this config, if any."""
        try:
            document = json.loads(self.checkpoint_path.read_text())
        except (OSError, ValueError):  # none, or unreadable: the point starts over
            return None
        if document.get("config_hash") != self.config_hash or document.get("point_key") != key:
            return None
        return document.get("state")

    def clear_checkpoint(self) -> None:
        try:
            self.checkpoint_path.unlink()
        except FileNotFoundError:
            pass

    def save(self) -> None:
        atomic_write(self.directory / "results.csv", rows_to_csv(self.rows))
        document = {
            "config_hash": self.config_hash,
            "seed": self.config.get("seed"),
            "config": self.config,
            "versions": versions(),
            "machine": machine(),
            "started": self.started,
            "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seconds": sum(r.get("seconds", 0.0) for r in self.rows),
            "rows": self.rows,
        }
        atomic_write(self.directory / "results.json", json.dumps(document, indent=1, default=float) + "\n")


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: (repr(v) if isinstance(v, float) else v) for key, v in row.items()})
    return buffer.getvalue()


def load_results(directory: str | Path) -> dict[str, Any]:
    """The parsed ``results.json`` of a results directory."""
    path = Path(directory) / "results.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise ShannonlabError(f"{directory}: no results.json here (run an experiment first)") from None
    except ValueError as exc:
        raise ShannonlabError(f"{path}: not valid JSON ({exc})") from None
