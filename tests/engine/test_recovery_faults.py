"""Fault injection: SIGKILL at every point of apply + commit, then recovery.

Every run checks the three promises: no torn file (each file holds its old bytes
or its new ones, at the kill and after recovery), no lost verdict (the journal
still holds the step's verdict and verifies), and exactly one commit for the step.
The slow variant kills at every point, and also at every point of the recovery
that follows a kill; the normal suite kills at a sample of points.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slowcode.decisions.store import DecisionStore
from slowcode.engine.apply.commit import StepCommitter
from slowcode.engine.session.recovery import COMPLETED, recover_apply
from slowcode.git.repo import GitRepo
from slowcode.journal.log import Journal, find_sessions, read_events, verify
from tests.context.repos import git, make_repo, with_identity
from tests.engine import apply_fault_child as child

CHILD = Path(child.__file__)

DECISION_PATH = "docs/decisions/0001-spell-numbers-out.md"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(
        tmp_path_factory.mktemp("template") / "project",
        {"a.txt": child.OLD_A, "pkg/b.py": child.OLD_B, "README.md": "# x\n"},
    )
    with_identity(root)
    GitRepo.open(root).ensure_excluded(".slowcode/")
    journal = Journal.create(root)
    journal.append("session_started", {"task": "spell numbers"}, sync=True)
    journal.append("step_verdict", {"step": 1, "action": "apply"}, sync=True)
    return root


def fresh_copy(template: Path, where: Path) -> Path:
    root = where / "project"
    shutil.copytree(template, root, symlinks=True)
    return root


def run_child(root: Path, mode: str, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHILD), str(root), mode, str(kill_at)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def expected_new() -> dict[str, str]:
    # The second hunk of a.txt is rejected by the scripted review.
    return {
        "a.txt": child.OLD_A.replace("line 3\n", "line three\n"),
        "pkg/b.py": child.NEW_B,
        "pkg/new/c.py": child.NEW_C,
    }


def assert_untorn(root: Path) -> None:
    old = {"a.txt": child.OLD_A, "pkg/b.py": child.OLD_B, "pkg/new/c.py": None}
    for path, new_text in expected_new().items():
        target = root / path
        now = target.read_text() if target.exists() else None
        assert now in (old[path], new_text), f"{path} is torn: {now!r}"


def step_commits(root: Path) -> list[str]:
    out = git(root, "log", "--format=%H", "--grep=^Slowcode-Step: 1$")
    return out.split()


def recover_in_process(root: Path) -> None:
    folder = find_sessions(root)[-1]
    journal = Journal.open(folder)
    committer = StepCommitter(
        GitRepo.open(root), DecisionStore(root), journal.session_id, child.MODEL, journal.record
    )
    outcome = recover_apply(committer, journal.events())
    assert outcome is None or outcome.outcome == COMPLETED


def assert_applied_once(root: Path) -> None:
    for path, text in expected_new().items():
        assert (root / path).read_text() == text
    assert (root / DECISION_PATH).is_file()
    commits = step_commits(root)
    assert len(commits) == 1, f"{len(commits)} commits for step 1"
    assert git(root, "rev-parse", "HEAD").strip() == commits[0]
    for path, text in expected_new().items():
        assert git(root, "show", f"HEAD:{path}") == text
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    leftovers = [p for p in root.rglob("*.slowcode-tmp")]
    assert leftovers == []
    folder = find_sessions(root)[-1]
    assert verify(folder)[0], verify(folder)[1]
    kinds = [event["type"] for event in read_events(folder)]
    assert "step_verdict" in kinds
    assert kinds.count("commit_made") == 1


def count_points(template: Path, where: Path, mode: str = "apply") -> int:
    root = fresh_copy(template, where)
    result = run_child(root, mode, 0)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


def kill_and_recover(template: Path, where: Path, kill_at: int, recover_kill: int = 0) -> None:
    root = fresh_copy(template, where)
    killed = run_child(root, "apply", kill_at)
    assert killed.returncode == -9, (kill_at, killed.returncode, killed.stderr)
    assert_untorn(root)
    if recover_kill:
        again = run_child(root, "recover", recover_kill)
        assert again.returncode in (0, -9), again.stderr
        assert_untorn(root)
    intended = "apply_intent" in kinds_of(root)
    recover_in_process(root)
    if not intended:
        # Killed before the intent: nothing was written, and the resumed session
        # applies the step from its journaled verdict, as the first run would have.
        assert_untouched(root)
        assert run_child(root, "apply", 0).returncode == 0
    assert_applied_once(root)


def kinds_of(root: Path) -> list[str]:
    return [event["type"] for event in read_events(find_sessions(root)[-1])]


def assert_untouched(root: Path) -> None:
    assert (root / "a.txt").read_text() == child.OLD_A
    assert (root / "pkg/b.py").read_text() == child.OLD_B
    assert not (root / "pkg/new/c.py").exists()
    assert not (root / DECISION_PATH).exists()
    assert step_commits(root) == []
    assert "step_verdict" in kinds_of(root)


def test_an_uninterrupted_apply_commits_once(template: Path, tmp_path: Path) -> None:
    root = fresh_copy(template, tmp_path)
    assert run_child(root, "apply", 0).returncode == 0
    assert_applied_once(root)
    recover_in_process(root)  # nothing to recover: no second commit
    assert len(step_commits(root)) == 1


def test_a_kill_at_sampled_points_is_recovered(template: Path, tmp_path: Path) -> None:
    total = count_points(template, tmp_path / "count")
    assert total >= 40
    for kill_at in range(1, total + 1, 9):
        kill_and_recover(template, tmp_path / f"k{kill_at}", kill_at)


@pytest.mark.slow
def test_a_kill_at_every_point_and_during_recovery_is_recovered(
    template: Path, tmp_path: Path
) -> None:
    total = count_points(template, tmp_path / "count")
    runs = 0
    for kill_at in range(1, total + 1):
        kill_and_recover(template, tmp_path / f"k{kill_at}", kill_at)
        runs += 1
    # A second kill, during the recovery of a first one at every third point.
    for kill_at in range(1, total + 1, 3):
        for recover_kill in (1, 3, 6, 10, 15):
            kill_and_recover(
                template, tmp_path / f"r{kill_at}-{recover_kill}", kill_at, recover_kill
            )
            runs += 1
    print(f"fault injection: {runs} killed runs, {total} kill points in apply + commit")
    assert runs >= 100
