"""Where code and decisions meet in git: `why` a line exists, and which commits cite a record.

Both read only git: `git blame` finds the commit that last changed a line, its
trailers (`Slowcode-Session`, `Slowcode-Step`, `Decision`) say which session, step
and decision record produced it, and `git log` finds the commits whose `Decision:`
trailer names a record.
"""

from __future__ import annotations

import posixpath
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from unidiff.errors import UnidiffParseError
from unidiff.patch import PatchSet

from slowcode.core.errors import SlowcodeError
from slowcode.decisions.formats import parse_any
from slowcode.git.notes import read_note
from slowcode.git.runner import git_text
from slowcode.git.trailers import parse_trailers, without_trailers
from slowcode.journal import events as ev
from slowcode.journal.log import SESSIONS_DIR, read_entries
from slowcode.journal.provenance import ProvenanceNote

_NOT_COMMITTED = "0" * 40
_FIELD, _RECORD = "\x1f", "\x1e"


@dataclass(frozen=True)
class CitingCommit:
    """A commit whose `Decision:` trailer names a record."""

    sha: str
    date: str
    subject: str


@dataclass(frozen=True)
class LineOrigin:
    """What produced one line: its commit and, when slowcode made it, the session and step.

    `session` is None for a commit slowcode did not make (no `Slowcode-Session`
    trailer); `commit` is None for a line not committed yet. `source` says where
    the step's story came from: `note` (its provenance note in
    `refs/notes/slowcode`, which travels with clones), `journal` (the session's
    local journal) or `commit` (the commit message alone). `hunk` is the step's
    hunk that wrote the line, with the developer's verdict, when the note says it;
    `file_hunks` are all the step's hunks in the file.
    """

    path: str
    line: int
    text: str
    commit: str | None
    author: str = ""
    date: str = ""
    subject: str = ""
    explanation: str = ""
    session: str | None = None
    step: int | None = None
    task: str = ""
    decision_path: str | None = None
    decision_title: str = ""
    model: str = ""
    hunk: dict[str, object] | None = None
    file_hunks: list[dict[str, object]] = field(default_factory=list)
    source: str = "commit"

    def to_json(self) -> dict[str, object]:
        """The origin as a JSON object."""
        return asdict(self)


def citations(root: Path) -> dict[str, list[CitingCommit]]:
    """Record path → the commits, newest first, whose `Decision:` trailer names it."""
    fmt = _FIELD.join(["%H", "%as", "%s", "%(trailers:key=Decision,valueonly,separator=%x1d)"])
    try:
        out = git_text(root, "log", f"--format={fmt}{_RECORD}")
    except SlowcodeError:
        # A repository with no commits yet cites nothing.
        return {}
    found: dict[str, list[CitingCommit]] = {}
    for entry in out.split(_RECORD):
        parts = entry.strip("\n").split(_FIELD)
        if len(parts) != 4:
            continue
        for value in parts[3].split("\x1d"):
            if value.strip():
                commit = CitingCommit(parts[0], parts[1], parts[2])
                found.setdefault(posixpath.normpath(value.strip()), []).append(commit)
    return found


def line_origin(root: Path, path: str, line: int) -> LineOrigin:
    """Why line `line` of `path` (repository-relative) is what it is.

    Raises:
        SlowcodeError: The file is not tracked, or has no such line (one line).
    """
    if line < 1:
        raise SlowcodeError(f"line numbers start at 1, got {line}")
    try:
        blame = git_text(root, "blame", "--porcelain", "-L", f"{line},{line}", "--", path)
    except SlowcodeError as error:
        if "has only" in str(error):
            raise SlowcodeError(f"{path} has no line {line}") from None
        if "no such path" in str(error) or "no such file" in str(error).lower():
            raise SlowcodeError(f"{path} is not tracked by git") from None
        if "no such ref: HEAD" in str(error):
            raise SlowcodeError(
                f"{path}:{line} is not committed yet: the repository has no commits"
            ) from None
        raise
    header = blame.splitlines()
    sha = header[0].split()[0] if header else _NOT_COMMITTED
    line_in_commit = int(header[0].split()[1]) if header and len(header[0].split()) > 1 else line
    text = next((row[1:] for row in header if row.startswith("\t")), "")
    if sha == _NOT_COMMITTED:
        return LineOrigin(path, line, text, None)
    fields = dict(row.split(" ", 1) for row in header[1:] if " " in row and row[0] != "\t")
    date, _, body = git_text(root, "log", "-1", "--format=%as%n%B", sha).partition("\n")
    trailers = _first_values(root, body)
    subject, _, rest = body.partition("\n")
    explanation = without_trailers(rest, trailers).strip()
    session = trailers.get("Slowcode-Session")
    step = trailers.get("Slowcode-Step", "")
    decision = trailers.get("Decision")
    origin = LineOrigin(
        path=path,
        line=line,
        text=text,
        commit=sha,
        author=fields.get("author", ""),
        date=date.strip(),
        subject=subject.strip(),
        explanation=explanation,
        session=session,
        step=int(step) if step.isdigit() else None,
        task=_session_task(root, session) if session else "",
        decision_path=decision,
        decision_title=_record_title(root, decision) if decision else "",
        source="journal" if session and _has_journal(root, session) else "commit",
    )
    if session is None:
        return origin
    return _with_note(root, origin, line_in_commit)


def _with_note(root: Path, origin: LineOrigin, line_in_commit: int) -> LineOrigin:
    """The origin completed from the commit's provenance note, when it has one."""
    assert origin.commit is not None
    text = read_note(root, origin.commit)
    if text is None and origin.session and origin.step is not None:
        # A rebase or an amend gives the step a new commit; git copies the note only
        # when `notes.rewriteRef` says so. The journal names the commit that has it.
        recorded = _recorded_commit(root, origin.session, origin.step)
        text = read_note(root, recorded) if recorded and recorded != origin.commit else None
    if text is None:
        return origin
    try:
        note = ProvenanceNote.from_text(text)
    except SlowcodeError:
        return origin
    file_hunks = [dict(h) for h in note.hunks if h.get("file") == origin.path]
    return replace(
        origin,
        explanation=origin.explanation or note.explanation,
        task=origin.task or note.task,
        model=note.model,
        decision_title=origin.decision_title or (note.decision or {}).get("title", ""),
        hunk=_hunk_of_line(root, origin.commit, origin.path, line_in_commit, file_hunks),
        file_hunks=file_hunks,
        source="note",
    )


def _hunk_of_line(
    root: Path, commit: str, path: str, line: int, file_hunks: list[dict[str, object]]
) -> dict[str, object] | None:
    """The step's hunk that wrote line `line` of `path` in `commit`, when it can be told.

    The commit's diff of the file holds exactly the hunks that were applied, in
    order; the note lists every hunk of the step. When the applied ones pair up
    with the diff's one to one, the line's diff hunk names its review hunk.
    """
    applied = [h for h in file_hunks if h.get("verdict") in ("accepted", "edited")]
    try:
        shown = git_text(
            root, "show", "--no-color", "--no-ext-diff", "--format=", commit, "--", path
        )
        ranges = [
            (hunk.target_start, hunk.target_start + max(hunk.target_length, 1))
            for patched in PatchSet(shown)
            for hunk in patched
        ]
    except (SlowcodeError, UnidiffParseError):
        return None
    if len(ranges) != len(applied):
        return None
    for (start, end), hunk in zip(ranges, applied, strict=True):
        if start <= line < end:
            return hunk
    return None


def _has_journal(root: Path, session: str) -> bool:
    return (root / SESSIONS_DIR / posixpath.basename(session) / "journal.jsonl").is_file()


def _first_values(root: Path, message: str) -> dict[str, str]:
    """Each trailer's first value; none when git cannot read them."""
    try:
        found = parse_trailers(root, message)
    except SlowcodeError:
        return {}
    return {key: values[0] for key, values in found.items() if values}


def _session_task(root: Path, session: str) -> str:
    """The task the session was started with, from its journal when it is still here."""
    folder = root / SESSIONS_DIR / posixpath.basename(session)
    try:
        entries = read_entries(folder)
    except SlowcodeError:
        return ""
    started = (e.event for e in entries if isinstance(e.event, ev.SessionStarted))
    return next((event.task for event in started), "")


def _recorded_commit(root: Path, session: str, step: int) -> str | None:
    """The commit the session's journal says step `step` made, when the journal is here."""
    try:
        entries = read_entries(root / SESSIONS_DIR / posixpath.basename(session))
    except SlowcodeError:
        return None
    made = [
        e.event.commit
        for e in entries
        if isinstance(e.event, ev.CommitMade) and e.event.step == step and e.event.commit
    ]
    return made[-1] if made else None


def _record_title(root: Path, path: str) -> str:
    try:
        text = (root / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    return parse_any(text, path).title
