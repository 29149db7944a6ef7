"""Links between records: repository-relative paths in the record, relative hrefs in files."""

from __future__ import annotations

import posixpath
import re

# `[label](href)`: the first Markdown link on a line.
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")


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
