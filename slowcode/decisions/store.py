"""The project's decisions folder: finding it, reading its records, writing new ones."""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
from pathlib import Path

from slowcode.decisions.madr import parse, render
from slowcode.decisions.record import DecisionRecord, DecisionStatus
from slowcode.decisions.slug import slugify
from slowcode.engine.errors import ConfigError, SlowcodeError

DEFAULT_DECISIONS_DIR = "docs/decisions"
# Checked in this order when the configuration names no folder.
KNOWN_DECISIONS_DIRS = ("docs/decisions", "docs/adr", "doc/adr")
_RECORD_FILE = re.compile(r"(\d{4,})-.+\.md")
_LOG4BRAINS_FOLDER = re.compile(r"^\s*adrFolder:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.M)
_SUMMARY_WIDTH = 160


class DecisionStore:
    """The decision records of one repository.

    Attributes:
        root: The repository root.
        folder: The decisions folder, relative to `root`, with `/` separators.
    """

    def __init__(self, root: Path, decisions_dir: str | None = None) -> None:
        """Finds the decisions folder.

        Args:
            root: The repository root.
            decisions_dir: The configured folder; None detects it: adr-tools'
                `.adr-dir`, log4brains' `.log4brains.yml`, an existing `docs/decisions`,
                `docs/adr` or `doc/adr`, else `docs/decisions`.

        Raises:
            ConfigError: The folder would lie outside the repository.
        """
        self.root = root
        self.folder = _inside_repository(decisions_dir or detect_decisions_dir(root))

    @property
    def directory(self) -> Path:
        """The decisions folder as an absolute path."""
        return self.root / self.folder

    def record_files(self) -> list[tuple[int, Path]]:
        """`(number, file)` for each `NNNN-*.md` file, by number then name."""
        if not self.directory.is_dir():
            return []
        found = []
        for file in self.directory.iterdir():
            match = _RECORD_FILE.fullmatch(file.name)
            if match and file.is_file():
                found.append((int(match.group(1)), file))
        return sorted(found)

    def records(self) -> list[DecisionRecord]:
        """Every record in the folder, parsed, sorted by number."""
        records = []
        for _number, file in self.record_files():
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                # One unreadable file must not hide the rest of the log.
                continue
            records.append(parse(text, self._relative(file.name)))
        return records

    def next_number(self) -> int:
        """The number the next record gets: the highest existing one plus one, from 1."""
        files = self.record_files()
        return max(number for number, _file in files) + 1 if files else 1

    def path_for(self, record: DecisionRecord) -> str:
        """The repository-relative path `record` is (or would be) written to."""
        number = record.number if record.number is not None else self.next_number()
        return self._relative(f"{number:04d}-{slugify(record.title)}.md")

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
            _write_atomically(target, render(record))
        except OSError as exc:
            raise SlowcodeError(
                f"cannot write decision record {relative}: {exc.strerror or exc}"
            ) from None
        return relative

    def summary(self) -> str:
        """One line per record (number, title, status, outcome), for the model's context."""
        return "\n".join(summary_line(record) for record in self.records())


def summary_line(record: DecisionRecord) -> str:
    """`0004 Use SQLite [accepted]: chose "SQLite": one line of the outcome`."""
    number = f"{record.number:04d}" if record.number is not None else "----"
    status = record.status.value
    if record.status is DecisionStatus.SUPERSEDED and record.superseded_by:
        status += f" by {posixpath.basename(record.superseded_by)}"
    outcome = " ".join(record.outcome.split())
    if record.chosen:
        outcome = f'chose "{record.chosen}"' + (f": {outcome}" if outcome else "")
    line = f"{number} {record.title} [{status}]" + (f": {outcome}" if outcome else "")
    return line if len(line) <= _SUMMARY_WIDTH else line[: _SUMMARY_WIDTH - 1] + "…"


def detect_decisions_dir(root: Path) -> str:
    """The decisions folder a repository already uses, or the default one."""
    configured = _read_marker(root / ".adr-dir").strip()
    if configured:
        return configured.splitlines()[0].strip()
    match = _LOG4BRAINS_FOLDER.search(_read_marker(root / ".log4brains.yml"))
    if match:
        return match.group(1).strip()
    for candidate in KNOWN_DECISIONS_DIRS:
        if (root / candidate).is_dir():
            return candidate
    return DEFAULT_DECISIONS_DIR


def _read_marker(file: Path) -> str:
    """A tool's marker file, or "" when it is missing or unreadable."""
    try:
        return file.read_text(encoding="utf-8") if file.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return ""


def _inside_repository(folder: str) -> str:
    normalized = posixpath.normpath(folder.replace("\\", "/"))
    if normalized.startswith("/") or normalized.split("/")[0] in ("..", ".git"):
        raise ConfigError(f"decisions folder must be inside the repository, got {folder!r}")
    return normalized


def _write_atomically(target: Path, text: str) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
