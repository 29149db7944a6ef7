"""Only what the step wrote is committed: the developer's own uncommitted edits stay theirs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from slowcode.core.layout import SESSIONS_DIR
from slowcode.core.step_review import StepReview, Verdict
from slowcode.decisions.store import DecisionStore
from slowcode.engine.apply.commit import StepCommitter
from slowcode.engine.apply.own_edits import OwnEditsOverlap, overlapping_files
from slowcode.engine.progress import NoticeRaised, Progress
from slowcode.engine.staging.diffs import diff_texts
from slowcode.git.notes import read_note
from slowcode.git.repo import GitRepo
from slowcode.journal.log import read_events
from slowcode.journal.provenance import ProvenanceNote
from slowcode.journal.schema import JournalEvent
from slowcode.ops.audit import audit_range
from slowcode.ops.blame import line_origin
from tests.context.repos import git, make_repo, with_identity, write
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, app_repo, make_workflow, two_step_script

LINES = "".join(f"line {n}\n" for n in range(1, 13))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "proj", {"app.txt": LINES, "other.txt": "other\n"})
    return with_identity(repo)


def review_of(root: Path, path: str, new: str) -> StepReview:
    """The step as the model proposes it: a change to the file as it is on disk now."""
    target = root / path
    old = target.read_text() if target.exists() else None
    review = StepReview(
        1, "Spell out eleven", "Eleven reads better.", diff_texts({path: (old, new)})
    )
    for position in range(len(review.hunks)):
        review.set_verdict(position, Verdict.ACCEPTED)
    return review


def committer(root: Path, events: list[tuple[str, dict[str, Any]]]) -> StepCommitter:
    def record(event: JournalEvent, *, sync: bool = False) -> None:
        events.append((event.type, event.to_data()))

    return StepCommitter(GitRepo.open(root), DecisionStore(root), "s1", "model", record)


def test_the_developers_unrelated_line_stays_uncommitted_and_unblamed(root: Path) -> None:
    mine = LINES.replace("line 2\n", "line 2 (mine)\n")
    write(root, "app.txt", mine)
    step = mine.replace("line 11\n", "line eleven\n")
    events: list[tuple[str, dict[str, Any]]] = []
    applied = committer(root, events).apply(review_of(root, "app.txt", step), None)

    assert applied.commit is not None
    assert git(root, "show", "HEAD:app.txt") == LINES.replace("line 11\n", "line eleven\n")
    assert (root / "app.txt").read_text() == step  # both edits on disk
    assert git(root, "status", "--porcelain") == " M app.txt\n"
    diff = git(root, "diff", "--unified=0")
    assert "+line 2 (mine)" in diff and "eleven" not in diff
    assert line_origin(root, "app.txt", 2).commit is None  # not committed yet: nobody's step
    assert line_origin(root, "app.txt", 11).step == 1


def test_staged_work_in_another_file_stays_staged_and_out(root: Path) -> None:
    write(root, "other.txt", "other, staged\n")
    git(root, "add", "other.txt")
    committer(root, []).apply(review_of(root, "app.txt", LINES + "line 13\n"), None)
    assert git(root, "show", "HEAD:other.txt") == "other\n"
    assert git(root, "status", "--porcelain") == "M  other.txt\n"


def test_an_overlap_is_told_before_anything_is_written(root: Path) -> None:
    mine = LINES.replace("line 11\n", "line 11 (mine)\n")
    write(root, "app.txt", mine)
    step = mine.replace("line 11 (mine)\n", "line eleven (mine)\n")
    review = review_of(root, "app.txt", step)
    assert overlapping_files(root, review.files) == ["app.txt"]
    head = git(root, "rev-parse", "HEAD")
    events: list[tuple[str, dict[str, Any]]] = []
    with pytest.raises(OwnEditsOverlap, match=r"^your uncommitted edits in app.txt touch"):
        committer(root, events).apply(review, None)
    assert (root / "app.txt").read_text() == mine
    assert git(root, "rev-parse", "HEAD") == head
    assert events == []

    committer(root, events).apply(review, None, include_own_edits=True)
    assert git(root, "show", "HEAD:app.txt") == step
    assert ("own_edits_included", {"step": 1, "paths": ["app.txt"]}) in events


def test_an_untracked_file_of_the_developers_is_an_overlap(root: Path) -> None:
    write(root, "notes.txt", "my notes\n")
    review = review_of(root, "notes.txt", "my notes\nmore\n")
    assert overlapping_files(root, review.files) == ["notes.txt"]


def test_a_new_file_and_a_clean_file_are_committed_as_written(root: Path) -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    review = review_of(root, "lib/new.txt", "new\n")
    assert overlapping_files(root, review.files) == []
    applied = committer(root, events).apply(review, None)
    assert git(root, "show", f"{applied.commit}:lib/new.txt") == "new\n"
    assert git(root, "status", "--porcelain") == ""


async def test_a_session_commits_the_step_and_leaves_the_developers_line_alone(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    write(repo, "app.py", APP.replace("    return 1\n", "    return 1  # mine\n"))
    fake_api.script(*two_step_script())
    events: list[Progress] = []
    await make_workflow(repo, fake_api, ScriptedHuman(), events).run("Make greetings nicer")
    committed = git(repo, "show", "HEAD:app.py")
    assert "'Hello, '" in committed and "# mine" not in committed
    assert "# mine" in (repo / "app.py").read_text()
    assert git(repo, "status", "--porcelain") == " M app.py\n"
    # The commit holds exactly the accepted hunks, so the audit's line check passes.
    assert [finding.problem for finding in audit_range(repo, "HEAD~2..HEAD")] == ["", ""]


async def test_an_overlap_is_told_once_and_applying_again_includes_it(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    write(repo, "app.py", APP.replace("'hello ' + name", "'hello ' + name  # mine"))
    fake_api.script(*two_step_script())
    events: list[Progress] = []
    human = ScriptedHuman()
    workflow = make_workflow(repo, fake_api, human, events)
    await workflow.run("Make greetings nicer")
    told = [e.message for e in events if isinstance(e, NoticeRaised) and e.level == "error"]
    assert len(told) == 1 and told[0].startswith("your uncommitted edits in app.py touch")
    assert len(human.reviews) == 3  # step 1 twice (told, then applied again), step 2 once
    assert "'Hello, ' + name  # mine" in git(repo, "show", "HEAD~1:app.py")
    kinds = [
        event["type"] for event in read_events(repo / SESSIONS_DIR / workflow.session.session_id)
    ]
    assert kinds.count("apply_refused") == 1 and kinds.count("own_edits_included") == 1
    # The included edit is the developer's knowing choice: the note names the file.
    assert [finding.problem for finding in audit_range(repo, "HEAD~2..HEAD")] == ["", ""]
    note = ProvenanceNote.from_text(read_note(repo, "HEAD~1") or "")
    assert note.unreviewed == ["app.py"]


async def test_the_commit_body_names_lines_of_the_committed_file(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    # Two lines of the developer's above the step's change, left out of the commit.
    write(repo, "app.py", "# mine\n# mine too\n" + APP)
    fake_api.script(*two_step_script())
    await make_workflow(repo, fake_api, ScriptedHuman(), []).run("Make greetings nicer")

    committed = git(repo, "show", "HEAD~1:app.py").splitlines()
    line = committed.index("    return 'Hello, ' + name") + 1
    body = git(repo, "log", "-1", "--format=%b", "HEAD~1")
    assert f"  app.py:{line} (+1 -1) return 'Hello, ' + name" in body
    assert (repo / "app.py").read_text().splitlines()[line + 1] == "    return 'Hello, ' + name"
