"""The formats a decisions folder can be kept in, and finding which one a repository uses.

Detection order (product spec §4): the configured `decisions_dir`; adr-tools'
`.adr-dir` (its folder, adr-tools format); log4brains' `.log4brains.yml`
(`adrFolder`, log4brains format); then an existing `docs/adr`, `doc/adr` or
`docs/decisions`; else `docs/decisions` in MADR 4. A folder found without a
tool's marker file is kept in the format its newest record is written in
(an empty `doc/adr` is adr-tools' default folder, so adr-tools).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from slowcode.core.decision_record import DecisionRecord
from slowcode.decisions import adr_tools, log4brains, madr

DEFAULT_DECISIONS_DIR = "docs/decisions"
ADR_TOOLS_DEFAULT_DIR = "doc/adr"
# Checked in this order when no configuration or marker file names the folder.
KNOWN_DECISIONS_DIRS = ("docs/adr", "doc/adr", "docs/decisions")

_LOG4BRAINS_FOLDER = re.compile(r"^\s*adrFolder:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.M)
_NUMBERED_FILE = re.compile(r"(\d{4,})-.+\.md")
_DATED_FILE = re.compile(r"(\d{8})-.+\.md")
_LOG4BRAINS_STATUS = re.compile(r"^[-*] Status:", re.M | re.I)
_ADR_TOOLS_TITLE = re.compile(r"^# \d+\. ", re.M)


class DecisionFormat(StrEnum):
    """The on-disk formats slowcode reads and writes."""

    MADR = "madr"
    ADR_TOOLS = "adr-tools"
    LOG4BRAINS = "log4brains"

    @property
    def label(self) -> str:
        """The name shown to people."""
        return {"madr": "MADR 4", "adr-tools": "adr-tools", "log4brains": "log4brains"}[self]

    def render(self, record: DecisionRecord, titles: Mapping[str, str] | None = None) -> str:
        """`record` as a file in this format.

        Args:
            record: The record.
            titles: Titles of the records it links to, by path (adr-tools' link labels).
        """
        if self is DecisionFormat.ADR_TOOLS:
            return adr_tools.render(record, titles)
        renderers: dict[DecisionFormat, Callable[[DecisionRecord], str]] = {
            DecisionFormat.MADR: madr.render,
            DecisionFormat.LOG4BRAINS: log4brains.render,
        }
        return renderers[self](record)

    def parse(self, text: str, path: str | None = None) -> DecisionRecord:
        """Reads a file written in this format (see `sniff` for a file of unknown format)."""
        parsers: dict[DecisionFormat, Callable[[str, str | None], DecisionRecord]] = {
            DecisionFormat.MADR: madr.parse,
            DecisionFormat.ADR_TOOLS: adr_tools.parse,
            DecisionFormat.LOG4BRAINS: log4brains.parse,
        }
        return parsers[self](text, path)

    def file_pattern(self) -> re.Pattern[str]:
        """The file names of records: `YYYYMMDD-slug.md` for log4brains, else `NNNN-slug.md`."""
        return _DATED_FILE if self is DecisionFormat.LOG4BRAINS else _NUMBERED_FILE


@dataclass(frozen=True)
class DecisionLayout:
    """Where a repository keeps its decision records, and in which format."""

    folder: str
    format: DecisionFormat

    @property
    def label(self) -> str:
        """`doc/adr (adr-tools)`, for titles and messages."""
        return f"{self.folder} ({self.format.label})"


def sniff(text: str) -> DecisionFormat:
    """The format one record file is written in, from its content."""
    if text.startswith("---"):
        return DecisionFormat.MADR
    head = text.split("\n## ", 1)[0]
    if _LOG4BRAINS_STATUS.search(head):
        return DecisionFormat.LOG4BRAINS
    if _ADR_TOOLS_TITLE.search(head) or "\n## Status" in text:
        return DecisionFormat.ADR_TOOLS
    return DecisionFormat.MADR


def parse_any(text: str, path: str | None = None) -> DecisionRecord:
    """Reads a record in whichever format it is written in."""
    return sniff(text).parse(text, path)


def detect_layout(root: Path, configured: str | None = None) -> DecisionLayout:
    """The decisions folder and format of the repository at `root`."""
    if configured:
        folder = configured.strip()
        return DecisionLayout(folder, _format_of_folder(root / folder, DecisionFormat.MADR))
    adr_dir = _read_marker(root / ".adr-dir").strip()
    if adr_dir:
        return DecisionLayout(adr_dir.splitlines()[0].strip(), DecisionFormat.ADR_TOOLS)
    match = _LOG4BRAINS_FOLDER.search(_read_marker(root / ".log4brains.yml"))
    if match:
        return DecisionLayout(match.group(1).strip(), DecisionFormat.LOG4BRAINS)
    existing = [c for c in KNOWN_DECISIONS_DIRS if (root / c).is_dir()]
    # A folder that holds records wins over an empty one made for later.
    with_records = [c for c in existing if _newest_record(root / c) is not None]
    for candidate in with_records or existing:
        default = (
            DecisionFormat.ADR_TOOLS if candidate == ADR_TOOLS_DEFAULT_DIR else DecisionFormat.MADR
        )
        return DecisionLayout(candidate, _format_of_folder(root / candidate, default))
    return DecisionLayout(DEFAULT_DECISIONS_DIR, DecisionFormat.MADR)


def _format_of_folder(folder: Path, default: DecisionFormat) -> DecisionFormat:
    """The format of the newest record in `folder`; `default` when it has none."""
    newest = _newest_record(folder)
    return default if newest is None else sniff(_read_marker(newest))


def _newest_record(folder: Path) -> Path | None:
    """The record file with the highest number (or latest date) in `folder`."""
    if not folder.is_dir():
        return None
    names = sorted(
        (p for p in folder.iterdir() if _NUMBERED_FILE.fullmatch(p.name) and p.is_file()),
        # A numbered record (`0012-`) outranks a dated one (`20261121-`): in a mixed
        # folder new records continue the numbers, in the highest one's format.
        key=lambda p: (len(p.name.split("-")[0]) < 8, len(p.name.split("-")[0]), p.name),
    )
    return names[-1] if names else None


def _read_marker(file: Path) -> str:
    """A tool's file, or "" when it is missing or unreadable."""
    try:
        return file.read_text(encoding="utf-8") if file.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return ""
