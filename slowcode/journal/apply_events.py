"""The journal's events of applying a step and of undoing one after the session.

Registered like every other kind; `slowcode.journal.events` re-exports them, so
readers match on `ev.CommitMade` wherever the class is defined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slowcode.journal.schema import OMIT_WHEN_NONE, VERBATIM, JournalEvent, event_kind

Json = dict[str, Any]
_OMIT = {OMIT_WHEN_NONE: True}
_VERBATIM = {VERBATIM: True}

# -- applying a step --------------------------------------------------------------------


@event_kind("merge_attempted")
@dataclass(frozen=True)
class MergeAttempted(JournalEvent):
    """Files of the step changed on disk during the review; their edits are merged."""

    step: int
    paths: list[str]


@event_kind("merge_conflict")
@dataclass(frozen=True)
class MergeConflict(JournalEvent):
    """The developer's edits conflict with the step, handed back with its round's hunks."""

    step: int
    paths: list[str]
    # The round's hunks with their edits, carried into the next review: kept exact.
    round: list[Json] | None = field(default=None, metadata=_VERBATIM)


@event_kind("file_merged")
@dataclass(frozen=True)
class FileMerged(JournalEvent):
    """A file's accepted hunks were merged with the developer's own edits."""

    path: str


@event_kind("apply_intent")
@dataclass(frozen=True)
class ApplyIntentRecorded(JournalEvent):
    """Everything an apply will write and commit, before its first write (`ApplyIntent`)."""

    step: int
    parent: str | None
    files: list[Json]
    # A recovered apply commits with this message: it is kept exact, like the files' blobs.
    subject: str = field(metadata=_VERBATIM)
    body: str = field(metadata=_VERBATIM)
    trailers: list[list[str]] = field(metadata=_VERBATIM)


@event_kind("file_written")
@dataclass(frozen=True)
class FileWritten(JournalEvent):
    """A file of the step was written; `sha256` of its new bytes."""

    path: str
    sha256: str


@event_kind("decision_written")
@dataclass(frozen=True)
class DecisionWritten(JournalEvent):
    """The step's decision record was written; `sha256` of its bytes."""

    path: str
    sha256: str


@event_kind("own_edits_included")
@dataclass(frozen=True)
class OwnEditsIncluded(JournalEvent):
    """The developer chose to commit their own overlapping uncommitted edits with the step."""

    step: int
    paths: list[str] = field(default_factory=list)


@event_kind("commit_refused")
@dataclass(frozen=True)
class CommitRefused(JournalEvent):
    """`git commit` or one of its hooks refused the step's commit; nothing was committed.

    Attributes:
        step: The step's number.
        output: What git and the hooks printed.
        changes: The diff of what a hook changed in the step's files ("" when none).
    """

    step: int
    output: str = ""
    changes: str = ""


@event_kind("commit_choice")
@dataclass(frozen=True)
class CommitChoiceMade(JournalEvent):
    """What the developer did about a refused commit: `retry`, `send_back` or `without_hooks`."""

    step: int
    choice: str


@event_kind("commit_made")
@dataclass(frozen=True)
class CommitMade(JournalEvent):
    """The step's commit.

    Attributes:
        step: The step's number.
        commit: The commit's id.
        paths: Every path it holds, the decision record last.
        written: The step's own files.
        decision_path: The decision record's path, if any.
        recovered: Made (or adopted) while recovering an interrupted apply.
    """

    step: int
    commit: str
    paths: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    decision_path: str | None = None
    recovered: bool = False


@event_kind("step_applied")
@dataclass(frozen=True)
class StepApplied(JournalEvent):
    """A step is done: its commit (None: nothing accepted), files, decision and usage."""

    step: int
    commit: str | None = None
    paths: list[str] = field(default_factory=list)
    decision_title: str | None = None
    usage: Json | None = field(default=None, metadata=_OMIT)
    cost_usd: float | None = field(default=None, metadata=_OMIT)


@event_kind("check_run")
@dataclass(frozen=True)
class CheckRun(JournalEvent):
    """The check command ran after a step: its exit code and output's tail."""

    command: str = ""
    exit_code: int = 0
    output_tail: str = ""


@event_kind("check_skipped")
@dataclass(frozen=True)
class CheckSkipped(JournalEvent):
    """The check command was not run: `reason` says why (``not trusted``)."""

    command: str = ""
    source: str = ""
    reason: str = ""


@event_kind("apply_rolled_back")
@dataclass(frozen=True)
class ApplyRolledBack(JournalEvent):
    """An interrupted apply was undone: `conflicts` changed since; `restored` got old bytes."""

    step: int
    conflicts: list[str]
    restored: list[str]


@event_kind("apply_recovered")
@dataclass(frozen=True)
class ApplyRecovered(JournalEvent):
    """An interrupted apply was completed on restart."""

    step: int
    commit: str | None


# -- after the session ------------------------------------------------------------------


@event_kind("undo_started")
@dataclass(frozen=True)
class UndoStarted(JournalEvent):
    """`slowcode undo` began reverting a step's commit (`step` as its trailer spells it)."""

    commit: str
    session: str = ""
    step: str = ""
    paths: list[str] = field(default_factory=list)


@event_kind("undo_made")
@dataclass(frozen=True)
class UndoMade(JournalEvent):
    """`slowcode undo` reverted a step's commit with `undo_commit`."""

    commit: str
    undo_commit: str
    session: str = ""
    step: str = ""
    paths: list[str] = field(default_factory=list)


AFTER_THE_FACT: tuple[type[JournalEvent], ...] = (UndoStarted, UndoMade)
"""Events that may follow a session's end (an undo of one of its steps): they leave a
finished session finished, and a journal holding nothing else is no session to resume."""
