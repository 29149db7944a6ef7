"""The provenance note of a step commit: what the journal knows about how a step was made.

A note is built from the session's journal right after the step's commit (and its
check) and stored on the commit in git (`slowcode.git.notes`), so the record of
who accepted what travels with the repository. Its JSON shape is versioned
(`SCHEMA`) and documented in `docs/provenance.md`; readers accept any note of a
version they know and refuse others with one line.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from slowcode.core.errors import SlowcodeError
from slowcode.journal import events as ev
from slowcode.journal.log import Event, entries_of, event_hash

SCHEMA = "slowcode-provenance/1"
"""The note format this code writes; readers take notes of this version only."""

VERDICTS = ("accepted", "edited", "rejected")
"""The human verdicts a hunk can carry in a note (`accepted` is "as proposed")."""

# Hunk keys copied from the journal's verdicts as they are: how the hunk was
# shown counts as much as what was decided.
_HUNK_KEYS = ("file", "index", "verdict", "comment", "fully_displayed", "seconds_in_view")


class NoteError(SlowcodeError):
    """A note is not valid JSON, or not a note of a version this code reads."""


@dataclass(frozen=True)
class ProvenanceNote:
    """Everything a note says about one step commit.

    Attributes:
        session: The session's id.
        step: The step's number in the plan.
        title: The step's title (the commit's subject).
        task: The task the session was given.
        model: The model that proposed the step.
        explanation: The model's summary of the step.
        hunks: Every hunk of the step with the developer's verdict.
        decision: The decision record written with the step (`path`, `title`), if any.
        check: The check's result (`ran` and, when it ran, `command`, `exit_code`).
        patch_id: `git patch-id --stable` of the commit's diff when the note was made.
        journal_seq: Sequence number of the journal's last event when the note was made.
        journal_hash: Hash of that event: the journal's hash-chain head at this step.
        unreviewed: Files whose commit holds changes beyond the hunks, each shown to
            the developer and chosen: their own overlapping edits included, a hook's
            change taken over.

    Each hunk also carries `lines`, its changed lines (`+text`, `-text`) as the
    developer left them, so the audit can check the commit against the verdicts
    without the journal.
    """

    session: str
    step: int
    title: str
    task: str
    model: str
    explanation: str
    hunks: list[dict[str, Any]] = field(default_factory=list)
    decision: dict[str, str] | None = None
    check: dict[str, Any] = field(default_factory=lambda: {"ran": False})
    patch_id: str | None = None
    journal_seq: int = 0
    journal_hash: str = ""
    unreviewed: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        """The note as stored in git: indented JSON with the schema first."""
        return json.dumps({"schema": SCHEMA, **asdict(self)}, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_text(cls, text: str) -> ProvenanceNote:
        """Reads a stored note.

        Raises:
            NoteError: Not JSON, another schema, or a field of the wrong type.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise NoteError("the note is not valid JSON") from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            found = data.get("schema") if isinstance(data, dict) else None
            raise NoteError(f"not a {SCHEMA} note (schema: {found!r})")
        data.pop("schema")
        try:
            note = cls(**data)
        except TypeError as exc:
            raise NoteError(f"the note has unexpected fields: {exc}") from None
        if not isinstance(note.step, int) or not isinstance(note.hunks, list):
            raise NoteError("the note's step or hunks have the wrong type")
        return note

    def undecided_hunks(self) -> list[dict[str, Any]]:
        """The hunks that carry no human verdict (a valid note has none)."""
        return [hunk for hunk in self.hunks if hunk.get("verdict") not in VERDICTS]


def build_note(
    events: list[Event], session: str, step: int, patch_id: str | None
) -> ProvenanceNote:
    """The note of step `step`, from the journal events of its session (as read back).

    Raises:
        NoteError: The journal records no commit for that step.
        JournalError: An event's data does not fit its kind.
    """
    entries = entries_of(events)
    task = model = title = explanation = ""
    verdict: ev.StepVerdictGiven | None = None
    commit: ev.CommitMade | None = None
    decision_title = ""
    check: dict[str, Any] = {"ran": False, "reason": "not configured"}
    progress: list[dict[str, Any]] = []
    reviewed: list[dict[str, Any]] = []
    unreviewed: set[str] = set()
    for entry in entries:
        match entry.event:
            case ev.ReviewProgress(step=number, hunks=files) if number == step:
                progress = files
            case ev.OwnEditsIncluded(step=number, paths=paths) if number == step:
                unreviewed.update(paths)
            case ev.CommitRefused(step=number, changes=changes) if number == step and changes:
                unreviewed.update(_paths_in_diff(changes))
            case ev.SessionStarted(task=started_task, model=started_model):
                task, model = started_task, started_model
            case ev.PlanApproved(plan=plan):
                title = _step_title(plan, step) or title
            case ev.StepReviewOpened(step=number, summary=summary) if number == step:
                explanation = summary
            case ev.StepVerdictGiven(step=number, action="apply") if number == step:
                verdict, reviewed = entry.event, progress
            case ev.CommitMade(step=number) if number == step:
                commit = entry.event
            case ev.StepApplied(step=number, decision_title=applied_title) if number == step:
                decision_title = applied_title or ""
            case ev.CheckRun(command=command, exit_code=exit_code) if commit is not None:
                if not check["ran"]:
                    check = {"ran": True, "command": command, "exit_code": exit_code}
    if commit is None:
        raise NoteError(f"the journal records no commit for step {step}")
    decision = None
    if commit.decision_path:
        decision = {"path": commit.decision_path, "title": decision_title}
    lines = _changed_lines(reviewed)
    hunks = [
        {key: hunk[key] for key in _HUNK_KEYS if key in hunk}
        | _lines_of(lines, hunk.get("file"), hunk.get("index"))
        for hunk in (verdict.hunks if verdict else [])
    ]
    return ProvenanceNote(
        session=session,
        step=step,
        title=title,
        task=task,
        model=model,
        explanation=explanation,
        hunks=hunks,
        decision=decision,
        check=check,
        patch_id=patch_id,
        journal_seq=int(events[-1]["seq"]),
        journal_hash=event_hash(events[-1]),
        unreviewed=sorted(unreviewed),
    )


def _changed_lines(files: list[dict[str, Any]]) -> dict[tuple[str, int], list[str]]:
    """Each reviewed hunk's changed lines, `+text` / `-text`, keyed by (file, index).

    An edited hunk holds the developer's lines; a rejected one the model's.
    """
    found: dict[tuple[str, int], list[str]] = {}
    for file in files:
        for hunk in file.get("hunks", []):
            rows = hunk.get("lines") or []
            changed = [f"{row[0]}{row[1]}" for row in rows if row and row[0] in ("+", "-")]
            found[(str(hunk.get("file")), int(hunk.get("index", -1)))] = changed
    return found


def _lines_of(
    lines: dict[tuple[str, int], list[str]], file: object, index: object
) -> dict[str, list[str]]:
    key = (str(file), index if isinstance(index, int) else -1)
    return {"lines": lines[key]} if key in lines else {}


def _paths_in_diff(diff: str) -> set[str]:
    """The files a hook's change touched, from its diff's `+++ b/PATH (now)` headers."""
    found = set()
    for line in diff.splitlines():
        if line.startswith("+++ b/"):
            found.add(line[len("+++ b/") :].removesuffix(" (now)"))
    return found


def _step_title(plan: dict[str, Any], step: int) -> str:
    steps = plan.get("steps")
    if isinstance(steps, list) and 0 < step <= len(steps) and isinstance(steps[step - 1], dict):
        return str(steps[step - 1].get("title", ""))
    return ""
