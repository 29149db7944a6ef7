"""The context policy: ignored, secret and excluded files never reach the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.context.policy import ContextPolicy
from tests.context.repos import git, make_repo, write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(
        tmp_path / "repo",
        {
            ".gitignore": "build/\n*.log\n",
            "src/app.py": "print('app')\n",
            "src/.env.example": "TOKEN=\n",
            "config/secret.yaml": "password: x\n",
            "config/public.yaml": "name: x\n",
            "docs/guide.md": "# Guide\n",
        },
    )
    write(root, "build/out/gen.py", "generated = True\n")
    write(root, "debug.log", "log\n")
    write(root, "notes.txt", "untracked but visible\n")
    write(root, ".env", "API_KEY=secret\n")
    write(root, "certs/server.pem", "-----BEGIN-----\n")
    write(root, "deploy/id_ed25519", "key\n")
    write(root, "tls/site.key", "key\n")
    # A tracked file stays visible even when an ignore pattern matches it.
    write(root, "kept.log", "tracked\n")
    git(root, "add", "-f", "kept.log")
    git(root, "commit", "-q", "-m", "keep a log")
    return root


@pytest.mark.parametrize(
    ("rel", "word"),
    [
        ("build/out/gen.py", "ignored by git"),
        ("build", "ignored by git"),
        ("debug.log", "ignored by git"),
        (".env", "secret"),
        ("src/.env.example", "secret"),
        ("certs/server.pem", "secret"),
        ("deploy/id_ed25519", "secret"),
        ("tls/site.key", "secret"),
        ("config/secret.yaml", "exclude settings"),
    ],
)
def test_excluded_files_have_a_one_sentence_reason(repo: Path, rel: str, word: str) -> None:
    policy = ContextPolicy(repo, exclude=["config/secret*"])
    reason = policy.refusal(rel)
    assert reason is not None
    assert word in reason
    assert rel in reason
    assert "\n" not in reason
    assert policy.is_excluded(rel)


@pytest.mark.parametrize(
    "rel", ["src/app.py", "notes.txt", "kept.log", "config/public.yaml", "docs", ".", ".gitignore"]
)
def test_visible_files_are_not_excluded(repo: Path, rel: str) -> None:
    policy = ContextPolicy(repo, exclude=["config/secret*"])
    assert policy.refusal(rel) is None
    assert not policy.is_excluded(rel)


def test_exclude_globs_match_folders_and_nested_files(repo: Path) -> None:
    policy = ContextPolicy(repo, exclude=["docs/", "**/*.yaml"])
    assert policy.is_excluded("docs/guide.md")
    assert policy.is_excluded("docs")
    assert policy.is_excluded("config/public.yaml")
    assert not policy.is_excluded("src/app.py")


def test_files_created_later_are_checked_with_git(repo: Path) -> None:
    policy = ContextPolicy(repo)
    assert not policy.is_excluded("src/app.py")  # git has been asked once now
    write(repo, "late.log", "appeared after the first question\n")
    assert policy.is_excluded("late.log")
    assert policy.is_excluded("not/yet/there.log")
    assert not policy.is_excluded("not/yet/there.py")


def test_refresh_sees_a_changed_gitignore(repo: Path) -> None:
    policy = ContextPolicy(repo)
    assert not policy.is_excluded("notes.txt")
    write(repo, ".gitignore", "build/\n*.log\nnotes.txt\n")
    policy.refresh()
    assert policy.is_excluded("notes.txt")


def test_outside_a_git_repository_only_secrets_and_globs_apply(tmp_path: Path) -> None:
    write(tmp_path, "plain/a.py", "x = 1\n")
    policy = ContextPolicy(tmp_path / "plain", exclude=["*.tmp"])
    assert not policy.is_excluded("a.py")
    assert policy.is_excluded(".env.local")
    assert policy.is_excluded("x.tmp")
