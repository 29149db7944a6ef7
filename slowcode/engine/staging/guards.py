"""Checks a step must pass before the developer sees it; failures go back to the model.

The parse guard: a staged file that parsed cleanly with tree-sitter before the
step and has syntax errors now is refused. Files in a language without a grammar,
new files, and files that already had errors are let through: the guard catches
breakage the step introduced, not the project's existing state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from slowcode.context.grammars import grammar_for, parser
from slowcode.core.step_review import FileDiff


@dataclass(frozen=True)
class ParseRegression:
    """A file the step broke: it parsed before, and has a syntax error at `line` now."""

    path: str
    language: str
    line: int

    def describe(self) -> str:
        """One sentence for the model."""
        return (
            f"{self.path} parsed cleanly as {self.language} before this step and has a "
            f"syntax error near line {self.line} now."
        )


def language_of(path: str) -> str | None:
    """The grammar for a file's suffix, or None when there is none."""
    return grammar_for(path)


def _first_error_line(text: str, language: str) -> int | None:
    """The 1-based line of the first ERROR or MISSING node, or None when the text parses."""
    tree = parser(language).parse(text.encode("utf-8"))
    root = tree.root_node
    if not root.has_error:
        return None
    cursor = root
    while True:
        # Walk down towards the first child that carries the error.
        for child in cursor.children:
            if child.type == "ERROR" or child.is_missing:
                return int(child.start_point[0]) + 1
            if child.has_error:
                cursor = child
                break
        else:
            return int(cursor.start_point[0]) + 1


def parse_regressions(files: Iterable[FileDiff], texts: dict[str, str]) -> list[ParseRegression]:
    """The files whose old text parsed cleanly and whose new text does not.

    Args:
        files: The step's file diffs (their `old_text` is what the model saw).
        texts: Path → the text that would be written (the staged text).

    Returns:
        One `ParseRegression` per broken file, in the order of `files`.
    """
    found: list[ParseRegression] = []
    for file in files:
        language = language_of(file.path)
        new_text = texts.get(file.path)
        if language is None or file.old_text is None or new_text is None:
            continue
        try:
            if _first_error_line(file.old_text, language) is not None:
                continue
            line = _first_error_line(new_text, language)
        except LookupError:
            continue  # a grammar this build of the language pack lacks
        if line is not None:
            found.append(ParseRegression(file.path, language, line))
    return found


def parse_guard_message(regressions: list[ParseRegression]) -> str:
    """The tool error that sends a broken step back to the model."""
    lines = [regression.describe() for regression in regressions]
    lines.append(
        "Fix the staged edits so every file parses again (view the file to see it as "
        "staged), then call finish_step again."
    )
    return " ".join(lines)
