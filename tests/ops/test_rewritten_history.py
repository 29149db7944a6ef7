"""History, replay and why after a rebase, an amend or a squash of a session's step commits."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.ops.blame import line_origin
from slowcode.ops.history import load_history
from slowcode.ops.step_commits import branch_steps
from tests.context.repos import git, write
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import make_workflow, two_step_script


async def run_session(repo: Path, fake_api: FakeMessagesAPI) -> tuple[str, list[str]]:
    """The scripted two-step session; its id and its two commits, oldest first."""
    fake_api.script(*two_step_script())
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    await workflow.run("Make greetings nicer")
    return workflow.session.session_id, git(repo, "log", "--format=%H", "-2").split()[::-1]


def rebase_onto_a_new_base(repo: Path) -> list[str]:
    """Puts the session's commits on top of a new commit of main's root; their new ids."""
    root = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "base", root)
    write(repo, "NOTES.txt", "a commit the session never saw\n")
    git(repo, "add", "NOTES.txt")
    git(repo, "commit", "-q", "-m", "A new base")
    git(repo, "checkout", "-q", "main")
    git(repo, "rebase", "-q", "base")
    return git(repo, "log", "--format=%H", "-2").split()[::-1]


def squash_the_last_two(repo: Path) -> str:
    """What `git rebase -i`'s squash does: one commit, both messages (trailers too)."""
    message = repo.parent / "squash-message"
    message.write_text(git(repo, "log", "--format=%B", "--reverse", "-2"))
    git(repo, "reset", "-q", "--soft", "HEAD~2")
    git(repo, "commit", "-q", "-F", str(message))
    return git(repo, "rev-parse", "HEAD").strip()


def as_someone_else(repo: Path) -> None:
    """Another developer runs the commands: another git identity."""
    git(repo, "config", "user.name", "Grace Reviewer")
    git(repo, "config", "user.email", "grace@example.com")


async def test_the_branch_steps_are_found_by_their_trailers(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    session_id, _old = await run_session(repo, fake_api)
    new = rebase_onto_a_new_base(repo)
    branch = branch_steps(repo)
    assert branch is not None
    assert branch.steps == {(session_id, 1): new[0], (session_id, 2): new[1]}
    assert branch.current(session_id, 1, "0" * 40) == new[0]


async def test_history_shows_the_rebased_commits(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id, old = await run_session(repo, fake_api)
    new = rebase_onto_a_new_base(repo)
    assert new != old

    (session,) = load_history(repo)
    assert session.commits == new
    assert [step.rewritten_from for step in session.steps] == old
    assert session.steps[0].outcome == f"{new[0][:8]} (rewritten from {old[0][:8]})"

    assert main(["history", "--json", "-C", str(repo)]) == 0
    (data,) = json.loads(capsys.readouterr().out)
    assert data["session"] == session_id and data["commits"] == new
    assert [step["rewritten_from"] for step in data["steps"]] == old


async def test_history_after_an_amend_a_squash_and_a_lost_step(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    _session_id, old = await run_session(repo, fake_api)
    git(repo, "commit", "-q", "--amend", "--no-edit", "--date=2001-01-01T00:00:00")
    amended = git(repo, "rev-parse", "HEAD").strip()
    (session,) = load_history(repo)
    assert session.steps[1].commit == amended and session.steps[1].rewritten_from == old[1]

    squashed = squash_the_last_two(repo)
    (session,) = load_history(repo)
    assert session.commits == [squashed]
    assert [step.squashed_with for step in session.steps] == [[2], [1]]
    assert session.steps[0].outcome.startswith(f"{squashed[:8]} (squashed with step 2; ")

    git(repo, "reset", "-q", "--hard", "HEAD~1")
    (session,) = load_history(repo)
    assert [step.in_history for step in session.steps] == [False, False]
    assert session.steps[0].outcome == f"{old[0][:8]} (not in this branch's history)"


async def test_replay_check_passes_after_a_rebase_for_another_developer(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id, _old = await run_session(repo, fake_api)
    new = rebase_onto_a_new_base(repo)
    as_someone_else(repo)

    args = ["replay", session_id, "--check", "-C", str(repo)]
    assert await asyncio.to_thread(main, args) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"step 1: OK: tree {git(repo, 'rev-parse', f'{new[0]}^{{tree}}')[:8]}, as in {new[0][:8]}",
        f"step 2: OK: tree {git(repo, 'rev-parse', f'{new[1]}^{{tree}}')[:8]}, as in {new[1][:8]}",
    ]


async def test_replay_check_passes_for_another_developer_in_another_time_zone(
    repo: Path,
    fake_api: FakeMessagesAPI,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session_id, _old = await run_session(repo, fake_api)
    as_someone_else(repo)
    # UTC+14 or UTC-12: at any hour one of them is on another calendar day than here.
    hours = next(
        h for h in (14, -12) if datetime.now(timezone(timedelta(hours=h))).date() != date.today()
    )
    monkeypatch.setenv("TZ", f"XYZ{-hours:+d}")  # POSIX counts west of Greenwich as positive
    time.tzset()
    try:
        args = ["replay", session_id, "--check", "-C", str(repo)]
        assert await asyncio.to_thread(main, args) == 0
    finally:
        monkeypatch.undo()
        time.tzset()
    assert [line[:12] for line in capsys.readouterr().out.splitlines()] == [
        "step 1: OK: ",
        "step 2: OK: ",
    ]


async def test_replay_check_after_a_squash_checks_the_squashed_steps_together(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id, _old = await run_session(repo, fake_api)
    squashed = squash_the_last_two(repo)

    args = ["replay", session_id, "--check", "-C", str(repo)]
    assert await asyncio.to_thread(main, args) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"step 1: squashed into {squashed[:8]}: checked with step 2"
    assert lines[1].startswith("step 2: OK: ") and lines[1].endswith(squashed[:8])


async def test_why_names_the_rebased_commit_and_finds_the_note_it_left_behind(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    session_id, old = await run_session(repo, fake_api)
    before = line_origin(repo, "app.py", 2)
    assert before.commit == old[0] and before.source == "note"
    # Rebased where `notes.rewriteRef` is not set (another clone): the note stays behind.
    git(repo, "config", "--unset-all", "notes.rewriteRef")
    new = rebase_onto_a_new_base(repo)

    after = line_origin(repo, "app.py", 2)
    assert (after.commit, after.session, after.step) == (new[0], session_id, 1)
    assert after.source == "note" and after.hunk == before.hunk and after.hunk is not None
    assert after.task == "Make greetings nicer"
