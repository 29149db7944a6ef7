"""`view` of a file past the result limit: pages at line boundaries, each naming the next."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from slowcode.context.policy import ContextPolicy
from slowcode.core.paths import PathPolicy
from slowcode.engine.staging.editor_tool import MAX_VIEW_CHARS, run_editor_command
from slowcode.engine.staging.tree import StagedTree
from tests.context.repos import make_repo

NEXT = re.compile(r"call `view` with `view_range` \[(\d+), (-?\d+)\]")


def page_lines(text: str) -> list[str]:
    """The file lines of one view result, without their numbers."""
    body = text.split("\n", 1)[1]
    return [line.split("\t", 1)[1] for line in body.split("\n") if "\t" in line]


def tree_with(tmp_path: Path, files: dict[str, str | bytes]) -> StagedTree:
    root = make_repo(tmp_path / "repo", files)
    return StagedTree(root, PathPolicy(root), ContextPolicy(root))


def test_a_100000_character_file_is_read_whole_in_pages(tmp_path: Path) -> None:
    # Lines of varied length, so page ends fall at different places in a line.
    lines = [f"def f_{n}():  # " + "x" * (n * 37 % 90) for n in range(1, 2000)]
    text = "\n".join(lines) + "\n"
    text = text[: text.rindex("\n", 0, 100_000) + 1]
    assert len(text) > 99_000
    tree = tree_with(tmp_path, {"big.py": text})

    read: list[str] = []
    view_range = None
    pages = 0
    while True:
        tool_input: dict[str, Any] = {"command": "view", "path": "big.py"}
        if view_range is not None:
            tool_input["view_range"] = view_range
        outcome = run_editor_command(tree, tool_input)
        assert not outcome.is_error
        assert len(outcome.text) <= MAX_VIEW_CHARS + 400
        pages += 1
        read.extend(page_lines(outcome.text))
        found = NEXT.search(outcome.text)
        if found is None:
            break
        assert int(found[1]) == len(read) + 1  # the page ended at a line boundary
        view_range = [int(found[1]), int(found[2])]
    assert "\n".join(read) + "\n" == text
    assert pages >= 7  # 100,000 characters in pages of at most 16,000


def test_a_range_too_big_for_one_page_keeps_its_end(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {"a.txt": "".join(f"{n:0100d}\n" for n in range(1, 600))})
    outcome = run_editor_command(
        tree, {"command": "view", "path": "a.txt", "view_range": [10, 400]}
    )
    found = NEXT.search(outcome.text)
    assert found is not None and found[2] == "400"
    assert "lines 10-" in outcome.text and "of 599" in outcome.text
    small = run_editor_command(tree, {"command": "view", "path": "a.txt", "view_range": [1, 3]})
    assert "<NOTE>" not in small.text


def test_a_line_longer_than_a_page_is_shown_up_to_the_limit_and_said_so(tmp_path: Path) -> None:
    tree = tree_with(tmp_path, {"min.js": "a" * 40_000 + "\nvar b = 1;\n"})
    outcome = run_editor_command(tree, {"command": "view", "path": "min.js"})
    assert "Line 1 is longer than 16,000 characters" in outcome.text
    assert "[2, -1]" in outcome.text
    rest = run_editor_command(tree, {"command": "view", "path": "min.js", "view_range": [2, -1]})
    assert page_lines(rest.text) == ["var b = 1;"] and "<NOTE>" not in rest.text
