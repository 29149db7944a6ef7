"""App-level messages: the engine's requests to the developer, and its progress events.

Requests are imperative (`RequestStepReview`) and carry the Future the engine awaits;
whoever handles one sets the Future's result from the developer's answer.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from slowcode.core.plan import Plan
    from slowcode.core.step_review import StepReview
    from slowcode.engine.human import (
        Answer,
        CommitChoice,
        PlanVerdict,
        Question,
        RefusedCommit,
        StepVerdict,
    )
    from slowcode.engine.progress import Progress


class RequestPlanReview(Message):
    """The engine asks the developer to approve, edit or send back a plan."""

    def __init__(self, plan: Plan, future: asyncio.Future[PlanVerdict]) -> None:
        super().__init__()
        self.plan = plan
        self.future = future


class RequestStepReview(Message):
    """The engine asks the developer to review a step's hunks."""

    def __init__(self, review: StepReview, future: asyncio.Future[StepVerdict]) -> None:
        super().__init__()
        self.review = review
        self.future = future


class RequestAnswer(Message):
    """The engine asks the developer an `ask_human` question."""

    def __init__(self, question: Question, future: asyncio.Future[Answer]) -> None:
        super().__init__()
        self.question = question
        self.future = future


class RequestTrust(Message):
    """The engine asks whether to trust the project's check command (the Future: yes/no)."""

    def __init__(self, command: str, source: str, future: asyncio.Future[bool]) -> None:
        super().__init__()
        self.command = command
        self.source = source
        self.future = future


class RequestCommitChoice(Message):
    """The engine asks what to do about a step's commit that git refused."""

    def __init__(self, refused: RefusedCommit, future: asyncio.Future[CommitChoice]) -> None:
        super().__init__()
        self.refused = refused
        self.future = future


class ProgressReported(Message):
    """The engine reported something that happened (a `Progress` event)."""

    def __init__(self, event: Progress) -> None:
        super().__init__()
        self.event = event


class WorkflowFailed(Message):
    """A model request failed for good; the session waits for a retry."""

    def __init__(self, message: str, *, retryable: bool, kind: str = "") -> None:
        super().__init__()
        self.message = message
        self.retryable = retryable
        self.kind = kind


class WorkflowStopped(Message):
    """The workflow returned: the session finished or there was nothing to resume."""

    def __init__(self, finished: bool) -> None:
        super().__init__()
        self.finished = finished
