"""A hook that refuses a step's commit: nothing committed, output shown, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

from slowcode.core.layout import SESSIONS_DIR
from slowcode.engine.human import CommitChoice, RefusedCommit
from slowcode.engine.progress import CheckOutput, Progress
from slowcode.git.notes import read_note
from slowcode.journal.log import read_events
from slowcode.journal.provenance import ProvenanceNote
from slowcode.ops.audit import audit_range
from tests.context.repos import git
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import app_repo, make_workflow, two_step_script


def hook(root: Path, script: str) -> None:
    target = root / ".git" / "hooks" / "pre-commit"
    target.write_text("#!/bin/sh\n" + script)
    target.chmod(0o755)


def blocking_hook(root: Path) -> Path:
    """A pre-commit hook that refuses while a marker file exists (the developer's to fix)."""
    marker = root.parent / "blocked"
    marker.write_text("")
    hook(root, f'if [ -e "{marker}" ]; then echo "policy: blocked by {marker.name}"; exit 1; fi\n')
    return marker


class Fixer(ScriptedHuman):
    """Fixes the cause (removes the marker) before choosing."""

    def __init__(self, marker: Path, *choices: CommitChoice) -> None:
        super().__init__(commit_choices=list(choices))
        self.marker = marker

    async def resolve_refused_commit(self, refused: RefusedCommit) -> CommitChoice:
        self.marker.unlink(missing_ok=True)
        return await super().resolve_refused_commit(refused)


def kinds(repo: Path, session: str) -> list[str]:
    return [event["type"] for event in read_events(repo / SESSIONS_DIR / session)]


async def test_a_refusing_hook_is_shown_and_a_retry_after_the_fix_commits(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    marker = blocking_hook(repo)
    fake_api.script(*two_step_script())
    events: list[Progress] = []
    human = Fixer(marker, CommitChoice.RETRY)
    workflow = make_workflow(repo, fake_api, human, events)
    await workflow.run("Make greetings nicer")
    assert len(human.refused) == 1
    assert "policy: blocked by blocked" in human.refused[0].output
    shown = [e.line for e in events if isinstance(e, CheckOutput)]
    assert "policy: blocked by blocked" in shown
    assert git(repo, "log", "--format=%s").splitlines() == [
        "Add a farewell module",
        "Greet politely",
        "initial",
    ]
    assert "'Hello, '" in git(repo, "show", "HEAD~1:app.py")
    found = kinds(repo, workflow.session.session_id)
    assert found.count("commit_refused") == 1 and found.count("commit_made") == 2


async def test_sending_back_puts_the_files_back_and_tells_the_model_the_output(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    marker = blocking_hook(repo)
    turns = two_step_script()
    # The model stages step 1 again after hearing the hook's output.
    fake_api.script(*turns[:4], turns[2], turns[3], *turns[4:])
    human = Fixer(marker, CommitChoice.SEND_BACK)
    workflow = make_workflow(repo, fake_api, human, [])
    await workflow.run("Make greetings nicer")
    journal = read_events(repo / SESSIONS_DIR / workflow.session.session_id)
    rolled = [e["data"] for e in journal if e["type"] == "apply_rolled_back"]
    assert rolled == [{"step": 1, "conflicts": [], "restored": ["app.py"]}]
    results = [
        block
        for request in fake_api.message_requests
        for message in request.body["messages"]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]
    feedback = [json.loads(r["content"]) for r in results if "refused the step" in str(r)]
    assert feedback and "policy: blocked by blocked" in feedback[0]["feedback"]
    assert feedback[0]["applied"] is False
    assert git(repo, "log", "--format=%s").splitlines() == [
        "Add a farewell module",
        "Greet politely",
        "initial",
    ]
    assert [e["type"] for e in journal].count("commit_made") == 2


async def test_without_hooks_only_by_the_developers_choice(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    hook(repo, "echo never; exit 1\n")
    fake_api.script(*two_step_script())
    human = ScriptedHuman(commit_choices=[CommitChoice.WITHOUT_HOOKS, CommitChoice.WITHOUT_HOOKS])
    workflow = make_workflow(repo, fake_api, human, [])
    await workflow.run("Make greetings nicer")
    assert len(human.refused) == 2
    assert len(git(repo, "log", "--format=%H").split()) == 3
    choices = [
        event["data"]["choice"]
        for event in read_events(repo / SESSIONS_DIR / workflow.session.session_id)
        if event["type"] == "commit_choice"
    ]
    assert choices == ["without_hooks", "without_hooks"]


async def test_a_formatter_hooks_change_is_shown_before_a_retry_commits_it(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    once = tmp_path / "formatted"
    hook(
        repo,
        f'if [ ! -e "{once}" ]; then touch "{once}"; '
        "sed -i 's/Hello, /HELLO, /' app.py; echo 'files were modified by this hook'; exit 1; fi\n",
    )
    fake_api.script(*two_step_script())
    human = ScriptedHuman(commit_choices=[CommitChoice.RETRY])
    await make_workflow(repo, fake_api, human, []).run("Make greetings nicer")
    assert len(human.refused) == 1
    changes = human.refused[0].changes
    assert "-    return 'Hello, ' + name" in changes and "+    return 'HELLO, ' + name" in changes
    assert "'HELLO, '" in git(repo, "show", "HEAD~1:app.py")
    assert git(repo, "status", "--porcelain") == ""
    # The hook's change was shown and taken: the note names the file, the audit passes.
    assert [finding.problem for finding in audit_range(repo, "HEAD~2..HEAD")] == ["", ""]
    assert ProvenanceNote.from_text(read_note(repo, "HEAD~1") or "").unreviewed == ["app.py"]
