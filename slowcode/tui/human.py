"""The developer as the engine sees them, answered through the TUI."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, TypeVar

from slowcode.tui.messages import (
    RequestAnswer,
    RequestCommitChoice,
    RequestPlanReview,
    RequestStepReview,
    RequestTrust,
)

if TYPE_CHECKING:
    from textual.message import Message
    from textual.message_pump import MessagePump

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

_T = TypeVar("_T")


class TuiHuman:
    """A `HumanPort` that turns each question into a message carrying a Future.

    The engine awaits the Future; the app shows the matching screen and sets the
    Future's result from the developer's answer. The engine never blocks the UI.

    Args:
        target: The message pump (normally the app) that handles the requests.
    """

    def __init__(self, target: MessagePump) -> None:
        self._target = target
        self._pending: set[asyncio.Future[Any]] = set()

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        """Asks for the plan's approval; returns it approved (as edited) or with feedback."""
        future: asyncio.Future[PlanVerdict] = asyncio.get_running_loop().create_future()
        return await self._ask(RequestPlanReview(plan, future), future)

    async def review_step(self, review: StepReview) -> StepVerdict:
        """Asks for the step's review; hunk verdicts are set on `review` itself."""
        future: asyncio.Future[StepVerdict] = asyncio.get_running_loop().create_future()
        return await self._ask(RequestStepReview(review, future), future)

    async def answer_question(self, question: Question) -> Answer:
        """Asks an `ask_human` question; returns the developer's answer."""
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        return await self._ask(RequestAnswer(question, future), future)

    async def trust_check(self, command: str, source: str) -> bool:
        """Asks whether to run the project's check `command`, read from `source`."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        return await self._ask(RequestTrust(command, source, future), future)

    async def resolve_refused_commit(self, refused: RefusedCommit) -> CommitChoice:
        """Shows a refused commit's output; returns retry, send back or without hooks."""
        future: asyncio.Future[CommitChoice] = asyncio.get_running_loop().create_future()
        return await self._ask(RequestCommitChoice(refused, future), future)

    def cancel_pending(self) -> None:
        """Cancels every question still waiting, so nothing outlives the app."""
        for future in list(self._pending):
            future.cancel()
        self._pending.clear()

    async def _ask(self, message: Message, future: asyncio.Future[_T]) -> _T:
        self._pending.add(future)
        try:
            self._target.post_message(message)
            return await future
        finally:
            self._pending.discard(future)
