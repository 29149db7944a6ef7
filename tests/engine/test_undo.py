"""Undoing the last applied step in real repositories: a new revert commit, or a clear refusal."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.cli.undo_command import run_undo
from slowcode.engine.progress import Progress
from slowcode.git.repo import GitRepo
from slowcode.journal.log import SESSIONS_DIR, find_sessions, latest_unfinished, read_events
from slowcode.journal.log import verify as verify_journal
from slowcode.ops.undo import UndoRefused, head_is_undoable, plan_undo, undo_last_step
from tests.context.repos import git, make_repo, with_identity, write
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, make_workflow, two_step_script


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root


def rev(repo: Path, name: str) -> str:
    return git(repo, "rev-parse", name).strip()


def status(repo: Path) -> str:
    return git(repo, "status", "--porcelain")


def step_commit(repo: Path, session: str = "s1", step: int = 1) -> str:
    """A commit as slowcode makes one, changing app.py and creating lib/new.py."""
    write(repo, "app.py", APP + "\n# step\n")
    write(repo, "lib/new.py", "x = 1\n")
    trailers = [("Slowcode-Session", session), ("Slowcode-Step", str(step))]
    return GitRepo.open(repo).commit_step(["app.py", "lib/new.py"], "A step", "", trailers)


async def test_undo_after_a_two_step_session_restores_the_tree_before_the_step(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*two_step_script())
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), events)
    await workflow.run("Make greetings nicer")
    step_two = rev(repo, "HEAD")
    before_step_two = rev(repo, "HEAD~1^{tree}")
    session_id = workflow.session.session_id
    assert (repo / "farewell.py").exists()

    record = GitRepo.open(repo).trailers(step_two)["Decision"][0]

    result = undo_last_step(repo)

    assert result.undone == step_two and result.step == "2" and result.session_id == session_id
    # The revert, then the decision log's own commit: history is never rewritten.
    assert rev(repo, "HEAD~1") == result.commit and rev(repo, "HEAD~2") == step_two
    assert not (repo / "farewell.py").exists()
    assert status(repo) == ""  # work tree and index equal the new HEAD
    # The decision record stays, deprecated, naming the revert; nothing else of the step does.
    assert result.kept == [record] and record not in result.paths
    assert git(repo, "diff", "--name-only", before_step_two, "HEAD").split() == [record]
    text = (repo / record).read_text()
    assert "status: deprecated" in text
    assert f"was undone by commit {result.commit}." in text
    assert result.decision_commits[0].commit == rev(repo, "HEAD")
    marked = GitRepo.open(repo).trailers("HEAD")
    assert marked["Decision"] == [record]
    assert marked["Slowcode-Action"] == ["deprecated (its step was undone)"]
    trailers = GitRepo.open(repo).trailers(result.commit)
    assert trailers["Slowcode-Undo"] == [step_two]
    assert trailers["Slowcode-Session"] == [session_id]
    assert "Slowcode-Step" not in trailers  # never mistaken for the step itself
    assert git(repo, "log", "-1", "--format=%s", result.commit).strip() == (
        'Revert "Add a farewell module"'
    )

    journal = repo / SESSIONS_DIR / session_id
    kinds = [event["type"] for event in read_events(journal)]
    assert kinds[-3:] == ["session_finished", "undo_started", "undo_made"]
    assert read_events(journal)[-1]["data"]["undo_commit"] == result.commit
    assert verify_journal(journal)[0]
    assert latest_unfinished(repo) is None  # the finished session stays finished

    with pytest.raises(UndoRefused, match=f"already undone by {result.commit[:8]}"):
        undo_last_step(repo)


def test_a_commit_without_the_session_trailer_is_refused(repo: Path) -> None:
    step_commit(repo)
    write(repo, "README.md", "# mine\n")
    git(repo, "commit", "-qam", "my own commit")
    head = rev(repo, "HEAD")
    with pytest.raises(UndoRefused, match=r"is not a slowcode step \(no Slowcode-Session"):
        undo_last_step(repo)
    assert rev(repo, "HEAD") == head and status(repo) == ""


def test_unstaged_changes_to_the_steps_files_are_refused_and_kept(repo: Path) -> None:
    head = step_commit(repo)
    write(repo, "lib/new.py", "x = 2  # mine\n")
    with pytest.raises(UndoRefused, match=r"^uncommitted changes in lib/new.py; commit or stash"):
        undo_last_step(repo)
    assert rev(repo, "HEAD") == head
    assert (repo / "lib/new.py").read_text() == "x = 2  # mine\n"
    assert (repo / "app.py").read_text() == APP + "\n# step\n"
    assert not (repo / SESSIONS_DIR).exists()  # nothing journaled either


def test_staged_changes_to_the_steps_files_are_refused(repo: Path) -> None:
    step_commit(repo)
    write(repo, "app.py", "staged\n")
    git(repo, "add", "app.py")
    write(repo, "app.py", APP + "\n# step\n")  # the work tree alone looks clean
    with pytest.raises(UndoRefused, match=r"uncommitted changes in app\.py"):
        undo_last_step(repo)
    assert git(repo, "diff", "--cached", "--name-only").strip() == "app.py"


def test_other_work_of_the_developer_is_left_alone(repo: Path) -> None:
    step_commit(repo)
    write(repo, "README.md", "# staged by me\n")
    git(repo, "add", "README.md")
    write(repo, "notes.txt", "untracked\n")
    undo_last_step(repo)
    assert (repo / "app.py").read_text() == APP and not (repo / "lib").exists()
    assert sorted(status(repo).splitlines()) == ["?? notes.txt", "M  README.md"]


def test_an_undo_cut_short_before_its_commit_completes_on_the_next_run(repo: Path) -> None:
    step_commit(repo)
    # What an undo killed between its writes and its commit leaves behind.
    write(repo, "app.py", APP)
    (repo / "lib/new.py").unlink()
    result = undo_last_step(repo)
    assert rev(repo, "HEAD^{tree}") == rev(repo, "HEAD~2^{tree}") and result.paths == [
        "app.py",
        "lib/new.py",
    ]


def test_without_the_sessions_journal_the_undo_gets_a_journal_of_its_own(repo: Path) -> None:
    head = step_commit(repo, session="elsewhere")
    undo_last_step(repo)
    (folder,) = find_sessions(repo)
    assert [e["type"] for e in read_events(folder)] == ["undo_started", "undo_made"]
    assert read_events(folder)[0]["data"]["commit"] == head
    assert latest_unfinished(repo) is None  # nothing there to resume


def test_the_executable_bit_is_restored(repo: Path) -> None:
    script = write(repo, "run.sh", "#!/bin/sh\n")
    script.chmod(0o755)
    git(repo, "add", "run.sh")
    git(repo, "commit", "-qm", "script")
    script.chmod(0o644)
    write(repo, "run.sh", "#!/bin/sh\necho hi\n")
    GitRepo.open(repo).commit_step(["run.sh"], "Step", "", [("Slowcode-Session", "s")])
    undo_last_step(repo)
    assert script.stat().st_mode & 0o111 and status(repo) == ""


def test_the_cli_undoes_and_refuses_in_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = step_commit(repo)
    assert main(["undo", "--yes", "-C", str(repo)]) == 0
    said, done = capsys.readouterr().out.splitlines()
    assert said == (
        f'Undo step 1 "A step" ({head[:8]}) with a new commit that reverts app.py, lib/new.py.'
    )
    assert done.startswith(f"undid {head[:8]} (step 1 of session s1) with commit ")
    assert done.endswith(": app.py, lib/new.py")
    assert main(["undo", "--yes", "-C", str(repo)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("slowcode: the last slowcode step") and err.count("\n") == 1


def test_a_repository_without_commits_has_nothing_to_undo(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "empty")
    with pytest.raises(UndoRefused, match="no commits"):
        undo_last_step(root)


@pytest.mark.parametrize(("answer", "undone"), [("n\n", False), ("\n", False), ("y\n", True)])
def test_the_cli_asks_first_and_only_y_undoes(repo: Path, answer: str, undone: bool) -> None:
    head = step_commit(repo)
    out = io.StringIO()

    code = run_undo(repo, out, answers=io.StringIO(answer))

    assert out.getvalue().splitlines()[1].startswith("Undo it? [y/N]")
    assert (code == 0) is undone
    assert (rev(repo, "HEAD") != head) is undone
    assert status(repo) == ""


def test_an_undo_refuses_when_the_files_changed_after_it_was_planned(repo: Path) -> None:
    step_commit(repo)
    plan = plan_undo(repo)
    write(repo, "app.py", "edited while reading the plan\n")

    with pytest.raises(UndoRefused, match=r"uncommitted changes in app\.py"):
        undo_last_step(repo, plan)

    assert (repo / "app.py").read_text() == "edited while reading the plan\n"
    git(repo, "checkout", "--", "app.py")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Decision", "-m", "Slowcode-Action: accepted")
    with pytest.raises(UndoRefused, match="changed since the undo was confirmed"):
        undo_last_step(repo, plan)


async def test_a_decision_status_change_after_the_step_does_not_hide_it_from_undo(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_api.script(*two_step_script())
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    await workflow.run("Make greetings nicer")
    step_two = rev(repo, "HEAD")
    record = GitRepo.open(repo).trailers(step_two)["Decision"][0]
    number = Path(record).name[:4]
    assert main(["decisions", "-C", str(repo), "status", number, "deprecated"]) == 0
    status_change = rev(repo, "HEAD")
    capsys.readouterr()

    result = undo_last_step(repo)

    assert result.undone == step_two and result.kept == [record]
    assert rev(repo, "HEAD~1") == result.commit and rev(repo, "HEAD~2") == status_change
    assert not (repo / "farewell.py").exists()
    text = (repo / record).read_text()
    assert "status: deprecated" in text  # the developer's own status stays
    assert f"was undone by commit {result.commit}." in text
    assert status(repo) == ""
    with pytest.raises(UndoRefused, match=f"already undone by {result.commit[:8]}"):
        undo_last_step(repo)


def test_a_file_the_undo_restores_changed_by_a_later_decision_commit_is_refused(
    repo: Path,
) -> None:
    write(repo, "docs/decisions/0001-queue.md", "# Use a queue\n\nstatus: proposed\n")
    trailers = [("Slowcode-Session", "s1"), ("Slowcode-Step", "1")]
    GitRepo.open(repo).commit_step(["docs/decisions/0001-queue.md"], "A step", "", trailers)
    git(repo, "rm", "-q", "README.md")  # any path of the step would do: this one is not
    write(repo, "docs/decisions/0001-queue.md", "# Use a queue\n\nstatus: accepted\n")
    git(repo, "add", "docs/decisions/0001-queue.md")
    git(repo, "commit", "-qm", "Decision 0001 accepted", "-m", "Slowcode-Action: accepted")

    with pytest.raises(UndoRefused, match=r"0001-queue.md changed again in \w{8} after the step"):
        undo_last_step(repo)


def test_head_is_undoable_answers_as_the_undo_decides(repo: Path) -> None:
    assert not head_is_undoable(repo)  # the developer's own first commit
    step_commit(repo)
    assert head_is_undoable(repo)
    git(repo, "commit", "-q", "--allow-empty", "-m", "Decision", "-m", "Slowcode-Action: accepted")
    assert head_is_undoable(repo)  # the step beneath a decision-log commit
    undo_last_step(repo)
    assert not head_is_undoable(repo)  # undone already
    write(repo, "README.md", "# mine\n")
    git(repo, "commit", "-qam", "my own commit")
    assert not head_is_undoable(repo)
    assert not head_is_undoable(repo / "nowhere")


@pytest.mark.parametrize(("piped", "undone"), [("n\n", False), ("", False), ("y\n", True)])
def test_a_piped_answer_is_read_and_no_answer_undoes_nothing(
    repo: Path, piped: str, undone: bool
) -> None:
    head = step_commit(repo)

    done = subprocess.run(
        [sys.executable, "-m", "slowcode", "undo"],
        cwd=repo,
        input=piped,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (done.returncode == 0) is undone, done.stdout + done.stderr
    assert (rev(repo, "HEAD") != head) is undone
    if not piped:
        assert "no answer: nothing was undone (--yes undoes without asking)" in done.stdout
