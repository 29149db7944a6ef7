"""A step review as the journal keeps it, so a resumed session reopens it exactly.

While the developer reviews, every change to the hunks (a verdict, a split, an
edit) is journaled as a `review_progress` event holding the whole review's hunks;
the step's verdict, the intent to apply and the commit follow. `OpenReview`
follows those events; `restore_hunks` puts the last snapshot back on a review
rebuilt from the staged edits.

A step sent back (or handed back by a merge conflict) journals its round's hunks
in full with that event (its `round`), so the next round's carry-over works after a
restart too: `SentBackRound` follows those events and rebuilds the round.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.core.step_review import DiffLine, FileDiff, Hunk, LineKind, StepReview, Verdict
from slowcode.engine.human import DecisionAction, StepAction, StepVerdict
from slowcode.journal import events as ev
from slowcode.journal.schema import EventRecorder, JournalEvent

# The key of a send-back's (`step_verdict`) or a merge conflict's (`merge_conflict`)
# data holding the round's hunks in full; journals written before it have none.
ROUND = "round"


@dataclass
class OpenReview:
    """A step review that had not been answered when the session stopped.

    Attributes:
        step: The step's number.
        hunks: The last journaled hunks (`hunks_to_json`), None before any change.
        verdict: The `step_verdict` event's data, once the developer gave one.
        applied: The `commit_made` event's data once the step's commit was made.
    """

    step: int
    hunks: list[dict[str, Any]] | None = None
    verdict: dict[str, Any] | None = None
    applied: dict[str, Any] | None = None

    @classmethod
    def follow(cls, review: OpenReview | None, event: JournalEvent) -> OpenReview | None:
        """The open review after one more journal event."""
        if isinstance(event, ev.StepReviewOpened):
            return cls(event.step)
        if review is None:
            return None
        match event:
            case ev.StepApplied() | ev.ConversationMessage() | ev.StagedDiscarded():
                return None
            case ev.ToolCall(name="finish_step"):
                return None
            case ev.ReviewProgress(hunks=hunks):
                review.hunks = list(hunks)
            case ev.StepVerdictGiven():
                review.verdict = event.to_data()
            case ev.CommitMade(step=step) if step == review.step:
                review.applied = event.to_data()
        return review


@dataclass
class SentBackRound:
    """The last review round of the current step, sent back to the model.

    It lives from the send-back (or the merge conflict that handed the step back)
    until the next review of a step opens or a step is applied, as the in-memory
    `StepFlow.last_review` does.

    Attributes:
        step: The step's number.
        hunks: The round's hunks (`hunks_to_json`), verdicts, comments and edits included.
    """

    step: int
    hunks: list[dict[str, Any]]

    @classmethod
    def follow(cls, round_: SentBackRound | None, event: JournalEvent) -> SentBackRound | None:
        """The sent-back round after one more journal event."""
        match event:
            case ev.StepReviewOpened() | ev.StepApplied():
                return None
            case ev.MergeConflict(step=step, round=saved):
                pass
            case ev.StepVerdictGiven(step=step, round=saved) if event.action == str(
                StepAction.SEND_BACK
            ):
                pass
            case _:
                return round_
        # An older journal does not hold the round: nothing carries over.
        return None if saved is None else cls(step, list(saved))

    def review(self) -> StepReview:
        """The round as a review `carry_over` can take its verdicts from.

        Only the hunks are journaled: the files' texts, the title and the summary
        are left empty.
        """
        files = [
            FileDiff(str(entry["path"]), None, "", [_hunk_from_json(row) for row in entry["hunks"]])
            for entry in self.hunks
        ]
        return StepReview(self.step, "", "", files)


def hunks_to_json(review: StepReview) -> list[dict[str, Any]]:
    """Every file's hunks, with their lines, verdicts and comments."""
    return [
        {"path": file.path, "hunks": [_hunk_to_json(hunk) for hunk in file.hunks]}
        for file in review.files
    ]


def restore_hunks(review: StepReview, saved: list[dict[str, Any]]) -> int:
    """Puts journaled hunks back on the files they belong to; returns how many were decided.

    A file whose journaled hunks do not cover the same change (the staged edits
    differ) keeps the hunks it was rebuilt with.
    """
    by_path = {str(entry["path"]): entry["hunks"] for entry in saved}
    decided = 0
    for file in review.files:
        if file.path not in by_path:
            continue
        hunks = [_hunk_from_json(row) for row in by_path[file.path]]
        if _change_of(hunks) != _change_of(file.hunks):
            continue
        file.hunks = hunks
        decided += sum(1 for hunk in hunks if hunk.is_decided)
    return decided


def _change_of(hunks: list[Hunk]) -> list[tuple[str, str]]:
    """The model's changed lines, whatever the splits and edits since."""
    return [
        (str(line.kind), line.text)
        for hunk in hunks
        for line in (hunk.original_lines or hunk.lines)
        if line.kind is not LineKind.CONTEXT
    ]


def _line_to_json(line: DiffLine) -> list[Any]:
    return [str(line.kind), line.text, line.old_number, line.new_number, line.no_newline]


def _line_from_json(row: list[Any]) -> DiffLine:
    kind, text, old, new, no_newline = row
    return DiffLine(LineKind(kind), str(text), old, new, bool(no_newline))


def _hunk_to_json(hunk: Hunk) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in dataclasses.fields(hunk):
        value = getattr(hunk, item.name)
        if item.name in ("lines", "original_lines") and value is not None:
            value = [_line_to_json(line) for line in value]
        elif isinstance(value, Verdict):
            value = str(value)
        data[item.name] = value
    return data


def _hunk_from_json(data: dict[str, Any]) -> Hunk:
    known = {item.name for item in dataclasses.fields(Hunk)}
    values = {key: value for key, value in data.items() if key in known}
    values["lines"] = [_line_from_json(row) for row in data["lines"]]
    if values.get("original_lines") is not None:
        values["original_lines"] = [_line_from_json(row) for row in data["original_lines"]]
    values["verdict"] = Verdict(data.get("verdict", Verdict.UNDECIDED))
    return Hunk(**values)


def decision_to_json(record: DecisionRecord | None) -> dict[str, Any] | None:
    """A decision record as the step's verdict journals it."""
    if record is None:
        return None
    data = dataclasses.asdict(record)
    data["status"] = str(record.status)
    return data


def decision_from_json(data: dict[str, Any] | None) -> DecisionRecord | None:
    """The decision record a verdict journaled."""
    if not data:
        return None
    values = dict(data)
    values["options"] = [ConsideredOption(**option) for option in values.get("options", [])]
    values["status"] = DecisionStatus(values.get("status", DecisionStatus.PROPOSED))
    known = {item.name for item in dataclasses.fields(DecisionRecord)}
    return DecisionRecord(**{key: value for key, value in values.items() if key in known})


def verdict_event(step: int, verdict: StepVerdict, review: StepReview) -> ev.StepVerdictGiven:
    """The `step_verdict` event: what the developer decided, in full.

    A send-back also holds the round's hunks (`round`): the next round carries
    their verdicts over, after a restart too.
    """
    return ev.StepVerdictGiven(
        step=step,
        action=str(verdict.action),
        hunks=review.verdicts_json(shown=True),
        feedback=verdict.feedback,
        decision_action=str(verdict.decision_action or ""),
        reason=verdict.reason,
        decision=decision_to_json(verdict.decision),
        round=hunks_to_json(review) if verdict.action is StepAction.SEND_BACK else None,
    )


def verdict_from_json(data: dict[str, Any]) -> StepVerdict:
    """The developer's step verdict, as `verdict_event` journaled it."""
    action = data.get("decision_action") or None
    return StepVerdict(
        action=StepAction(data["action"]),
        feedback=str(data.get("feedback", "")),
        decision_action=DecisionAction(action) if action else None,
        decision=decision_from_json(data.get("decision")),
        reason=str(data.get("reason", "")),
    )


class ReviewJournal:
    """Journals a review's hunks each time they change (a move alone writes nothing)."""

    def __init__(self, record: EventRecorder) -> None:
        self._record = record
        self._last: list[dict[str, Any]] | None = None

    def __call__(self, review: StepReview) -> None:
        """Records a `review_progress` event when the hunks differ from the last one."""
        hunks = hunks_to_json(review)
        if hunks == self._last:
            return
        self._last = hunks
        self._record(ev.ReviewProgress(step=review.step_number, hunks=hunks), sync=True)
