"""Anthropic's text editor tool (`str_replace_based_edit_tool`), answered from the staged tree.

`view` reads the step's view of the repository; `create`, `str_replace` and
`insert` only stage edits. The texts follow the reference implementation's
shapes (`cat -n` style numbering, a snippet of the edited region) so the model
sees what it was trained on. Every refusal comes back as an error result with
one sentence, never as an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slowcode.context.files import directory_listing
from slowcode.core.errors import ToolInputError
from slowcode.core.step_review import split_lines
from slowcode.engine.staging.tree import StagedTree

COMMANDS = ("view", "create", "str_replace", "insert")
SNIPPET_LINES = 4
"""Lines of context shown above and below an edit in a success result."""

BOM = "\ufeff"
"""A UTF-8 byte order mark: it stays a file's first character whatever the edit."""

MAX_VIEW_CHARS = 16_000
"""A longer `view` result is paged: whole lines up to this size, then a note naming the
`view_range` that reads the next page."""


@dataclass
class ToolOutcome:
    """A tool result for the model: its text and whether it reports an error."""

    text: str
    is_error: bool = False


def run_editor_command(tree: StagedTree, tool_input: dict[str, Any]) -> ToolOutcome:
    """Carries out one text editor tool call against the step's staged tree.

    Args:
        tree: The step's overlay; edits are staged there, never written.
        tool_input: The tool call's input (`command`, `path` and the command's fields).

    Returns:
        The result for the model; `is_error` with one sentence on any refusal.
    """
    try:
        if not isinstance(tool_input, dict):
            raise ToolInputError("The tool input must be a JSON object.")
        command = tool_input.get("command")
        path = tool_input.get("path")
        if command not in COMMANDS:
            raise ToolInputError(f"Unknown command {command!r}; use one of: {', '.join(COMMANDS)}.")
        if not isinstance(path, str):
            raise ToolInputError(f"The {command} command needs a `path` string.")
        if command == "view":
            return ToolOutcome(_view(tree, path, tool_input.get("view_range")))
        if command == "create":
            return ToolOutcome(_create(tree, path, tool_input.get("file_text")))
        if command == "str_replace":
            return ToolOutcome(
                _str_replace(tree, path, tool_input.get("old_str"), tool_input.get("new_str", ""))
            )
        text = tool_input.get("insert_text", tool_input.get("new_str"))
        return ToolOutcome(_insert(tree, path, tool_input.get("insert_line"), text))
    except ToolInputError as error:
        return ToolOutcome(str(error), is_error=True)
    except OSError as error:
        return ToolOutcome(f"The file could not be read: {error.strerror or error}.", is_error=True)


def _newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _numbered(lines: list[str], first_number: int) -> str:
    """`cat -n` style: the number right-aligned in six columns, a tab, the line."""
    return "\n".join(
        f"{number:6}\t{line.rstrip(chr(10)).removesuffix(chr(13))}"
        for number, line in enumerate(lines, start=first_number)
    )


def _cat_output(lines: list[str], what: str, first_number: int, total: int, end: int = -1) -> str:
    """The numbered lines, paged at a line boundary when they pass `MAX_VIEW_CHARS`.

    A page always holds at least one line (a single line longer than the limit is
    shown up to it, and the note says so); when lines are left over, the note names
    the `view_range` that reads the next page.
    """
    numbered = _numbered(lines, first_number).split("\n") if lines else []
    shown: list[str] = []
    size = 0
    for line in numbered:
        if shown and size + len(line) + 1 > MAX_VIEW_CHARS:
            break
        shown.append(line)
        size += len(line) + 1
    notes: list[str] = []
    if shown and len(shown[0]) > MAX_VIEW_CHARS:
        shown[0] = shown[0][:MAX_VIEW_CHARS]
        notes.append(
            f"Line {first_number} is longer than {MAX_VIEW_CHARS:,} characters; "
            "only its start is shown."
        )
    last = first_number + len(shown) - 1
    if len(shown) < len(numbered):
        notes.append(
            f"This page shows lines {first_number}-{last} of {total}; more does not fit in "
            f"one result. To read on, call `view` with `view_range` [{last + 1}, {end}]."
        )
    text = f"Here's the result of running `cat -n` on {what}:\n" + "\n".join(shown) + "\n"
    if notes:
        text += "<NOTE>" + " ".join(notes) + "</NOTE>\n"
    return text


def _view(tree: StagedTree, path: str, view_range: object) -> str:
    absolute, rel = tree.resolve(path, for_write=False)
    is_folder = absolute.is_dir() or (not tree.exists(rel) and tree.is_staged_folder(rel))
    if is_folder:
        if view_range is not None:
            raise ToolInputError("`view_range` cannot be used when the path is a folder.")
        return directory_listing(tree.root, rel, tree.policy, extra_files=tree.staged_paths())
    lines = split_lines(tree.read(rel))
    if view_range is None:
        return _cat_output(lines, rel, 1, len(lines))
    if (
        not isinstance(view_range, list)
        or len(view_range) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in view_range)
    ):
        raise ToolInputError("`view_range` must be a list of two whole numbers [start, end].")
    start, end = view_range
    total = len(lines)
    if start < 1 or start > max(total, 1):
        raise ToolInputError(
            f"`view_range` start {start} is outside {rel}, which has {total} lines."
        )
    if end != -1 and end < start:
        raise ToolInputError(f"`view_range` end {end} is before its start {start}.")
    stop = total if end == -1 else min(end, total)
    return _cat_output(lines[start - 1 : stop], rel, start, total, end if end == -1 else stop)


def _create(tree: StagedTree, path: str, file_text: object) -> str:
    if not isinstance(file_text, str):
        raise ToolInputError("The create command needs `file_text` (the whole file's text).")
    existed = tree.exists(path)
    if existed and tree.read(tree.resolve(path, for_write=True)[1]).startswith(BOM):
        # A rewrite keeps the file's BOM: the model rarely copies an invisible character.
        file_text = BOM + file_text.removeprefix(BOM)
    rel = tree.stage(path, file_text)
    if existed:
        return f"File {rel} has been rewritten with the new text (staged for review)."
    return f"File created successfully at: {rel} (staged for review)."


MAX_OCCURRENCES = 20
"""Occurrences of an ambiguous `old_str` named in the error; the search stops after one more."""


def _occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of the first occurrences, overlapping ones included.

    It stops after `MAX_OCCURRENCES + 1`: each `find` costs up to the needle's length
    per offset, so finding every overlapping occurrence of a long, repetitive
    `old_str` would take time quadratic in the input.
    """
    found: list[int] = []
    start = text.find(needle)
    while start != -1 and len(found) <= MAX_OCCURRENCES:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def _str_replace(tree: StagedTree, path: str, old_str: object, new_str: object) -> str:
    if not isinstance(old_str, str) or not old_str:
        raise ToolInputError("The str_replace command needs a non-empty `old_str`.")
    if new_str is None:
        new_str = ""
    if not isinstance(new_str, str):
        raise ToolInputError("`new_str` must be a string (it may be empty).")
    _, rel = tree.resolve(path, for_write=True)
    text = tree.read(rel)
    if _newline_of(text) == "\r\n" and "\r" not in old_str:
        # The model writes "\n"; a CRLF file keeps its own line endings.
        old_str = old_str.replace("\n", "\r\n")
        new_str = new_str.replace("\n", "\r\n")
    found = _occurrences(text, old_str)
    if not found:
        raise ToolInputError(
            f"No replacement was performed: old_str does not occur verbatim in {rel}."
        )
    if len(found) > 1:
        shown = found[:MAX_OCCURRENCES]
        lines = ", ".join(str(text.count("\n", 0, offset) + 1) for offset in shown)
        times = f"more than {MAX_OCCURRENCES}" if len(found) > MAX_OCCURRENCES else len(found)
        raise ToolInputError(
            f"No replacement was performed: old_str occurs {times} times in {rel} "
            f"(lines {lines}); include more surrounding lines to make it unique."
        )
    offset = found[0]
    if offset == 0 and old_str.startswith(BOM):
        # The BOM was part of what was replaced; it stays the file's first character.
        new_str = BOM + new_str.removeprefix(BOM)
    new_text = text[:offset] + new_str + text[offset + len(old_str) :]
    tree.stage(rel, new_text)
    first = text.count("\n", 0, offset)
    start = max(0, first - SNIPPET_LINES)
    end = first + new_str.count("\n") + SNIPPET_LINES
    snippet = split_lines(new_text)[start : end + 1]
    return (
        f"The file {rel} has been edited (staged for review). "
        + _cat_output(snippet, f"a snippet of {rel}", start + 1, start + len(snippet))
        + "Review the changes and make sure they are as expected. Edit the file again if necessary."
    )


def _insert(tree: StagedTree, path: str, insert_line: object, insert_text: object) -> str:
    if isinstance(insert_line, bool) or not isinstance(insert_line, int):
        raise ToolInputError("The insert command needs `insert_line`, a whole number (0 = top).")
    if not isinstance(insert_text, str) or not insert_text:
        raise ToolInputError("The insert command needs a non-empty `insert_text`.")
    _, rel = tree.resolve(path, for_write=True)
    text = tree.read(rel)
    lines = split_lines(text)
    if insert_line < 0 or insert_line > len(lines):
        raise ToolInputError(
            f"insert_line {insert_line} is outside {rel}, which has {len(lines)} lines "
            f"(use 0 to {len(lines)})."
        )
    newline = _newline_of(text)
    if newline == "\r\n" and "\r" not in insert_text:
        insert_text = insert_text.replace("\n", "\r\n")
    at_end_without_newline = insert_line == len(lines) and bool(lines) and not text.endswith("\n")
    if not insert_text.endswith("\n"):
        insert_text += newline
    if at_end_without_newline:
        # The file keeps "no newline at end": the old last line gets one, the new one not.
        lines[-1] += newline
        insert_text = insert_text.removesuffix("\n").removesuffix("\r")
    new_lines = split_lines(insert_text)
    if insert_line == 0 and text.startswith(BOM):
        # "At the top" means after the BOM, which must stay the file's first character.
        lines[0] = lines[0].removeprefix(BOM)
        new_lines[0] = BOM + new_lines[0].removeprefix(BOM)
    result = lines[:insert_line] + new_lines + lines[insert_line:]
    tree.stage(rel, "".join(result))
    start = max(0, insert_line - SNIPPET_LINES)
    end = insert_line + len(new_lines) + SNIPPET_LINES
    return (
        f"The file {rel} has been edited (staged for review). "
        + _cat_output(result[start:end], "a snippet of the edited file", start + 1, len(result))
        + "Review the changes and make sure they are as expected (correct indentation, "
        "no duplicate lines, etc). Edit the file again if necessary."
    )
