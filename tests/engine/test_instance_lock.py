"""One slowcode per repository: a second instance is refused, a dead holder's lock is taken."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from slowcode.core.errors import SlowcodeError
from slowcode.journal.lock import (
    InstanceLock,
    InstanceLockedError,
    LockHolder,
    is_alive,
    process_start,
)

HOLD = """
import sys, time
from pathlib import Path
from slowcode.journal.lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1])).acquire()
print("locked", flush=True)
time.sleep(60)
"""


def holding_process(root: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    return process


def test_the_lock_file_names_its_holder(tmp_path: Path) -> None:
    with InstanceLock(tmp_path) as lock:
        holder = LockHolder.parse(lock.path.read_text())
        assert holder is not None and holder.pid == os.getpid()
        assert holder.started_at and holder.process_start == process_start(os.getpid())
        assert lock.path == tmp_path / ".slowcode" / "instance.lock"
    assert lock.path.read_text() == ""  # released: nobody named


def test_a_second_instance_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    process = holding_process(tmp_path)
    try:
        with pytest.raises(InstanceLockedError) as refused:
            InstanceLock(tmp_path).acquire()
        message = str(refused.value)
        assert f"pid {process.pid}" in message
        assert "already working in this repository" in message and "\n" not in message
    finally:
        process.kill()
        process.wait()


def test_a_lock_left_by_a_killed_process_is_recovered(tmp_path: Path) -> None:
    process = holding_process(tmp_path)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # The killed process never released: its pid is still in the file.
    left = LockHolder.parse((tmp_path / ".slowcode" / "instance.lock").read_text())
    assert left is not None and left.pid == process.pid
    with InstanceLock(tmp_path) as lock:
        assert lock.recovered is not None and lock.recovered.pid == process.pid
        holder = LockHolder.parse(lock.path.read_text())
        assert holder is not None and holder.pid == os.getpid()


def test_two_locks_in_one_process_exclude_each_other(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path).acquire()
    with pytest.raises(InstanceLockedError):
        InstanceLock(tmp_path).acquire()
    first.release()
    InstanceLock(tmp_path).acquire().release()


def test_garbage_in_the_lock_file_does_not_block(tmp_path: Path) -> None:
    (tmp_path / ".slowcode").mkdir()
    (tmp_path / ".slowcode" / "instance.lock").write_text("{not json")
    with InstanceLock(tmp_path) as lock:
        assert lock.recovered is None


def test_liveness_by_pid_and_start_time() -> None:
    me = LockHolder(os.getpid(), "now", "host", process_start(os.getpid()))
    assert is_alive(me)
    # The same pid with another start time is a reused pid: its holder is gone.
    assert not is_alive(LockHolder(os.getpid(), "now", "host", "1"))
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    time.sleep(0.01)
    assert not is_alive(LockHolder(finished.pid, "then", "host", None))
    assert not is_alive(LockHolder(0, "", "", None))


def test_an_unwritable_slowcode_folder_is_one_clear_line(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root writes anywhere: a file where the folder should be fails for everyone.
        (tmp_path / ".slowcode").write_text("a file, not a folder")
    else:
        (tmp_path / ".slowcode").mkdir()
        (tmp_path / ".slowcode").chmod(0o500)
    with pytest.raises(SlowcodeError) as failed:
        InstanceLock(tmp_path).acquire()
    assert "cannot create" in str(failed.value) and "\n" not in str(failed.value)
