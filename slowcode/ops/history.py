"""What every session did, read from the journals: steps, verdicts, commits, tokens, cost, time.

Nothing here is stored apart from the journals under `.slowcode/sessions/`: the
history is worked out each time it is asked for, so it can never disagree with
them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from slowcode.journal import events as ev
from slowcode.journal.log import JournalEntry, JournalError, find_sessions, read_entries
from slowcode.model.pricing import add_costs, cost_usd, priced_model
from slowcode.model.types import Usage
from slowcode.ops.note_history import sessions_from_notes
from slowcode.ops.step_commits import BranchSteps, branch_steps
from slowcode.ops.step_history import SessionHistory, StepHistory

__all__ = [
    "SessionHistory",
    "StepHistory",
    "format_duration",
    "load_history",
    "plural",
    "session_history",
]

_HUNK_KEYS = ("file", "index", "verdict", "fully_displayed", "seconds_in_view")
"""What `history --json` tells of each hunk: the verdict, and whether and how long
the hunk was on the screen of the developer who gave it."""
_COUNTED = ("accepted", "rejected", "edited")


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
    sessions += [s for s in sessions_from_notes(root) if s.session_id not in known]
    branch = branch_steps(root)
    if branch is not None:
        for session in sessions:
            follow_rewrites(session, branch)
    return sessions


def follow_rewrites(session: SessionHistory, branch: BranchSteps) -> None:
    """Points each step at its commit on the branch, when history was rewritten since.

    A step whose recorded commit the branch no longer holds takes the commit that
    carries its session and step trailers (`rewritten_from` keeps the old id);
    without one it is `in_history = False`. Steps that share a commit were squashed.
    """
    for step in session.steps:
        if not step.commit:
            continue
        current = branch.current(session.session_id, step.number, step.commit)
        if current is None:
            step.in_history = False
        elif current != step.commit:
            step.rewritten_from, step.commit = step.commit, current
    for step in session.steps:
        if step.commit and step.in_history:
            step.squashed_with = [
                number
                for sid, number in branch.steps_of(step.commit)
                if sid == session.session_id and number != step.number
            ]


def session_history(session_id: str, entries: list[JournalEntry]) -> SessionHistory:
    """The history of one session from its journal's entries."""
    history = SessionHistory(session_id)
    steps: dict[int, StepHistory] = {}
    # The step the model works on, as the engine counts it: from the plan's approval
    # to the step's commit; planning and the closing summary belong to no step.
    current: int | None = None
    for entry in entries:
        match entry.event:
            case ev.SessionStarted(task=task, model=model, provider=provider, region=region):
                history.task, history.model = task, model
                history.provider, history.region = provider, region
            case ev.ModelResponse(usage=dict() as used, model=model):
                _add_usage(history, used, model, steps.get(current or 0))
            case ev.WhyAnswered(usage=dict() as used, step=number):
                _add_usage(history, used, None, steps.get(number))
            case ev.PlanApproved(plan=plan):
                titles = [str(step.get("title", "")) for step in plan["steps"]]
                steps = {n: StepHistory(n, title) for n, title in enumerate(titles, start=1)}
                current = 1
            case ev.StepVerdictGiven(step=number, hunks=hunks):
                step = _step(steps, number)
                step.rounds += 1
                verdicts = [str(hunk.get("verdict", "")) for hunk in hunks]
                step.accepted, step.rejected, step.edited = (verdicts.count(v) for v in _COUNTED)
                step.hunks = [
                    {key: hunk[key] for key in _HUNK_KEYS if key in hunk}
                    for hunk in hunks
                    if isinstance(hunk, dict)
                ]
            case (
                ev.CommitMade(step=number, commit=str() as commit)
                | ev.StepApplied(step=number, commit=str() as commit)
            ) if commit:
                _step(steps, number).commit = commit
                current = number + 1
            case ev.StepApplied(step=number):
                current = number + 1
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


def _add_usage(
    history: SessionHistory, used: dict[str, Any], model: str | None, step: StepHistory | None
) -> None:
    usage = _usage(used)
    priced = priced_model(model, history.model)
    cost = cost_usd(priced, usage, history.provider, history.region)
    history.usage = history.usage + usage
    history.cost_usd = add_costs(history.cost_usd, cost)
    if step is not None:
        step.usage = step.usage + usage
        step.cost_usd = add_costs(step.cost_usd, cost)


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
