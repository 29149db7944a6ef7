"""What the engine tells its clients while it works (past tense: things that happened).

Clients receive these through a plain callback; the TUI turns them into Textual
messages, tests collect them in a list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slowcode.core.session_state import SessionState as SessionState

if TYPE_CHECKING:
    from slowcode.core.plan import Plan
    from slowcode.model.types import Usage


@dataclass(frozen=True)
class StateChanged:
    """The session moved to a new state."""

    state: SessionState
    detail: str = ""


_RESUMED_AT = {
    SessionState.PLAN_REVIEW: "plan waiting for review",
    SessionState.STEP_WORKING: "in progress",
    SessionState.STEP_REVIEW: "waiting for review",
}


@dataclass(frozen=True)
class SessionResumed:
    """An unfinished session was picked up from its journal.

    `step` is the step in progress and `steps` the plan's length (both None before
    the plan was approved); `state` is where the session stood.
    """

    session_id: str
    task: str
    state: SessionState
    step: int | None = None
    steps: int | None = None

    def line(self) -> str:
        """One line that says which session and task were resumed, and where they stand."""
        where = _RESUMED_AT.get(self.state, str(self.state).replace("_", " "))
        if self.step is not None and self.steps is not None:
            where = f"step {self.step} of {self.steps}, {where}"
        return f"↻ resumed session {self.session_id}: {self.task} ({where})"


@dataclass(frozen=True)
class ModelTextStreamed:
    """A fragment of the model's commentary arrived."""

    text: str


@dataclass(frozen=True)
class ModelThinkingStreamed:
    """A fragment of the model's extended thinking arrived (shown folded, apart)."""

    text: str


@dataclass(frozen=True)
class ToolCalled:
    """The model called a tool, which runs now; `summary` is one line such as `view src/app.py`.

    It comes before anything the call leads to (a review, a question), so the
    session's log reads in the order things happened.
    """

    name: str
    summary: str


@dataclass(frozen=True)
class ToolFailed:
    """The tool call just announced was refused; `reason` is the first line of the error."""

    name: str
    summary: str
    reason: str


@dataclass(frozen=True)
class UsageRecorded:
    """A request finished; its usage, and the running totals and cost of the session and step.

    `step` is the step in progress (None while planning); `step_total` and
    `step_cost_usd` count from when that step started. Costs are estimates, None when
    the model has no known price.
    """

    request: Usage
    session_total: Usage
    session_cost_usd: float | None
    step: int | None = None
    step_total: Usage | None = None
    step_cost_usd: float | None = 0.0


@dataclass(frozen=True)
class PlanUpdated:
    """The plan (or a step's state) changed."""

    plan: Plan


@dataclass(frozen=True)
class StepApplied:
    """A step was written and committed."""

    number: int
    title: str
    commit: str
    decision_path: str | None


@dataclass(frozen=True)
class NoticeRaised:
    """Something the developer should read: a retry, a refusal, an error."""

    level: str  # "info" | "warning" | "error"
    message: str


@dataclass(frozen=True)
class SessionFinished:
    """The model finished the last step and summed up."""

    summary: str


@dataclass(frozen=True)
class CheckStarted:
    """The project's check command started, after an applied step."""

    command: str


@dataclass(frozen=True)
class CheckOutput:
    """One line of the check command's output (stdout and stderr merged), as it arrives."""

    line: str


@dataclass(frozen=True)
class CheckFinished:
    """The check command ended; exit code -1 means it timed out or could not start."""

    command: str
    exit_code: int


Progress = (
    StateChanged
    | SessionResumed
    | ModelTextStreamed
    | ModelThinkingStreamed
    | ToolCalled
    | ToolFailed
    | UsageRecorded
    | PlanUpdated
    | StepApplied
    | NoticeRaised
    | SessionFinished
    | CheckStarted
    | CheckOutput
    | CheckFinished
)
ProgressSink = Callable[[Progress], None]
