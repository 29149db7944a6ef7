"""A disk that is full when a session starts: one clear line, and no session left behind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from slowcode.core.plan import Plan
from slowcode.engine.human import PlanVerdict
from slowcode.git.repo import GitRepo
from slowcode.journal.log import JOURNAL_FILE, find_sessions
from tests.context.repos import make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import Quit, ScriptedHuman
from tests.helpers.sessions import APP, make_workflow, plan_turn

CHILD = Path(__file__).with_name("full_disk_child.py")
ROOT = Path(__file__).resolve().parents[2]


def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"app.py": APP})
    with_identity(root)
    GitRepo.open(root).ensure_excluded(".slowcode/")  # written before the disk fills
    return root


def test_a_session_that_cannot_write_its_first_event_says_so_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    root = repo(tmp_path)

    done = subprocess.run(
        [sys.executable, str(CHILD), str(root), "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )

    assert done.returncode == 1, done.stderr
    [line] = done.stdout.splitlines()
    assert line.startswith("error: the session could not start: cannot write journal ")
    assert line.endswith("File too large")
    assert find_sessions(root) == []


class QuitsAtThePlan(ScriptedHuman):
    async def review_plan(self, plan: Plan) -> PlanVerdict:
        raise Quit


async def test_a_session_whose_task_was_never_journaled_resumes_with_its_task(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = repo(tmp_path)
    fake_api.script(plan_turn("Greet politely"))
    with pytest.raises(Quit):
        await make_workflow(root, fake_api, QuitsAtThePlan(), []).run("Greet everyone politely")
    # What a disk that filled up right after the session started leaves: the first
    # events, and not the task's message.
    journal = find_sessions(root)[-1] / JOURNAL_FILE
    lines = journal.read_text().splitlines(keepends=True)
    first_message = next(n for n, line in enumerate(lines) if "conversation_message" in line)
    journal.write_text("".join(lines[:first_message]))
    (journal.parent / "head.json").unlink()
    fake_api.script(plan_turn("Greet politely"))

    with pytest.raises(Quit):
        await make_workflow(root, fake_api, QuitsAtThePlan(), []).resume()

    sent = fake_api.message_requests[-1].body["messages"]
    assert len(sent) == 1 and sent[0]["role"] == "user"
    assert json.dumps(sent[0]["content"]).count("Greet everyone politely") == 1
