"""The text editor tool answered from the staged tree: views, staged edits, refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from slowcode.context.policy import ContextPolicy
from slowcode.core.paths import PathPolicy
from slowcode.engine.staging.editor_tool import ToolOutcome, run_editor_command
from slowcode.engine.staging.tree import StagedTree
from tests.context.repos import make_repo, write

SOURCE = "".join(f"line {n}\n" for n in range(1, 13))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "repo",
        {
            ".gitignore": "build/\n",
            "src/app.py": SOURCE,
            "src/dup.py": "x = 1\ny = 2\nx = 1\n",
            "noeol.txt": "first\nlast",
            "crlf.txt": "a\r\nb\r\n",
            "bom.txt": "\ufefffirst\nsecond\n",
            "bomcrlf.txt": "\ufeffa\r\nb\r\n",
            ".env": "TOKEN=1\n",
        },
    )


@pytest.fixture
def tree(repo: Path) -> StagedTree:
    return StagedTree(repo, PathPolicy(repo, max_file_bytes=4096), ContextPolicy(repo))


def run(tree: StagedTree, **tool_input: Any) -> ToolOutcome:
    return run_editor_command(tree, tool_input)


def error(tree: StagedTree, **tool_input: Any) -> str:
    outcome = run(tree, **tool_input)
    assert outcome.is_error, outcome.text
    assert "\n" not in outcome.text
    return outcome.text


def ok(tree: StagedTree, **tool_input: Any) -> str:
    outcome = run(tree, **tool_input)
    assert not outcome.is_error, outcome.text
    return outcome.text


def test_view_numbers_lines_like_cat_n(tree: StagedTree) -> None:
    text = ok(tree, command="view", path="src/dup.py")
    assert text == (
        "Here's the result of running `cat -n` on src/dup.py:\n"
        "     1\tx = 1\n     2\ty = 2\n     3\tx = 1\n"
    )


def test_view_range(tree: StagedTree) -> None:
    text = ok(tree, command="view", path="src/app.py", view_range=[3, 5])
    assert text.split("\n")[1:-1] == ["     3\tline 3", "     4\tline 4", "     5\tline 5"]
    text = ok(tree, command="view", path="src/app.py", view_range=[11, -1])
    assert text.split("\n")[1:-1] == ["    11\tline 11", "    12\tline 12"]


@pytest.mark.parametrize("bad", [[0, 3], [13, 14], [5, 2], [1], "1-3", [1.5, 2]])
def test_bad_view_range(tree: StagedTree, bad: object) -> None:
    assert "view_range" in error(tree, command="view", path="src/app.py", view_range=bad)


def test_view_shows_staged_text_and_strips_carriage_returns(tree: StagedTree) -> None:
    tree.stage("src/dup.py", "staged\n")
    assert ok(tree, command="view", path="src/dup.py").endswith("     1\tstaged\n")
    assert ok(tree, command="view", path="crlf.txt").endswith("     1\ta\n     2\tb\n")


def test_view_folder_lists_visible_and_staged_files(tree: StagedTree, repo: Path) -> None:
    write(repo, "build/out.py", "x\n")
    tree.stage("src/extra/new.py", "new\n")
    text = ok(tree, command="view", path="src")
    assert text.split("\n")[1:-1] == [
        "src/app.py",
        "src/dup.py",
        "src/extra/",
        "src/extra/new.py",
    ]
    root_text = ok(tree, command="view", path=".")
    assert "build" not in root_text and ".env" not in root_text
    staged_only = ok(tree, command="view", path="src/extra")
    assert staged_only.split("\n")[1:-1] == ["src/extra/new.py"]
    assert "folder" in error(tree, command="view", path="src", view_range=[1, 2])


def test_view_refusals(tree: StagedTree, repo: Path) -> None:
    assert "secret" in error(tree, command="view", path=".env")
    assert "does not exist" in error(tree, command="view", path="src/nope.py")
    assert "absolute" in error(tree, command="view", path=str(repo / "src" / "app.py"))
    assert ".git" in error(tree, command="view", path=".git/config")
    write(repo, "image.bin", b"\x00\x01")
    assert "binary" in error(tree, command="view", path="image.bin")


def test_create_stages_without_writing(tree: StagedTree, repo: Path) -> None:
    text = ok(tree, command="create", path="pkg/new.py", file_text="print('new')\n")
    assert "pkg/new.py" in text
    assert tree.staged_text("pkg/new.py") == "print('new')\n"
    assert not (repo / "pkg").exists()
    rewritten = ok(tree, command="create", path="src/dup.py", file_text="whole\n")
    assert "rewritten" in rewritten
    assert (repo / "src" / "dup.py").read_text() == "x = 1\ny = 2\nx = 1\n"


def test_create_refusals(tree: StagedTree, repo: Path) -> None:
    assert "file_text" in error(tree, command="create", path="a.py")
    assert "NUL" in error(tree, command="create", path="a.bin", file_text="a\x00")
    assert "limit" in error(tree, command="create", path="a.txt", file_text="x" * 5000)
    assert "secret" in error(tree, command="create", path=".env.local", file_text="K=1\n")
    assert "ignored" in error(tree, command="create", path="build/x.py", file_text="x\n")
    write(repo, "image.bin", b"\x00\x01")
    assert "binary" in error(tree, command="create", path="image.bin", file_text="text\n")
    assert tree.staged_paths() == []


def test_str_replace_stages_and_shows_a_snippet(tree: StagedTree) -> None:
    text = ok(tree, command="str_replace", path="src/app.py", old_str="line 7\n", new_str="seven\n")
    staged = tree.staged_text("src/app.py")
    assert staged == SOURCE.replace("line 7\n", "seven\n")
    assert text.startswith("The file src/app.py has been edited")
    numbered = [line for line in text.split("\n") if "\t" in line]
    assert numbered[0] == "     3\tline 3"
    assert "     7\tseven" in numbered
    # As in the reference: four lines around the edit, counting new_str's own newlines.
    assert numbered[-1] == "    12\tline 12"


def test_str_replace_with_empty_new_str_deletes(tree: StagedTree) -> None:
    ok(tree, command="str_replace", path="src/dup.py", old_str="y = 2\n")
    assert tree.staged_text("src/dup.py") == "x = 1\nx = 1\n"


def test_str_replace_sees_earlier_staged_edits(tree: StagedTree) -> None:
    ok(tree, command="str_replace", path="src/app.py", old_str="line 1\n", new_str="first\n")
    ok(tree, command="str_replace", path="src/app.py", old_str="first\nline 2", new_str="a\nb")
    assert tree.staged_text("src/app.py") == "a\nb\n" + SOURCE.split("\n", 2)[2]


def test_str_replace_errors_name_the_file(tree: StagedTree) -> None:
    missing = error(tree, command="str_replace", path="src/dup.py", old_str="z = 3", new_str="")
    assert "does not occur" in missing and "src/dup.py" in missing
    several = error(tree, command="str_replace", path="src/dup.py", old_str="x = 1", new_str="")
    assert "2 times" in several and "lines 1, 3" in several and "src/dup.py" in several
    assert "old_str" in error(tree, command="str_replace", path="src/dup.py", old_str="")
    assert tree.staged_paths() == []


def test_str_replace_keeps_crlf(tree: StagedTree) -> None:
    ok(tree, command="str_replace", path="crlf.txt", old_str="a\nb", new_str="A\nB")
    assert tree.staged_text("crlf.txt") == "A\r\nB\r\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (0, "new\nx = 1\ny = 2\nx = 1\n"),
        (2, "x = 1\ny = 2\nnew\nx = 1\n"),
        (3, "x = 1\ny = 2\nx = 1\nnew\n"),
    ],
)
def test_insert(tree: StagedTree, line: int, expected: str) -> None:
    text = ok(tree, command="insert", path="src/dup.py", insert_line=line, insert_text="new")
    assert tree.staged_text("src/dup.py") == expected
    assert "\tnew\n" in text


@pytest.mark.parametrize(
    ("path", "insert_text", "expected"),
    [
        ("bom.txt", "top", "\ufefftop\nfirst\nsecond\n"),
        ("bom.txt", "\ufefftop\n", "\ufefftop\nfirst\nsecond\n"),
        ("bomcrlf.txt", "top", "\ufefftop\r\na\r\nb\r\n"),
    ],
)
def test_insert_at_the_top_keeps_the_bom_first(
    tree: StagedTree, path: str, insert_text: str, expected: str
) -> None:
    ok(tree, command="insert", path=path, insert_line=0, insert_text=insert_text)
    assert tree.staged_text(path) == expected


def test_insert_below_the_first_line_leaves_the_bom_alone(tree: StagedTree) -> None:
    ok(tree, command="insert", path="bom.txt", insert_line=1, insert_text="middle")
    assert tree.staged_text("bom.txt") == "\ufefffirst\nmiddle\nsecond\n"


@pytest.mark.parametrize("old_str", ["first", "\ufefffirst"])
def test_str_replace_at_the_start_keeps_the_bom_first(tree: StagedTree, old_str: str) -> None:
    ok(tree, command="str_replace", path="bom.txt", old_str=old_str, new_str="FIRST")
    assert tree.staged_text("bom.txt") == "\ufeffFIRST\nsecond\n"


@pytest.mark.parametrize("file_text", ["new\n", "\ufeffnew\n"])
def test_create_over_a_file_with_a_bom_keeps_it(tree: StagedTree, file_text: str) -> None:
    ok(tree, command="create", path="bom.txt", file_text=file_text)
    assert tree.staged_text("bom.txt") == "\ufeffnew\n"


def test_create_of_a_new_file_adds_no_bom(tree: StagedTree) -> None:
    ok(tree, command="create", path="fresh.txt", file_text="new\n")
    assert tree.staged_text("fresh.txt") == "new\n"


def test_insert_accepts_the_older_new_str_and_keeps_no_final_newline(tree: StagedTree) -> None:
    ok(tree, command="insert", path="noeol.txt", insert_line=2, new_str="added\n")
    assert tree.staged_text("noeol.txt") == "first\nlast\nadded"
    ok(tree, command="insert", path="noeol.txt", insert_line=1, new_str="middle\n")
    assert tree.staged_text("noeol.txt") == "first\nmiddle\nlast\nadded"


def test_insert_errors(tree: StagedTree) -> None:
    assert "outside" in error(
        tree, command="insert", path="src/dup.py", insert_line=4, insert_text="x"
    )
    assert "outside" in error(
        tree, command="insert", path="src/dup.py", insert_line=-1, insert_text="x"
    )
    assert "insert_line" in error(tree, command="insert", path="src/dup.py", insert_text="x")
    assert "insert_text" in error(tree, command="insert", path="src/dup.py", insert_line=0)
    assert "does not exist" in error(
        tree, command="insert", path="nope.py", insert_line=0, insert_text="x"
    )
    assert tree.staged_paths() == []


def test_bad_commands_and_inputs(tree: StagedTree) -> None:
    assert "Unknown command" in error(tree, command="undo_edit", path="src/app.py")
    assert "path" in error(tree, command="view")
    outcome = run_editor_command(tree, ["not", "a", "dict"])  # type: ignore[arg-type]
    assert outcome.is_error
    assert "'..'" in error(tree, command="create", path="../x.py", file_text="x\n")


def test_an_old_str_found_too_often_is_counted_up_to_a_bound(tree: StagedTree) -> None:
    ok(tree, command="create", path="many.txt", file_text="a" * 100)
    text = error(tree, command="str_replace", path="many.txt", old_str="aa", new_str="b")
    assert "old_str occurs more than 20 times in many.txt" in text
    assert tree.staged_text("many.txt") == "a" * 100
