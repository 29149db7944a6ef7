"""A step's commit is made as `git commit` makes it: real hooks, real keys, git's identity."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slowcode.git.commit import CommitRefused, refusal_reason
from slowcode.git.repo import GitRepo

TRAILERS = [("Slowcode-Session", "s1"), ("Slowcode-Step", "1")]


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return result.stdout


@pytest.fixture(autouse=True)
def isolated_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the repository's own configuration counts."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_DIR",
        "GIT_INDEX_FILE",
    ):
        monkeypatch.delenv(name, raising=False)


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Ada Developer")
    git(path, "config", "user.email", "ada@example.com")
    (path / "app.py").write_text("x = 1\n")
    (path / "README.md").write_text("# proj\n")
    git(path, "add", "app.py", "README.md")
    git(path, "commit", "-q", "-m", "start")
    return path


def hook(root: Path, name: str, script: str, folder: str = ".git/hooks") -> Path:
    target = root / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("#!/bin/sh\n" + script)
    target.chmod(0o755)
    return target


def commit(root: Path, text: str = "x = 2\n") -> str:
    (root / "app.py").write_text(text)
    return GitRepo.open(root).commit_step(["app.py"], "Change x", "Why x changes.", TRAILERS)


def test_every_commit_hook_runs_and_a_commit_msg_trailer_joins_slowcodes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj")
    log = tmp_path / "hooks.log"
    for name in ("pre-commit", "prepare-commit-msg", "post-commit"):
        hook(root, name, f'echo "{name} $*" >> {log}\n')
    hook(
        root,
        "commit-msg",
        f'echo "commit-msg" >> {log}\n'
        'git interpret-trailers --in-place --trailer "Reviewed-by: Hook <h@example.com>" "$1"\n',
    )
    sha = commit(root)
    ran = log.read_text().splitlines()
    assert [line.split()[0] for line in ran] == [
        "pre-commit",
        "prepare-commit-msg",
        "commit-msg",
        "post-commit",
    ]
    assert ran[1].endswith(" message")  # git's own arguments: the file and the source
    trailers = GitRepo.open(root).trailers(sha)
    assert trailers["Slowcode-Step"] == ["1"]
    assert trailers["Reviewed-by"] == ["Hook <h@example.com>"]


def test_hooks_come_from_core_hooks_path(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj")
    git(root, "config", "core.hooksPath", "githooks")
    hook(root, "pre-commit", "echo refused by the team hook >&2\nexit 1\n", folder="githooks")
    with pytest.raises(CommitRefused) as caught:
        commit(root)
    assert "refused by the team hook" in caught.value.output
    assert git(root, "log", "--format=%s").split("\n")[0] == "start"


def test_a_refusing_hook_commits_nothing_and_leaves_the_files_and_index(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj")
    hook(root, "pre-commit", "echo line one\necho 'line two: trailing spaces' >&2\nexit 1\n")
    head = git(root, "rev-parse", "HEAD")
    with pytest.raises(CommitRefused) as caught:
        commit(root)
    assert "line one" in caught.value.output
    assert "line two: trailing spaces" in caught.value.output
    assert git(root, "rev-parse", "HEAD") == head
    assert (root / "app.py").read_text() == "x = 2\n"
    assert git(root, "status", "--porcelain") == " M app.py\n"
    assert not list((root / ".git").glob("slowcode-index-*"))


def test_without_hooks_only_when_asked(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj")
    hook(root, "pre-commit", "exit 1\n")
    (root / "app.py").write_text("x = 3\n")
    repo = GitRepo.open(root)
    sha = repo.commit_step(["app.py"], "Change x", "", TRAILERS, verify=False)
    assert git(root, "show", f"{sha}:app.py") == "x = 3\n"


def test_a_hook_that_changes_the_commit_takes_it_back_and_shows_the_change(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "proj")
    hook(root, "pre-commit", "sed -i 's/x=2/x = 2/' app.py\ngit add app.py\n")
    head = git(root, "rev-parse", "HEAD")
    with pytest.raises(CommitRefused) as caught:
        commit(root, "x=2\n")
    assert "-x=2" in caught.value.changed_by_hook
    assert "+x = 2" in caught.value.changed_by_hook
    assert git(root, "rev-parse", "HEAD") == head


def test_author_and_committer_resolve_as_git_resolves_them(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj")
    git(root, "config", "committer.name", "Build Bot")
    git(root, "config", "committer.email", "bot@example.com")
    os.environ["GIT_AUTHOR_NAME"] = "Env Author"
    os.environ["GIT_AUTHOR_EMAIL"] = "env@example.com"
    try:
        assert GitRepo.open(root).identity() == ("Env Author", "env@example.com")
        sha = commit(root)
    finally:
        del os.environ["GIT_AUTHOR_NAME"], os.environ["GIT_AUTHOR_EMAIL"]
    assert git(root, "log", "-1", "--format=%an <%ae>|%cn <%ce>", sha).strip() == (
        "Env Author <env@example.com>|Build Bot <bot@example.com>"
    )


def test_no_identity_is_reported_before_anything_runs(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj")
    git(root, "config", "--unset", "user.email")
    git(root, "config", "user.useConfigOnly", "true")
    assert GitRepo.open(root).identity() is None


def test_gpg_signing_follows_commit_gpgsign(tmp_path: Path) -> None:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = {"GNUPGHOME": str(home)}
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Ada <ada@example.com>",
            "ed25519",
            "sign",
            "never",
        ],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    root = make_repo(tmp_path / "proj")
    git(root, "config", "commit.gpgsign", "true")
    git(root, "config", "user.signingkey", "ada@example.com")
    os.environ["GNUPGHOME"] = str(home)
    try:
        sha = commit(root)
        assert git(root, "log", "-1", "--format=%G?", sha).strip() == "G"
    finally:
        del os.environ["GNUPGHOME"]


def test_ssh_signing_follows_gpg_format(tmp_path: Path) -> None:
    key = tmp_path / "signing_key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f", str(key)], check=True
    )
    allowed = tmp_path / "allowed_signers"
    allowed.write_text("ada@example.com " + key.with_suffix(".pub").read_text())
    root = make_repo(tmp_path / "proj")
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingkey", str(key))
    git(root, "config", "commit.gpgsign", "true")
    git(root, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    sha = commit(root)
    assert git(root, "log", "-1", "--format=%G?", sha).strip() == "G"


def test_a_linked_worktree_commits_on_its_own_branch_with_the_shared_hooks(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "proj")
    marker = tmp_path / "marker"
    hook(root, "pre-commit", f"touch {marker}\n")
    linked = tmp_path / "linked"
    git(root, "worktree", "add", "-q", "-b", "side", str(linked))
    sha = commit(linked)
    assert marker.exists()
    assert git(root, "rev-parse", "side").strip() == sha
    assert git(root, "rev-parse", "main").strip() != sha
    assert git(linked, "status", "--porcelain") == ""


NO_TODO = """\
import sys

bad = [name for name in sys.argv[1:] if "TODO" in open(name).read()]
if bad:
    print("TODO left in", *bad)
sys.exit(1 if bad else 0)
"""

PRE_COMMIT_CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: marker
        name: marker
        entry: {python} -c "open('{marker}', 'a').write('ran\\\\n')"
        language: system
        pass_filenames: false
      - id: no-todo
        name: no TODO
        entry: {python} {no_todo}
        language: system
        files: \\.py$
"""


@pytest.fixture
def pre_commit_repo(tmp_path: Path) -> Path:
    if shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("the pre-commit framework is a dev dependency: install the dev extras")
    root = make_repo(tmp_path / "proj")
    no_todo = tmp_path / "no_todo.py"
    no_todo.write_text(NO_TODO)
    config = PRE_COMMIT_CONFIG.format(
        python=sys.executable, marker=tmp_path / "marker", no_todo=no_todo
    )
    (root / ".pre-commit-config.yaml").write_text(config)
    git(root, "add", ".pre-commit-config.yaml")
    git(root, "commit", "-q", "-m", "hooks")
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    os.environ.update(env)
    subprocess.run(
        [str(Path(sys.executable).parent / "pre-commit"), "install", "-t", "pre-commit"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return root


def test_the_pre_commit_framework_runs_its_local_hooks(pre_commit_repo: Path) -> None:
    root = pre_commit_repo
    sha = commit(root)
    assert (root.parent / "marker").read_text() == "ran\n"
    assert git(root, "show", f"{sha}:app.py") == "x = 2\n"
    assert git(root, "ls-tree", "--name-only", sha).split() == [
        ".pre-commit-config.yaml",
        "README.md",
        "app.py",
    ]
    assert git(root, "status", "--porcelain") == ""


def test_the_pre_commit_framework_refuses_with_its_message(pre_commit_repo: Path) -> None:
    root = pre_commit_repo
    head = git(root, "rev-parse", "HEAD")
    with pytest.raises(CommitRefused) as caught:
        commit(root, "x = 2  # TODO\n")
    assert "TODO left in app.py" in caught.value.output
    assert git(root, "rev-parse", "HEAD") == head
    assert (root / "app.py").read_text() == "x = 2  # TODO\n"
    # The one-line summary is the hook's own line, not pre-commit's bookkeeping after it.
    assert str(caught.value) == "git commit refused the step: TODO left in app.py"


def test_a_staged_pre_commit_configuration_is_named_with_the_way_out(
    pre_commit_repo: Path,
) -> None:
    root = pre_commit_repo
    config = root / ".pre-commit-config.yaml"
    config.write_text(config.read_text() + "# the developer's own change\n")
    git(root, "add", ".pre-commit-config.yaml")

    with pytest.raises(CommitRefused) as caught:
        commit(root)

    assert "Your pre-commit configuration is unstaged" in caught.value.output
    assert str(caught.value) == (
        "git commit refused the step: pre-commit refuses while .pre-commit-config.yaml has "
        "changes outside this commit (a step's commit holds only its own files): commit the "
        "configuration first, then retry"
    )
    git(root, "commit", "-q", "-m", "hooks changed")  # the way out it names
    assert commit(root)


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (
            "lint....Failed\n- hook id: x\n\npolicy: no\n\n[INFO] Restored changes from /p.\n",
            "policy: no",
        ),
        ("check....Passed\nfmt....Failed\n", "fmt....Failed"),
        ("[INFO] Initializing environment\n", "[INFO] Initializing environment"),
        ("\n\n", ""),
    ],
)
def test_the_summary_is_the_line_that_says_why(output: str, reason: str) -> None:
    assert refusal_reason(output) == reason
