"""The session driver: talks to the model, answers its tools, asks the developer.

`Workflow` runs one task from plan to the last applied step. It owns the
conversation; `Session` owns the state; the developer is reached only through
the `HumanPort` it is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from slowcode.context.policy import ContextPolicy
from slowcode.context.session_context import SessionContext
from slowcode.core.config import Config
from slowcode.core.errors import RepositoryError, SlowcodeError
from slowcode.core.paths import PathPolicy
from slowcode.decisions.store import DecisionStore
from slowcode.engine.apply.commit import StepCommitter
from slowcode.engine.human import HumanPort
from slowcode.engine.model_loop import protocol
from slowcode.engine.model_loop.conversation import Conversation
from slowcode.engine.model_loop.deviations import ModelDeviations, no_tool_problem
from slowcode.engine.model_loop.tool_dispatch import ToolDispatcher
from slowcode.engine.progress import (
    ModelTextStreamed,
    ModelThinkingStreamed,
    NoticeRaised,
    ProgressSink,
    SessionFinished,
    SessionState,
)
from slowcode.engine.session.lifecycle import TRANSITIONS, Session
from slowcode.engine.session.recovery import recover_apply
from slowcode.engine.session.resume import resume_point
from slowcode.engine.session.step_flow import StepFlow
from slowcode.engine.staging.editor_tool import ToolOutcome
from slowcode.engine.staging.tree import StagedTree
from slowcode.git import repo_state
from slowcode.git.repo import GitRepo
from slowcode.journal import events as ev
from slowcode.journal.log import (
    Journal,
    JournalError,
    JournalListener,
    abandon_empty_session,
    latest_unfinished,
)
from slowcode.journal.schema import JournalEvent
from slowcode.model.cache_breakpoints import with_conversation_breakpoints
from slowcode.model.client import ModelClient
from slowcode.model.failures import (
    CONTEXT_OVERFLOW,
    MALFORMED_TOOL_INPUT,
    TOOL_INPUT_TOO_LARGE,
    one_line,
)
from slowcode.model.settings import ModelSettings
from slowcode.model.types import (
    ModelError,
    ModelTurn,
    Retrying,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    TurnRequest,
)

S = SessionState

# After this many protocol errors in a row the session stops and tells the developer.
MAX_PROTOCOL_STRIKES = 3

# Stand-ins for answers that cannot go back into the conversation as they came: the
# API refuses an empty assistant message, and an unparsable tool call has no content.
EMPTY_ANSWER_TEXT = "(an empty response)"
MALFORMED_ANSWER_TEXT = "(a tool call whose input was not valid JSON; nothing in it was run)"
MALFORMED_STOP = "malformed_tool_input"


class ProtocolStop(SlowcodeError):
    """The model broke the protocol too often in a row."""


class Workflow:
    """Runs a task: plan, steps, reviews, commits.

    Args:
        root: a folder inside the git repository to work in.
        config: the loaded configuration.
        settings: how to reach the model.
        human: the developer.
        on_progress: receives every `Progress` event.
        client: a model client to use instead of one built from `settings`.
        journal_listeners: told of every event the session's journal records (an
            exporter of telemetry, say).
    """

    def __init__(
        self,
        *,
        root: Path,
        config: Config,
        settings: ModelSettings,
        human: HumanPort,
        on_progress: ProgressSink,
        client: ModelClient | None = None,
        journal_listeners: Sequence[JournalListener] = (),
    ) -> None:
        self.repo = GitRepo.open(root)
        self.root = self.repo.root
        self.config = config
        self.settings = settings
        self.human = human
        self.emit = on_progress
        self.client = client or ModelClient(settings)
        self.paths = PathPolicy(self.root)
        self.policy = ContextPolicy(self.root, config.exclude)
        self.decisions = DecisionStore(self.root, config.decisions_dir)
        self.journal: Journal | None = None
        self._journal_listeners = tuple(journal_listeners)
        # Fed every journaled event, as a resume feeds it the journal: both send the same.
        self.conversation = Conversation()
        self.session = Session.for_settings("", "", settings, self.record, on_progress)
        self.tree = StagedTree(self.root, self.paths, self.policy)
        self.steps = StepFlow(self)
        self.tools = ToolDispatcher(self)
        self.deviations = ModelDeviations(self)
        self._strikes = 0
        self._broke_protocol = False
        self._malformed_detail = ""
        # The date decision records get; None: today. A replay pins the original's.
        self.today: dt.date | None = None
        self.context = SessionContext(
            self.root, self.policy, config.context_tokens, ttl=config.cache_ttl
        )
        # No breakpoint of their own: the first one, after the map, covers them.
        self._tools = protocol.tool_definitions(builtin_text_editor=settings.builtin_text_editor)

    # -- journal and conversation -------------------------------------------------

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The current step's messages (see `Conversation`)."""
        return self.conversation.messages

    def record(self, event: JournalEvent, *, sync: bool = False) -> None:
        """Appends an event to the session's journal (fsynced when `sync`)."""
        if self.journal is not None:
            # The conversation follows the event as journaled (keys sorted, secrets
            # redacted), exactly as a resume reads it back: both send the same bytes.
            event = self.journal.record(event, sync=sync).event
        self.conversation.follow(event)

    def _listened(self, journal: Journal) -> Journal:
        for listener in self._journal_listeners:
            journal.listen(listener)
        return journal

    def fail_unexpectedly(self, error: Exception) -> tuple[str, bool]:
        """Journals an error nothing else handled and leaves the session where it can go on.

        The session moves to FAILED when its state allows; the request can be sent
        again (`retry`) when the error came while planning or working on a step.
        Nothing here may raise: the journal itself may be what failed.

        Returns:
            The one line to show, and whether `retry` can continue the session.
        """
        line = one_line(f"Unexpected error ({type(error).__name__}): {error}")
        with contextlib.suppress(Exception):
            self.record(ev.SessionError(error=type(error).__name__, message=line))
        state = self.session.state
        retryable = state in (S.PLANNING, S.STEP_WORKING)
        if S.FAILED in TRANSITIONS[state]:
            with contextlib.suppress(Exception):
                self.session.transition(S.FAILED, line)
        return line, retryable and self.session.state is S.FAILED

    def mark_protocol_break(self) -> None:
        """Counts the current tool call as a protocol error (three in a row stop the session)."""
        self._broke_protocol = True

    def _check_repo_state(self) -> None:
        """Refuses a repository mid-merge or mid-rebase; names other odd states once."""
        state = repo_state.inspect(self.root)
        state.ensure_workable()
        unwritable = repo_state.unwritable_folder(
            self.root, self.decisions.folder, "the decisions folder"
        )
        if unwritable is not None:
            raise RepositoryError(f"{unwritable}; set decisions_dir to a folder that can be")
        for notice in state.notices():
            self.emit(NoticeRaised("warning", notice))

    def discard_staged(self) -> None:
        """Forgets the current step's staged edits (journaled, so a resume forgets them too)."""
        self.tree.discard()
        self.record(ev.StagedDiscarded())

    def _append_message(self, message: dict[str, Any]) -> None:
        # Recording it adds it to the conversation (and may fold a finished step).
        self.record(ev.ConversationMessage(message=message))

    # -- running -------------------------------------------------------------------

    async def run(self, task: str) -> None:
        """Runs `task` to the end; raises ModelError (session FAILED) when the model fails."""
        self._check_repo_state()
        self.repo.ensure_excluded(".slowcode/")
        self.journal = self._listened(Journal.create(self.root))
        self.context.keep_in(self.journal.path.parent)
        self.conversation = Conversation()
        self.session = Session.for_settings(
            self.journal.session_id, task, self.settings, self.record, self.emit
        )
        try:
            self.record(self.session.started_event(str(self.root)), sync=True)
        except JournalError as error:
            # A full disk, say: a session that holds nothing is not left behind to resume.
            abandon_empty_session(self.journal)
            raise JournalError(f"the session could not start: {error}") from None
        if self.repo.identity() is None:
            self.emit(NoticeRaised("warning", self.repo.identity_hint()))
        self.session.transition(S.PLANNING, "reading the code")
        self._append_message({"role": "user", "content": task})
        await self._loop()

    async def resume(self) -> bool:
        """Continues the newest unfinished session from its journal; False if there is none.

        Nothing the model already answered is asked again: the conversation, the plan,
        the current step and its staged edits come from the journal, and tool calls of
        the last turn that were carried out keep their recorded results.
        """
        folder = latest_unfinished(self.root)
        if folder is None:
            return False
        self._check_repo_state()
        self.journal = self._listened(Journal.open(folder))
        self.context.keep_in(self.journal.path.parent)
        # An apply cut short by a crash is completed (or rolled back) before anything else.
        committer = StepCommitter(
            self.repo, self.decisions, self.journal.session_id, self.settings.model, self.record
        )
        recover_apply(committer, self.journal.events())
        point = resume_point(self.journal.session_id, self.journal.events())
        if not point.task:
            return False
        self.session = Session.restored(point, self.settings, self.record, self.emit)
        self.conversation = point.conversation
        self.deviations.restore()
        if not point.conversation.request_messages():
            # The task's message was never journaled (the disk filled up right after
            # the session started): the conversation starts with it again.
            self._append_message({"role": "user", "content": point.task})
        self.tree = StagedTree.from_json(point.staged, self.root, self.paths, self.policy)
        self.steps.round.restored = point.review
        self.steps.round.last_review = point.sent_back
        self.record(ev.SessionResumed(state=str(point.state)), sync=True)
        if point.pending_uses:
            await self._answer(point.pending_uses, point.done_calls | point.masked_calls())
        elif point.ends_with_answer and self._plan_done():
            # Stopped between the model's closing summary and the session's end.
            content = point.messages[-1]["content"]
            blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
            self._finish("".join(str(b.get("text", "")) for b in blocks if isinstance(b, dict)))
            return True
        await self._loop()
        return True

    async def retry(self) -> None:
        """Sends the failed request again and carries on from there."""
        self._strikes = 0
        self.deviations.reset()
        self.session.recover()
        await self._loop()

    async def _loop(self) -> None:
        while self.session.state is not S.DONE:
            turn = await self._request()
            if turn is not None:  # None: the context was shrunk, the request goes again
                await self._handle_turn(turn)

    def refresh_map(self) -> None:
        """Gives the model a freshly rendered repository map from the next request on."""
        self.context.refresh_map()

    def _system_blocks(self) -> list[dict[str, Any]]:
        # One map for the session, leaning towards the task (see SessionContext).
        return self.context.system(self.session.task, self.decisions.summary())

    async def _request(self) -> ModelTurn | None:
        messages = self.conversation.request_messages()
        request = TurnRequest(
            system=await asyncio.to_thread(self._system_blocks),
            tools=self._tools,
            messages=with_conversation_breakpoints(messages, self.config.cache_ttl),
            max_tokens=self.config.max_tokens,
            max_tool_input_chars=protocol.MAX_INPUT_BYTES,
        )
        self.record(ev.ModelRequest(messages=len(messages), model=self.settings.model))
        try:
            turn = await self.client.complete(request, self._on_stream)
        except ModelError as error:
            if error.kind in (MALFORMED_TOOL_INPUT, TOOL_INPUT_TOO_LARGE):
                self._malformed_detail = _unread_input_problem(error)
                stand_in = ModelTurn(
                    [{"type": "text", "text": MALFORMED_ANSWER_TEXT}], MALFORMED_STOP
                )
                self._append_message(_assistant_message(stand_in))
                self.record(ev.ModelResponse(stop_reason=MALFORMED_STOP, error=str(error)))
                return stand_in
            if error.kind == CONTEXT_OVERFLOW:
                self.deviations.shrink(str(error))  # raises once shrinking no longer helps
                return None
            self.record(ev.ModelFailed(kind=error.kind, message=str(error)), sync=True)
            self.emit(NoticeRaised("error", str(error)))
            self.session.transition(S.FAILED, str(error))
            raise
        # The answer itself is journaled first: a kill from here on never asks the model again.
        continues = self.conversation.paused
        self._append_message(_assistant_message(turn))
        if continues:  # the answer goes on from a paused one: together they are the turn
            turn = dataclasses.replace(turn, content=self.messages[-1]["content"])
        self.record(
            ev.ModelResponse(
                stop_reason=turn.stop_reason,
                usage=turn.usage.to_json(),
                model=turn.model,
                request_id=turn.request_id,
            )
        )
        self.session.add_usage(turn.usage)
        return turn

    def _on_stream(self, event: StreamEvent) -> None:
        if isinstance(event, TextDelta):
            self.emit(ModelTextStreamed(event.text))
        elif isinstance(event, ThinkingDelta):
            self.emit(ModelThinkingStreamed(event.text))
        elif isinstance(event, Retrying):
            self.emit(
                NoticeRaised("warning", f"{event.reason}: retrying in {event.delay_seconds:.0f} s")
            )

    # -- one model turn ------------------------------------------------------------

    async def _handle_turn(self, turn: ModelTurn) -> None:
        if self.deviations.handled(turn):
            return
        if not turn.content and not self._plan_done():
            await self._protocol_error(
                "Your response was empty; act through the tools (propose_plan first, then "
                "stage edits and call finish_step for each step).",
                [],
            )
            return
        uses = turn.tool_uses
        if turn.stop_reason == MALFORMED_STOP:
            await self._protocol_error(self._malformed_detail, [])
            return
        if turn.stop_reason == "max_tokens":
            problem = "Your response hit max_tokens before it ended; nothing in it was run."
            if uses:
                problem += " Make smaller tool calls (smaller files, fewer edits per call)."
            await self._protocol_error(problem, uses)
            return
        if not uses:
            if self._plan_done():
                self._finish(turn.text)
                return
            await self._protocol_error(no_tool_problem(self.session.current_step), [])
            return
        await self._answer(uses, {})

    async def _answer(self, uses: list[dict[str, Any]], done: dict[str, tuple[str, bool]]) -> None:
        """Runs a turn's tool calls in order and sends their results as one message.

        `done` holds results of calls already carried out before a restart.
        """
        results = []
        self._broke_protocol = False
        for use in uses:
            if use.get("id") in done:
                text, is_error = done[use["id"]]
                outcome = ToolOutcome(text, is_error)
            else:
                outcome = await self.tools.dispatch(use)
            results.append(
                {
                    "type": "tool_result",
                    "tool_use_id": use["id"],
                    "content": outcome.text,
                    **({"is_error": True} if outcome.is_error else {}),
                }
            )
        self._strikes = self._strikes + 1 if self._broke_protocol else 0
        self._append_message({"role": "user", "content": results})
        if self._strikes >= MAX_PROTOCOL_STRIKES:
            self._stop_for_protocol(results[-1]["content"])

    def _plan_done(self) -> bool:
        plan = self.session.plan
        return plan is not None and self.session.current_step is None

    def _finish(self, summary: str) -> None:
        self.session.transition(S.DONE, "all steps done")
        # The last event of a finished session: resuming looks for it.
        self.record(ev.SessionFinished(summary=summary), sync=True)
        self.emit(SessionFinished(summary))

    async def _protocol_error(self, problem: str, uses: list[dict[str, Any]]) -> None:
        self._strikes += 1
        self.record(ev.ProtocolError(problem=problem))
        if self._strikes < MAX_PROTOCOL_STRIKES:  # the developer sees what the model was told
            self.emit(NoticeRaised("warning", f"The model broke the protocol: {problem}"))
        content: list[dict[str, Any]] = [
            {"type": "tool_result", "tool_use_id": use["id"], "content": problem, "is_error": True}
            for use in uses
        ]
        if not content:
            content = [{"type": "text", "text": problem}]
        self._append_message({"role": "user", "content": content})
        if self._strikes >= MAX_PROTOCOL_STRIKES:
            self._stop_for_protocol(problem)

    def _stop_for_protocol(self, problem: str) -> None:
        message = f"the model broke the protocol {self._strikes} times in a row: {problem}"
        self.emit(NoticeRaised("error", message))
        self.session.transition(S.FAILED, message)
        raise ProtocolStop(message)


def _assistant_message(turn: ModelTurn) -> dict[str, Any]:
    """The turn as it goes back into the conversation.

    An empty answer becomes a short stand-in text: the Messages API refuses an
    assistant message without content.
    """
    content = turn.content or [{"type": "text", "text": EMPTY_ANSWER_TEXT}]
    return {"role": "assistant", "content": content}


def _unread_input_problem(error: ModelError) -> str:
    """What the model is told when a tool call's input could not be taken."""
    if error.kind == TOOL_INPUT_TOO_LARGE:
        return (
            f"The input of your tool call was over the limit of {protocol.MAX_INPUT_BYTES:,} bytes "
            f"(1 MiB): {error}; nothing in your response was run: split it into smaller edits."
        )
    return (
        f"The input of your tool call was not valid JSON ({error}); "
        "nothing in your response was run. Send the call again with valid JSON."
    )
