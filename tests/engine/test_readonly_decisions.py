"""A decisions folder that refuses writes, with real permissions.

Root writes through a folder's mode, so as root the session runs in a child process
that gives up its privileges (uid 65534) before the check that matters
(`tests/engine/readonly_child.py`); as anyone else the folder's mode 0o555 refuses
writes by itself. Either way: one line, nothing written, no commit, and the session
resumes once the folder is writable again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from slowcode.engine.progress import SessionState
from slowcode.journal.log import find_sessions, read_events, verify
from tests.context.repos import git, make_repo, with_identity
from tests.engine.hostile import RawJsonAPI, workflow_for
from tests.fakeapi import reply
from tests.helpers.humans import ApprovingHuman

CHILD = Path(__file__).with_name("readonly_child.py")
PROJECT = Path(__file__).resolve().parents[2]
DECISIONS = "docs/decisions"


@pytest.fixture
def repo() -> Iterator[Path]:
    # pytest's own temporary folders are private to root: this one the child can reach.
    base = Path(tempfile.mkdtemp(prefix="slowcode-readonly-"))
    try:
        os.chmod(base, 0o755)
        root = make_repo(base / "project", {"a.txt": "hello\n", "README.md": "# greet\n"})
        with_identity(root)
        (root / DECISIONS).mkdir(parents=True)
        for folder, dirs, files in os.walk(root):
            for name in [*dirs, *files]:
                path = Path(folder) / name
                os.chmod(path, os.stat(path).st_mode | 0o444 | (0o111 if path.is_dir() else 0))
        (root / DECISIONS).chmod(0o555)
        (base / "cache").mkdir(mode=0o777)
        (base / "cache").chmod(0o777)
        yield root
    finally:
        for folder, dirs, _files in os.walk(base):
            for name in dirs:
                os.chmod(Path(folder) / name, 0o755)
        shutil.rmtree(base, ignore_errors=True)


def run_child(root: Path, mode: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "HOME": str(root.parent),
        "XDG_CACHE_HOME": str(root.parent / "cache"),
        # The repository belongs to root; git refuses another user's unless told.
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "safe.directory",
        "GIT_CONFIG_VALUE_0": "*",
    }
    return subprocess.run(
        [sys.executable, str(CHILD), str(root), mode],
        capture_output=True,
        text=True,
        env=env,
        cwd=root.parent,
        timeout=120,
    )


def lines(output: str, prefix: str) -> list[str]:
    return [line[len(prefix) :] for line in output.splitlines() if line.startswith(prefix)]


def test_a_session_does_not_start_with_a_read_only_decisions_folder(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    done = run_child(repo, "start")
    assert done.returncode == 1, done.stderr
    (error,) = lines(done.stdout, "error: ")
    assert error == (
        "the decisions folder docs/decisions is not writable (docs/decisions refuses writes); "
        "set decisions_dir to a folder that can be"
    )
    assert find_sessions(repo) == []
    assert list((repo / DECISIONS).iterdir()) == []
    assert git(repo, "rev-parse", "HEAD") == head


def test_a_read_only_decisions_folder_refuses_the_apply_and_loses_nothing(
    repo: Path, server: RawJsonAPI
) -> None:
    head = git(repo, "rev-parse", "HEAD")
    done = run_child(repo, "apply")
    assert done.returncode == 3, done.stdout + done.stderr
    (notice,) = lines(done.stdout, "notice: ")
    assert notice == (
        "the decisions folder docs/decisions is not writable (docs/decisions refuses writes): "
        "make it writable, then apply the step again (nothing was written; your verdicts are kept)"
    )
    # Nothing written: no record (not even a temporary one), no file, no commit.
    assert list((repo / DECISIONS).iterdir()) == []
    assert (repo / "a.txt").read_text() == "hello\n"
    assert git(repo, "rev-parse", "HEAD") == head
    (folder,) = find_sessions(repo)
    kinds = [event["type"] for event in read_events(folder)]
    assert "apply_refused" in kinds and "apply_intent" not in kinds
    assert verify(folder)[0]

    # Writable again: the session resumes and applies the verdict it was given.
    (repo / DECISIONS).chmod(0o755)
    server.script(reply("done", stop_reason="end_turn"))
    human = ApprovingHuman()
    workflow = workflow_for(repo, server, human)

    import asyncio

    async def resume() -> bool:
        try:
            return await workflow.resume()
        finally:
            await workflow.client.aclose()

    assert asyncio.run(resume()) is True
    assert workflow.session.state is SessionState.DONE
    assert human.reviews == []
    (record,) = (repo / DECISIONS).iterdir()
    assert record.name == "0001-keep-the-greeting-in-a-constant.md"
    assert (repo / "a.txt").read_text() == "GREETING = 'hi'\n"
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == ["a.txt", f"{DECISIONS}/{record.name}"]


def test_a_work_tree_folder_made_read_only_during_review_refuses_the_apply(
    repo: Path, server: RawJsonAPI
) -> None:
    head = git(repo, "rev-parse", "HEAD")
    repo.chmod(0o555)  # the step's file lives at the top of the work tree
    try:
        done = run_child(repo, "apply-tree")
    finally:
        repo.chmod(0o755)
    assert done.returncode == 3, done.stdout + done.stderr
    (notice,) = lines(done.stdout, "notice: ")
    assert notice == (
        "the folder of a.txt is not writable (. refuses writes): make it writable, then "
        "apply the step again (nothing was written; your verdicts are kept)"
    )
    assert (repo / "a.txt").read_text() == "hello\n"
    assert git(repo, "rev-parse", "HEAD") == head
    kinds = [event["type"] for event in read_events(find_sessions(repo)[0])]
    assert "apply_refused" in kinds and "apply_intent" not in kinds
