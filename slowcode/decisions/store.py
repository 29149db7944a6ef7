"""The project's decisions folder: finding it, reading its records, writing new ones."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path

from slowcode.core.atomic import write_text_atomic
from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.core.errors import ConfigError, SlowcodeError
from slowcode.decisions.formats import DecisionFormat, DecisionLayout, detect_layout, parse_any
from slowcode.decisions.slug import slugify

__all__ = [
    "DecisionStore",
    "detect_decisions_dir",
    "summary_line",
]

_SUMMARY_WIDTH = 160


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

    def record_files(self) -> list[tuple[int, Path]]:
        """`(number, file)` for each record file, in number order.

        `NNNN-*.md` files carry their number; log4brains' `YYYYMMDD-*.md` files are
        numbered 1, 2, … in file-name (date) order.
        """
        if not self.directory.is_dir():
            return []
        pattern = self.format.file_pattern()
        found = []
        for file in self.directory.iterdir():
            match = pattern.fullmatch(file.name)
            if match and file.is_file():
                found.append((int(match.group(1)), file))
        found.sort()
        if self.format is DecisionFormat.LOG4BRAINS:
            return [(index, file) for index, (_day, file) in enumerate(found, start=1)]
        return found

    def records(self) -> list[DecisionRecord]:
        """Every record in the folder, parsed, sorted by number."""
        records = []
        for number, file in self.record_files():
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                # One unreadable file must not hide the rest of the log.
                continue
            record = parse_any(text, self._relative(file.name))
            record.number = number
            records.append(record)
        return records

    def get(self, number: int) -> DecisionRecord | None:
        """The record numbered `number`, or None."""
        return next((r for r in self.records() if r.number == number), None)

    def by_path(self, path: str) -> DecisionRecord | None:
        """The record at the repository-relative `path`, or None."""
        wanted = posixpath.normpath(path)
        return next((r for r in self.records() if r.path == wanted), None)

    def next_number(self) -> int:
        """The number the next record gets: the highest existing one plus one, from 1."""
        files = self.record_files()
        return max(number for number, _file in files) + 1 if files else 1

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

    def write(self, record: DecisionRecord) -> str:
        """Writes `record` atomically, giving it a number and a path first if it has none.

        Returns:
            The repository-relative path written.

        Raises:
            SlowcodeError: The folder or file cannot be written (one line).
        """
        if record.number is None:
            record.number = self.next_number()
        if record.path is None:
            record.path = self.path_for(record)
        relative = _inside_repository(record.path)
        target = self.root / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(target, self.format.render(record))
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
    number = f"{record.number:04d}" if record.number is not None else "----"
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


def detect_decisions_dir(root: Path) -> str:
    """The decisions folder a repository already uses, or the default one."""
    return detect_layout(root).folder


def _inside_repository(folder: str) -> str:
    normalized = posixpath.normpath(folder.replace("\\", "/"))
    if normalized.startswith("/") or normalized.split("/")[0] in ("..", ".git"):
        raise ConfigError(f"decisions folder must be inside the repository, got {folder!r}")
    return normalized
