"""Results on disk: ``results.csv`` (one row per code x point, fixed columns) and
``results.json`` (the rows with every extra count, the resolved config, versions, seed,
machine, timings). Both are rewritten atomically after every point, so an interrupted run
keeps every finished point.

Rows are keyed by what determines their numbers (:func:`shannonlab.sim.sweep.point_id`:
code spec without its label, channel spec, parameter value, seed, chunk size), not by the
file they came from, so a grown config reuses them. Finished rows that the current config
does not ask for are kept aside in ``results.json`` (``other_rows``) and come back when
their point is asked for again.

The point in progress is checkpointed in ``checkpoint.json`` beside them (its point id and
finished chunks, see :func:`shannonlab.sim.engine.simulate_point`): a resumed run continues
that point where it stopped. The file disappears once the point's row is stored.

A directory belongs to one experiment (its ``kind`` and ``name``): another experiment's
results, checkpoint, or a ``results.csv`` that no ``results.json`` describes is never
overwritten (``--fresh`` starts over on purpose). While a run writes into a directory it
holds a lock there (:class:`DirectoryLock`): a second run refuses at once, naming the
holder's PID.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import io
import json
import os
import platform
import re
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import ShannonlabError

#: The columns of results.csv, in order (a public interface: keep them exactly; new
#: columns go at the end). ``ber_upper_bound`` is ``true`` when no bit error was seen:
#: then ``ber`` is 0 and the BER is only known to be below ``ber_high``.
CSV_COLUMNS = (
    "code,channel,parameter,value,rate,k,n,frames,frame_errors,bits,bit_errors,"
    "ber,ber_low,ber_high,fer,fer_low,fer_high,seconds,info_bits_per_s,ber_upper_bound"
).split(",")


#: The side file holding the finished chunks of the point in progress.
CHECKPOINT_FILE = "checkpoint.json"
#: The lock a run holds on its results directory (it holds the holder's PID).
LOCK_FILE = ".shannonlab.lock"
#: Temporary files :func:`atomic_write` creates (removed when a killed run left them).
_TEMPORARY = re.compile(r"^\.(results\.json|results\.csv|checkpoint\.json|capacity\.csv)\..+\.tmp$")


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # as open() would create it (mkstemp makes it private)
        with os.fdopen(fd, "w", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def remove_temporary_files(directory: Path) -> int:
    """Remove the temporary files a killed run left in ``directory``; return how many."""
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    for name in names:
        if _TEMPORARY.match(name):
            try:
                os.unlink(directory / name)
                removed += 1
            except OSError:
                pass
    return removed


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


def make_directory(directory: Path, what: str = "output.dir") -> None:
    """Create ``directory`` (and its parents) or raise a one-line error."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ShannonlabError(f"{what}: cannot create {directory} ({exc.strerror})") from None
    if not directory.is_dir():
        raise ShannonlabError(f"{what}: {directory} is a file, not a directory")


class DirectoryLock:
    """An exclusive lock on a results directory for the whole run (``fcntl.flock`` on
    :data:`LOCK_FILE`, released by the kernel even when the process is killed). A second
    run on the same directory refuses at once with the holder's PID. Taking it creates the
    directory, so an unwritable ``--out`` is found before anything is simulated. Held
    locks are counted per process, so nested ``with`` blocks on one directory are fine.
    """

    _held: dict[str, list] = {}

    def __init__(self, directory: str | Path, what: str = "output.dir"):
        self.directory = Path(directory)
        self.what = what
        self.key = ""

    def __enter__(self) -> "DirectoryLock":
        make_directory(self.directory, self.what)
        self.key = os.path.realpath(self.directory)
        held = DirectoryLock._held.get(self.key)
        if held is not None:
            held[1] += 1
            return self
        path = self.directory / LOCK_FILE
        for _ in range(10):  # a holder may unlink the file between our open and our lock
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise ShannonlabError(f"{self.what}: cannot write in {self.directory} ({exc.strerror})") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise ShannonlabError(f"{self.what}: cannot lock {self.directory} ({exc.strerror})") from None
                raise ShannonlabError(
                    f"{self.directory}: another shannonlab run (PID {holder[:12]}) is writing there; wait for it "
                    "to finish or use --out DIR") from None
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        else:
            raise ShannonlabError(f"{self.what}: cannot lock {self.directory} (its lock file keeps changing)")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        DirectoryLock._held[self.key] = [fd, 1]
        remove_temporary_files(self.directory)
        return self

    def __exit__(self, *exc) -> None:
        held = DirectoryLock._held.get(self.key)
        if held is None:
            return
        held[1] -= 1
        if held[1] == 0:
            del DirectoryLock._held[self.key]
            try:
                os.unlink(self.directory / LOCK_FILE)  # still ours: unlink, then release
            except OSError:
                pass
            os.close(held[0])


def _read_json(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_RESULTS_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ShannonlabError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_RESULTS_BYTES:
        raise ShannonlabError(f"{path}: larger than {MAX_RESULTS_BYTES >> 20} MiB, not a results file of shannonlab")
    try:
        return json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ValueError


#: Largest results.json or checkpoint.json read.
MAX_RESULTS_BYTES = 512 << 20


def owner_of(config: Any) -> tuple[str, str] | None:
    """(kind, name) of the experiment a stored config belongs to, or None if it is not one."""
    if not isinstance(config, dict) or not isinstance(config.get("name"), str):
        return None
    kind = config.get("kind", "simulation")
    return (kind if isinstance(kind, str) else "?", config["name"])


def check_owner(directory: Path, kind: str, name: str, fresh: bool = False) -> dict[str, Any] | None:
    """The stored ``results.json`` of ``directory`` when it belongs to experiment
    (``kind``, ``name``); None when there is none. Raise a one-line error when the
    directory holds another experiment's results or checkpoint, or results files that no
    ``results.json`` of shannonlab describes (``fresh`` ignores what is there)."""
    hint = "use --out DIR for a new directory or --fresh to overwrite"
    results = directory / "results.json"
    stored = _read_json(results)
    if fresh:
        return None
    if stored is ValueError or (stored is not None and owner_of(stored.get("config") if isinstance(stored, dict) else None) is None):
        raise ShannonlabError(f"{results}: not a results file of shannonlab; {hint}")
    if stored is not None:
        theirs = owner_of(stored["config"])
        if theirs != (kind, name):
            raise ShannonlabError(f"{directory} holds the results of {theirs[0]} experiment {theirs[1]!r}, not of "
                                  f"{kind} experiment {name!r}; {hint}")
        return stored
    checkpoint = _read_json(directory / CHECKPOINT_FILE)
    if checkpoint is not None:
        theirs = owner_of(checkpoint.get("owner") if isinstance(checkpoint, dict) else None)
        if theirs != (kind, name):
            who = f"{theirs[0]} experiment {theirs[1]!r}" if theirs else "an older or unknown run"
            raise ShannonlabError(f"{directory} holds the checkpoint of {who}, not of {kind} experiment {name!r}; {hint}")
    for other in ("results.csv", "capacity.csv"):
        if (directory / other).exists():
            raise ShannonlabError(f"{directory / other}: not described by a results.json of shannonlab; {hint}")
    return None


class ResultStore:
    """The results of one experiment in one directory (see the module docstring).

    ``rows`` are the rows of the current config (in config order once :meth:`order` has
    been told it), ``pool`` every finished row of the directory by point id.
    """

    def __init__(self, directory: str | Path, config: dict[str, Any], config_hash: str, fresh: bool = False,
                 read_only: bool = False):
        self.directory = Path(directory)
        self.config = config
        self.config_hash = config_hash
        self.owner = {"kind": config.get("kind", "simulation"), "name": config.get("name")}
        self.rows: list[dict[str, Any]] = []
        self.pool: dict[str, dict[str, Any]] = {}
        self.started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self.read_only = read_only
        if not read_only:
            make_directory(self.directory)
        self.stored = check_owner(self.directory, self.owner["kind"], self.owner["name"], fresh)
        if self.stored is not None:
            self.started = self.stored.get("started", self.started)
            for row in list(self.stored.get("other_rows") or []) + list(self.stored.get("rows") or []):
                if isinstance(row, dict) and isinstance(row.get("point_id"), str):
                    self.pool[row["point_id"]] = row
        if fresh and not read_only:  # start over now: an interruption before the first point must not resume old rows
            self.clear_checkpoint()
            if (self.directory / "results.json").exists() or (self.directory / "results.csv").exists():
                self.save()

    def legacy_rows(self) -> list[dict[str, Any]]:
        """Stored rows without a point id (written before rows were keyed by content)."""
        if self.stored is None:
            return []
        return [r for r in self.stored.get("rows") or [] if isinstance(r, dict) and "point_id" not in r]

    def add(self, row: dict[str, Any]) -> None:
        self.pool[row["point_id"]] = row
        self.rows = [r for r in self.rows if r["point_id"] != row["point_id"]] + [row]
        self.save()
        self.clear_checkpoint()

    def keep(self, row: dict[str, Any]) -> None:
        """A finished row the current config asks for again."""
        self.pool[row["point_id"]] = row
        self.rows = [r for r in self.rows if r["point_id"] != row["point_id"]] + [row]

    def order(self, ids: list[str]) -> None:
        """Put ``rows`` in the config's order (``ids``: every point id of the config)."""
        rank = {pid: i for i, pid in enumerate(ids)}
        self.rows.sort(key=lambda r: rank.get(r["point_id"], len(rank)))

    @property
    def checkpoint_path(self) -> Path:
        return self.directory / CHECKPOINT_FILE

    def save_checkpoint(self, point_id: str, state: dict[str, Any]) -> None:
        """Keep the finished chunks of the point ``point_id`` in progress (atomically)."""
        document = {"owner": self.owner, "point_id": point_id, "state": state}
        atomic_write(self.checkpoint_path, json.dumps(document) + "\n")

    def load_checkpoint(self, point_id: str) -> dict[str, Any] | None:
        """The state saved for point ``point_id`` by an interrupted run, if any."""
        document = _read_json(self.checkpoint_path)
        if not isinstance(document, dict) or document.get("point_id") != point_id:
            return None
        state = document.get("state")
        return state if isinstance(state, dict) else None

    def checkpointed_point(self) -> str | None:
        document = _read_json(self.checkpoint_path)
        return document.get("point_id") if isinstance(document, dict) else None

    def clear_checkpoint(self) -> None:
        if self.read_only:
            return
        try:
            self.checkpoint_path.unlink()
        except FileNotFoundError:
            pass

    def save(self) -> None:
        if self.read_only:
            return
        atomic_write(self.directory / "results.csv", rows_to_csv(self.rows))
        current = {r["point_id"] for r in self.rows}
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
            "other_rows": [row for pid, row in self.pool.items() if pid not in current],
        }
        atomic_write(self.directory / "results.json", json.dumps(document, indent=1, default=float) + "\n")


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        values = {key: (repr(v) if isinstance(v, float) else v) for key, v in row.items()}
        values["ber_upper_bound"] = "true" if row.get("bit_errors", 0) == 0 else "false"
        writer.writerow(values)
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
