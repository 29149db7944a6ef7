"""Lossless edits of a record file: only the lines that must change are rewritten.

A status change, a supersede, a back-link or a date update rewrites the status,
date or link lines and leaves every other byte as it was: the sections slowcode's
record model does not hold (MADR's Decision Drivers, Confirmation, More
Information, `consulted` / `informed`; log4brains' Tags and Links; adr-tools'
`Amended by` lines) are never regenerated. Each edit is written the way the
file's own format and tool write it:

- MADR 4: the front matter's `status` (`superseded by ADR-0005` when superseded)
  and `date`, set with a round-trip YAML parser (`front_matter`); back-links go to
  `## More Information`.
- adr-tools: the status word under `## Status` is replaced; superseding removes
  it and adds `Superceded by [5. Title](0005-title.md)` at the end of the section,
  as `adr new -s` does; any number of link lines may follow.
- log4brains: the `- Status:` and `- Date:` bullets; back-links are bullets under
  `## Links`, with the bullet character the file already uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slowcode.core.decision_record import DecisionStatus
from slowcode.decisions import front_matter, sections
from slowcode.decisions.formats import DecisionFormat, sniff
from slowcode.decisions.links import MARKDOWN_LINK

MORE_INFORMATION = "More Information"
LINKS = "Links"
_LOG4BRAINS_BULLET = re.compile(r"(\s*[-*+]\s+)(Status|Date|Deciders|Tags)(:[ \t]*)(.*)", re.I)
_TRAILING_COMMENT = re.compile(r"(\s*<!--.*?-->\s*)$")
_ADR_TOOLS_DATE = re.compile(r"Date:[ \t]*(.*)")


@dataclass(frozen=True)
class Link:
    """A link line: `Supersedes [2. Use SQLite](0002-use-sqlite.md)`.

    Attributes:
        verb: What the link says (`Supersedes`, `Superceded by`, `Amended by`, …).
        label: The link text, in the target format's style.
        href: The target file, relative to the record's folder.
    """

    verb: str
    label: str
    href: str

    @property
    def markdown(self) -> str:
        """`Verb [label](href)`."""
        return f"{self.verb} [{self.label}]({self.href.replace(' ', '%20')})"


def _split(text: str) -> tuple[list[str], str]:
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n").split("\n"), newline


def _join(lines: list[str], newline: str) -> str:
    return newline.join(lines)


def change_status(
    text: str,
    status: DecisionStatus,
    *,
    date: str | None = None,
    superseded_by: Link | None = None,
    reference: str | None = None,
) -> str:
    """The file with its status (and date) changed and nothing else.

    Args:
        text: The record file's content, in whichever format it is written.
        status: The new status.
        date: The new "last updated" date (MADR, log4brains); None keeps the date.
            adr-tools' `Date:` is the day the record was made and is never changed.
        superseded_by: The link to the superseding record (adr-tools, log4brains).
        reference: How MADR names the superseding record (`ADR-0005`).
    """
    fmt = sniff(text)
    lines, newline = _split(text)
    if fmt is DecisionFormat.MADR:
        _madr_status(lines, status, date, reference)
    elif fmt is DecisionFormat.ADR_TOOLS:
        _adr_tools_status(lines, status, superseded_by)
    else:
        _log4brains_status(lines, status, date, superseded_by)
    return _join(lines, newline)


def set_date(text: str, date: str) -> str:
    """The file with its "last updated" date set (adr-tools: its `Date:` line)."""
    fmt = sniff(text)
    lines, newline = _split(text)
    if fmt is DecisionFormat.MADR:
        front_matter.set_keys(lines, {"date": date})
    elif fmt is DecisionFormat.ADR_TOOLS:
        index = next((i for i, line in enumerate(lines) if _ADR_TOOLS_DATE.fullmatch(line)), None)
        if index is None:
            title = sections.first_heading(lines)
            where = title.end if title else 0
            lines[where:where] = ["", f"Date: {date}"]
        else:
            lines[index] = f"Date: {date}"
    else:
        _log4brains_bullet(lines, "Date", date)
    return _join(lines, newline)


def add_link(text: str, link: Link) -> str:
    """The file with one more link line, where its format keeps links.

    adr-tools: at the end of `## Status` (as `adr link` writes it); log4brains: a
    bullet under `## Links`; MADR: a line under `## More Information`. A section
    that does not exist yet is added at the end of the file.
    """
    fmt = sniff(text)
    lines, newline = _split(text)
    if fmt is DecisionFormat.ADR_TOOLS:
        span = sections.section(lines, "Status")
        if span is None:
            _append_section(lines, "Status", [link.markdown])
        else:
            _insert_paragraph(lines, span, [link.markdown], blank_after=span[1] < len(lines))
    elif fmt is DecisionFormat.LOG4BRAINS:
        bullet = f"{sections.list_marker(lines)} {link.markdown}"
        span = sections.section(lines, LINKS)
        if span is None:
            _append_section(lines, LINKS, [bullet])
        else:
            _append_to_list(lines, span, bullet)
    else:
        span = sections.section(lines, MORE_INFORMATION)
        if span is None:
            _append_section(lines, MORE_INFORMATION, [link.markdown])
        else:
            _insert_paragraph(lines, span, [link.markdown], blank_after=span[1] < len(lines))
    return _join(lines, newline)


# MADR -----------------------------------------------------------------------------


def _madr_status(
    lines: list[str], status: DecisionStatus, date: str | None, reference: str | None
) -> None:
    value = status.value
    if status is DecisionStatus.SUPERSEDED and reference:
        value = f"superseded by {reference}"
    updates: dict[str, front_matter.FrontValue] = {"status": value}
    if date is not None:
        updates["date"] = date
    front_matter.set_keys(lines, updates)


# adr-tools ------------------------------------------------------------------------


def _adr_tools_status(lines: list[str], status: DecisionStatus, superseded_by: Link | None) -> None:
    span = sections.section(lines, "Status")
    word = status.value.capitalize()
    if span is None:
        title = sections.first_heading(lines)
        where = title.end if title else 0
        lines[where:where] = ["", "## Status", "", word]
        span = sections.section(lines, "Status")
        assert span is not None
    first, end = span
    word_line = next(
        (i for i in range(first, end) if lines[i].strip() and not MARKDOWN_LINK.search(lines[i])),
        None,
    )
    if status is DecisionStatus.SUPERSEDED and superseded_by is not None:
        if word_line is not None:
            # As adr-tools' _adr_remove_status: the word goes, with one blank line after it.
            gone = 2 if word_line + 1 < end and not lines[word_line + 1].strip() else 1
            del lines[word_line : word_line + gone]
            end -= gone
        _insert_paragraph(
            lines, (first, end), [superseded_by.markdown], blank_after=end < len(lines)
        )
        return
    if word_line is None:
        _insert_paragraph(lines, (first, first), [word], blank_after=True)
    else:
        lines[word_line] = word


# log4brains -----------------------------------------------------------------------


def _log4brains_status(
    lines: list[str], status: DecisionStatus, date: str | None, superseded_by: Link | None
) -> None:
    value = status.value
    if status is DecisionStatus.SUPERSEDED and superseded_by is not None:
        href = superseded_by.href.replace(" ", "%20")
        value = f"superseded by [{superseded_by.label}]({href})"
    _log4brains_bullet(lines, "Status", value)
    if date is not None:
        _log4brains_bullet(lines, "Date", date)


def _log4brains_bullet(lines: list[str], name: str, value: str) -> None:
    """Sets the `- Name: value` bullet under the title, keeping its marker and comment."""
    end = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
    found: dict[str, int] = {}
    for index in range(end):
        match = _LOG4BRAINS_BULLET.fullmatch(lines[index])
        if match:
            found.setdefault(match.group(2).casefold(), index)
    at = found.get(name.casefold())
    if at is not None:
        match = _LOG4BRAINS_BULLET.fullmatch(lines[at])
        assert match is not None
        comment = _TRAILING_COMMENT.search(match.group(4))
        tail = comment.group(1) if comment else ""
        lines[at] = f"{match.group(1)}{match.group(2)}{match.group(3)}{value}{tail}"
        return
    marker = sections.list_marker(lines)
    new = f"{marker} {name}: {value}"
    if found:
        # After the bullets that log4brains' template puts before this one.
        order = ["status", "deciders", "date", "tags"]
        before = [found[k] for k in order[: order.index(name.casefold())] if k in found]
        where = (max(before) if before else min(found.values()) - 1) + 1
        lines.insert(where, new)
        return
    title = sections.first_heading(lines)
    where = title.end if title else 0
    lines[where:where] = ["", new]


# Shared ---------------------------------------------------------------------------


def _insert_paragraph(
    lines: list[str], span: tuple[int, int], new: list[str], *, blank_after: bool
) -> None:
    """Adds `new` as a paragraph at the end of the section `span`."""
    first, end = span
    last = end
    while last > first and not lines[last - 1].strip():
        last -= 1
    if last == end:
        # The section ends on text (or at the file's end): separate with a blank line.
        lines[end:end] = ["", *new, *([""] if blank_after else [])]
        return
    lines[last + 1 : last + 1] = [*new, ""]


def _append_to_list(lines: list[str], span: tuple[int, int], bullet: str) -> None:
    first, end = span
    last = end
    while last > first and not lines[last - 1].strip():
        last -= 1
    if last == first:
        lines[first:first] = ["", bullet, *([""] if first == end < len(lines) else [])]
        return
    lines.insert(last, bullet)


def _append_section(lines: list[str], name: str, body: list[str]) -> None:
    trailing = bool(lines) and lines[-1] == ""
    while lines and not lines[-1].strip():
        lines.pop()
    lines.extend(["", f"## {name}", "", *body])
    if trailing:
        lines.append("")
