"""The session journal: an append-only, hash-chained JSON Lines log of everything a session did.

Each line is one event, `{"seq", "ts", "type", "data", "prev"}`, written in canonical
JSON (sorted keys, no spaces). `prev` is the sha256 of the previous event's canonical
JSON (null for the first), so a changed, removed or reordered event breaks the chain.
Events are numbered from 1. Secrets are redacted before anything is written, except in
the fields an event marks `VERBATIM` (file content, committed byte for byte).

An event's `type` and `data` are one of the typed events of `slowcode.journal.events`:
`Journal.record` writes one, `read_entries` reads them back as `JournalEntry`s.

Beside the journal, `head.json` holds `{"seq", "hash"}` of the last event appended, so
that a journal cut short at a line boundary (its last events deleted) is detected too:
the chain alone cannot tell a shortened journal from a complete one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slowcode.core.errors import SlowcodeError
from slowcode.core.layout import SESSIONS_DIR as SESSIONS_DIR
from slowcode.journal.events import (
    AFTER_THE_FACT,
    EventFormatError,
    JournalEvent,
    SessionFinished,
    event_type,
    parse_event,
)
from slowcode.journal.redaction import REDACTED as REDACTED
from slowcode.journal.redaction import redact as redact
from slowcode.journal.redaction import redact_except

JOURNAL_FILE = "journal.jsonl"
SESSION_FINISHED = SessionFinished.KIND
HEAD_FILE = "head.json"
_EVENT_KEYS = frozenset({"seq", "ts", "type", "data", "prev"})

Event = dict[str, Any]

JournalListener = Callable[["Journal", "JournalEntry"], None]
"""Told of each typed event as written (redacted), from the recording thread; never raises."""


class JournalError(SlowcodeError):
    """A journal that cannot be read or continued."""


@dataclass(frozen=True)
class JournalEntry:
    """One event of a journal, typed, with its place and time.

    Attributes:
        seq: Its sequence number (from 1).
        ts: When it was written (UTC, ISO 8601).
        event: What happened.
    """

    seq: int
    ts: str
    event: JournalEvent

    @classmethod
    def of(cls, raw: Event) -> JournalEntry:
        """The entry for one event as read from the journal.

        Raises:
            EventFormatError: Its data does not fit its kind.
        """
        data = raw["data"] if isinstance(raw["data"], dict) else {}
        return cls(int(raw["seq"]), str(raw["ts"]), parse_event(str(raw["type"]), data))


def entries_of(events: list[Event], where: object = "journal") -> list[JournalEntry]:
    """The typed entries of raw events (as `read_events` returns them).

    Raises:
        JournalError: An event's data does not fit its kind.
    """
    entries: list[JournalEntry] = []
    for number, raw in enumerate(events, start=1):
        try:
            entries.append(JournalEntry.of(raw))
        except EventFormatError as exc:
            raise JournalError(f"{where} event {number}: {exc}") from None
    return entries


def read_entries(path: Path) -> list[JournalEntry]:
    """Reads every complete event of a journal (a file or a session folder), typed.

    Raises:
        JournalError: The file cannot be read, a line is not a JSON event, or an
            event's data does not fit its kind.
    """
    return entries_of(read_events(path), f"journal {journal_path(path)}")


def canonical_json(event: Event) -> str:
    """The one serialization of an event that its hash is computed from."""
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: Event) -> str:
    """The sha256 hex digest of an event's canonical JSON (what the next `prev` holds)."""
    return hashlib.sha256(canonical_json(event).encode("utf-8")).hexdigest()


def journal_path(path: Path) -> Path:
    """The journal file for `path`, which names either the file or its session folder."""
    return path / JOURNAL_FILE if path.is_dir() else path


def new_session_id(now: datetime | None = None) -> str:
    """A sortable session id such as `20261121-142501-ab12cd` (UTC time, random suffix)."""
    moment = now or datetime.now(UTC)
    return f"{moment.strftime('%Y%m%d-%H%M%S')}-{os.urandom(3).hex()}"


def _timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _complete_lines(text: str) -> list[str]:
    """The journal's lines, leaving out a last line an interrupted write left unfinished."""
    lines = text.split("\n")
    # Every append ends with "\n", so the piece after the last "\n" is either empty
    # or the remains of a write that never finished.
    return [line for line in lines[:-1] if line.strip()]


def read_events(path: Path) -> list[Event]:
    """Reads every complete event of a journal (a file or a session folder).

    Raises:
        JournalError: The file cannot be read or a line is not a JSON event.
    """
    file = journal_path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(f"cannot read journal {file}: {exc}") from None
    events: list[Event] = []
    for number, line in enumerate(_complete_lines(text), start=1):
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            raise JournalError(f"journal {file} line {number} is not valid JSON") from None
        if not isinstance(event, dict) or not event.keys() >= _EVENT_KEYS:
            raise JournalError(f"journal {file} line {number} is not a journal event")
        events.append(event)
    return events


def verify(path: Path) -> tuple[bool, str]:
    """Checks a journal's sequence numbers and hash chain.

    Returns:
        `(True, "... events, chain intact")`, or `(False, one line naming the first
        broken event and what is wrong with it)`.
    """
    file = journal_path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return False, f"cannot read {file}: {exc}"
    lines = text.split("\n")
    # A torn last write is worth reporting, but it is not tampering.
    unfinished = f"; line {len(lines)} is an unfinished write" if lines[-1] else ""
    lines = lines[:-1]
    previous: str | None = None
    for number, line in enumerate(lines, start=1):
        where = f"event {number} (line {number})"
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            return False, f"{where}: not valid JSON"
        if not isinstance(event, dict) or event.keys() != _EVENT_KEYS:
            return False, f"{where}: not a journal event"
        if type(event["seq"]) is not int or event["seq"] != number:
            return False, f"{where}: sequence number {event['seq']!r}, expected {number}"
        if event["prev"] != previous:
            return False, (
                f"{where}: hash chain broken (the event before it was changed, "
                "or an event is missing)"
            )
        if canonical_json(event) != line:
            return False, f"{where}: not in canonical form (the line was edited)"
        previous = event_hash(event)
    if unfinished:
        return False, f"{len(lines)} complete events, chain intact{unfinished}"
    problem = _head_problem(file.parent / HEAD_FILE, lines)
    if problem:
        return False, problem
    return True, f"{len(lines)} events, chain intact"


def _head_problem(head_file: Path, lines: list[str]) -> str | None:
    """What is wrong with the end of a journal whose chain is intact, judged by its head."""
    try:
        head = json.loads(head_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        # An empty journal never had a head; any other journal always gets one.
        return f"the head record {head_file.name} is missing" if lines else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return f"the head record {head_file.name} is unreadable"
    if not isinstance(head, dict) or type(head.get("seq")) is not int:
        return f"the head record {head_file.name} is unreadable"
    seq, count = head["seq"], len(lines)
    if seq > count:
        return (
            f"event {count + 1} is missing: the journal ends at event {count} "
            f"but its head records event {seq} (events were cut off the end)"
        )
    # A process killed between appending an event and updating the head leaves the
    # head one event behind; further behind means the head was rewritten.
    if seq < count - 1:
        return f"the head records event {seq} but the journal has {count} events"
    expected = _sha256(lines[seq - 1]) if seq else None
    if head.get("hash") != expected:
        return f"event {seq} (line {seq}): does not match the hash its head records"
    return None


def _sha256(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


class Journal:
    """An open session journal that events are appended to.

    Appends are thread-safe. Use `Journal.create` for a new session and `Journal.open`
    to continue one.

    Attributes:
        session_id: The session's id (its folder's name).
        path: The journal file.
    """

    def __init__(self, path: Path, last_seq: int = 0, last_hash: str | None = None) -> None:
        """Wraps a journal file whose chain ends at `last_seq` / `last_hash`."""
        self.path = path
        self.session_id = path.parent.name
        self._seq = last_seq
        self._last_hash = last_hash
        self._lock = threading.Lock()
        self._listeners: list[JournalListener] = []

    @classmethod
    def create(cls, root: Path) -> Journal:
        """Starts a new session under `root/.slowcode/sessions/` with an empty journal."""
        sessions = root / SESSIONS_DIR
        try:
            sessions.mkdir(parents=True, exist_ok=True)
            while True:
                folder = sessions / new_session_id()
                try:
                    folder.mkdir()
                    break
                except FileExistsError:
                    continue
            path = folder / JOURNAL_FILE
            path.touch()
        except OSError as exc:
            raise JournalError(f"cannot create a session in {sessions}: {exc}") from None
        return cls(path)

    @classmethod
    def open(cls, path: Path) -> Journal:
        """Opens an existing journal (file or session folder) to continue its chain.

        A last line left unfinished by an interrupted write is cut off first, so the
        next event follows the last complete one.
        """
        file = journal_path(path)
        events = read_events(file)
        cls._drop_unfinished_tail(file)
        if not events:
            return cls(file)
        last = events[-1]
        journal = cls(file, int(last["seq"]), event_hash(last))
        # A kill between an append and its head update left the head one behind.
        journal._write_head(sync=True)
        return journal

    @staticmethod
    def _drop_unfinished_tail(file: Path) -> None:
        data = file.read_bytes()
        if not data or data.endswith(b"\n"):
            return
        keep = data.rfind(b"\n") + 1
        try:
            with file.open("r+b") as handle:
                handle.truncate(keep)
        except OSError as exc:
            raise JournalError(f"cannot repair journal {file}: {exc}") from None

    def listen(self, listener: JournalListener) -> None:
        """Tells `listener` of every typed event recorded from now on (see `record`)."""
        self._listeners.append(listener)

    @property
    def last_seq(self) -> int:
        """The sequence number of the last event written (0 before the first)."""
        return self._seq

    def append(
        self,
        type: str,
        data: dict[str, Any],
        *,
        sync: bool = False,
        verbatim: Collection[str] = (),
    ) -> Event:
        """Writes one event and flushes it.

        Args:
            type: What happened, e.g. `"task"`, `"model_response"`, `"hunk_verdict"`.
            data: The event's JSON-serializable details; secrets are redacted.
            sync: Also fsync, so the event survives a power loss (after human verdicts
                and writes).
            verbatim: Keys of `data` written exactly as they are, never redacted
                (file content that is committed byte for byte).

        Returns:
            The event as written.
        """
        with self._lock:
            event: Event = {
                "seq": self._seq + 1,
                "ts": _timestamp(),
                "type": type,
                "data": redact_except(data, verbatim),
                "prev": self._last_hash,
            }
            line = canonical_json(event)
            try:
                with self.path.open("a", encoding="utf-8", newline="\n") as handle:
                    handle.write(line + "\n")
                    handle.flush()
                    if sync:
                        os.fsync(handle.fileno())
            except OSError as exc:
                raise JournalError(f"cannot write journal {self.path}: {exc}") from None
            # Parsed back so the caller holds exactly what the next hash covers.
            written: Event = json.loads(line)
            self._seq = written["seq"]
            self._last_hash = event_hash(written)
            self._write_head(sync=sync)
            return written

    def record(self, event: JournalEvent, *, sync: bool = False) -> JournalEntry:
        """Writes one typed event (see `append`), then tells the listeners (`listen`).

        Fields marked `VERBATIM` (staged and reviewed file content) are written as
        they are; everything else has its secrets redacted.

        Returns:
            The entry as written and read back: secrets redacted, as a reader sees it.
        """
        data = event.to_data()
        entry = JournalEntry.of(
            self.append(event.type, data, sync=sync, verbatim=event.verbatim_fields())
        )
        for listener in self._listeners:
            listener(self, entry)
        return entry

    def _write_head(self, *, sync: bool) -> None:
        """Replaces `head.json` with the last event's number and hash (temp file + rename)."""
        head = self.path.parent / HEAD_FILE
        temporary = head.with_name(f".{HEAD_FILE}.{os.getpid()}.tmp")
        payload = json.dumps({"seq": self._seq, "hash": self._last_hash}, sort_keys=True)
        try:
            with temporary.open("w", encoding="utf-8") as handle:
                handle.write(payload + "\n")
                if sync:
                    handle.flush()
                    os.fsync(handle.fileno())
            temporary.replace(head)
        except OSError as exc:
            raise JournalError(f"cannot write journal head {head}: {exc}") from None

    def events(self) -> list[Event]:
        """Reads back every event written so far."""
        with self._lock:
            return read_events(self.path)

    def entries(self) -> list[JournalEntry]:
        """Reads back every event written so far, typed."""
        with self._lock:
            return read_entries(self.path)


def abandon_empty_session(journal: Journal) -> bool:
    """Removes the session's folder when its journal holds no complete event.

    A session whose first event could not be written (a full disk) holds nothing
    to resume, show or replay. Whatever cannot be removed is left alone.

    Returns:
        True when the folder was removed.
    """
    folder = journal.path.parent
    try:
        if read_events(journal.path):
            return False
    except JournalError:
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return not folder.exists()


def find_sessions(root: Path) -> list[Path]:
    """The session folders under `root/.slowcode/sessions/` that hold a journal, oldest first."""
    sessions = root / SESSIONS_DIR
    if not sessions.is_dir():
        return []
    return sorted(p for p in sessions.iterdir() if (p / JOURNAL_FILE).is_file())


def latest_unfinished(root: Path) -> Path | None:
    """The newest session folder whose last event is not `session_finished`.

    Sessions with no events are skipped; a journal that cannot be read counts as
    unfinished, so resuming it reports the problem instead of hiding it.
    """
    for folder in reversed(find_sessions(root)):
        try:
            events = read_events(folder)
        except JournalError:
            return folder
        # Judged by the kinds alone: an event with bad data is reported by the resume.
        kinds = [event_type(str(event["type"])) for event in events]
        own = [kind for kind in kinds if kind not in AFTER_THE_FACT]
        if own and own[-1] is not SessionFinished:
            return folder
    return None


def resolve_session(root: Path, name: str) -> Path:
    """The session folder `name` designates under `root`.

    Args:
        root: The repository's work tree.
        name: A session id, a unique prefix of one, or the path of a session folder
            or of its journal file.

    Raises:
        JournalError: No session, or more than one, matches `name`.
    """
    as_path = Path(name)
    if as_path.is_file() and as_path.name == JOURNAL_FILE:
        return as_path.parent
    if (as_path / JOURNAL_FILE).is_file():
        return as_path
    matches = [folder for folder in find_sessions(root) if folder.name.startswith(name)]
    exact = [folder for folder in matches if folder.name == name]
    if exact:
        return exact[0]
    if not matches:
        raise JournalError(f"no session {name!r} in {root / SESSIONS_DIR}")
    if len(matches) > 1:
        names = ", ".join(folder.name for folder in matches[:3])
        raise JournalError(f"session {name!r} is ambiguous: it matches {names}")
    return matches[0]
