"""The step's diff, computed by git from the staged tree and mapped into review objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.context.policy import ContextPolicy
from slowcode.core.paths import PathPolicy
from slowcode.core.step_review import DiffLine, LineKind
from slowcode.engine.staging.diffs import diff_step, diff_texts, parse_unified_diff
from slowcode.engine.staging.tree import StagedTree
from tests.context.repos import git, make_repo, write

C, R, A = LineKind.CONTEXT, LineKind.REMOVED, LineKind.ADDED


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    body = "".join(f"    value_{n} = {n}\n" for n in range(1, 21))
    return make_repo(
        tmp_path / "repo",
        {
            "src/mod.py": "def compute():\n" + body,
            "noeol.txt": "a\nb\nc",
            "same.txt": "unchanged\n",
        },
    )


@pytest.fixture
def tree(repo: Path) -> StagedTree:
    return StagedTree(repo, PathPolicy(repo), ContextPolicy(repo))


def test_modified_file_maps_lines_numbers_and_section(tree: StagedTree) -> None:
    old = tree.read("src/mod.py")
    tree.stage("src/mod.py", old.replace("value_10 = 10", "value_10 = 100"))
    (diff,) = diff_step(tree)
    assert diff.path == "src/mod.py"
    assert diff.old_text == old
    assert not diff.is_new
    (hunk,) = diff.hunks
    assert (hunk.file, hunk.index) == ("src/mod.py", 0)
    assert hunk.header == "@@ -8,7 +8,7 @@ def compute():"
    assert hunk.lines[2] == DiffLine(C, "    value_9 = 9", 10, 10)
    assert hunk.lines[3] == DiffLine(R, "    value_10 = 10", 11, None)
    assert hunk.lines[4] == DiffLine(A, "    value_10 = 100", None, 11)
    assert [line.kind for line in hunk.lines] == [C, C, C, R, A, C, C, C]


def test_far_apart_changes_give_several_hunks(tree: StagedTree) -> None:
    old = tree.read("src/mod.py")
    tree.stage("src/mod.py", "# header\n" + old.replace("value_20 = 20", "value_20 = 0"))
    (diff,) = diff_step(tree)
    assert [h.index for h in diff.hunks] == [0, 1]
    assert diff.hunks[0].header.startswith("@@ -1,3 +1,4 @@")
    assert diff.hunks[0].lines[0] == DiffLine(A, "# header", None, 1)
    last = diff.hunks[1]
    assert last.lines[-1] == DiffLine(A, "    value_20 = 0", None, 22)
    assert last.changed_lines == 2


def test_new_file_has_no_old_side(tree: StagedTree) -> None:
    tree.stage("pkg/new file ü.py", "x = 1\ny = 2\n")
    (diff,) = diff_step(tree)
    assert diff.path == "pkg/new file ü.py"
    assert diff.is_new
    (hunk,) = diff.hunks
    assert hunk.header == "@@ -0,0 +1,2 @@"
    assert hunk.lines == [DiffLine(A, "x = 1", None, 1), DiffLine(A, "y = 2", None, 2)]


def test_new_empty_file_gets_one_empty_hunk(tree: StagedTree) -> None:
    tree.stage("pkg/__init__.py", "")
    (diff,) = diff_step(tree)
    assert diff.is_new and diff.new_text == ""
    (hunk,) = diff.hunks
    assert hunk.lines == [] and hunk.source_length == hunk.target_length == 0


def test_no_newline_marker_lands_on_the_right_line(tree: StagedTree) -> None:
    tree.stage("noeol.txt", "a\nb\nC\nd\n")
    (diff,) = diff_step(tree)
    (hunk,) = diff.hunks
    assert hunk.lines == [
        DiffLine(C, "a", 1, 1),
        DiffLine(C, "b", 2, 2),
        DiffLine(R, "c", 3, None, no_newline=True),
        DiffLine(A, "C", None, 3),
        DiffLine(A, "d", None, 4),
    ]


def test_no_newline_on_both_sides_is_a_context_line(tree: StagedTree) -> None:
    tree.stage("noeol.txt", "A\nb\nc")
    (hunk,) = diff_step(tree)[0].hunks
    assert hunk.lines[-1] == DiffLine(C, "c", 3, 3, no_newline=True)
    assert hunk.lines[0] == DiffLine(R, "a", 1, None)


def test_unchanged_staged_files_are_left_out_and_order_is_by_path(tree: StagedTree) -> None:
    tree.stage("same.txt", "unchanged\n")
    tree.stage("z.txt", "z\n")
    tree.stage("a.txt", "a\n")
    assert [d.path for d in diff_step(tree)] == ["a.txt", "z.txt"]
    assert diff_texts({}) == []


def test_crlf_lines_keep_their_carriage_return(tree: StagedTree, repo: Path) -> None:
    write(repo, "win.txt", "one\r\ntwo\r\n")
    tree.stage("win.txt", "one\r\nTWO\r\n")
    (hunk,) = diff_step(tree)[0].hunks
    assert hunk.lines[-1] == DiffLine(A, "TWO\r", None, 2)


def test_parse_unified_diff_from_git(repo: Path) -> None:
    old = (repo / "src" / "mod.py").read_text()
    new = old.replace("value_3 = 3", "value_3 = 'three'")
    write(repo, "src/mod.py", new)
    text = git(repo, "diff", "--no-color")
    (diff,) = parse_unified_diff(text, {"src/mod.py": (old, new)})
    assert diff.path == "src/mod.py"
    assert diff.hunks[0].lines[3] == DiffLine(R, "    value_3 = 3", 4, None)
    assert parse_unified_diff(text, {}) == []


def test_a_twenty_thousand_line_diff_is_parsed_whole(tmp_path: Path) -> None:
    old = "".join(f"line {n}\n" for n in range(20_000))
    new = "".join(f"line {n}{'!' if n % 10 == 0 else ''}\n" for n in range(20_000))
    (diff,) = diff_texts({"big.txt": (old, new)})
    assert sum(h.changed_lines for h in diff.hunks) == 4_000
