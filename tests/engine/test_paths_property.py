"""Property: whatever path the model names and however symlinks are laid out, a write lands
inside the repository's work tree and never inside `.git/`.

Each example builds a fresh layout: a git repository, a folder beside it with a
secret file, symlinks drawn from a list of dangerous targets, and a FIFO. The
path goes through the whole write path a step takes: staging (path and context
policies), the step's diff, every hunk accepted, `write_step`. Then every file
outside the work tree and inside `.git/` is compared with a snapshot taken
before.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slowcode.context.policy import ContextPolicy
from slowcode.core.errors import SlowcodeError
from slowcode.core.paths import PathPolicy
from slowcode.core.step_review import Verdict
from slowcode.engine.staging.diffs import diff_step
from slowcode.engine.staging.tree import StagedTree
from tests.helpers.writes import write_step

LINK_PLACES = ["l1", "sub/l2", "sub/deeper/l3", "l4"]

# Targets a hostile layout may point at; `{T}` is the temporary top folder, `{R}` the repo.
LINK_TARGETS = [
    "{T}/outside",
    "{T}/outside/secret.txt",
    "{T}/outside/missing",
    "../outside",
    "../../outside",
    "../../../outside/secret.txt",
    "{R}/.git",
    ".git",
    "../.git",
    "../.git/config",
    "{R}/.git/hooks",
    "sub",
    "{R}/sub",
    "a.txt",
    "missing-inside",
    "l1",
    "/",
    "/dev/null",
    "{R}",
    "..",
    ".",
]

SEGMENTS = [
    *[place.rsplit("/", 1)[-1] for place in LINK_PLACES],
    "sub",
    "deeper",
    "..",
    ".",
    ".git",
    ".GIT",
    ".Git",
    "a.txt",
    "new.txt",
    "fifo",
    "outside",
    "secret.txt",
    "hooks",
    "config",
    "~",
    "",
    " ",
    "x\x00y",
]


@st.composite
def path_strings(draw: st.DrawFn) -> str:
    """Paths built from the layout's names and the usual escapes, or arbitrary text."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(max_size=40))
    parts = draw(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=6))
    separator = draw(st.sampled_from(["/", "\\", "//"]))
    prefix = draw(st.sampled_from(["", "", "./", "/", "~/", "{T}/", "{R}/", "C:\\"]))
    return prefix + separator.join(parts)


layouts = st.lists(
    st.tuples(st.sampled_from(LINK_PLACES), st.sampled_from(LINK_TARGETS)),
    max_size=4,
    unique_by=lambda pair: pair[0],
)


@dataclass
class Layout:
    top: Path
    repo: Path


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@contextmanager
def built(links: list[tuple[str, str]]) -> Iterator[Layout]:
    with tempfile.TemporaryDirectory(prefix="slowcode-paths-") as scratch:
        top = Path(scratch).resolve()
        repo = top / "repo"
        (repo / "sub" / "deeper").mkdir(parents=True)
        _git(repo, "init", "-q")
        (repo / "a.txt").write_text("inside\n")
        (repo / "sub" / "b.txt").write_text("inside too\n")
        os.mkfifo(repo / "fifo")
        (top / "outside").mkdir()
        (top / "outside" / "secret.txt").write_text("outside\n")
        for place, target in links:
            text = target.replace("{T}", str(top)).replace("{R}", str(repo))
            (repo / place).symlink_to(text)
        yield Layout(top, repo)


def snapshot(layout: Layout) -> dict[str, str]:
    """Every entry outside the work tree, and inside `.git/`, with what it holds."""
    seen: dict[str, str] = {}
    work_tree = layout.repo
    for folder, dirs, files in os.walk(layout.top, followlinks=False):
        here = Path(folder)
        for name in dirs + files:
            path = here / name
            inside_work_tree = path.is_relative_to(work_tree) and not path.is_relative_to(
                work_tree / ".git"
            )
            if inside_work_tree and path != work_tree / ".git":
                continue
            info = path.lstat()
            if path.is_symlink():
                seen[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                seen[str(path)] = f"file:{info.st_mode}:{digest}"
            else:
                seen[str(path)] = f"other:{info.st_mode}"
    return seen


def write_through_a_step(layout: Layout, path: str) -> list[str]:
    """Stages `path`, accepts every hunk and applies; returns what was written."""
    given_path = path.replace("{T}", str(layout.top)).replace("{R}", str(layout.repo))
    policy = PathPolicy(layout.repo)
    tree = StagedTree(layout.repo, policy, ContextPolicy(layout.repo))
    try:
        tree.stage(given_path, "written by the model\n")
        files = diff_step(tree)
        for file in files:
            for hunk in file.hunks:
                hunk.verdict = Verdict.ACCEPTED
        return write_step(layout.repo, files, paths=policy)
    except SlowcodeError:
        # A refusal: a clear one-line error, and nothing may have changed.
        return []


def check_no_write_escapes(links: list[tuple[str, str]], path: str) -> None:
    with built(links) as layout:
        before = snapshot(layout)
        written = write_through_a_step(layout, path)
        assert snapshot(layout) == before, f"a write escaped for {path!r} with {links}"
        for rel in written:
            target = (layout.repo / rel).resolve()
            assert target.is_relative_to(layout.repo)
            assert ".git" not in target.relative_to(layout.repo).parts
            assert target.read_text() == "written by the model\n"


def property_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )


@property_settings(150)
@given(links=layouts, path=path_strings())
def test_no_write_lands_outside_the_work_tree_or_in_git(
    links: list[tuple[str, str]], path: str
) -> None:
    check_no_write_escapes(links, path)


@pytest.mark.slow
@property_settings(3000)
@given(links=layouts, path=path_strings())
def test_no_write_lands_outside_the_work_tree_or_in_git_long(
    links: list[tuple[str, str]], path: str
) -> None:
    check_no_write_escapes(links, path)


@pytest.mark.parametrize(
    ("links", "path"),
    [
        ([("l1", "{T}/outside")], "l1/new.txt"),
        ([("l1", "{T}/outside/secret.txt")], "l1"),
        ([("l1", "../outside")], "l1/secret.txt"),
        ([("l1", ".git")], "l1/config"),
        ([("sub/l2", "../.git")], "sub/l2/hooks/pre-commit"),
        ([("l1", "{T}/outside/missing")], "l1"),
        ([("l1", "{T}/outside/missing")], "l1/x.txt"),
        ([("l1", "l1")], "l1/x.txt"),
        ([("l1", "/dev/null")], "l1"),
        ([], "fifo"),
        ([], "../outside/secret.txt"),
        ([], "{T}/outside/secret.txt"),
        ([], ".GIT/config"),
        ([], "sub\\..\\..\\outside\\secret.txt"),
    ],
)
def test_known_escapes_write_nothing(links: list[tuple[str, str]], path: str) -> None:
    with built(links) as layout:
        before = snapshot(layout)
        assert write_through_a_step(layout, path) == []
        assert snapshot(layout) == before


def test_a_plain_path_is_written_so_the_property_can_fail() -> None:
    # The property above is only meaningful if ordinary writes do happen.
    with built([("l1", "sub")]) as layout:
        assert write_through_a_step(layout, "l1/new.txt") == []  # a symlinked parent's file
        assert write_through_a_step(layout, "sub/new.txt") == ["sub/new.txt"]
        assert (layout.repo / "sub" / "new.txt").read_text() == "written by the model\n"
