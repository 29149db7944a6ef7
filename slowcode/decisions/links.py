"""Links between records: repository-relative paths in the record, relative hrefs in files."""

from __future__ import annotations

import posixpath
import re

# `[label](href)`: the first Markdown link on a line.
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
# `Supersedes [2. Use X](0002-use-x.md)`, `- Amended by [..](..)`: a link line between records.
LINK_LINE = re.compile(
    r"\s*(?:[-*+]\s+)?([A-Z][A-Za-z]*(?: [a-z]+)?)\s+"  # `- Amended by`
    r"\[([^\]]*)\]\(([^)\s]*)\)\.?\s*(?:<!--.*-->)?\s*"  # `[label](href)`, a comment
)
SUPERSEDES_VERBS = ("supersedes", "supercedes")
SUPERSEDED_BY_VERBS = ("superseded by", "superceded by")


def link_lines(lines: list[str], record_path: str | None) -> list[tuple[str, str]]:
    """`(verb, repository path)` for each line that is a link to another record."""
    found = []
    for line in lines:
        match = LINK_LINE.fullmatch(line)
        if match and "://" not in match.group(3) and match.group(3).endswith(".md"):
            found.append((match.group(1), target_of(record_path, match.group(3))))
    return found


def first_of(links: list[tuple[str, str]], verbs: tuple[str, ...]) -> str | None:
    """The target of the first link whose verb is one of `verbs` (any case)."""
    return next((target for verb, target in links if verb.casefold() in verbs), None)


def href_to(record_path: str | None, target: str) -> str:
    """The href a file at `record_path` uses to link to the repository path `target`."""
    if record_path and "/" in target:
        return posixpath.relpath(target, posixpath.dirname(record_path) or ".")
    return target


def markdown_link(record_path: str | None, target: str) -> str:
    """`[label](href)` to the repository path `target`, from the file at `record_path`."""
    return f"[{link_label(target)}]({href_to(record_path, target).replace(' ', '%20')})"


def target_of(record_path: str | None, href: str) -> str:
    """The repository path an href (spaces written `%20`) in the file at `record_path` points to."""
    href = href.replace("%20", " ")
    if record_path and "/" in record_path and "://" not in href and not href.startswith("/"):
        return posixpath.normpath(posixpath.join(posixpath.dirname(record_path), href))
    return href


def link_label(target: str) -> str:
    """A link's text: the target file's name without `.md`."""
    return posixpath.splitext(posixpath.basename(target))[0] or target
