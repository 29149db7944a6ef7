"""One slowcode per repository: a lock file under `.slowcode/`.

Two instances in one repository would interleave journal events, stage against
each other's writes and race for HEAD. The lock is an exclusive `flock` on
`.slowcode/instance.lock`, which the kernel drops the moment its holder dies, so a
lock left by a killed process is recovered by simply taking it. The file holds the
holder's pid and start time, for the message a second instance shows. Where
`flock` is unavailable (some network file systems), the pid and its process start
time decide whether the holder is still alive.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from slowcode.core.errors import SlowcodeError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the pid check alone decides
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "instance.lock"


class InstanceLockedError(SlowcodeError):
    """Another slowcode holds this repository's lock."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or held) the lock: read back from the lock file."""

    pid: int
    started_at: str
    host: str
    process_start: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "pid": self.pid,
            "started_at": self.started_at,
            "host": self.host,
            "process_start": self.process_start,
        }

    @classmethod
    def parse(cls, text: str) -> LockHolder | None:
        """The holder recorded in a lock file's text, or None when it holds nothing usable."""
        try:
            data = json.loads(text)
            return cls(
                pid=int(data["pid"]),
                started_at=str(data.get("started_at", "")),
                host=str(data.get("host", "")),
                process_start=data.get("process_start"),
            )
        except (ValueError, TypeError, KeyError):
            return None


def process_start(pid: int) -> str | None:
    """The kernel's start time of process `pid` (Linux), telling a reused pid from its
    previous owner; None where it cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # Field 22, counted after the command name, which is in parentheses and may hold spaces.
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def is_alive(holder: LockHolder) -> bool:
    """True when the process that wrote `holder` still runs (same host assumed)."""
    if holder.pid <= 0:
        return False
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by someone else
    if holder.process_start is None:
        return True
    return process_start(holder.pid) == holder.process_start


class InstanceLock:
    """The repository's instance lock; use as a context manager or acquire/release.

    Args:
        root: The repository's work tree.

    Attributes:
        recovered: The holder of a stale lock (a process that died) taken over by
            `acquire`, or None.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / ".slowcode" / LOCK_FILE
        self.recovered: LockHolder | None = None
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        """Takes the lock.

        Raises:
            InstanceLockedError: Another live slowcode holds it.
            SlowcodeError: The lock file cannot be created.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SlowcodeError(f"cannot create {self.path}: {exc.strerror or exc}") from None
        try:
            previous = LockHolder.parse(_read(fd))
            if not self._lock(fd, previous):
                raise InstanceLockedError(_refusal(previous))
            if previous is not None and previous.pid != os.getpid():
                self.recovered = previous
            _write(fd, self._me())
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def release(self) -> None:
        """Lets the lock go; the file stays, empty (removing it would race a waiting taker)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing drops the flock

    @staticmethod
    def _lock(fd: int, previous: LockHolder | None) -> bool:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False
            except OSError:
                pass  # no flock on this file system: judge by the recorded pid
        return previous is None or previous.pid == os.getpid() or not is_alive(previous)

    @staticmethod
    def _me() -> LockHolder:
        return LockHolder(
            pid=os.getpid(),
            started_at=datetime.now().astimezone().isoformat(timespec="seconds"),
            host=socket.gethostname(),
            process_start=process_start(os.getpid()),
        )

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _write(fd: int, holder: LockHolder) -> None:
    data = json.dumps(holder.to_json()).encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data + b"\n")
    os.fsync(fd)


def _refusal(holder: LockHolder | None) -> str:
    who = "another slowcode"
    if holder is not None:
        who += f" (pid {holder.pid}"
        who += f" on {holder.host}" if holder.host and holder.host != socket.gethostname() else ""
        who += f", started {holder.started_at})" if holder.started_at else ")"
    return f"{who} is already working in this repository; close it first, then start slowcode again"
