"""The project's decisions folder: finding it, reading its records, writing new ones."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path

from slowcode.core.atomic import write_text_atomic
from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.core.errors import ConfigError, SlowcodeError
from slowcode.decisions.formats import DecisionFormat, DecisionLayout, detect_layout, parse_any
from slowcode.decisions.madr import number_from_path
from slowcode.decisions.slug import slugify

__all__ = [
    "DecisionStore",
    "detect_decisions_dir",
    "summary_line",
]

_SUMMARY_WIDTH = 160
_NOT_RECORDS = frozenset({"readme.md", "index.md", "license.md", "contributing.md"})
# `3`, `0003`, `ADR-0003`, `adr-3`: a record number.
_NUMBER_ID = re.compile(r"(?:adr-?)?0*(\d{1,7})", re.I)


class DecisionStore:
    """The decision records of one repository, in the format its folder already uses.

    Attributes:
        root: The repository root.
        folder: The decisions folder, relative to `root`, with `/` separators.
        format: The format records are written in (MADR 4, adr-tools or log4brains).
    """

    def __init__(self, root: Path, decisions_dir: str | None = None) -> None:
        """Finds the decisions folder and its format.

        Args:
            root: The repository root.
            decisions_dir: The configured folder; None detects it: adr-tools'
                `.adr-dir`, log4brains' `.log4brains.yml`, an existing `docs/adr`,
                `doc/adr` or `docs/decisions`, else `docs/decisions` (see `formats`).

        Raises:
            ConfigError: The folder would lie outside the repository.
        """
        self.root = root
        layout = detect_layout(root, decisions_dir)
        self.folder = _inside_repository(layout.folder)
        self.format: DecisionFormat = layout.format

    @property
    def layout(self) -> DecisionLayout:
        """The folder and format, e.g. for the decisions screen's title."""
        return DecisionLayout(self.folder, self.format)

    @property
    def directory(self) -> Path:
        """The decisions folder as an absolute path."""
        return self.root / self.folder

    def record_files(self) -> list[Path]:
        """Every record file in the folder, numbered ones first in number order.

        Every `*.md` file is a record, whatever its name (`0003-x.md`,
        `20261121-x.md`, `use-x.md`), except a folder's README, index and templates.
        """
        if not self.directory.is_dir():
            return []
        found = [f for f in self.directory.iterdir() if is_record_name(f.name) and f.is_file()]

        def order(file: Path) -> tuple[int, int, str]:
            number = number_from_path(file.name)
            return (0, number, file.name) if number is not None else (1, 0, file.name)

        return sorted(found, key=order)

    def records(self) -> list[DecisionRecord]:
        """Every record in the folder, each parsed in its own format, in `record_files` order.

        Links written as references (MADR's `superseded by ADR-0005`) are resolved to
        paths, and a supersede link written on one side only is known on both.
        """
        records = []
        for file in self.record_files():
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                # One unreadable file must not hide the rest of the log.
                continue
            record = parse_any(text, self._relative(file.name))
            record.number = number_from_path(file.name)
            records.append(record)
        _resolve_links(records)
        return records

    def find(self, wanted: str) -> DecisionRecord | None:
        """The record with the id `wanted`: `3`, `0003`, `ADR-0003`, a file name or slug.

        Raises:
            SlowcodeError: Two records carry the number (one line; use the slug).
        """
        records = self.records()
        return find_record(records, wanted, self.layout.label)

    def get(self, number: int) -> DecisionRecord | None:
        """The record numbered `number`, or None."""
        return next((r for r in self.records() if r.number == number), None)

    def by_path(self, path: str) -> DecisionRecord | None:
        """The record at the repository-relative `path`, or None."""
        wanted = posixpath.normpath(path)
        return next((r for r in self.records() if r.path == wanted), None)

    def next_number(self) -> int:
        """The number the next record gets: the highest existing one plus one, from 1."""
        numbers = [number_from_path(file.name) for file in self.record_files()]
        return max((n for n in numbers if n is not None), default=0) + 1

    def path_for(self, record: DecisionRecord) -> str:
        """The repository-relative path `record` is (or would be) written to."""
        slug = slugify(record.title)
        if self.format is DecisionFormat.LOG4BRAINS:
            day = re.sub(r"\D", "", record.date)[:8]
            if len(day) != 8:
                day = dt.date.today().strftime("%Y%m%d")
            return self._free_name(f"{day}-{slug}")
        number = record.number if record.number is not None else self.next_number()
        return self._relative(f"{number:04d}-{slug}.md")

    def _free_name(self, stem: str) -> str:
        """`stem.md`, or `stem-2.md`, … when a record already has that name."""
        name, counter = f"{stem}.md", 1
        while (self.directory / name).exists():
            counter += 1
            name = f"{stem}-{counter}.md"
        return self._relative(name)

    def _relative(self, name: str) -> str:
        return posixpath.normpath(posixpath.join(self.folder, name))

    def write(self, record: DecisionRecord, titles: Mapping[str, str] | None = None) -> str:
        """Writes `record` whole and atomically, giving it a number and a path first if it has none.

        For a new record; an existing one is changed with `lifecycle`'s lossless edits.

        Args:
            record: The record.
            titles: Titles of the records it links to, by path (adr-tools' link labels).

        Returns:
            The repository-relative path written.

        Raises:
            SlowcodeError: The folder or file cannot be written (one line).
        """
        if record.number is None and self.format is not DecisionFormat.LOG4BRAINS:
            # log4brains records carry no number: their slug is their id.
            record.number = self.next_number()
        if record.path is None:
            record.path = self.path_for(record)
        return self.write_text(record.path, self.format.render(record, titles))

    def write_text(self, path: str, text: str) -> str:
        """Writes a record file's whole text atomically at the repository-relative `path`.

        Returns:
            The repository-relative path written.

        Raises:
            SlowcodeError: The folder or file cannot be written (one line).
        """
        relative = _inside_repository(path)
        target = self.root / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(target, text)
        except OSError as exc:
            raise SlowcodeError(
                f"cannot write decision record {relative}: {exc.strerror or exc}"
            ) from None
        return relative

    def summary(self) -> str:
        """One line per record (number, title, status, outcome), for the model's context."""
        return "\n".join(summary_line(record) for record in self.records())


def summary_line(record: DecisionRecord) -> str:
    """`0004 Use SQLite [accepted]: chose "SQLite": the outcome's first paragraph, on one line`.

    A superseded record names its successor and says not to follow it, so the model
    never builds on a decision the developer has replaced.
    """
    number = record.record_id or "----"
    status = record.status.value
    if record.status is DecisionStatus.SUPERSEDED:
        successor = posixpath.basename(record.superseded_by or "") or "a later record"
        status = f"SUPERSEDED by {successor}; do not follow"
    first_paragraph = record.outcome.strip().split("\n\n")[0]
    outcome = " ".join(first_paragraph.split())
    if record.chosen:
        outcome = f'chose "{record.chosen}"' + (f": {outcome}" if outcome else "")
    line = f"{number} {record.title} [{status}]" + (f": {outcome}" if outcome else "")
    return line if len(line) <= _SUMMARY_WIDTH else line[: _SUMMARY_WIDTH - 1] + "…"


def is_record_name(name: str) -> bool:
    """Whether a file in the decisions folder is a record (not its README, index or template)."""
    lowered = name.casefold()
    if not lowered.endswith(".md") or lowered.startswith((".", "_")):
        return False
    return lowered not in _NOT_RECORDS and "template" not in lowered


def find_record(records: list[DecisionRecord], wanted: str, where: str) -> DecisionRecord | None:
    """The record `wanted` names among `records` (see `DecisionStore.find`).

    Raises:
        SlowcodeError: Two records carry the number (one line).
    """
    text = wanted.strip()
    match = _NUMBER_ID.fullmatch(text)
    if match:
        numbered = [r for r in records if r.number == int(match.group(1))]
        if len(numbered) > 1:
            names = ", ".join(posixpath.basename(r.path or "") for r in numbered)
            raise SlowcodeError(f"{len(numbered)} records are numbered {text} in {where}: {names}")
        if numbered:
            return numbered[0]
    name = posixpath.basename(text.replace("\\", "/"))
    stem = name[:-3] if name.casefold().endswith(".md") else name
    return next((r for r in records if r.record_id == stem or r.path == text), None)


def _resolve_links(records: list[DecisionRecord]) -> None:
    by_path = {r.path: r for r in records if r.path}

    def resolve(target: str | None) -> str | None:
        if target is None or target in by_path:
            return target
        try:
            found = find_record(records, target, "")
        except SlowcodeError:
            return target
        return found.path if found else target

    for record in records:
        record.superseded_by = resolve(record.superseded_by)
        record.supersedes = resolve(record.supersedes)
        record.links = [(verb, resolve(target) or target) for verb, target in record.links]
    for record in records:
        newer = by_path.get(record.superseded_by or "")
        if newer is not None and newer.supersedes is None:
            newer.supersedes = record.path
        older = by_path.get(record.supersedes or "")
        if (
            older is not None
            and older.superseded_by is None
            and older.status is DecisionStatus.SUPERSEDED
        ):
            older.superseded_by = record.path


def detect_decisions_dir(root: Path) -> str:
    """The decisions folder a repository already uses, or the default one."""
    return detect_layout(root).folder


def _inside_repository(folder: str) -> str:
    normalized = posixpath.normpath(folder.replace("\\", "/"))
    if normalized.startswith("/") or normalized.split("/")[0] in ("..", ".git"):
        raise ConfigError(f"decisions folder must be inside the repository, got {folder!r}")
    return normalized
