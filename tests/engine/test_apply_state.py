"""The repository is checked again at apply, and new files get git's line endings."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from slowcode.core.step_review import StepReview, Verdict
from slowcode.decisions.store import DecisionStore
from slowcode.engine.apply.commit import StepCommitter
from slowcode.engine.human import StepVerdict
from slowcode.engine.progress import NoticeRaised, Progress
from slowcode.engine.staging.diffs import diff_texts
from slowcode.git import repo_state
from slowcode.git.repo import GitRepo
from tests.context.repos import git, make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import app_repo, make_workflow, two_step_script


def test_a_path_outside_the_sparse_checkout_is_refused(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj", {"a/x.txt": "x\n", "b/y.txt": "y\n"})
    git(root, "sparse-checkout", "set", "a")
    assert not (root / "b" / "y.txt").exists()
    problem = repo_state.apply_blocker(root, ["b/y.txt"])
    assert problem is not None
    assert problem.startswith("b/y.txt is outside the sparse checkout: widen it")
    assert repo_state.apply_blocker(root, ["a/x.txt"]) is None


def test_a_path_inside_a_submodule_is_refused(tmp_path: Path) -> None:
    inner = with_identity(make_repo(tmp_path / "inner", {"lib.txt": "lib\n"}))
    root = with_identity(make_repo(tmp_path / "proj", {"app.txt": "app\n"}))
    subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            str(inner),
            "vendor/inner",
        ],
        check=True,
        capture_output=True,
    )
    git(root, "commit", "-qm", "submodule")
    problem = repo_state.apply_blocker(root, ["vendor/inner/lib.txt"])
    assert problem is not None and "the submodule vendor/inner" in problem
    assert repo_state.apply_blocker(root, ["app.txt"]) is None


def test_a_new_file_gets_the_line_endings_of_gitattributes(tmp_path: Path) -> None:
    root = with_identity(make_repo(tmp_path / "proj", {".gitattributes": "*.txt eol=crlf\n"}))
    files = diff_texts({"notes.txt": (None, "one\ntwo\n")})
    review = StepReview(1, "Notes", "", files)
    for position in range(len(review.hunks)):
        review.set_verdict(position, Verdict.ACCEPTED)
    record: Any = lambda *args, **kwargs: None  # noqa: E731
    StepCommitter(GitRepo.open(root), DecisionStore(root), "s1", "m", record).apply(review, None)
    assert (root / "notes.txt").read_bytes() == b"one\r\ntwo\r\n"
    assert git(root, "cat-file", "blob", "HEAD:notes.txt") == "one\ntwo\n"
    assert git(root, "status", "--porcelain") == ""


class Switcher(ScriptedHuman):
    """Switches to another branch while the first review is open."""

    async def review_step(self, review: StepReview) -> StepVerdict:
        if not self.reviews:
            git(Path(self.root), "switch", "-q", "-c", "other")
        return await super().review_step(review)

    root: str = ""


async def test_a_branch_switch_during_review_is_named_before_anything_is_written(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    fake_api.script(*two_step_script())
    events: list[Progress] = []
    human = Switcher()
    human.root = str(repo)
    await make_workflow(repo, fake_api, human, events).run("Make greetings nicer")
    told = [e.message for e in events if isinstance(e, NoticeRaised) and e.level == "error"]
    assert len(told) == 1
    assert told[0].startswith("HEAD moved from main at ") and " to other at " in told[0]
    assert len(human.reviews) == 3  # told, then applied again on purpose
    assert git(repo, "rev-list", "--count", "main").strip() == "1"
    assert git(repo, "rev-list", "--count", "other").strip() == "3"
