"""Where a record's headings and sections are, from markdown-it-py's token line maps.

A `## ` line inside a fenced code block or an HTML comment is not a heading; the
Markdown parser knows that, a line-by-line scan does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True)
class Heading:
    """One ATX or setext heading.

    Attributes:
        level: 1 for `#`, 2 for `##`, …
        title: The heading's text, without HTML comments, stripped.
        line: The index of its (first) line.
        end: The index of the line after it.
    """

    level: int
    title: str
    line: int
    end: int

    @property
    def key(self) -> str:
        """The title in lower case, for matching section names."""
        return self.title.casefold()


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def headings(lines: Sequence[str]) -> list[Heading]:
    """Every heading of a file split into lines, in order."""
    lines = list(lines)
    if lines and lines[0].rstrip() == "---":
        # Front matter is not Markdown: its closing `---` would read as a setext heading.
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), -1)
        lines[: closing + 1] = [""] * (closing + 1)
    tokens = _parser().parse("\n".join(lines))
    found: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None:
            continue
        inline = tokens[index + 1].content if index + 1 < len(tokens) else ""
        title = _COMMENT.sub("", inline).strip()
        found.append(Heading(int(token.tag[1:]), title, token.map[0], token.map[1]))
    return found


def section(lines: Sequence[str], name: str, level: int = 2) -> tuple[int, int] | None:
    """The body of the first `level` heading titled `name` (any case): `(first, end)` lines.

    The body runs from the line after the heading to the next heading of the same
    or a higher level (or the end of the file). None when there is no such heading.
    """
    found = headings(lines)
    for position, heading in enumerate(found):
        if heading.level == level and heading.key == name.casefold():
            end = next((h.line for h in found[position + 1 :] if h.level <= level), len(lines))
            return heading.end, end
    return None


def first_heading(lines: Sequence[str], level: int = 1) -> Heading | None:
    """The first heading of `level`, or None."""
    return next((h for h in headings(lines) if h.level == level), None)


def list_marker(lines: Sequence[str], default: str = "-") -> str:
    """The bullet character the file's lists use (`-` or `*`), so an added bullet matches."""
    for line in lines:
        stripped = line.lstrip()
        if stripped[:2] in ("- ", "* ", "+ "):
            return stripped[0]
    return default
