"""What is committed after a resume is exactly what was staged and reviewed.

The journal redacts secret-looking strings, but never in staged texts or in a
review's hunks: a file holding `Bearer abcdefgh12345678` or an `sk-ant-…`
example, staged, reviewed, left by quitting mid-review and applied after a
resume, is committed byte for byte. A staged text changed in the journal stops
the resume with one line, before anything is written or committed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from slowcode.core.step_review import StepReview, Verdict, new_side_text
from slowcode.engine.human import DecisionAction, StepAction, StepVerdict
from slowcode.engine.review.hunk_ops import edit_in_review
from slowcode.engine.session.resume import StagedTextAltered
from slowcode.journal.log import JOURNAL_FILE, REDACTED, find_sessions, read_events
from tests.context.repos import git
from tests.fakeapi import FakeMessagesAPI, Turn, reply, tool_use_block
from tests.helpers.crashes import Crash, crash_after
from tests.helpers.humans import Quit, ScriptedHuman
from tests.helpers.sessions import EDITOR, app_repo, make_workflow, plan_turn

BEARER = "curl -H 'Authorization: Bearer abcdefgh12345678' https://example.com\n"
API_KEY = 'EXAMPLE_KEY = "sk-ant-api03-AbCdEf0123456789_ghIJkl-mnOPqr"  # not a real key\n'
FILES = {"docs/curl.txt": BEARER, "example_settings.py": API_KEY}


def create(path: str, text: str) -> dict[str, object]:
    return tool_use_block(EDITOR, {"command": "create", "path": path, "file_text": text})


def step_turns() -> list[Turn]:
    return [
        plan_turn("Add the examples"),
        reply(
            *(create(path, text) for path, text in FILES.items()),
            tool_use_block("finish_step", {"summary": "Two examples."}),
        ),
    ]


DONE = reply("Done.", stop_reason="end_turn")


@dataclass
class QuitsAtReview(ScriptedHuman):
    """Closes slowcode while the step's review is open, after `edit` (if any)."""

    edit: str | None = None

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.reviews.append(review)
        if self.edit is not None:
            edit_in_review(review, 0, new_side_text(review.hunks[0]) + self.edit)
            review.set_verdict(0, Verdict.EDITED)
        raise Quit


@dataclass
class Applies(ScriptedHuman):
    """Applies the step with the verdicts it reopened with, accepting only undecided hunks."""

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.reviews.append(review)
        for position, hunk in enumerate(review.hunks):
            if not hunk.is_decided:
                review.set_verdict(position, Verdict.ACCEPTED)
        if review.architectural:
            # A new module is flagged: the developer says why it is not architectural.
            return StepVerdict(
                StepAction.APPLY,
                decision_action=DecisionAction.NOT_ARCHITECTURAL,
                reason="examples only",
            )
        return StepVerdict(StepAction.APPLY)


async def quit_mid_review(repo: Path, fake_api: FakeMessagesAPI, edit: str | None = None) -> None:
    fake_api.script(*step_turns())
    with pytest.raises(Quit):
        await make_workflow(repo, fake_api, QuitsAtReview(edit=edit), []).run("examples")


async def resume_and_apply(repo: Path, fake_api: FakeMessagesAPI) -> None:
    fake_api.script(DONE)
    assert await make_workflow(repo, fake_api, Applies(), []).resume() is True
    assert fake_api.pending == 0


def committed(repo: Path, path: str) -> str:
    return git(repo, "show", f"HEAD:{path}")


def journal_file(repo: Path) -> Path:
    return find_sessions(repo)[-1] / JOURNAL_FILE


async def test_secret_looking_content_is_committed_exactly_after_a_resume(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    await quit_mid_review(repo, fake_api)

    await resume_and_apply(repo, fake_api)

    for path, text in FILES.items():
        assert committed(repo, path) == text
        assert (repo / path).read_text() == text
    events = read_events(journal_file(repo))
    staged = [e["data"] for e in events if e["type"] == "staged"]
    assert {d["path"]: d["text"] for d in staged} == FILES
    # The model's message and the tool calls that carried them are still masked.
    others = json.dumps([e for e in events if e["type"] in ("conversation_message", "tool_call")])
    assert "abcdefgh12345678" not in others
    assert "sk-ant-api03" not in others
    assert REDACTED in others


async def test_an_edit_made_before_quitting_is_committed_exactly(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    extra = "token: Bearer zyxwvuts98765432\n"
    await quit_mid_review(repo, fake_api, edit=extra)

    await resume_and_apply(repo, fake_api)

    edited = next(iter(FILES))
    assert committed(repo, edited) == FILES[edited] + extra


async def test_a_staged_text_changed_in_the_journal_stops_the_resume(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    await quit_mid_review(repo, fake_api)
    head = git(repo, "rev-parse", "HEAD")
    file = journal_file(repo)
    file.write_text(file.read_text().replace("abcdefgh12345678", REDACTED))
    requests = len(fake_api.message_requests)

    fake_api.script(DONE)
    with pytest.raises(StagedTextAltered) as stopped:
        await make_workflow(repo, fake_api, Applies(), []).resume()

    message = str(stopped.value)
    assert "\n" not in message
    assert "the journal's staged text of docs/curl.txt does not match the SHA-256" in message
    assert "none of it was written or committed" in message
    assert git(repo, "rev-parse", "HEAD") == head
    assert not (repo / "docs").exists()
    assert not (repo / "example_settings.py").exists()
    assert len(fake_api.message_requests) == requests


async def test_a_journal_without_the_hashes_still_resumes(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    await quit_mid_review(repo, fake_api)
    file = journal_file(repo)
    lines = []
    for line in file.read_text().splitlines():
        event = json.loads(line)
        if event["type"] == "staged":
            del event["data"]["sha256"]
            event["data"].pop("base_sha256", None)  # absent for a new file
        lines.append(json.dumps(event, sort_keys=True, separators=(",", ":")))
    file.write_text("\n".join(lines) + "\n")

    await resume_and_apply(repo, fake_api)

    for path, text in FILES.items():
        assert committed(repo, path) == text


async def test_a_call_never_run_whose_input_the_journal_masked_is_asked_again(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    from slowcode.engine.session.resume import MASKED_CALL_RESULT
    from slowcode.journal import events as ev

    repo = app_repo(tmp_path)
    fake_api.script(*step_turns())
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    # Dies once the model's answer is journaled, before any of its calls ran.
    crash_after(
        workflow,
        lambda event: (
            isinstance(event, ev.ConversationMessage) and "curl" in json.dumps(event.message)
        ),
    )
    with pytest.raises(Crash):
        await workflow.run("Add the examples")
    fake_api.script(*step_turns()[1:], DONE)
    requests = len(fake_api.message_requests)

    assert await make_workflow(repo, fake_api, Applies(), []).resume() is True

    answered = fake_api.message_requests[requests].body["messages"][-1]["content"]
    results = {block["tool_use_id"]: block for block in answered if block["type"] == "tool_result"}
    masked = [block for block in results.values() if block["content"] == MASKED_CALL_RESULT]
    assert len(masked) == 2 and all(block["is_error"] for block in masked)  # both inputs masked
    # Sent again by the model, the files are committed as it wrote them.
    for path, text in FILES.items():
        assert git(repo, "show", f"HEAD:{path}") == text
        assert REDACTED not in git(repo, "show", f"HEAD:{path}")
