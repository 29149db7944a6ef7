"""The plan: a short list of small steps the developer approved."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class StepState(StrEnum):
    """Where a plan step stands."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    APPLIED = "applied"
    SKIPPED = "skipped"
    UNDONE = "undone"
    """Applied, then reverted by an undo (`u`, `slowcode undo`)."""


@dataclass
class PlanStep:
    """One step of the plan: a short imperative title and a one-line reason."""

    title: str
    why: str
    state: StepState = StepState.PENDING

    def to_json(self) -> dict[str, Any]:
        """The step as the model protocol shows it (`title`, `why`)."""
        return {"title": self.title, "why": self.why}


@dataclass
class Plan:
    """A goal and its steps, numbered from 1 in the protocol."""

    goal: str
    steps: list[PlanStep] = field(default_factory=list)

    @classmethod
    def from_tool_input(cls, data: dict[str, Any]) -> Plan:
        """Builds a plan from a validated `propose_plan` input."""
        steps = [PlanStep(str(s["title"]), str(s.get("why", ""))) for s in data["steps"]]
        return cls(goal=str(data.get("goal", "")), steps=steps)

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON, for the journal and the model."""
        return {"goal": self.goal, "steps": [s.to_json() for s in self.steps]}
