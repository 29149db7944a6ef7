"""What every session did, read from the journals: steps, verdicts, commits, tokens, cost, time.

Nothing here is stored apart from the journals under `.slowcode/sessions/`: the
history is worked out each time it is asked for, so it can never disagree with
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from slowcode.journal import events as ev
from slowcode.journal.log import JournalEntry, JournalError, find_sessions, read_entries
from slowcode.model.pricing import add_costs, cost_usd
from slowcode.model.types import Usage
from slowcode.ops.note_history import sessions_from_notes

_COUNTED = ("accepted", "rejected", "edited")


@dataclass
class StepHistory:
    """One plan step.

    Attributes:
        number: The step's number in the plan, from 1.
        title: The step's title.
        accepted: Hunks accepted in the step's last review round.
        rejected: Hunks rejected in that round.
        edited: Hunks the developer edited in that round.
        rounds: How many times the step was reviewed (sent back, then applied).
        commit: The step's commit, once applied.
        undone_by: The commit that reverted it, when it was undone.
    """

    number: int
    title: str
    accepted: int = 0
    rejected: int = 0
    edited: int = 0
    rounds: int = 0
    commit: str | None = None
    undone_by: str | None = None

    @property
    def outcome(self) -> str:
        """`1a2b3c4d`, `1a2b3c4d (undone by 5e6f7a8b)` or `not applied`."""
        if not self.commit:
            return "not applied"
        undone = f" (undone by {self.undone_by[:8]})" if self.undone_by else ""
        return self.commit[:8] + undone

    def to_json(self) -> dict[str, Any]:
        """The step as `slowcode history --json` prints it."""
        return {
            "number": self.number,
            "title": self.title,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "edited": self.edited,
            "rounds": self.rounds,
            "commit": self.commit,
            "undone_by": self.undone_by,
        }


@dataclass
class SessionHistory:
    """One session, as its journal tells it.

    Attributes:
        session_id: The session's id (its folder's name).
        task: The task the developer gave (empty for a journal holding only an undo).
        model: The model the session was started with.
        started: The first event's timestamp (ISO 8601, UTC).
        finished: Whether the session ran to its end.
        duration_seconds: From the first event to the last.
        steps: The approved plan's steps.
        usage: Tokens of every model response, "why?" answers included.
        cost_usd: Their estimated cost at list prices (None: a model without a known price).
        problem: Why the journal could not be read ("" when it could).
    """

    session_id: str
    task: str = ""
    model: str = ""
    started: str = ""
    finished: bool = False
    duration_seconds: float = 0.0
    steps: list[StepHistory] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = 0.0
    problem: str = ""
    source: str = "journal"

    @property
    def commits(self) -> list[str]:
        """The commits the session's steps made, in order."""
        return [step.commit for step in self.steps if step.commit]

    @property
    def cache_note(self) -> str:
        """`cache read 12,345, written 2,345` ("" when nothing was cached)."""
        u = self.usage
        if not (u.cache_read_input_tokens or u.cache_creation_input_tokens):
            return ""
        return (
            f"cache read {u.cache_read_input_tokens:,}, written {u.cache_creation_input_tokens:,}"
        )

    @property
    def tokens(self) -> int:
        """Every token counted: input (cached or not) and output."""
        u = self.usage
        return (
            u.input_tokens
            + u.output_tokens
            + u.cache_creation_input_tokens
            + u.cache_read_input_tokens
        )

    def to_json(self) -> dict[str, Any]:
        """The session as `slowcode history --json` prints it."""
        return {
            "session": self.session_id,
            "task": self.task,
            "model": self.model,
            "started": self.started,
            "finished": self.finished,
            "duration_seconds": round(self.duration_seconds, 3),
            "usage": self.usage.to_json(),
            "cost_usd": None if self.cost_usd is None else round(self.cost_usd, 6),
            "commits": self.commits,
            "steps": [step.to_json() for step in self.steps],
            **({"source": self.source} if self.source != "journal" else {}),
            **({"problem": self.problem} if self.problem else {}),
        }


def load_history(root: Path) -> list[SessionHistory]:
    """Every session of the repository at `root`, oldest first.

    A journal that cannot be read is listed with its `problem`, not left out.
    """
    sessions: list[SessionHistory] = []
    for folder in find_sessions(root):
        try:
            entries = read_entries(folder)
        except JournalError as error:
            sessions.append(SessionHistory(folder.name, problem=str(error)))
            continue
        if entries:
            sessions.append(session_history(folder.name, entries))
    known = {session.session_id for session in sessions}
    return sessions + [s for s in sessions_from_notes(root) if s.session_id not in known]


def session_history(session_id: str, entries: list[JournalEntry]) -> SessionHistory:
    """The history of one session from its journal's entries."""
    history = SessionHistory(session_id)
    steps: dict[int, StepHistory] = {}
    for entry in entries:
        match entry.event:
            case ev.SessionStarted(task=task, model=model):
                history.task, history.model = task, model
            case ev.ModelResponse(usage=dict() as used, model=model):
                _add_usage(history, used, model)
            case ev.WhyAnswered(usage=dict() as used):
                _add_usage(history, used, None)
            case ev.PlanApproved(plan=plan):
                titles = [str(step.get("title", "")) for step in plan["steps"]]
                steps = {n: StepHistory(n, title) for n, title in enumerate(titles, start=1)}
            case ev.StepVerdictGiven(step=number, hunks=hunks):
                step = _step(steps, number)
                step.rounds += 1
                verdicts = [str(hunk.get("verdict", "")) for hunk in hunks]
                step.accepted, step.rejected, step.edited = (verdicts.count(v) for v in _COUNTED)
            case (
                ev.CommitMade(step=number, commit=str() as commit)
                | ev.StepApplied(step=number, commit=str() as commit)
            ) if commit:
                _step(steps, number).commit = commit
            case ev.UndoMade(commit=undone, undo_commit=undo_commit):
                for step in steps.values():
                    if step.commit == undone:
                        step.undone_by = undo_commit
    # An undo made later is no part of the session's own time.
    own = [entry for entry in entries if not isinstance(entry.event, ev.AFTER_THE_FACT)]
    history.finished = bool(own) and isinstance(own[-1].event, ev.SessionFinished)
    history.started = entries[0].ts if entries else ""
    if own:
        history.duration_seconds = _seconds_between(own[0].ts, own[-1].ts)
    history.steps = [steps[n] for n in sorted(steps)]
    return history


def _add_usage(history: SessionHistory, used: dict[str, Any], model: str | None) -> None:
    usage = _usage(used)
    history.usage = history.usage + usage
    history.cost_usd = add_costs(history.cost_usd, cost_usd(str(model or history.model), usage))


def _step(steps: dict[int, StepHistory], number: int) -> StepHistory:
    return steps.setdefault(number, StepHistory(number, f"step {number}"))


def _usage(data: dict[str, Any]) -> Usage:
    return Usage(
        int(data.get("input_tokens") or 0),
        int(data.get("output_tokens") or 0),
        int(data.get("cache_creation_input_tokens") or 0),
        int(data.get("cache_read_input_tokens") or 0),
        int(data.get("cache_creation_1h_input_tokens") or 0),
    )


def _seconds_between(first: object, last: object) -> float:
    try:
        start = datetime.fromisoformat(str(first).replace("Z", "+00:00"))
        end = datetime.fromisoformat(str(last).replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return max(0.0, (end - start).total_seconds())


def plural(count: int, noun: str) -> str:
    """`1 step`, `2 steps`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_duration(seconds: float) -> str:
    """`42 s`, `3 min 5 s`, `1 h 02 min`."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
