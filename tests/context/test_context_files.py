"""Listing the files the model may see, flat and as the `view` folder listing."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.context.files import directory_listing, list_files
from slowcode.context.policy import ContextPolicy
from slowcode.core.errors import RepositoryError
from tests.context.repos import make_repo, write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(
        tmp_path / "repo",
        {
            ".gitignore": "build/\n*.pyc\n",
            "README.md": "# Demo\n",
            "src/app.py": "print('app')\n",
            "src/pkg/__init__.py": "",
            "src/pkg/deep/mod.py": "x = 1\n",
            "gone.py": "deleted later\n",
            ".env": "KEY=1\n",
        },
    )
    write(root, "build/lib/app.py", "built\n")
    write(root, "src/app.pyc", b"\x00\x01")
    write(root, "src/new_module.py", "untracked\n")
    write(root, "private/data.csv", "a,b\n")
    (root / "gone.py").unlink()
    return root


def test_list_files_is_tracked_plus_untracked_minus_ignored_and_excluded(repo: Path) -> None:
    policy = ContextPolicy(repo, exclude=["private/"])
    assert list_files(repo, policy) == [
        ".gitignore",
        "README.md",
        "src/app.py",
        "src/new_module.py",
        "src/pkg/__init__.py",
        "src/pkg/deep/mod.py",
    ]


def test_list_files_outside_a_repository_is_a_repository_error(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(RepositoryError):
        list_files(tmp_path / "plain", ContextPolicy(tmp_path / "plain"))


def test_root_listing_goes_two_levels_deep(repo: Path) -> None:
    text = directory_listing(repo, ".", ContextPolicy(repo))
    header, *entries = text.rstrip("\n").split("\n")
    assert "2 levels deep in the repository root" in header
    assert entries == [
        ".gitignore",
        "README.md",
        "private/",
        "private/data.csv",
        "src/",
        "src/app.py",
        "src/new_module.py",
        "src/pkg/",
    ]


def test_sub_folder_listing_with_staged_files(repo: Path) -> None:
    text = directory_listing(
        repo, "src/pkg", ContextPolicy(repo), extra_files=["src/pkg/extra/new.py", "other.py"]
    )
    header, *entries = text.rstrip("\n").split("\n")
    assert "in src/pkg," in header
    assert entries == [
        "src/pkg/__init__.py",
        "src/pkg/deep/",
        "src/pkg/deep/mod.py",
        "src/pkg/extra/",
        "src/pkg/extra/new.py",
    ]


def test_depth_one_and_an_empty_listing(repo: Path) -> None:
    policy = ContextPolicy(repo)
    entries = directory_listing(repo, "src", policy, depth=1).rstrip("\n").split("\n")[1:]
    assert entries == ["src/app.py", "src/new_module.py", "src/pkg/"]
    assert directory_listing(repo, "build", policy).endswith("(no files)\n")
