"""Three-way merge of reviewed steps with the developer's own edits made during the review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slowcode.core.step_review import FileDiff, StepReview, Verdict
from slowcode.engine.apply.writes import StaleFileError
from slowcode.engine.human import StepVerdict
from slowcode.engine.progress import NoticeRaised, Progress, SessionState
from slowcode.engine.staging.diffs import diff_texts
from slowcode.git.merge import merge_texts
from tests.context.repos import make_repo, write
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, EDITOR, app_repo, edit, log, make_workflow, plan_turn
from tests.helpers.writes import write_step

BASE = "".join(f"line {n}\n" for n in range(1, 21))


def test_merge_texts_keeps_both_sides_when_they_touch_different_lines() -> None:
    ours = BASE.replace("line 2\n", "line 2 (mine)\n")
    theirs = BASE.replace("line 18\n", "line 18 (reviewed)\n")
    result = merge_texts(BASE, ours, theirs)
    assert result.clean
    assert result.text == BASE.replace("line 2\n", "line 2 (mine)\n").replace(
        "line 18\n", "line 18 (reviewed)\n"
    )


def test_merge_texts_reports_a_conflict_with_labelled_markers() -> None:
    result = merge_texts(
        BASE,
        BASE.replace("line 5\n", "five\n"),
        BASE.replace("line 5\n", "FIVE\n"),
        path="a.py",
    )
    assert result.conflicts == 1 and not result.clean
    assert "<<<<<<< a.py (on disk)" in result.text and ">>>>>>> a.py (as reviewed)" in result.text


def test_merge_texts_shortcuts_when_one_side_is_unchanged() -> None:
    changed = BASE.replace("line 1\n", "one\n")
    assert merge_texts(BASE, BASE, changed).text == changed
    assert merge_texts(BASE, changed, BASE).text == changed
    assert merge_texts(BASE, changed, changed).text == changed


def _accepted(repo: Path, changes: dict[str, str]) -> list[FileDiff]:
    texts: dict[str, tuple[str | None, str]] = {}
    for rel, new in changes.items():
        path = repo / rel
        texts[rel] = (path.read_text() if path.exists() else None, new)
    files = diff_texts(texts)
    for file in files:
        for hunk in file.hunks:
            hunk.verdict = Verdict.ACCEPTED
    return files


def test_apply_step_merges_a_file_changed_meanwhile(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": BASE, "b.py": "b\n"})
    files = _accepted(repo, {"a.py": BASE.replace("line 19\n", "line 19 reviewed\n")})
    write(repo, "a.py", BASE.replace("line 1\n", "line 1 mine\n"))
    merged: list[str] = []
    assert write_step(repo, files, on_merged=merged.append) == ["a.py"]
    assert merged == ["a.py"]
    text = (repo / "a.py").read_text()
    assert "line 1 mine\n" in text and "line 19 reviewed\n" in text


def test_apply_step_writes_nothing_when_any_file_conflicts(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": BASE, "b.py": BASE})
    files = _accepted(
        repo,
        {
            "a.py": BASE.replace("line 3\n", "three\n"),
            "b.py": BASE.replace("line 3\n", "three\n"),
        },
    )
    mine = BASE.replace("line 3\n", "drei\n")
    write(repo, "b.py", mine)
    with pytest.raises(StaleFileError) as caught:
        write_step(repo, files)
    assert caught.value.paths == ["b.py"]
    assert caught.value.current == {"b.py": mine}
    assert (repo / "a.py").read_text() == BASE  # the clean file was not written either
    assert (repo / "b.py").read_text() == mine
    (repo / "b.py").unlink()
    with pytest.raises(StaleFileError) as gone:
        write_step(repo, files)
    assert gone.value.current == {"b.py": None}


# -- the whole flow ---------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return app_repo(tmp_path)


class EditsDuringReview(ScriptedHuman):
    """Edits app.py on disk while the step is open for review, then accepts everything."""

    def __init__(self, repo: Path, old: str, new: str) -> None:
        super().__init__()
        self.repo, self.old, self.new = repo, old, new

    async def review_step(self, review: StepReview) -> StepVerdict:
        if len(self.reviews) == 0:
            path = self.repo / "app.py"
            path.write_text(path.read_text().replace(self.old, self.new))
        return await super().review_step(review)


async def test_a_file_edited_during_review_keeps_both_edits(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        reply("Done.", stop_reason="end_turn"),
    )
    events: list[Progress] = []
    human = EditsDuringReview(repo, "name.upper()", "name.upper()  # the developer's edit")
    workflow = make_workflow(repo, fake_api, human, events)
    await workflow.run("polite")

    assert workflow.session.state is SessionState.DONE
    text = (repo / "app.py").read_text()
    assert "'Hello, '" in text
    assert "name.upper()  # the developer's edit" in text
    assert log(repo, "--format=%s").splitlines()[0] == "Greet politely"
    assert any(
        isinstance(e, NoticeRaised) and "merged" in e.message and "app.py" in e.message
        for e in events
    )


async def test_a_conflicting_edit_during_review_writes_nothing_and_goes_back(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        # The model stages the step again against the developer's text.
        reply(
            tool_use_block(EDITOR, {"command": "view", "path": "app.py"}),
            edit("'hi there '", "'Hi there, '"),
            tool_use_block("finish_step", {"summary": "Polite, again."}),
        ),
        reply("Done.", stop_reason="end_turn"),
    )
    events: list[Progress] = []
    human = EditsDuringReview(repo, "'hello '", "'hi there '")
    workflow = make_workflow(repo, fake_api, human, events)
    head_before = log(repo, "--format=%H").splitlines()[0]
    conflicted_on_disk = APP.replace("'hello '", "'hi there '")

    # Stop the flow right after the conflict to look at the disk.
    seen: list[str] = []
    original = human.review_step

    async def watching(review: StepReview) -> StepVerdict:
        seen.append((repo / "app.py").read_text())
        return await original(review)

    human.review_step = watching  # type: ignore[method-assign]
    await workflow.run("polite")

    # The second review opened on exactly the developer's text: the first step wrote nothing.
    assert seen[1] == conflicted_on_disk
    conflict = fake_api.message_requests[2].body["messages"][-1]["content"][1]
    assert conflict["is_error"] is True
    assert "app.py" in conflict["content"] and "conflict" in conflict["content"]
    assert "'hi there '" in conflict["content"]  # the new content goes to the model
    assert '"verdict": "accepted"' in conflict["content"]
    assert any(isinstance(e, NoticeRaised) and e.level == "error" for e in events)
    # Only the re-staged step was committed.
    commits = log(repo, "--format=%H").splitlines()
    assert commits[1] == head_before
    assert "'Hi there, '" in (repo / "app.py").read_text()
    journal = workflow.journal
    assert journal is not None
    kinds = [event["type"] for event in journal.events()]
    assert "merge_conflict" in kinds
    assert json.dumps(kinds).count("commit_made") == 1
