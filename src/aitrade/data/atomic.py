"""Writing a file so that a reader sees the old bytes or the new ones, never a part.

Every file the data commands write (a snapshot, the catalogue, the refresh journal)
goes through :func:`install`: the bytes are written to a temporary file in the target's
own folder (the same file system, so the final rename is atomic), flushed to disk, and
renamed over the target with ``os.replace``. A failure at any step (including a
termination signal turned into an exception) deletes the temporary file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PART_SUFFIX = ".part"
BLOCK = 1 << 20


def temporary_beside(target: Path) -> Path:
    """A new empty file in ``target``'s folder, hidden and ending in ``.part``, with the
    target's permissions (or the usual ones for a new file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=PART_SUFFIX)
    try:
        os.fchmod(handle, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~current_umask())
    finally:
        os.close(handle)
    return Path(name)


def current_umask() -> int:
    """The process's file-creation mask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sync_and_replace(temporary: Path, target: Path) -> None:
    """Flush ``temporary`` to disk and rename it over ``target`` (then flush the folder)."""
    with open(temporary, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def install(content: bytes | str | Path, target: Path) -> None:
    """Write bytes, text (UTF-8) or a file's bytes to ``target`` atomically."""
    temporary = temporary_beside(target)
    try:
        with open(temporary, "wb") as handle:
            if isinstance(content, Path):
                with open(content, "rb") as source:
                    for block in iter(lambda: source.read(BLOCK), b""):
                        handle.write(block)
            else:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        sync_and_replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
