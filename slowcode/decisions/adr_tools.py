"""adr-tools (Michael Nygard's format): render a `DecisionRecord` and parse it back.

An adr-tools record is `NNNN-slug.md`:

    # 3. Use PostgreSQL

    Date: 2026-11-21

    ## Status

    Accepted

    Supercedes [2. Use SQLite](0002-use-sqlite.md)

    ## Context
    …
    ## Decision
    …
    ## Consequences
    …

A superseded record's status line is replaced by adr-tools' own
"Superceded by [N. Title](file)" (its spelling, kept so `adr` itself still reads it).
That link is what marks a record superseded: `adr new -s N` adds it and removes
only an `Accepted` line, so a record that was `Proposed` keeps its word above the
link and is superseded all the same. The format has no options, chosen option or
decision makers: `fold` writes the options into the Decision text, and
`parse(render(r)) == fold(r)`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import replace

from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.decisions.links import MARKDOWN_LINK, href_to, link_lines, target_of
from slowcode.decisions.madr import (
    escape,
    number_from_path,
    one_line,
    parse_status,
    split_sections,
    unescape,
)

_TITLE = re.compile(r"(\d+)\.\s+(.*)")
_DATE = re.compile(r"Date:[ \t]*(.*)")
_SUPERSEDED_BY = ("superceded by", "superseded by")
_SUPERSEDES = ("supercedes", "supersedes")


def fold(record: DecisionRecord) -> DecisionRecord:
    """The record as adr-tools can hold it: options and the chosen one become Decision text.

    A record with a superseded-by link is superseded, whatever its status was.
    """
    outcome = record.outcome.strip()
    if record.options or record.chosen:
        lines = []
        if record.chosen:
            lines.append(f"Chosen option: {one_line(record.chosen)}.")
        if record.options:
            lines += ["", "Considered options:", ""]
            for option in record.options:
                mark = " (chosen)" if option.title == record.chosen else ""
                lines.append(f"* {one_line(option.title)}{mark}")
                lines += [f"  * Good, because {one_line(pro)}" for pro in option.pros]
                lines += [f"  * Bad, because {one_line(con)}" for con in option.cons]
        outcome = "\n\n".join(part for part in (outcome, "\n".join(lines).strip()) if part)
    superseded = record.superseded_by is not None
    return replace(
        record,
        status=DecisionStatus.SUPERSEDED if superseded else record.status,
        title=one_line(record.title),
        context=record.context.strip(),
        outcome=outcome,
        consequences=record.consequences.strip(),
        date=one_line(record.date),
        options=[],
        chosen="",
        decision_makers=[],
        supersedes=one_line(record.supersedes) if record.supersedes else None,
        superseded_by=one_line(record.superseded_by) if record.superseded_by else None,
    )


def render(record: DecisionRecord, titles: Mapping[str, str] | None = None) -> str:
    """The record as an adr-tools Markdown file (after `fold`).

    Args:
        record: The record.
        titles: The titles of the records it links to, by path, for adr-tools'
            `[2. Use SQLite](0002-use-sqlite.md)` link labels.
    """
    record = fold(record)
    titles = titles or {}

    def link_to(target: str) -> str:
        href = href_to(record.path, target).replace(" ", "%20")
        return f"[{label(target, titles.get(target))}]({href})"

    number = f"{record.number}. " if record.number is not None else ""
    lines = [f"# {number}{record.title}", "", f"Date: {record.date}".rstrip(), "", "## Status", ""]
    if record.superseded_by:
        lines += [f"Superceded by {link_to(record.superseded_by)}", ""]
    else:
        lines += [record.status.value.capitalize(), ""]
    if record.supersedes:
        lines += [f"Supercedes {link_to(record.supersedes)}", ""]
    for heading, text in (
        ("Context", record.context),
        ("Decision", record.outcome),
        ("Consequences", record.consequences),
    ):
        lines += [f"## {heading}", ""]
        if text:
            lines += [escape(text), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def label(target: str, title: str | None = None) -> str:
    """adr-tools' link text for a record: `2. Use SQLite`, its number and title.

    Without the title, it is read from the file name (`0002-use-sqlite.md`).
    """
    number = number_from_path(target)
    if title is None:
        stem = posixpath.splitext(posixpath.basename(target))[0]
        title = re.sub(r"^\d+-", "", stem).replace("-", " ").capitalize()
    return f"{number}. {one_line(title)}" if number is not None else one_line(title)


def parse(text: str, path: str | None = None) -> DecisionRecord:
    """Reads an adr-tools record; never fails, missing parts stay empty.

    Args:
        text: The file's content.
        path: The repository-relative path; its `NNNN-` prefix sets `number`.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    title, number, start = "", None, len(lines)
    for index, line in enumerate(lines):
        if line.startswith("# "):
            title, start = line[2:].strip(), index + 1
            match = _TITLE.fullmatch(title)
            if match:
                number, title = int(match.group(1)), match.group(2).strip()
            break
    sections = split_sections(lines[start:], "## ")
    date = next((m.group(1).strip() for m in map(_DATE.fullmatch, sections.get("", [])) if m), "")
    status_lines = sections.get("status", [])
    status, superseded_by, supersedes = _read_status(status_lines, path)
    name_number = number_from_path(path)
    return DecisionRecord(
        title=title,
        context=_text(sections.get("context")),
        outcome=_text(sections.get("decision")),
        consequences=_text(sections.get("consequences")),
        status=status,
        date=date,
        number=name_number if name_number is not None else number,
        path=path,
        superseded_by=superseded_by,
        supersedes=supersedes,
        links=link_lines(status_lines, path),
    )


def _read_status(
    lines: list[str], path: str | None
) -> tuple[DecisionStatus, str | None, str | None]:
    status: DecisionStatus | None = None
    superseded_by = supersedes = None
    for line in (line.strip() for line in lines):
        if not line:
            continue
        lowered = line.lower()
        link = MARKDOWN_LINK.search(line)
        target = target_of(path, link.group(2)) if link else None
        if lowered.startswith(_SUPERSEDED_BY) and target:
            superseded_by = superseded_by or target
        elif lowered.startswith(_SUPERSEDES) and target:
            supersedes = supersedes or target
        elif status is None and target is None:
            # A link line (`Amended by …`) is not the status word.
            status = parse_status(line)
    if superseded_by is not None:
        # adr-tools marks a superseded record with the link alone: `adr new -s`
        # removes only an `Accepted` line, so `Proposed` stays above the link.
        return DecisionStatus.SUPERSEDED, superseded_by, supersedes
    return status or DecisionStatus.PROPOSED, superseded_by, supersedes


def _text(lines: list[str] | None) -> str:
    return unescape("\n".join(lines or []).strip())
