"""The session's state machine: the one place that owns the transitions.

Every transition is journaled and announced to the client, so that state can be
rebuilt from the journal and screens only render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slowcode.core.plan import Plan, StepState
from slowcode.engine.progress import (
    PlanUpdated,
    ProgressSink,
    SessionResumed,
    SessionState,
    StateChanged,
    UsageRecorded,
)
from slowcode.engine.session.resume import ResumePoint
from slowcode.journal import events as ev
from slowcode.journal.schema import EventRecorder
from slowcode.model.pricing import add_costs, cost_usd
from slowcode.model.settings import ModelSettings
from slowcode.model.types import Usage

S = SessionState

TRANSITIONS: dict[SessionState, frozenset[SessionState]] = {
    S.IDLE: frozenset({S.PLANNING}),
    S.PLANNING: frozenset({S.PLAN_REVIEW, S.ASKING, S.FAILED, S.DONE}),
    S.PLAN_REVIEW: frozenset({S.PLANNING, S.STEP_WORKING}),
    S.STEP_WORKING: frozenset({S.ASKING, S.STEP_REVIEW, S.FAILED, S.DONE}),
    S.ASKING: frozenset({S.PLANNING, S.STEP_WORKING}),
    S.STEP_REVIEW: frozenset({S.STEP_WORKING, S.APPLYING}),
    S.APPLYING: frozenset({S.STEP_WORKING, S.FAILED}),
    S.FAILED: frozenset({S.PLANNING, S.STEP_WORKING, S.APPLYING}),
    S.DONE: frozenset(),
}


class TransitionError(RuntimeError):
    """A transition the state machine does not allow: a bug, never the user's input."""


JournalWriter = EventRecorder


@dataclass
class Session:
    """A task's state: where it stands, the plan, the current step, the tokens spent.

    `record` writes a journal event; `emit` tells the client.
    """

    session_id: str
    task: str
    model: str
    record: JournalWriter
    emit: ProgressSink
    state: SessionState = S.IDLE
    plan: Plan | None = None
    current_step: int | None = None
    usage: Usage = field(default_factory=Usage)
    cost: float | None = 0.0
    """The session's estimated cost; None once a request's model has no known price."""
    # The same, counted from when the current step started (or the session, while planning).
    step_usage: Usage = field(default_factory=Usage)
    step_cost: float | None = 0.0
    # Where a failed request was made, so a retry continues from there.
    failed_in: SessionState | None = None
    # Where the model is reached, for the cost (a Vertex AI region costs more than global).
    provider: str | None = None
    region: str | None = None

    @classmethod
    def for_settings(
        cls,
        session_id: str,
        task: str,
        settings: ModelSettings,
        record: JournalWriter,
        emit: ProgressSink,
    ) -> Session:
        """A session of `settings`' model, reached where they say (priced for that endpoint)."""
        return cls(
            session_id,
            task,
            settings.model,
            record,
            emit,
            provider=settings.provider,
            region=settings.region,
        )

    @classmethod
    def restored(
        cls, point: ResumePoint, settings: ModelSettings, record: JournalWriter, emit: ProgressSink
    ) -> Session:
        """The session as its journal left it; announced to the client, not a transition.

        Its requests are priced for `settings`, the model and endpoint it continues with.
        """
        session = cls.for_settings(point.session_id, point.task, settings, record, emit)
        session.state = point.state
        session.plan = point.plan
        session.current_step = point.current_step
        steps = None if point.plan is None else len(point.plan.steps)
        emit(SessionResumed(point.session_id, point.task, point.where(), point.current_step, steps))
        emit(StateChanged(point.state, "resumed"))
        if point.plan is not None:
            emit(PlanUpdated(point.plan))
        session._restore_usage(point.responses, point.step_responses)
        return session

    def _restore_usage(self, responses: list[Usage], in_step: int) -> None:
        """The tokens and cost the journal's answers add up to, told to the client once."""
        first_of_step = len(responses) - in_step
        for number, request in enumerate(responses):
            cost = self._cost(request)
            self.usage = self.usage + request
            self.cost = add_costs(self.cost, cost)
            if number >= first_of_step:
                self.step_usage = self.step_usage + request
                self.step_cost = add_costs(self.step_cost, cost)
        if responses:
            self.emit(
                UsageRecorded(
                    Usage(),
                    self.usage,
                    self.cost,
                    self.current_step,
                    self.step_usage,
                    self.step_cost,
                )
            )

    def started_event(self, root: str) -> ev.SessionStarted:
        """The `session_started` event: task, model, work tree and endpoint (no credential)."""
        return ev.SessionStarted(
            task=self.task, model=self.model, root=root, provider=self.provider, region=self.region
        )

    def transition(self, to: SessionState, detail: str = "") -> None:
        """Moves to `to`, or raises TransitionError when the machine does not allow it."""
        if to not in TRANSITIONS[self.state]:
            raise TransitionError(f"session cannot go from {self.state} to {to}")
        if to is S.FAILED:
            self.failed_in = self.state
        self.state = to
        self.record(ev.StateChanged(state=str(to), detail=detail))
        self.emit(StateChanged(to, detail))

    def recover(self) -> None:
        """Leaves FAILED for the state the failed request was made in."""
        if self.state is not S.FAILED or self.failed_in is None:
            raise TransitionError(f"nothing to recover from in state {self.state}")
        self.transition(self.failed_in, "retrying")

    def approve_plan(self, plan: Plan) -> None:
        """Takes the developer's approved plan and starts its first step."""
        self.plan = plan
        self.current_step = 1 if plan.steps else None
        self._start_step()
        if self.current_step is not None:
            plan.steps[0].state = StepState.IN_PROGRESS
        self.transition(S.STEP_WORKING, f"step 1 of {len(plan.steps)}")
        self.emit(PlanUpdated(plan))

    def finish_current_step(self, state: StepState) -> int | None:
        """Marks the current step applied or skipped; returns the next step's number, if any."""
        if self.plan is None or self.current_step is None:
            raise TransitionError("no step in progress")
        self.plan.steps[self.current_step - 1].state = state
        following = self.current_step + 1
        if following <= len(self.plan.steps):
            self.current_step = following
            self.plan.steps[following - 1].state = StepState.IN_PROGRESS
        else:
            self.current_step = None
        self._start_step()
        self.emit(PlanUpdated(self.plan))
        return self.current_step

    def _start_step(self) -> None:
        self.step_usage = Usage()
        self.step_cost = 0.0

    def add_usage(self, request: Usage) -> None:
        """Adds one request's usage to the session's and the step's totals; tells the client."""
        cost = self._cost(request)
        self.usage = self.usage + request
        self.cost = add_costs(self.cost, cost)
        self.step_usage = self.step_usage + request
        self.step_cost = add_costs(self.step_cost, cost)
        self.emit(
            UsageRecorded(
                request, self.usage, self.cost, self.current_step, self.step_usage, self.step_cost
            )
        )

    def _cost(self, request: Usage) -> float | None:
        return cost_usd(self.model, request, self.provider, self.region)

    def step_usage_and_cost(self) -> tuple[dict[str, Any], float | None]:
        """The current step's usage and cost, as journaled with `step_applied`."""
        cost = None if self.step_cost is None else round(self.step_cost, 6)
        return self.step_usage.to_json(), cost
