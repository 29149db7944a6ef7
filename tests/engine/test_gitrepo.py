"""GitRepo against real repositories in temporary folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from slowcode.core.errors import RepositoryError
from slowcode.git.repo import GitRepo
from slowcode.git.trailers import format_message
from tests.context.repos import with_identity


def git(cwd: Path, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture(autouse=True)
def isolated_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system identity leaks into these tests."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_DIR"):
        monkeypatch.delenv(name, raising=False)


def make_repo(path: Path, identity: bool = True) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    if identity:
        with_identity(path)
    return path


def files_in(repo: Path, rev: str = "HEAD") -> set[str]:
    return set(git(repo, "ls-tree", "-r", "--name-only", rev).split())


def status(repo: Path) -> list[str]:
    return git(repo, "status", "--porcelain").splitlines()


def test_open_finds_the_repository_from_a_subfolder(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj")
    (root / "src" / "pkg").mkdir(parents=True)
    repo = GitRepo.open(root / "src" / "pkg")
    assert repo.root == root.resolve()


def test_open_outside_a_repository_says_what_to_do(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(RepositoryError) as caught:
        GitRepo.open(plain)
    message = str(caught.value)
    assert message.startswith(f"not a git repository: {plain.resolve()}")
    assert "git init" in message
    assert "\n" not in message


def test_open_a_bare_repository_is_refused(tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    with pytest.raises(RepositoryError, match="bare git repository"):
        GitRepo.open(bare)


def test_identity_reads_git_config(tmp_path: Path) -> None:
    repo = GitRepo.open(make_repo(tmp_path / "r"))
    assert repo.identity() == ("Ada Developer", "ada@example.com")


def test_identity_is_none_without_config(tmp_path: Path) -> None:
    repo = GitRepo.open(make_repo(tmp_path / "r", identity=False))
    assert repo.identity() is None
    hint = repo.identity_hint()
    assert "git config user.name" in hint and "git config user.email" in hint
    assert "\n" not in hint


def test_identity_from_the_global_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    global_config = tmp_path / "global-gitconfig"
    global_config.write_text("[user]\n\tname = Global Gal\n\temail = gal@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    repo = GitRepo.open(make_repo(tmp_path / "r", identity=False))
    assert repo.identity() == ("Global Gal", "gal@example.org")


def test_head_sha_is_none_before_the_first_commit(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    repo = GitRepo.open(root)
    assert repo.head_sha() is None
    (root / "a.txt").write_text("a\n")
    sha = repo.commit_step(["a.txt"], "Add a", "", [])
    assert repo.head_sha() == sha == git(root, "rev-parse", "HEAD").strip()


def test_root_commit_holds_only_the_step_paths(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "app.py").write_text("print('hi')\n")
    (root / "notes.txt").write_text("developer's scratch\n")
    repo = GitRepo.open(root)
    sha = repo.commit_step(["app.py"], "Add the app", "Prints a greeting.", [])
    assert files_in(root) == {"app.py"}
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(root, "show", f"{sha}:app.py") == "print('hi')\n"
    assert status(root) == ["?? notes.txt"]


def test_commit_on_top_keeps_the_developers_staged_work_staged(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "base.py").write_text("x = 1\n")
    git(root, "add", "base.py")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD").strip()

    (root / "staged.py").write_text("staged = True\n")
    git(root, "add", "staged.py")
    (root / "base.py").write_text("x = 2\n")  # unstaged edit of a tracked file
    (root / "step.py").write_text("step = 1\n")
    (root / "sub").mkdir()
    (root / "sub" / "deep.py").write_text("deep = 1\n")

    repo = GitRepo.open(root)
    sha = repo.commit_step(["step.py", "sub/deep.py"], "Add the step", "Body text.", [])

    assert git(root, "rev-parse", f"{sha}^").strip() == base
    assert files_in(root) == {"base.py", "step.py", "sub/deep.py"}
    assert git(root, "show", "HEAD:base.py") == "x = 1\n"
    assert sorted(status(root)) == [" M base.py", "A  staged.py"]
    assert git(root, "diff", "--cached", "--name-only").split() == ["staged.py"]


def test_commit_records_a_deletion(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "old.py").write_text("gone soon\n")
    (root / "keep.py").write_text("kept\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    (root / "old.py").unlink()
    GitRepo.open(root).commit_step(["old.py"], "Remove old", "", [])
    assert files_in(root) == {"keep.py"}
    assert status(root) == []


def test_commit_on_a_detached_head_moves_head(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "a.txt").write_text("a\n")
    git(root, "add", "a.txt")
    git(root, "commit", "-q", "-m", "a")
    git(root, "checkout", "-q", "--detach")
    branch_tip = git(root, "rev-parse", "main").strip()
    (root / "b.txt").write_text("b\n")
    sha = GitRepo.open(root).commit_step(["b.txt"], "Add b", "", [])
    assert git(root, "rev-parse", "HEAD").strip() == sha
    assert git(root, "rev-parse", "main").strip() == branch_tip


def test_author_and_committer_are_the_developer(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "a.txt").write_text("a\n")
    trailers = [("Assisted-by", "claude-sonnet-5-5")]
    sha = GitRepo.open(root).commit_step(["a.txt"], "Add a", "", trailers)
    people = git(root, "log", "-1", "--format=%an <%ae>|%cn <%ce>", sha).strip()
    assert people == "Ada Developer <ada@example.com>|Ada Developer <ada@example.com>"


def test_trailers_round_trip_through_interpret_trailers(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "a.txt").write_text("a\n")
    trailers = [
        ("Slowcode-Session", "20261121-142501-ab12cd"),
        ("Slowcode-Step", "3"),
        ("Decision", "docs/decisions/0004-use-sqlite.md"),
        ("Assisted-by", "claude-sonnet-5-5"),
    ]
    body = "Explains the step.\n\nSecond paragraph: with a colon."
    repo = GitRepo.open(root)
    sha = repo.commit_step(["a.txt"], "Add a", body, trailers)

    message = git(root, "log", "-1", "--format=%B", sha)
    parsed = git(root, "interpret-trailers", "--parse", stdin=message).splitlines()
    assert parsed == [f"{key}: {value}" for key, value in trailers]
    assert message.startswith("Add a\n\nExplains the step.\n\nSecond paragraph: with a colon.\n")
    assert repo.trailers(sha) == {key: [value] for key, value in trailers}


def test_commit_without_identity_is_refused_before_anything_changes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", identity=False)
    (root / "a.txt").write_text("a\n")
    repo = GitRepo.open(root)
    with pytest.raises(RepositoryError) as caught:
        repo.commit_step(["a.txt"], "Add a", "", [])
    assert "git config user.name" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert repo.head_sha() is None


@pytest.mark.parametrize("bad_path", ["../outside.txt", "/etc/passwd", ".git/config", ""])
def test_commit_refuses_paths_outside_the_work_tree(tmp_path: Path, bad_path: str) -> None:
    root = make_repo(tmp_path / "r")
    with pytest.raises(RepositoryError, match="outside the work tree"):
        GitRepo.open(root).commit_step([bad_path], "Nope", "", [])


def test_format_message_rejects_bad_trailer_keys_and_empty_subjects() -> None:
    with pytest.raises(RepositoryError, match="trailer key"):
        format_message("Subject", "", [("Bad Key", "x")])
    with pytest.raises(RepositoryError, match="subject"):
        format_message("  \n ", "", [])
    assert format_message("Two\nlines", "", [("K", "v\nw")]) == "Two lines\n\nK: v w\n"


def test_ensure_excluded_is_idempotent(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    exclude = root / ".git" / "info" / "exclude"
    exclude.unlink(missing_ok=True)
    repo = GitRepo.open(root)
    repo.ensure_excluded()
    repo.ensure_excluded()
    assert exclude.read_text().splitlines().count(".slowcode/") == 1
    (root / ".slowcode").mkdir()
    (root / ".slowcode" / "x.json").write_text("{}")
    assert status(root) == []


def test_ensure_excluded_appends_after_a_line_without_newline(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    exclude = root / ".git" / "info" / "exclude"
    exclude.write_text("*.log")
    GitRepo.open(root).ensure_excluded()
    assert exclude.read_text() == "*.log\n.slowcode/\n"


def test_ensure_excluded_from_a_worktree_uses_the_common_dir(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "a.txt").write_text("a\n")
    git(root, "add", "a.txt")
    git(root, "commit", "-q", "-m", "a")
    worktree = tmp_path / "wt"
    git(root, "worktree", "add", "-q", str(worktree))
    repo = GitRepo.open(worktree)
    assert repo.root == worktree.resolve()
    repo.ensure_excluded()
    assert ".slowcode/" in (root / ".git" / "info" / "exclude").read_text().splitlines()
    (worktree / ".slowcode").mkdir()
    (worktree / ".slowcode" / "j").write_text("x")
    assert status(worktree) == []
