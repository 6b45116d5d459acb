"""A refresh as a transaction: one writer at a time, readers never see half a change,
and an interrupted refresh is found and finished or rolled back.

- :func:`writer_lock`: an exclusive ``flock`` on the folder of ``datapackage.json``, held
  for a whole refresh. A second writer waits up to a timeout, then fails naming the
  process that holds it. (Locking the folder, whose inode never changes, rather than the
  catalogue, which is replaced on every write, leaves no lock file in the repository.)
- Readers take no lock (a lock readers share can starve the writer). Both files are
  replaced by atomic renames, the file first and the catalogue second, so a load sees
  each whole; one that reads the old hash and then the new file finds the swap under
  way (:func:`swap_under_way`) and reads again (:func:`aitrade.data.cache.load`).
- The journal (``datapackage.refresh.json`` beside the catalogue) describes a refresh
  before its first change and is removed after its last: the datasets, the file, the
  new file waiting beside it, the copy of the old one, and the catalogue fields before
  and after. :func:`pending` reads it; ``data verify`` reports it with the commands of
  :func:`finish` and :func:`roll_back` (``python -m aitrade data recover finish|roll-back``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from aitrade import paths
from aitrade.data import atomic
from aitrade.data.catalogue import CATALOGUE_NAME, DataError, read_catalogue

JOURNAL_NAME = "datapackage.refresh.json"
LOCK_TIMEOUT_SECONDS = 60.0
POLL_SECONDS = 0.05
FINISH_COMMAND = "python -m aitrade data recover finish"
ROLL_BACK_COMMAND = "python -m aitrade data recover roll-back"
# Catalogue fields a refresh may change; the journal keeps their values before and after.
REFRESHED_FIELDS = ("hash", "bytes", "retrieved", "url", "derivation")


class LockTimeout(DataError):
    """Another process holds the lock for longer than the timeout."""


class InterruptedRefresh(DataError):
    """A refresh was interrupted; finish or roll it back first."""


def holder_of(folder: Path) -> str:
    """Which process holds an flock on ``folder``, from ``/proc/locks`` (Linux), in words."""
    inode = folder.stat().st_ino
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return "another process"
    for line in lines:
        parts = line.split()
        if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].rsplit(":", 1)[-1] == str(inode):
            pid = parts[4]
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except OSError:
                command = ""
            return f"process {pid}" + (f" ({command})" if command else "")
    return "another process"


@contextlib.contextmanager
def flocked(folder: Path, mode: int, timeout: float, purpose: str):
    """Hold an flock of ``mode`` on ``folder``, waiting at most ``timeout`` seconds."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{purpose}: {folder} is locked by {holder_of(folder)}, which is "
                        f"refreshing a dataset; waited {timeout:g} s. Let it finish and run "
                        "the command again (if that process is gone, the lock went with it)."
                    ) from None
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def writer_lock(data_dir: Path, timeout: float = LOCK_TIMEOUT_SECONDS):
    """The lock a refresh holds from start to end (see the module docstring)."""
    return flocked(data_dir, fcntl.LOCK_EX, timeout, "Cannot refresh")


def swap_under_way(data_dir: Path) -> bool:
    """True while a refresh holds the lock and its journal exists: the file and the
    catalogue may disagree for a moment, and a reader should read again."""
    if not journal_path(data_dir).is_file():
        return False
    descriptor = os.open(data_dir, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


@contextlib.contextmanager
def termination_as_exit():
    """Turn SIGTERM into SystemExit for the duration, so clean-up code runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass(frozen=True)
class Journal:
    """A refresh in progress: what it changes, and where the old and new files are."""

    path: Path
    datasets: list[str]
    file: Path
    candidate: Path
    backup: Path | None
    old_sha256: str
    new_sha256: str
    before: dict
    after: dict

    def save(self) -> None:
        """Write the journal atomically beside the catalogue."""
        record = {
            "datasets": self.datasets, "file": str(self.file), "candidate": str(self.candidate),
            "backup": str(self.backup) if self.backup else None, "old_sha256": self.old_sha256,
            "new_sha256": self.new_sha256, "before": self.before, "after": self.after,
        }
        atomic.install(json.dumps(record, indent=2, sort_keys=True) + "\n", self.path)

    def remove(self) -> None:
        """Remove the journal: the refresh is complete or undone."""
        self.path.unlink(missing_ok=True)
        atomic.sync_folder(self.path.parent)

    def describe(self) -> str:
        """What was interrupted, where things stand, and the two commands that end it."""
        from aitrade.data.cache import sha256_of

        state = sha256_of(self.file) if self.file.is_file() else None
        if state == self.new_sha256:
            where = f"the new file is in place at {self.file} but data/datapackage.json may still declare the old hash"
        elif self.candidate.is_file():
            where = f"the new file is waiting at {self.candidate}; {self.file} is still the old vintage"
        else:
            where = f"the new file is not at hand ({self.file} has sha256 {state})"
        kept = f" The previous file is kept as {self.backup}." if self.backup and self.backup.is_file() else ""
        return (
            f"A refresh of {', '.join(self.datasets)} was interrupted (journal {self.path}): "
            f"{where}.{kept} To complete it, run `{FINISH_COMMAND}`; to return to the vintage "
            f"declared before (sha256 {self.old_sha256}), run `{ROLL_BACK_COMMAND}`."
        )


def journal_path(data_dir: Path) -> Path:
    """Where the journal of a refresh of the catalogue in ``data_dir`` lives."""
    return data_dir / JOURNAL_NAME


def pending(data_dir: Path = paths.DATA_DIR) -> Journal | None:
    """The journal of an interrupted refresh, or None when there is none."""
    path = journal_path(data_dir)
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return Journal(
            path=path, datasets=record["datasets"], file=Path(record["file"]),
            candidate=Path(record["candidate"]),
            backup=Path(record["backup"]) if record["backup"] else None,
            old_sha256=record["old_sha256"], new_sha256=record["new_sha256"],
            before=record["before"], after=record["after"],
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(
            f"The refresh journal {path} is damaged ({type(exc).__name__}). Check the "
            "datasets with `python -m aitrade data verify`, then delete the journal."
        ) from exc


def refuse_if_pending(data_dir: Path) -> None:
    """Refuse to start a refresh while another one is unfinished."""
    journal = pending(data_dir)
    if journal:
        raise InterruptedRefresh(journal.describe() + " Nothing was changed.")


def apply_fields(data_dir: Path, fields: dict) -> None:
    """Set (or, for None, remove) catalogue fields per dataset, and write the catalogue
    (not at all when there is nothing to set)."""
    if not fields:
        return
    catalogue = read_catalogue(data_dir / CATALOGUE_NAME).writable()
    for name, values in fields.items():
        entry = catalogue.resource(name)
        for key, value in values.items():
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value
    catalogue.write()


def commit(journal: Journal, data_dir: Path) -> None:
    """Swap the file in, then write the catalogue (each an atomic rename); drop the journal."""
    if journal.candidate.is_file():
        os.replace(journal.candidate, journal.file)
        atomic.sync_folder(journal.file.parent)
    apply_fields(data_dir, journal.after)
    journal.remove()


def keep_copy(current: Path, backup: Path) -> None:
    """Keep the current file under the backup name (a hard link, else a copy)."""
    backup.unlink(missing_ok=True)
    try:
        os.link(current, backup)
    except OSError:
        atomic.install(current, backup)


def finish(data_dir: Path = paths.DATA_DIR, timeout: float = LOCK_TIMEOUT_SECONDS) -> Journal:
    """Complete an interrupted refresh: the new file in place, the catalogue updated."""
    from aitrade.data.cache import sha256_of

    with writer_lock(data_dir, timeout):
        journal = require_pending(data_dir)
        in_place = journal.file.is_file() and sha256_of(journal.file) == journal.new_sha256
        waiting = journal.candidate.is_file() and sha256_of(journal.candidate) == journal.new_sha256
        if not (in_place or waiting):
            raise DataError(
                f"Cannot finish the refresh of {', '.join(journal.datasets)}: the new file "
                f"(sha256 {journal.new_sha256}) is neither at {journal.file} nor at "
                f"{journal.candidate}. Run `{ROLL_BACK_COMMAND}` instead."
            )
        if waiting and journal.file.is_file() and journal.backup and not journal.backup.is_file():
            keep_copy(journal.file, journal.backup)
        commit(journal, data_dir)
    return journal


def roll_back(data_dir: Path = paths.DATA_DIR, timeout: float = LOCK_TIMEOUT_SECONDS) -> Journal:
    """Undo an interrupted refresh: the old file back in place, the catalogue as before."""
    from aitrade.data.cache import sha256_of

    with writer_lock(data_dir, timeout):
        journal = require_pending(data_dir)
        current = sha256_of(journal.file) if journal.file.is_file() else None
        if current != journal.old_sha256 and journal.backup and journal.backup.is_file():
            os.replace(journal.backup, journal.file)
            atomic.sync_folder(journal.file.parent)
        elif current == journal.new_sha256 and journal.backup is None:
            journal.file.unlink()  # there was no file before the refresh
        journal.candidate.unlink(missing_ok=True)
        apply_fields(data_dir, journal.before)
        journal.remove()
    return journal


def require_pending(data_dir: Path) -> Journal:
    """The pending journal; an error when no refresh was interrupted."""
    journal = pending(data_dir)
    if journal is None:
        raise DataError(
            f"No refresh was interrupted: there is no journal {journal_path(data_dir)}. "
            "`python -m aitrade data verify` checks every dataset."
        )
    return journal
