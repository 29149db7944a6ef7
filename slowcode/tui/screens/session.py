"""The main screen: the task, the plan, the model's commentary and the status line."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from slowcode.core.plan import PlanStep
from slowcode.core.session_state import SessionState
from slowcode.tui.literal import literal_line, notify
from slowcode.tui.screens.session_key import NO_MODEL, KeyEntry
from slowcode.tui.widgets.commentary import THINKING_FOLD, Commentary
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.plan_list import PlanList
from slowcode.tui.widgets.status_line import StatusLine
from slowcode.tui.widgets.task_box import TaskBox

__all__ = ["THINKING_FOLD", "SessionScreen", "TaskBox", "parse_step"]

if TYPE_CHECKING:
    from slowcode.core.plan import Plan
    from slowcode.engine.human import PlanVerdict
    from slowcode.engine.progress import Progress

CONFIGURE_HINT = (
    "No model configured: set ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL for a gateway or "
    "local server, and restart; or enter a task and give a key for this run."
)


_STEP_SEPARATOR = " — "
_NOTICE_MARKS = {"info": "·", "warning": "!", "error": "✗"}
"""How a notice's line starts, by its level: only a warning is marked as one."""
_IDLE_STATES = frozenset({SessionState.IDLE, SessionState.DONE, SessionState.FAILED})


def parse_step(text: str) -> PlanStep:
    """A plan step from ``title — why`` (or ``title - why``; the reason is optional)."""
    separator = _STEP_SEPARATOR if _STEP_SEPARATOR in text else " - "
    title, _, why = text.partition(separator)
    return PlanStep(title.strip(), why.strip())


class SessionScreen(KeyEntry, Screen[None]):
    """Where a session is started and followed, and where the plan is approved.

    The app sets what to show (`show_progress`, `review_plan`, `show_failure`);
    the screen posts `TaskSubmitted` and `RetryRequested` for the app to act on.

    Args:
        model: The model's name, for the status line.
        configured: Whether a model is configured; if not, the task box is off.
        initial_task: Text to prefill the task box with.
    """

    TITLE = "Session"
    # Default CSS rather than a CSS_PATH file: this is the app's first screen, and a
    # screen's CSS file makes Textual parse every stylesheet again when it is shown.
    DEFAULT_CSS = """
    SessionScreen {
        layout: vertical;
        overflow: hidden;
    }

    #task {
        margin: 0 1;
    }

    #configure-hint {
        width: 100%;
        padding: 0 2;
        background: $warning 15%;
        color: $text-warning;
    }

    #session-body {
        width: 100%;
        height: 1fr;
    }

    #plan {
        width: 45%;
        min-width: 30;
        height: 100%;
        border: round $primary 50%;
        border-title-color: $text-primary;
        &:focus {
            border: round $primary;
        }
    }

    #commentary {
        width: 1fr;
        overflow: auto auto;
        height: 100%;
        border: round $secondary 50%;
        border-title-color: $text-secondary;
    }

    #session-error {
        display: none;
        width: 100%;
        padding: 0 1;
        background: $error 15%;
        color: $text-error;
    }

    SessionScreen.-failed #session-error {
        display: block;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry request"),
        Binding("u", "undo", "Undo last step"),
        Binding("enter", "review", "Back to review"),
        Binding("t", "type_task", "Type a task"),
        Binding("a", "enter_key", "API key…"),
    ]

    class TaskSubmitted(Message):
        """The developer entered a task."""

        def __init__(self, task: str) -> None:
            super().__init__()
            self.task = task

    class RetryRequested(Message):
        """The developer asked to re-send the failed request."""

    class UndoRequested(Message):
        """The developer asked to revert the last applied step (not yet confirmed)."""

    def __init__(self, *, model: str, configured: bool, initial_task: str | None = None) -> None:
        super().__init__()
        self._model = model
        self._configured = configured
        self._initial_task = initial_task or ""
        self._plan_future: asyncio.Future[PlanVerdict] | None = None
        self._retryable_failure = False
        self._review_waiting: asyncio.Future[None] | None = None
        self._undo_available = False
        self._streamed_since_state = ""

    def compose(self) -> ComposeResult:
        """Task box, plan and commentary side by side, error line, status line, keys."""
        yield TaskBox(
            self._initial_task,
            placeholder="Describe a task, then press enter",
            id="task",
        )
        if not self._configured:
            yield Static(CONFIGURE_HINT, id="configure-hint")
        with Horizontal(id="session-body"):
            plan_list = PlanList(id="plan")
            plan_list.border_title = "Plan"
            yield plan_list
            commentary = Commentary(id="commentary")
            commentary.border_title = "Model"
            yield commentary
        yield Static("", id="session-error")
        status = StatusLine(id="status")
        status.model = self._model
        yield status
        yield KeyBar()

    @property
    def plan_list(self) -> PlanList:
        """The plan."""
        return self.query_one("#plan", PlanList)

    @property
    def status(self) -> StatusLine:
        """The status line."""
        return self.query_one("#status", StatusLine)

    @property
    def commentary(self) -> Commentary:
        """The model's streamed commentary and the session's events."""
        return self.query_one("#commentary", Commentary)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Starts a session with the entered task (the text stays when none can start)."""
        event.stop()
        task = event.value.strip()
        if not task:
            return
        if not self._configured:
            self.ask_key(NO_MODEL, task)
            return
        self.start(task)

    def start(self, task: str) -> None:
        """Locks the task box and starts a session for `task`."""
        self.query_one(TaskBox).disabled = True
        self.commentary.start()
        self._write_line(f"Task: {task}")
        self.post_message(self.TaskSubmitted(task))

    # -- what the app sets ---------------------------------------------------

    def session_started(self) -> None:
        """A workflow runs: the task box is off, the error line cleared."""
        self.query_one("#task", Input).disabled = True
        self._clear_failure()

    def session_stopped(self, finished: bool) -> None:
        """The workflow returned; a new task may be entered."""
        self.commentary.flush()
        task_box = self.query_one("#task", Input)
        task_box.disabled = False
        if finished:
            task_box.value = ""
        # The box looks ready for the next task, so it has the keyboard: what is typed
        # goes into it, never to a key (`escape` hands the keyboard to the keys).
        task_box.focus()

    def show_failure(self, message: str, *, retryable: bool, needs_key: bool = False) -> None:
        """Shows a failed request in one line; offers `r` when it can be retried, and
        `a` when the API key was refused."""
        self.commentary.flush()
        self._retryable_failure = retryable
        self._key_refused = needs_key
        hint = " — press r to retry" if retryable else ""
        if needs_key:
            hint = " — press a to give another key for this run"
        self.query_one("#session-error", Static).update(literal_line(f"✗ {message}{hint}"))
        self.set_class(True, "-failed")
        self.status.state = SessionState.FAILED
        self.status.connection = "request failed" if retryable else ""
        if not retryable:
            # Nothing to retry: a new task is the way on (or, for a refused key, `a`).
            task_box = self.query_one("#task", Input)
            task_box.disabled = False
            if not needs_key:
                task_box.focus()
            else:
                self.plan_list.focus()
        else:
            self.plan_list.focus()
        self.refresh_bindings()

    def review_plan(self, plan: Plan, future: asyncio.Future[PlanVerdict]) -> None:
        """Shows `plan` for approval; the developer's answer sets `future`."""
        self._plan_future = future
        self.plan_list.start_review(plan)
        self.plan_list.focus()
        self._write_line("Plan ready: enter approves, r sends it back with feedback.")

    def show_progress(self, event: Progress) -> None:
        """Shows one progress event from the engine."""
        # Imported at the first event: the engine's event classes cost the first frame.
        from slowcode.engine.progress import (
            CheckFinished,
            CheckOutput,
            CheckStarted,
            ModelTextStreamed,
            ModelThinkingStreamed,
            NoticeRaised,
            PlanUpdated,
            SessionFinished,
            SessionResumed,
            StateChanged,
            StepApplied,
            ToolCalled,
            ToolFailed,
            UsageRecorded,
        )

        status = self.status
        if isinstance(event, ModelThinkingStreamed):
            status.connection = ""
            self.commentary.write_thinking(event.text)
        elif isinstance(event, ModelTextStreamed):
            status.connection = ""
            self.commentary.write_text(event.text)
            self._streamed_since_state += event.text
        elif isinstance(event, SessionResumed):
            # Which session and task are back, before anything of theirs is shown.
            self.query_one(TaskBox).show_task(event.task)
            self.commentary.start()
            self._write_line(event.line())
        elif isinstance(event, StateChanged):
            if event.state is not SessionState.DONE:
                self._streamed_since_state = ""  # the closing words come just before done
            self.commentary.flush()  # the stream paused: the word held back is whole
            status.state = event.state
            self.refresh_bindings()  # `u` works only between sessions
            if event.state is not SessionState.FAILED:
                status.connection = ""
            if event.state not in _IDLE_STATES:
                # A resumed session runs without a submitted task: lock the box all the same,
                # since a new task would replace the running one.
                self.query_one("#task", Input).disabled = True
        elif isinstance(event, ToolCalled):
            self._write_line(f"→ {event.summary or event.name}")
        elif isinstance(event, ToolFailed):
            self._write_line(f"✗ {event.summary or event.name}: {event.reason}")
        elif isinstance(event, UsageRecorded):
            status.usage = event.session_total
            status.cost_usd = event.session_cost_usd
            status.step = event.step
            if event.step_total is not None:
                status.step_usage = event.step_total
            status.step_cost_usd = event.step_cost_usd
            status.connection = ""
        elif isinstance(event, PlanUpdated):
            if not self.plan_list.reviewing:
                self.plan_list.show_plan(event.plan)
        elif isinstance(event, StepApplied):
            commit = event.commit[:8]
            decision = f", decision {event.decision_path}" if event.decision_path else ""
            self._write_line(f"✓ step {event.number} applied: {event.title} ({commit}{decision})")
        elif isinstance(event, NoticeRaised):
            if event.level == "warning":
                status.connection = event.message
            self._write_line(f"{_NOTICE_MARKS.get(event.level, '!')} {event.message}")
            if event.level == "error":
                notify(self, event.message, severity="error")
            elif event.level == "warning":
                notify(self, event.message, severity="warning")
        elif isinstance(event, SessionFinished):
            self._write_line(_finished_line(event.summary, self._streamed_since_state))
        elif isinstance(event, CheckStarted):
            self._write_line(f"$ {event.command}")
        elif isinstance(event, CheckOutput):
            # The check's own output, indented so it reads apart from the model's words.
            self._write_line(f"  │ {event.line}")
        elif isinstance(event, CheckFinished):
            if event.exit_code == 0:
                self._write_line(f"✓ check passed: {event.command}")
            else:
                failed = f"check FAILED (exit code {event.exit_code}): {event.command}"
                self._write_line(f"✗ {failed}")
                notify(self, failed, severity="error")

    # -- keys and plan review ------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offers `r` (retry) only after a request failed for good."""
        if action == "retry":
            return self._retryable_failure
        if action == "review":
            return self._review_waiting is not None
        if action == "enter_key":
            return self._key_refused or not self._configured
        if action == "type_task":
            boxes = self.query(TaskBox)
            return any(not box.disabled and not box.has_focus for box in boxes)
        if action == "undo":
            # Only between sessions (a running one owns HEAD and its journal, a failed
            # one waits for a retry or a new task), and only when HEAD is a step.
            return self._undo_available and self.status.state in _IDLE_STATES
        return True

    def action_type_task(self) -> None:
        """Hands the keyboard back to the task box, left with `escape`."""
        self.query_one(TaskBox).focus()

    async def wait_for_review(self, step: int) -> None:
        """Returns once the developer goes back to the review of `step` they left."""
        self._review_waiting = asyncio.get_running_loop().create_future()
        self._write_line(f"Step {step} waits for its review: enter goes back to it.")
        self.refresh_bindings()
        try:
            await self._review_waiting
        finally:
            self._review_waiting = None
            self.refresh_bindings()

    def action_review(self) -> None:
        """Goes back to the review left with `escape`."""
        if self._review_waiting is not None and not self._review_waiting.done():
            self._review_waiting.set_result(None)

    @property
    def undo_available(self) -> bool:
        """Whether HEAD is a slowcode step that `u` can undo (the app checks after changes)."""
        return self._undo_available

    @undo_available.setter
    def undo_available(self, available: bool) -> None:
        self._undo_available = available
        self.refresh_bindings()

    def action_retry(self) -> None:
        """Asks the app to re-send the failed request."""
        self._clear_failure()
        self.post_message(self.RetryRequested())

    def action_undo(self) -> None:
        """Asks the app to undo the last step (it asks for confirmation first)."""
        self.post_message(self.UndoRequested())

    def show_line(self, line: str) -> None:
        """Adds one line of the app's own (an undo's outcome) to the commentary."""
        self._write_line(line)

    def on_plan_list_approved(self, event: PlanList.Approved) -> None:
        """Answers the plan review with the approved steps."""
        from slowcode.engine.human import PlanVerdict

        self._answer_plan(PlanVerdict(approved=True, steps=event.steps))
        self._write_line(f"Plan approved ({len(event.steps)} steps).")

    def on_plan_list_send_back_requested(self, event: PlanList.SendBackRequested) -> None:
        """Asks for feedback, then sends the plan back with it."""
        from slowcode.engine.human import PlanVerdict
        from slowcode.tui.screens.feedback import FeedbackScreen  # not needed for the first frame

        def answered(feedback: str | None) -> None:
            if feedback:
                self._answer_plan(PlanVerdict(approved=False, feedback=feedback))
                self._write_line(f"Plan sent back: {feedback}")

        self.app.push_screen(FeedbackScreen("What should the plan do differently?"), answered)

    def on_plan_list_edit_requested(self, event: PlanList.EditRequested) -> None:
        """Asks for a step's text (``title — why``) and puts it in the plan."""
        from slowcode.tui.screens.feedback import FeedbackScreen

        plan_list = self.plan_list
        index, insert = event.index, event.insert
        value = ""
        if not insert and 0 <= index < len(plan_list.steps):
            step = plan_list.steps[index]
            value = f"{step.title}{_STEP_SEPARATOR}{step.why}" if step.why else step.title

        def answered(text: str | None) -> None:
            if not text:
                return
            step = parse_step(text)
            if insert:
                plan_list.insert_step(index + 1, step)
            else:
                plan_list.replace_step(index, step)

        prompt = "New step (title — why)" if insert else "Edit step (title — why)"
        self.app.push_screen(FeedbackScreen(prompt, value=value), answered)

    def _answer_plan(self, verdict: PlanVerdict) -> None:
        future, self._plan_future = self._plan_future, None
        self.plan_list.end_review()
        if future is not None and not future.done():
            future.set_result(verdict)

    def request_retry(self) -> None:
        """Asks the app to send the failed request again."""
        self.post_message(self.RetryRequested())

    def write_line(self, line: str) -> None:
        """Adds a line to the session's log."""
        self._write_line(line)

    def _clear_failure(self) -> None:
        self._retryable_failure = False
        self._key_refused = False
        self.query_one("#session-error", Static).update("")
        self.set_class(False, "-failed")
        self.status.connection = ""
        self.refresh_bindings()

    def _write_line(self, line: str) -> None:
        self.commentary.add_line(line)


def _finished_line(summary: str, streamed: str) -> str:
    """The log's last line: the summary only when the model's words did not just show it."""
    if summary.strip() and " ".join(summary.split()) in " ".join(streamed.split()):
        return "✓ Done."
    if summary.lstrip().lower().startswith("done"):
        return summary
    return f"Done. {summary}"
