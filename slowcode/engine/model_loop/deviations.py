"""Answers that stop for reasons the protocol has no tool for (decision 0029).

The model acts through tools, and `Workflow` answers every tool call. Four stop
reasons need something else, and `ModelDeviations` gives it, each journaled and
told to the developer:

- `refusal`: the API's classifiers stopped the answer. Nothing in it runs; it is
  withdrawn from the conversation (the API asks for the context to be reset
  before going on), and the session stops, failed and resumable, with one line
  naming the refusal. Sending the request again is the way on.
- `pause_turn`: a long-running server tool paused the turn. The answer is sent
  back as it is, so the model continues it (the SDK's own tool runner does the
  same), running none of its tool calls; at most `MAX_PAUSES` in a row.
- `model_context_window_exceeded`, or a 400 "prompt is too long": the prompt
  outgrew the model's context window. The cut-off answer is withdrawn, the
  repository map's budget is halved and everything before the current step's own
  turns is folded into the progress summary, the developer is told how much, and
  the request goes again; after `MAX_SHRINKS` shrinks in a row without an answer
  the session stops, failed and resumable.

None of these counts as a protocol strike: they are bounded by their own limits.
"""

from __future__ import annotations

from typing import Protocol

from slowcode.context.session_context import SessionContext
from slowcode.engine.model_loop.conversation import Conversation
from slowcode.engine.progress import NoticeRaised, ProgressSink, SessionState
from slowcode.engine.session.lifecycle import Session
from slowcode.journal import events as ev
from slowcode.journal.schema import JournalEvent
from slowcode.model.failures import CONTEXT_OVERFLOW, one_line
from slowcode.model.types import ModelError, ModelTurn

REFUSAL = "refusal"
PAUSE_TURN = "pause_turn"
CONTEXT_WINDOW = "model_context_window_exceeded"

MAX_PAUSES = 3
"""Paused answers in a row sent back before the session stops and says so."""
MAX_SHRINKS = 3
"""Shrinks in a row, without an answer in between, before the session stops."""
MIN_MAP_TOKENS = 256
"""The repository map is never cut below this budget."""


def no_tool_problem(step: int | None) -> str:
    """What the model is told when it answered in plain text where a tool call was due."""
    if step is None:
        return (
            "Act through the tools: call propose_plan first, then stage edits and "
            "call finish_step for each step."
        )
    return (
        f"Act through the tools: step {step} is in progress; stage its edits with "
        "str_replace_based_edit_tool and call finish_step when it is done (plain text "
        "only reaches the developer as commentary)."
    )


class TurnPorts(Protocol):
    """What handling a deviation uses of the session."""

    @property
    def session(self) -> Session:
        """The session's state."""

    @property
    def emit(self) -> ProgressSink:
        """Where progress events go."""

    @property
    def conversation(self) -> Conversation:
        """The conversation the requests carry."""

    @property
    def context(self) -> SessionContext:
        """The system blocks: the repository map among them."""

    def record(self, event: JournalEvent, *, sync: bool = False) -> None:
        """Journals an event."""


class ModelDeviations:
    """Handles refusals, paused turns and an overflowing context for a workflow.

    Args:
        flow: The session the answers belong to.
    """

    def __init__(self, flow: TurnPorts) -> None:
        self.flow = flow
        self.pauses = 0
        self.shrinks = 0

    def reset(self) -> None:
        """Starts the counts afresh (the developer sent the request again)."""
        self.pauses = self.shrinks = 0

    def handled(self, turn: ModelTurn) -> bool:
        """Deals with `turn` when its stop reason needs more than answering its tools.

        Returns:
            True when the turn was dealt with (the next request is to be sent), False
            when it is answered as usual.

        Raises:
            ModelError: The session stopped, FAILED and resumable (a refusal, too many
                pauses or shrinks in a row).
        """
        stop = turn.stop_reason
        if stop == REFUSAL:
            self._refused(turn)
        if stop == PAUSE_TURN:
            self._paused()
            return True
        self.pauses = 0
        if stop == CONTEXT_WINDOW:
            self.flow.record(ev.TurnWithdrawn(stop_reason=CONTEXT_WINDOW))
            self.shrink(f"the answer stopped with {CONTEXT_WINDOW}")
            return True
        self.shrinks = 0
        return False

    def restore(self) -> None:
        """Gives a resumed session the map budget its latest shrink left."""
        budget = self.flow.conversation.map_budget
        if budget is not None:
            self.flow.context.budget = budget

    def shrink(self, reason: str) -> None:
        """Sends less from the next request on: a smaller map, earlier turns folded.

        Raises:
            ModelError: `MAX_SHRINKS` shrinks in a row did not help; the session is FAILED.
        """
        flow = self.flow
        if self.shrinks >= MAX_SHRINKS:
            self._stop(
                CONTEXT_OVERFLOW,
                f"The prompt is still too long for the model's context window after "
                f"{self.shrinks} shrinks in a row (repository map {flow.context.budget} "
                f"tokens, finished steps folded): {reason}. Sending it again shrinks it "
                "further; a model with a larger context window resumes the session as it is",
            )
        self.shrinks += 1
        budget = max(MIN_MAP_TOKENS, flow.context.budget // 2)
        detailed = max(1, flow.conversation.detailed_steps // 2)
        folded, dropped = flow.conversation.shrink_effect(detailed)
        flow.record(
            ev.ContextShrunk(
                reason=one_line(reason),
                map_tokens=budget,
                folded_steps=folded,
                dropped_messages=dropped,
                detailed_steps=detailed,
                shrinks=self.shrinks,
            ),
            sync=True,
        )
        flow.context.shrink_map(budget)
        steps = "1 finished step was" if folded == 1 else f"{folded} finished steps were"
        flow.emit(
            NoticeRaised(
                "warning",
                "The prompt was too long for the model's context window; the repository "
                f"map was cut to {budget} tokens and {steps} folded; sending it again "
                f"(shrink {self.shrinks} of {MAX_SHRINKS})",
            )
        )

    def _refused(self, turn: ModelTurn) -> None:
        details = turn.stop_details or {}
        category = details.get("category")
        explanation = details.get("explanation")
        named = f"stop_reason refusal, category {category}" if category else "stop_reason refusal"
        said = f": {str(explanation).rstrip('. ')}" if explanation else ""
        self.flow.record(ev.TurnWithdrawn(stop_reason=REFUSAL))
        self._stop(
            REFUSAL,
            f"The model refused to go on ({named}){said}; nothing in its answer was run "
            "and it was left out of the conversation: sending the request again asks anew",
        )

    def _paused(self) -> None:
        self.pauses += 1
        self.flow.record(ev.TurnPaused(pauses=self.pauses))
        if self.pauses > MAX_PAUSES:
            self._stop(
                PAUSE_TURN,
                f"The model paused its turn {MAX_PAUSES + 1} times in a row (stop_reason "
                "pause_turn) without finishing it; sending the request again lets it go on",
            )
        self.flow.emit(
            NoticeRaised(
                "info",
                "The model paused a long-running turn (pause_turn); sent back as it is so "
                f"it goes on ({self.pauses} of {MAX_PAUSES})",
            )
        )

    def _stop(self, kind: str, message: str) -> None:
        """Journals the failure, tells the developer, and leaves the session FAILED."""
        flow = self.flow
        line = " ".join(message.split())
        flow.record(ev.ModelFailed(kind=kind, message=line), sync=True)
        flow.emit(NoticeRaised("error", line))
        flow.session.transition(SessionState.FAILED, line)
        raise ModelError(kind, line, retryable=True)
