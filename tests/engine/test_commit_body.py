"""The commit body tells what the diff holds: hunks applied, edited and rejected, one line each."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.progress import Progress
from slowcode.engine.review.commit_body import assisted_by, commit_body, hunk_line
from slowcode.engine.review.hunk_ops import edit_in_review, editable_text, from_editor
from slowcode.engine.staging.diffs import diff_texts
from slowcode.ops.blame import line_origin
from tests.context.repos import make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, make_workflow, two_step_script

OLD = "".join(f"line {n}\n" for n in range(1, 30))
NEW = OLD.replace("line 2\n", "line two\n").replace("line 25\n", "line 25\nline 25b\n")


def _review() -> StepReview:
    return StepReview(1, "Spell", "Spells two and adds 25b.", diff_texts({"f.txt": (OLD, NEW)}))


def test_the_body_lists_each_hunk_under_the_summary_by_what_became_of_it() -> None:
    review = _review()
    review.set_verdict(0, Verdict.ACCEPTED)
    review.set_verdict(1, Verdict.REJECTED)
    body = commit_body(review)
    assert body.startswith("Spells two and adds 25b.\n\n")
    assert "Applied as proposed:\n  f.txt:2 (+1 -1) line two" in body
    assert "Rejected, not applied:\n  f.txt:26 (+1 -0) line 25b" in body
    assert "Edited" not in body and "Every applied hunk" not in body


def test_an_edited_hunk_is_named_as_edited_and_a_step_all_edited_says_so() -> None:
    review = _review()
    hunk = review.hunks[0]
    edit_in_review(review, 0, from_editor(hunk, editable_text(hunk).replace("two", "TWO")))
    review.set_verdict(1, Verdict.REJECTED)
    body = commit_body(review)
    assert "Edited by the developer, applied as edited:\n  f.txt:2 (+1 -1) line TWO" in body
    assert "Rejected, not applied:\n  f.txt:26" in body
    assert "Every applied hunk of this step was edited by the developer." in body
    assert "Applied as proposed" not in body
    edit_in_review(review, 0, from_editor(hunk, editable_text(hunk).replace("TWO", "2")))
    assert "f.txt:1 (edited back to the old text: no change)" in commit_body(review)


def test_a_rejected_edit_is_described_by_the_model_lines_and_long_lines_are_cut() -> None:
    long = "x = " + "1 + " * 40 + "1"
    review = StepReview(1, "t", "", diff_texts({"g.py": ("a\n", f"{long}\n")}))
    line = hunk_line(review.hunks[0])
    assert line.startswith("g.py:1 (+1 -1) x = 1 + 1") and line.endswith("…")
    assert len(line) < 90
    review.set_verdict(0, Verdict.REJECTED)
    assert commit_body(review) == f"Rejected, not applied:\n  {line}"


def test_the_trailer_names_the_tool_and_the_model() -> None:
    assert assisted_by("claude-sonnet-5-5") == "slowcode:claude-sonnet-5-5"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    return result.stdout


async def test_a_commit_with_a_rejected_hunk_names_it_as_not_applied_and_why_shows_it(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*two_step_script())
    human = ScriptedHuman(hunk_verdicts=[[Verdict.ACCEPTED, Verdict.REJECTED]])
    events: list[Progress] = []
    await make_workflow(repo, fake_api, human, events).run("Make greetings nicer")
    body = _git(repo, "log", "-1", "--skip=1", "--format=%b")
    assert "Polite greetings.\n\nApplied as proposed:\n  app.py:2 (+1 -1)" in body
    assert "Rejected, not applied:\n  app.py:" in body and "name.upper() + '!'" in body
    assert "Assisted-by: slowcode:claude-sonnet-5-5" in body
    origin = line_origin(repo, "app.py", 2)
    assert "Rejected, not applied:" in origin.explanation
    assert "Assisted-by" not in origin.explanation
