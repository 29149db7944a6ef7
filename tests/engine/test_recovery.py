"""Exact resume: verdicts made so far, and an apply cut short, survive a stop."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from slowcode.core.step_review import StepReview, Verdict
from slowcode.decisions.store import DecisionStore
from slowcode.engine.apply.commit import StepCommitter
from slowcode.engine.human import CommitChoice, RefusedCommit, StepVerdict
from slowcode.engine.session.recovery import ROLLED_BACK, interrupted_intent, recover_apply
from slowcode.git.repo import GitRepo
from slowcode.journal import events as ev
from slowcode.journal.log import Journal, find_sessions, read_events, verify
from tests.context.repos import with_identity
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.crashes import Crash, crash_after
from tests.helpers.humans import Quit, ScriptedHuman
from tests.helpers.sessions import APP, edit, make_workflow, plan_turn


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    from tests.context.repos import make_repo

    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root


def one_step_script() -> list[Any]:
    return [
        plan_turn("Greet politely"),
        reply(
            edit("'hello '", "'Hello, '"),
            edit("name.upper()", "name.upper() + '!'"),
            tool_use_block("finish_step", {"summary": "Polite."}),
        ),
        reply("Done.", stop_reason="end_turn"),
    ]


def step_commits(repo: Path) -> list[str]:
    out = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%H", "--grep=^Slowcode-Step: 1$"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()


def kinds(repo: Path) -> list[str]:
    return [event["type"] for event in read_events(find_sessions(repo)[-1])]


async def test_verdicts_made_before_a_stop_are_there_after_resume(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*one_step_script()[:2])

    class DecidesOneThenQuits(ScriptedHuman):
        async def review_step(self, review: StepReview) -> StepVerdict:
            review.set_verdict(0, Verdict.REJECTED, comment="keep it lower case")
            raise Quit

    with pytest.raises(Quit):
        await make_workflow(repo, fake_api, DecidesOneThenQuits(), []).run("polite")

    seen: list[list[Verdict]] = []

    class Remembers(ScriptedHuman):
        async def review_step(self, review: StepReview) -> StepVerdict:
            seen.append([hunk.verdict for hunk in review.hunks])
            assert review.hunks[0].comment == "keep it lower case"
            return await super().review_step(review)

    fake_api.script(one_step_script()[2])
    human = Remembers(hunk_verdicts=[[Verdict.REJECTED, Verdict.ACCEPTED]])
    assert await make_workflow(repo, fake_api, human, []).resume() is True
    assert seen == [[Verdict.REJECTED, Verdict.UNDECIDED]]
    assert len(fake_api.message_requests) == 3  # nothing asked twice
    text = (repo / "app.py").read_text()
    assert "'hello '" in text and "name.upper() + '!'" in text


async def test_an_apply_cut_short_is_completed_without_asking_again(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*one_step_script()[:2])
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    crash_after(workflow, lambda event: isinstance(event, ev.FileWritten))
    with pytest.raises(Crash):
        await workflow.run("polite")
    assert step_commits(repo) == []
    assert interrupted_intent(read_events(find_sessions(repo)[-1])) is not None

    fake_api.script(one_step_script()[2])
    human = ScriptedHuman()
    assert await make_workflow(repo, fake_api, human, []).resume() is True
    assert human.reviews == []  # the verdict came from the journal
    assert len(step_commits(repo)) == 1
    assert "'Hello, '" in (repo / "app.py").read_text()
    recorded = kinds(repo)
    assert recorded.count("commit_made") == 1 and "apply_recovered" in recorded
    assert recorded.count("step_applied") == 1
    assert verify(find_sessions(repo)[-1])[0]
    answered = fake_api.message_requests[2].body["messages"][-1]["content"]
    assert '"applied": true' in answered[-1]["content"]


async def test_a_hook_refusing_the_recovered_commit_asks_the_developer_on_resume(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*one_step_script()[:2])
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    crash_after(workflow, lambda event: isinstance(event, ev.FileWritten))
    with pytest.raises(Crash):
        await workflow.run("polite")
    # A formatter hook, installed since, that refuses until the developer deals with it.
    marker = repo.parent / "blocked"
    marker.write_text("")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        f'#!/bin/sh\nif [ -e "{marker}" ]; then echo "# formatted" >> app.py; echo "lint: no"; '
        "exit 1; fi\n"
    )
    hook.chmod(0o755)

    class Fixes(ScriptedHuman):
        async def resolve_refused_commit(self, refused: RefusedCommit) -> CommitChoice:
            marker.unlink(missing_ok=True)
            return await super().resolve_refused_commit(refused)

    fake_api.script(one_step_script()[2])
    human = Fixes(commit_choices=[CommitChoice.RETRY])
    assert await make_workflow(repo, fake_api, human, []).resume() is True

    # The refusal met during recovery was not answered by anyone: the developer saw it once.
    assert len(human.refused) == 1 and "lint: no" in human.refused[0].output
    assert len(step_commits(repo)) == 1
    committed = subprocess.run(
        ["git", "-C", str(repo), "show", "HEAD:app.py"], capture_output=True, text=True, check=True
    ).stdout
    assert "'Hello, '" in committed and committed.count("# formatted") == 1
    recorded = kinds(repo)
    assert recorded.count("apply_rolled_back") == 1 and recorded.count("commit_refused") == 1
    assert recorded.count("step_applied") == 1
    assert verify(find_sessions(repo)[-1])[0]


async def test_a_file_changed_since_the_crash_rolls_the_apply_back(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    (repo / "other.py").write_text("x = 1\n")
    subprocess.run(["git", "-C", str(repo), "add", "other.py"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=A", "-c", "user.email=a@b", "commit", "-qm", "o"],
        check=True,
    )
    GitRepo.open(repo).ensure_excluded(".slowcode/")
    journal = Journal.create(repo)
    committer = StepCommitter(
        GitRepo.open(repo), DecisionStore(repo), journal.session_id, "m", journal.record
    )
    from slowcode.engine.staging.diffs import diff_texts

    files = diff_texts(
        {"app.py": (APP, APP.replace("'hello '", "'Hi '")), "other.py": ("x = 1\n", "x = 2\n")}
    )
    review = StepReview(1, "Two files", "", files)
    review.accept_all()
    intent = committer.prepare(review, None)
    assert intent is not None
    journal.record(intent.to_event(), sync=True)
    (repo / "app.py").write_text(APP.replace("'hello '", "'Hi '"))  # written, then the crash
    (repo / "other.py").write_text("x = 42  # the developer's own edit\n")

    outcome = recover_apply(committer, journal.events())
    assert outcome is not None and outcome.outcome == ROLLED_BACK
    assert outcome.conflicts == ["other.py"]
    assert (repo / "app.py").read_text() == APP  # back to its old bytes
    assert (repo / "other.py").read_text() == "x = 42  # the developer's own edit\n"
    assert step_commits(repo) == []
    assert interrupted_intent(journal.events()) is None
