"""log4brains: render a `DecisionRecord` and parse it back.

log4brains records are `YYYYMMDD-slug.md` in the folder `.log4brains.yml` names
(`adrFolder`), with no front matter: the metadata is a bullet list under the title,
and the body has MADR's sections:

    # Use PostgreSQL

    - Status: accepted
    - Deciders: Ada, Grace
    - Date: 2026-11-21

    ## Context and Problem Statement
    …

A superseded record says so in its status (`- Status: superseded by [link](file)`);
the record that supersedes it lists `- Supersedes [link](file)` under `## Links`.
Records have no number in their name: their id is the file's slug (`20261121-use-postgresql`).
"""

from __future__ import annotations

import re

from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.decisions import madr
from slowcode.decisions.links import MARKDOWN_LINK, link_lines, target_of
from slowcode.decisions.madr import link_to, one_line, parse_status, split_sections

LINKS = "Links"
_META = re.compile(r"[-*] (Status|Deciders|Date|Tags|Technical Story):[ \t]*(.*)", re.I)
_COMMENT = re.compile(r"\s*<!--.*?-->")


def render(record: DecisionRecord) -> str:
    """The record as a log4brains Markdown file."""
    # One bullet style throughout, as log4brains' template (markdownlint MD004).
    body = madr.render_body(record, link_lines=False, bullet="-")
    status = record.status.value
    if record.status is DecisionStatus.SUPERSEDED and record.superseded_by:
        status = f"superseded by {link_to(record, record.superseded_by)}"
    meta = [f"- Status: {status}"]
    makers = [one_line(name).replace(",", " ") for name in record.decision_makers]
    if makers:
        meta.append(f"- Deciders: {', '.join(makers)}")
    if record.date.strip():
        meta.append(f"- Date: {one_line(record.date)}")
    lines = [*body[:2], *meta, "", *body[2:]]
    links = []
    if record.supersedes:
        links.append(f"- Supersedes {link_to(record, record.supersedes)}")
    if record.superseded_by and record.status is not DecisionStatus.SUPERSEDED:
        links.append(f"- Superseded by {link_to(record, record.superseded_by)}")
    if links:
        # The heading as log4brains' own template writes it.
        lines = [*_trimmed(lines), "", f"## {LINKS} <!-- optional -->", "", *links]
    return "\n".join(lines).rstrip("\n") + "\n"


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


def parse(text: str, path: str | None = None) -> DecisionRecord:
    """Reads a log4brains record; never fails, missing parts stay empty.

    Args:
        text: The file's content.
        path: The repository-relative path. `number` stays None: the store sets it.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    meta: dict[str, str] = {}
    kept: list[str] = []
    in_head = True
    for line in lines:
        if line.startswith("## "):
            in_head = False
        match = _META.fullmatch(_COMMENT.sub("", line).rstrip()) if in_head else None
        if match:
            meta[match.group(1).lower()] = match.group(2).strip()
        else:
            kept.append(line)
    record = madr.parse("\n".join(kept), path, numbered_title=False)
    record.number = None
    status_text = meta.get("status", "")
    record.status = parse_status(status_text)
    record.date = meta.get("date", "")
    record.decision_makers = [n.strip() for n in meta.get("deciders", "").split(",") if n.strip()]
    status_link = MARKDOWN_LINK.search(status_text)
    record.superseded_by = None
    record.supersedes = None
    if status_link and record.status is DecisionStatus.SUPERSEDED:
        record.superseded_by = target_of(path, status_link.group(2))
    sections = {
        _COMMENT.sub("", name).strip(): body for name, body in split_sections(kept, "## ").items()
    }
    record.links = link_lines(sections.get(LINKS.lower(), []), path)
    for line in sections.get(LINKS.lower(), []):
        link = MARKDOWN_LINK.search(line)
        words = line.lstrip("-* ").lower()
        if link and words.startswith(("supersedes", "supercedes")):
            record.supersedes = record.supersedes or target_of(path, link.group(2))
        elif link and words.startswith(("superseded by", "superceded by")):
            record.superseded_by = record.superseded_by or target_of(path, link.group(2))
    if not record.consequences:
        record.consequences = _positive_negative(sections.get(madr.OUTCOME.lower(), []))
    return record


def _positive_negative(outcome_lines: list[str]) -> str:
    """log4brains' "Positive / Negative Consequences" subsections as one text."""
    parts = []
    for name, lines in split_sections(outcome_lines, "### ").items():
        heading = _COMMENT.sub("", name).strip()
        text = "\n".join(lines).strip()
        if heading.endswith("consequences") and text:
            parts.append(f"{heading.split()[0].capitalize()}:\n\n{text}")
    return "\n\n".join(parts)
