"""What `slowcode history` shows of a session and its steps, from a journal or from notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slowcode.model.types import Usage


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
        rewritten_from: The commit the journal names, when a rebase, an amend or a
            squash replaced it on this branch by `commit` (found by its trailers).
        squashed_with: The other steps of the session that `commit` holds too.
        in_history: False when no commit of the branch holds the step any more.
        usage: Tokens of the model's responses while it worked on the step, its
            "why?" answers included.
        cost_usd: Their estimated cost (None: a model without a known price).
        hunks: Each hunk of the last round: file, index, verdict and how it was shown
            (`fully_displayed`, `seconds_in_view`; absent from older journals).
    """

    number: int
    title: str
    accepted: int = 0
    rejected: int = 0
    edited: int = 0
    rounds: int = 0
    commit: str | None = None
    undone_by: str | None = None
    rewritten_from: str | None = None
    squashed_with: list[int] = field(default_factory=list)
    in_history: bool = True
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = 0.0
    hunks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        """Every token the step's requests counted: input (cached or not) and output."""
        return _all_tokens(self.usage)

    @property
    def outcome(self) -> str:
        """`1a2b3c4d`, `1a2b3c4d (rewritten from 5e6f7a8b)`, `not applied`, and so on."""
        if not self.commit:
            return "not applied"
        if not self.in_history:
            return f"{self.commit[:8]} (not in this branch's history)"
        notes = []
        if self.squashed_with:
            others = ", ".join(str(n) for n in self.squashed_with)
            notes.append(f"squashed with step {others}")
        if self.rewritten_from:
            notes.append(f"rewritten from {self.rewritten_from[:8]}")
        if self.undone_by:
            notes.append(f"undone by {self.undone_by[:8]}")
        return self.commit[:8] + (f" ({'; '.join(notes)})" if notes else "")

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
            # Only when the branch's history was rewritten: older readers see what they did.
            **({"rewritten_from": self.rewritten_from} if self.rewritten_from else {}),
            **({"squashed_with": self.squashed_with} if self.squashed_with else {}),
            **({"in_history": False} if not self.in_history else {}),
            "hunks": self.hunks,
        }


@dataclass
class SessionHistory:
    """One session, as its journal tells it.

    Attributes:
        session_id: The session's id (its folder's name).
        task: The task the developer gave (empty for a journal holding only an undo).
        model: The model the session was started with.
        provider: Where the model was reached (`anthropic`, `bedrock`, `vertex`); None
            for a journal written before sessions recorded it.
        region: The cloud region it was reached in; None when not set or not recorded.
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
    provider: str | None = None
    region: str | None = None
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
        """The commits the session's steps made, in order (a squashed pair's once)."""
        return list(dict.fromkeys(step.commit for step in self.steps if step.commit))

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
        return _all_tokens(self.usage)

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


def _all_tokens(u: Usage) -> int:
    return (
        u.input_tokens + u.output_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens
    )
