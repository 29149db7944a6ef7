"""Applying a reviewed step crash-safely: intent, writes, decision record, one commit.

The sequence, each arrow one fsynced journal event:

1. Everything is worked out before anything is written: each file's final text
   (composed from the verdicts, merged when the developer kept editing), the
   decision record's path and text, the commit message. Both sides of every file
   are stored as git blobs (`git hash-object -w`), so the exact bytes can be
   restored without the journal holding them, and without redaction touching them.
2. → `apply_intent`: per file the SHA-256 of its bytes before and after and both
   blob ids, the parent commit and the message.
3. Each file is written atomically → `file_written`; the record → `decision_written`.
4. The commit → `commit_made`.

`recovery.py` finishes (or, when the developer changed a file since, rolls back)
an intent without a `commit_made`, and never commits twice: a commit carrying the
session's and step's trailers is found and adopted instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slowcode.core.atomic import write_bytes_atomic
from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.core.errors import SlowcodeError
from slowcode.core.step_review import StepReview
from slowcode.decisions.store import DecisionStore
from slowcode.engine.apply.own_edits import OwnEditsOverlap, committed_version
from slowcode.engine.apply.own_edits import disk_bytes as disk_bytes
from slowcode.engine.apply.writes import plan_writes
from slowcode.engine.review.commit_body import LineMap, assisted_by, commit_body, line_map
from slowcode.git.commit import catch_up_index, checkout_form
from slowcode.git.repo import GitRepo
from slowcode.git.runner import git_text, run_git
from slowcode.journal import events as ev
from slowcode.journal.schema import EventRecorder

SESSION_TRAILER = "Slowcode-Session"
STEP_TRAILER = "Slowcode-Step"
# Marks a file whose commit cannot leave the developer's own edits out.
_OVERLAP = "overlap"
# How far back from HEAD a step's commit is looked for when the parent is unknown.
COMMIT_SEARCH_DEPTH = 200


class ApplyConflict(SlowcodeError):
    """A file of an interrupted apply holds neither its old nor its new bytes."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        super().__init__(
            "These files changed since the interrupted apply began: " + ", ".join(self.paths)
        )


@dataclass(frozen=True)
class AppliedStep:
    """What applying a step wrote and committed (commit None when nothing was accepted)."""

    commit: str | None
    written: list[str]
    decision_path: str | None


@dataclass(frozen=True)
class PlannedFile:
    """One file of an apply: its bytes before (None: absent) and after, by hash and blob.

    `commit_blob` is what the commit gives the file when that differs from what is
    written: HEAD's file plus the step's change, the developer's own uncommitted
    edits left out (None: the written bytes).
    """

    path: str
    before: str | None
    after: str
    before_blob: str | None
    after_blob: str
    decision: bool = False
    commit_blob: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The file as it is journaled."""
        return {
            "path": self.path,
            "before": self.before,
            "after": self.after,
            "before_blob": self.before_blob,
            "after_blob": self.after_blob,
            "decision": self.decision,
            "commit_blob": self.commit_blob,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlannedFile:
        """The file from its journaled form."""
        return cls(
            path=str(data["path"]),
            before=data.get("before"),
            after=str(data["after"]),
            before_blob=data.get("before_blob"),
            after_blob=str(data["after_blob"]),
            decision=bool(data.get("decision", False)),
            commit_blob=data.get("commit_blob"),
        )


@dataclass(frozen=True)
class ApplyIntent:
    """Everything an apply will do, journaled before its first write."""

    step: int
    parent: str | None
    files: tuple[PlannedFile, ...]
    subject: str
    body: str
    trailers: tuple[tuple[str, str], ...]
    contents: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    @property
    def paths(self) -> list[str]:
        """Every path the commit holds, decision record last."""
        return [f.path for f in self.files]

    @property
    def written(self) -> list[str]:
        """The step's own files (not the decision record)."""
        return [f.path for f in self.files if not f.decision]

    @property
    def decision_path(self) -> str | None:
        """The decision record's path, when the step writes one."""
        return next((f.path for f in self.files if f.decision), None)

    def to_event(self) -> ev.ApplyIntentRecorded:
        """The `apply_intent` event."""
        return ev.ApplyIntentRecorded(
            step=self.step,
            parent=self.parent,
            files=[f.to_json() for f in self.files],
            subject=self.subject,
            body=self.body,
            trailers=[list(pair) for pair in self.trailers],
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ApplyIntent:
        """The intent from an `apply_intent` event's data."""
        return cls(
            step=int(data["step"]),
            parent=data.get("parent"),
            files=tuple(PlannedFile.from_json(f) for f in data["files"]),
            subject=str(data["subject"]),
            body=str(data["body"]),
            trailers=tuple((str(k), str(v)) for k, v in data["trailers"]),
        )


def sha256_of(data: bytes | None) -> str | None:
    """The hex SHA-256 of `data` (None for None: an absent file)."""
    return None if data is None else hashlib.sha256(data).hexdigest()


def store_blob(root: Path, data: bytes) -> str:
    """Writes `data` into the repository's object store; returns its blob id."""
    return run_git(root, "hash-object", "-w", "--stdin", stdin=data).text.strip()


def read_blob(root: Path, blob: str) -> bytes:
    """The bytes of blob `blob`."""
    return run_git(root, "cat-file", "blob", blob).stdout


def find_step_commit(repo: GitRepo, session_id: str, step: int, parent: str | None) -> str | None:
    """The commit on HEAD's history (after `parent`) with this session's and step's trailers."""
    head = repo.head_sha()
    if head is None or head == parent:
        return None
    span = f"{parent}..{head}" if parent else head
    fields = (
        f"%H%x1f%(trailers:key={SESSION_TRAILER},valueonly,separator=%x2c)"
        f"%x1f%(trailers:key={STEP_TRAILER},valueonly,separator=%x2c)"
    )
    out = git_text(repo.root, "log", f"-n{COMMIT_SEARCH_DEPTH}", f"--format={fields}", span, "--")
    for line in out.splitlines():
        sha, _sep, rest = line.partition("\x1f")
        session, _sep, number = rest.partition("\x1f")
        if session.strip() == session_id and number.strip() == str(step):
            return sha
    return None


@dataclass(frozen=True)
class StepCommitter:
    """Writes reviewed steps and commits them with slowcode's trailers, crash-safely."""

    repo: GitRepo
    decisions: DecisionStore
    session_id: str
    model: str
    record: EventRecorder

    def apply(
        self,
        review: StepReview,
        decision: DecisionRecord | None,
        today: dt.date | None = None,
        *,
        include_own_edits: bool = False,
    ) -> AppliedStep:
        """Journals the intent, writes the accepted hunks and `decision`, makes the commit.

        Raises:
            StaleFileError: A file changed on disk in a way that cannot be merged;
                nothing was written and nothing journaled as intended.
            OwnEditsOverlap: The developer's uncommitted edits overlap the step's
                change (and `include_own_edits` is False); nothing was written.
            CommitRefused: git or a hook refused the commit; the files are written
                and the intent stays open, to be committed again.
        """
        intent = self.prepare(review, decision, today, include_own_edits=include_own_edits)
        if intent is None:
            return AppliedStep(None, [], None)
        self.record(intent.to_event(), sync=True)
        return self.execute(intent)

    def prepare(
        self,
        review: StepReview,
        decision: DecisionRecord | None,
        today: dt.date | None = None,
        *,
        include_own_edits: bool = False,
    ) -> ApplyIntent | None:
        """Works out every write and the commit, storing both sides as blobs; writes nothing.

        Args:
            review: The reviewed step, verdicts set.
            decision: The decision record to write with it, if any.
            today: The record's date (today by default).
            include_own_edits: Commit the developer's overlapping uncommitted edits
                with the step (their explicit choice) instead of refusing.

        Returns:
            The intent, or None when the step writes nothing at all.

        Raises:
            OwnEditsOverlap: See `apply`.
        """
        root = self.repo.root
        merged: list[str] = []
        planned = plan_writes(root, review.files, on_merged=merged.append)
        for rel in merged:
            self.record(ev.FileMerged(path=rel))
        targets = [
            (rel, _new_file_form(root, rel, text.encode("utf-8")), False)
            for _abs, rel, text in planned
        ]
        trailers = [(SESSION_TRAILER, self.session_id), (STEP_TRAILER, str(review.step_number))]
        if decision is not None:
            decision.status = DecisionStatus.ACCEPTED
            decision.date = (today or dt.date.today()).isoformat()
            identity = self.repo.identity()
            if identity and not decision.decision_makers:
                decision.decision_makers = [identity[0]]
            if decision.number is None:
                decision.number = self.decisions.next_number()
            if decision.path is None:
                decision.path = self.decisions.path_for(decision)
            rendered = self.decisions.format.render(decision).encode("utf-8")
            rendered = _new_file_form(root, decision.path, rendered)
            targets.append((decision.path, rendered, True))
            trailers.append(("Decision", decision.path))
        if not targets:
            return None
        trailers.append(("Assisted-by", assisted_by(self.model)))
        files = [self._planned(rel, data, is_decision) for rel, data, is_decision in targets]
        overlapping = [f.path for f in files if f.commit_blob == _OVERLAP]
        if overlapping and not include_own_edits:
            raise OwnEditsOverlap(overlapping)
        if overlapping:
            self.record(ev.OwnEditsIncluded(step=review.step_number, paths=overlapping))
        files = [
            dataclasses.replace(f, commit_blob=None) if f.commit_blob == _OVERLAP else f
            for f in files
        ]
        return ApplyIntent(
            step=review.step_number,
            parent=self.repo.head_sha(),
            files=tuple(files),
            subject=review.title,
            body=commit_body(review, self._line_maps(files)),
            trailers=tuple(trailers),
            contents={rel: data for rel, data, _d in targets},
        )

    def _line_maps(self, files: list[PlannedFile]) -> dict[str, LineMap]:
        """For each file committed with less than was written, how its line numbers move."""
        root = self.repo.root
        maps: dict[str, LineMap] = {}
        for planned in files:
            if planned.commit_blob is None:
                continue
            written = read_blob(root, planned.after_blob).decode("utf-8", "replace")
            committed = read_blob(root, planned.commit_blob).decode("utf-8", "replace")
            maps[planned.path] = line_map(written, committed)
        return maps

    def _planned(self, rel: str, after: bytes, is_decision: bool) -> PlannedFile:
        root = self.repo.root
        before = disk_bytes(root / rel)
        commit_blob: str | None = None
        if not is_decision:
            committed = committed_version(root, rel, before, after)
            if committed is None:
                commit_blob = _OVERLAP
            elif committed != after:
                commit_blob = store_blob(root, committed)
        return PlannedFile(
            path=rel,
            before=sha256_of(before),
            after=sha256_of(after) or "",
            before_blob=None if before is None else store_blob(root, before),
            after_blob=store_blob(root, after),
            decision=is_decision,
            commit_blob=commit_blob,
        )

    def execute(
        self, intent: ApplyIntent, *, recovering: bool = False, verify: bool = True
    ) -> AppliedStep:
        """Carries out a journaled intent; each part already done is skipped.

        Args:
            intent: The journaled intent.
            recovering: Look for a commit an interrupted run already made first.
            verify: False commits without hooks, on the developer's explicit choice.

        Raises:
            ApplyConflict: A file holds neither its old nor its new bytes; nothing
                was written.
            CommitRefused: git or a hook refused the commit; the files are written.
        """
        root = self.repo.root
        if recovering:
            done = find_step_commit(self.repo, self.session_id, intent.step, intent.parent)
            if done is not None:
                # Every write came before the commit. A kill between update-ref and
                # the index refresh left the index behind HEAD for these paths.
                catch_up_index(root, done, intent.paths)
                return self._committed(intent, done, recovered=True)
        todo = pending_writes(root, intent)
        for planned in todo:
            data = intent.contents.get(planned.path) or read_blob(root, planned.after_blob)
            target = root / planned.path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, data)
            written = ev.DecisionWritten if planned.decision else ev.FileWritten
            self.record(written(path=planned.path, sha256=planned.after), sync=True)
        contents = {f.path: read_blob(root, f.commit_blob) for f in intent.files if f.commit_blob}
        sha = self.repo.commit_step(
            intent.paths,
            intent.subject,
            intent.body,
            list(intent.trailers),
            contents=contents,
            verify=verify,
        )
        return self._committed(intent, sha, recovered=recovering)

    def _committed(self, intent: ApplyIntent, sha: str, *, recovered: bool) -> AppliedStep:
        self.record(
            ev.CommitMade(
                step=intent.step,
                commit=sha,
                paths=intent.paths,
                written=intent.written,
                decision_path=intent.decision_path,
                recovered=recovered,
            ),
            sync=True,
        )
        return AppliedStep(sha, intent.written, intent.decision_path)


def _new_file_form(root: Path, rel: str, data: bytes) -> bytes:
    """A new file's bytes with the line endings a checkout would give it; others as they are."""
    if disk_bytes(root / rel) is not None:
        return data
    return checkout_form(root, rel, data)


def pending_writes(root: Path, intent: ApplyIntent) -> list[PlannedFile]:
    """The intent's files still holding their old bytes.

    Raises:
        ApplyConflict: Some file holds neither its old nor its new bytes.
    """
    todo: list[PlannedFile] = []
    conflicts: list[str] = []
    for planned in intent.files:
        now = sha256_of(disk_bytes(root / planned.path))
        if now == planned.after:
            continue
        if now == planned.before:
            todo.append(planned)
        else:
            conflicts.append(planned.path)
    if conflicts:
        raise ApplyConflict(conflicts)
    return todo


def committed_step(commit_made: dict[str, Any]) -> AppliedStep:
    """The `AppliedStep` a journaled `commit_made` event describes."""
    return AppliedStep(
        commit=str(commit_made["commit"]),
        written=list(commit_made.get("written", [])),
        decision_path=commit_made.get("decision_path"),
    )


def roll_back(root: Path, intent: ApplyIntent) -> list[str]:
    """Gives every file of `intent` that holds its new bytes its old ones back.

    Returns:
        The paths restored (a file the intent created is removed).
    """
    restored: list[str] = []
    for planned in intent.files:
        target = root / planned.path
        if sha256_of(disk_bytes(target)) != planned.after:
            continue
        if planned.before_blob is None:
            target.unlink()
        else:
            write_bytes_atomic(target, read_blob(root, planned.before_blob))
        restored.append(planned.path)
    return restored
