"""The slowcode TUI: the session screen, and the screens the engine asks for."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from slowcode.core.errors import SlowcodeError
from slowcode.core.layout import SESSIONS_DIR
from slowcode.core.session_state import SessionState
from slowcode.tui.human import TuiHuman
from slowcode.tui.messages import (
    ProgressReported,
    RequestAnswer,
    RequestCommitChoice,
    RequestPlanReview,
    RequestStepReview,
    RequestTrust,
    WorkflowFailed,
    WorkflowStopped,
)
from slowcode.tui.screens.session import SessionScreen
from slowcode.tui.screens.session_key import KeyEntry
from slowcode.tui.undo_flow import UndoFlow

if TYPE_CHECKING:
    from textual.notifications import Notify, SeverityLevel
    from textual.screen import Screen

    from slowcode.core.config import Config
    from slowcode.core.step_review import StepReview
    from slowcode.engine.human import Answer, CommitChoice, StepVerdict
    from slowcode.engine.progress import Progress
    from slowcode.engine.session.workflow import Workflow
    from slowcode.model.settings import ModelSettings
    from slowcode.telemetry.exporter import SessionTelemetry
    from slowcode.telemetry.settings import TelemetrySettings


_UNDO_STATES = frozenset({SessionState.IDLE, SessionState.DONE, SessionState.FAILED})
"""The states `u` works in: between sessions, and after a failed one."""


def _is_decision_log(screen: object) -> bool:
    # The decision log's module is imported when the log is first opened; before
    # that no screen can be one.
    module = sys.modules.get("slowcode.tui.screens.decision_log")
    return module is not None and isinstance(screen, module.DecisionLogScreen)


def _has_unfinished_session(root: Path) -> bool:
    if not (root / SESSIONS_DIR).is_dir():
        return False  # most starts: no session ever, so no journal code to load
    from slowcode.journal.log import latest_unfinished

    return latest_unfinished(root) is not None


def _session_telemetry(settings: TelemetrySettings) -> SessionTelemetry:
    from slowcode.telemetry.exporter import SessionTelemetry

    return SessionTelemetry(settings)


THEME = "textual-dark"
"""Pinned, so screenshots and snapshots look the same everywhere."""

_Drive = Literal["run", "retry", "resume"]


class SlowcodeApp(UndoFlow):
    """The terminal app: starts sessions, follows them, and answers the engine's questions.

    The workflow runs in an async worker on the app's loop. It reports progress
    through a callback, which the app turns into messages, and asks the developer
    through `TuiHuman`, whose requests arrive as messages carrying Futures.

    Args:
        root: The repository to work in.
        config: The loaded configuration.
        settings: How to reach the model.
        resume: Continue an unfinished session of `root` on start.
        initial_task: Text to prefill the task box with.
        telemetry: Where the session's traces and metrics go (None: nowhere).
    """

    TITLE = "slowcode"
    CSS_PATH = "app.tcss"
    NOTIFICATION_TIMEOUT = 4
    """Seconds a toast stays (an error's twice as long): what it says soon stops being news."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "decision_log", "Decisions"),
        Binding("h", "history", "History"),
        Binding("question_mark", "help", "Keys", key_display="?"),
        Binding("q", "quit", "Quit"),
        # Shown while a text box has the focus and takes `q` as text.
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        root: Path,
        config: Config,
        settings: ModelSettings,
        *,
        resume: bool = True,
        initial_task: str | None = None,
        telemetry: TelemetrySettings | None = None,
    ) -> None:
        super().__init__()
        self.root = root
        self.config = config
        self.settings = settings
        self._resume = resume
        self._initial_task = initial_task
        self.human = TuiHuman(self)
        self.workflow: Workflow | None = None
        self._telemetry_settings = telemetry
        self.telemetry: SessionTelemetry | None = None
        self.telemetry_warning: str | None = None
        self.session_screen = SessionScreen(
            model=settings.model, configured=settings.configured, initial_task=initial_task
        )
        self.session_screen.endpoint = self._endpoint

    def on_mount(self) -> None:
        """Pins the theme and, after the first frame, picks up an unfinished session."""
        self.theme = THEME
        self.call_after_refresh(self._check_undo)
        if self._resume:
            # After the first frame: looking for an unfinished session must not delay it.
            self.call_after_refresh(self._drive, "resume")

    def _endpoint(self) -> str:
        """Where the requests go, in words (for the API key dialog)."""
        from slowcode.model.setting_hints import endpoint  # not needed for the first frame

        return endpoint(self.settings)

    def get_default_screen(self) -> Screen[Any]:
        """The session screen is the app's first and bottom screen."""
        return self.session_screen

    async def on_unmount(self) -> None:
        """Leaves nothing running: the engine's questions, the workflow and its connections."""
        self.human.cancel_pending()
        self.workers.cancel_group(self, "model")
        self.workers.cancel_group(self, "human")
        if self.workflow is not None:
            # Closed here, on the app's loop: left to the garbage collector, the HTTP
            # client would try to close its sockets on a loop that no longer runs.
            await self.workflow.client.aclose()
        if self.telemetry is not None:
            # What is left is exported now, within the export timeout.
            self.telemetry_warning = await asyncio.to_thread(self.telemetry.close)

    # -- the workflow ----------------------------------------------------------

    def on_session_screen_task_submitted(self, event: SessionScreen.TaskSubmitted) -> None:
        """Starts a session for the entered task."""
        self._drive("run", event.task)

    def on_session_screen_retry_requested(self, event: SessionScreen.RetryRequested) -> None:
        """Re-sends the request that failed."""
        self._drive("retry")

    @work(exclusive=True, group="model", exit_on_error=False)
    async def _drive(self, how: _Drive, task: str = "") -> None:
        # Off the loop: the check may load the journal's code and read long journals,
        # which must not hold up the first frames.
        if how == "resume" and not await asyncio.to_thread(_has_unfinished_session, self.root):
            return
        from slowcode.model.types import ModelError  # not needed before a session runs

        await self._start_telemetry()
        try:
            if how == "resume":
                if not await self._workflow().resume():
                    return
            else:
                workflow = self._workflow()
                self.session_screen.session_started()
                if how == "run":
                    await workflow.run(task)
                else:
                    await workflow.retry()
        except ModelError as error:
            failed = WorkflowFailed(str(error), retryable=error.retryable, kind=error.kind)
            self.post_message(failed)
            return
        except SlowcodeError as error:
            self.post_message(WorkflowFailed(str(error), retryable=False))
            return
        except Exception as error:
            line, retryable = (
                self.workflow.fail_unexpectedly(error)
                if self.workflow is not None
                else (f"Unexpected error ({type(error).__name__}): {error}", False)
            )
            self.post_message(WorkflowFailed(line, retryable=retryable))
            return
        self.post_message(WorkflowStopped(finished=True))

    async def _start_telemetry(self) -> None:
        """Starts the export the developer opted into, before the session's first event."""
        settings = self._telemetry_settings
        if settings is None or self.telemetry is not None:
            return
        self._telemetry_settings = None  # tried once: a session never waits on it again
        try:
            # Imported here, off the loop: only a session that exports pays for OpenTelemetry.
            self.telemetry = await asyncio.to_thread(_session_telemetry, settings)
        except ImportError:
            self.telemetry_warning = (
                "telemetry: OpenTelemetry is not installed, nothing was exported "
                "(install slowcode[otel], or unset OTEL_EXPORTER_OTLP_ENDPOINT)"
            )
        except Exception as error:  # telemetry must never keep a session from starting
            self.telemetry_warning = f"telemetry: not started: {error}"
        if self.telemetry_warning:
            from slowcode.tui.literal import notify

            notify(self, self.telemetry_warning, severity="warning")

    def _workflow(self) -> Workflow:
        if self.workflow is None:
            # Imported here: the engine pulls in git and the model client, which the
            # screens (and their tests) never need.
            from slowcode.engine.session.workflow import Workflow

            self.workflow = Workflow(
                root=self.root,
                config=self.config,
                settings=self.settings,
                human=self.human,
                on_progress=self._report,
                journal_listeners=[self.telemetry] if self.telemetry is not None else [],
            )
        return self.workflow

    def _report(self, event: Progress) -> None:
        self.post_message(ProgressReported(event))

    def on_progress_reported(self, message: ProgressReported) -> None:
        """Shows what the engine reported."""
        from slowcode.engine.progress import StateChanged

        self.session_screen.show_progress(message.event)
        event = message.event
        if isinstance(event, StateChanged) and event.state in _UNDO_STATES:
            # `u` is offered only between sessions: asked when one stops, not at each step.
            self._check_undo()

    def on_workflow_failed(self, message: WorkflowFailed) -> None:
        """Shows the failure in one line; the session can be retried."""
        refused = message.kind == "auth" and self.settings.provider == "anthropic"
        self.session_screen.show_failure(
            message.message, retryable=message.retryable, needs_key=refused
        )

    async def on_key_entry_key_entered(self, event: KeyEntry.KeyEntered) -> None:
        """Uses the key for the rest of this run (never stored), then goes on."""
        from slowcode.model.client import ModelClient

        self.settings = replace(self.settings, api_key=event.key, auth_token=None)
        if self.workflow is not None:
            old = self.workflow.client
            self.workflow.settings = self.settings
            self.workflow.client = ModelClient(self.settings)
            await old.aclose()
        self.session_screen.key_accepted(event)

    def on_workflow_stopped(self, message: WorkflowStopped) -> None:
        """The session ended; a new task can be entered."""
        self.session_screen.session_stopped(message.finished)

    # -- the engine's questions --------------------------------------------------

    def on_request_plan_review(self, message: RequestPlanReview) -> None:
        """The plan is approved on the session screen."""
        self.session_screen.review_plan(message.plan, message.future)
        if self.screen is not self.session_screen:
            self.notify("A plan is ready for review on the session screen.")

    def on_request_step_review(self, message: RequestStepReview) -> None:
        """Opens the review screen for the step."""
        # Screens other than the session's are imported when first shown: start-up
        # pays only for what the first frame needs.
        self._review(message.review, message.future)

    @work(group="human", exit_on_error=False)
    async def _review(self, review: StepReview, future: asyncio.Future[StepVerdict]) -> None:
        from slowcode.tui.screens.review import ReviewScreen

        while not future.done():
            verdict = await self.push_screen_wait(ReviewScreen(review))
            if verdict is not None:
                if not future.done():
                    future.set_result(verdict)
                return
            # `escape`: back on the session screen, the step waits, its verdicts kept on
            # `review`; `enter` there opens a new review screen on it.
            await self.session_screen.wait_for_review(review.step_number)

    def on_request_answer(self, message: RequestAnswer) -> None:
        """Opens the question dialog."""
        from slowcode.tui.screens.question import QuestionScreen

        self._ask(QuestionScreen(message.question), message.future)

    def on_request_trust(self, message: RequestTrust) -> None:
        """Asks whether to trust the project's check command before it first runs."""
        from slowcode.tui.screens.trust import TrustScreen

        self._ask(TrustScreen(message.command, message.source), message.future)

    def on_request_commit_choice(self, message: RequestCommitChoice) -> None:
        """Opens the refused-commit dialog: the hooks' output and the three ways on."""
        from slowcode.tui.screens.refused_commit import RefusedCommitScreen

        self._ask(RefusedCommitScreen(message.refused), message.future)

    @work(group="human", exit_on_error=False)
    async def _ask(
        self,
        screen: Screen[StepVerdict] | Screen[Answer] | Screen[bool] | Screen[CommitChoice],
        future: asyncio.Future[Any],
    ) -> None:
        result = await self.push_screen_wait(screen)
        if not future.done():
            future.set_result(result)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast that goes after `NOTIFICATION_TIMEOUT` seconds (twice that for an error)."""
        if timeout is None:
            timeout = self.NOTIFICATION_TIMEOUT * (2 if severity == "error" else 1)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _on_notify(self, event: Notify) -> None:
        # One toast at a time: a new one replaces the last, which is about a moment
        # gone (the undecided count it gave, a request since answered). Here rather
        # than in `notify`, since toasts are added in the order their messages arrive.
        self.clear_notifications()
        super()._on_notify(event)

    # -- keys ----------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands plus slowcode's screens, for the command palette."""
        for command in super().get_system_commands(screen):
            # Textual's key panel lists its own bindings; slowcode's `?` list comes below.
            if command.title != "Keys":
                yield command
        if type(screen).__name__ != "HistoryScreen":
            yield SystemCommand(
                "History", "Every session, its steps and what they cost (h)", self.action_history
            )
        if not _is_decision_log(screen):
            yield SystemCommand(
                "Decision log",
                "Browse the project's decision records (l)",
                self.action_decision_log,
            )
        yield SystemCommand("Keys", "Every key of this screen (?)", self.action_help)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hides `l` and `h` while their screen is already open, or a dialog is."""
        if action in ("decision_log", "history") and isinstance(self.screen, ModalScreen):
            return False  # a dialog is answered (or left) first
        if action == "decision_log":
            return not _is_decision_log(self.screen)
        if action == "history":
            return type(self.screen).__name__ != "HistoryScreen"
        return True

    def action_decision_log(self) -> None:
        """Opens the decision log."""
        from slowcode.tui.screens.decision_log import DecisionLogScreen

        self.push_screen(DecisionLogScreen(self.root, self.config.decisions_dir))

    def action_history(self) -> None:
        """Opens the History screen: sessions, steps, verdicts, commits, tokens, cost."""
        from slowcode.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.root))

    def action_help(self) -> None:
        """Lists every key of the current screen."""
        from slowcode.tui.screens.help import HelpScreen, keys_of

        screen = self.screen
        title = screen.TITLE or type(screen).__name__
        self.push_screen(HelpScreen(title, keys_of(screen)))

    async def action_quit(self) -> None:
        """Quits; the journal already holds the session, which resumes next time."""
        self.exit()
