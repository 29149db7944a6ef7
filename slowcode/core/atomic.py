"""Atomic file writes: a crash at any instant leaves the old file or the new one, never half.

A temporary file in the same folder is written, flushed and fsynced, then
renamed over the target with `os.replace` (atomic on POSIX and Windows), and
the folder is fsynced so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

NEW_FILE_MODE = 0o644
"""Mode of a newly created file, before the process umask is applied (by the kernel)."""

TEMPORARY_SUFFIX = ".slowcode-tmp"
"""The end of a temporary file's name: `.<target>.<random>.slowcode-tmp`, next to its target."""


def write_text_atomic(path: Path, text: str) -> None:
    """Replaces (or creates) `path` with `text`, UTF-8 encoded, atomically.

    Line endings are written exactly as they are in `text`. An existing file
    keeps its permission bits; a new one gets 0o644 minus the umask. The parent
    folder must exist.

    Args:
        path: The file to write.
        text: Its new content.

    Raises:
        OSError: The file could not be written; the target is left untouched.
    """
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Like `write_text_atomic`, for bytes."""
    folder = path.parent
    try:
        existing_mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        existing_mode = None
    temporary, descriptor = _create_temporary(folder, path.name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if existing_mode is not None:
                os.fchmod(handle.fileno(), existing_mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _fsync_folder(folder)


def _create_temporary(folder: Path, name: str) -> tuple[Path, int]:
    # O_EXCL with a random name: never reuse (or follow a symlink planted at) an
    # existing path. Creating with NEW_FILE_MODE lets the kernel apply the
    # umask, which avoids the process-wide os.umask() read-and-restore dance.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        candidate = folder / f".{name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
        try:
            return candidate, os.open(candidate, flags, NEW_FILE_MODE)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {folder / name}")


def _fsync_folder(folder: Path) -> None:
    # Not every platform can open a folder (Windows); the rename is then as
    # durable as the platform makes it.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
