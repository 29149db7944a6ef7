"""Undoing the last applied step from the app: found, confirmed with `y`, reverted by a commit.

The app's base: it knows the repository and the session screen, and runs the
git work in threads so the screen never waits on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from slowcode.core.errors import SlowcodeError
from slowcode.tui.screens.session import SessionScreen

if TYPE_CHECKING:
    from slowcode.engine.session.workflow import Workflow
    from slowcode.ops.undo import UndoPlan


class UndoFlow(App[None]):
    """`u` on the session screen: the step to undo is named, and reverted once confirmed."""

    root: Path
    session_screen: SessionScreen
    workflow: Workflow | None

    @work(thread=True, exclusive=True, group="undo-check", exit_on_error=False)
    def _check_undo(self) -> None:
        """Tells the session screen whether HEAD is a step `u` can undo."""
        from slowcode.ops.undo import head_is_undoable

        undoable = head_is_undoable(self.root)
        self.call_from_thread(setattr, self.session_screen, "undo_available", undoable)

    def on_session_screen_undo_requested(self, event: SessionScreen.UndoRequested) -> None:
        """Finds the step to undo, names it for confirmation, then reverts it."""
        self._plan_undo()

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def _plan_undo(self) -> None:
        from slowcode.ops.undo import plan_undo
        from slowcode.tui.literal import notify

        try:
            plan = plan_undo(self.root)
        except SlowcodeError as error:
            # Refused before asking: nothing would be undone, so there is nothing to confirm.
            self.call_from_thread(notify, self, str(error), severity="error")
            return
        self.call_from_thread(self._confirm_undo, plan)

    def _confirm_undo(self, plan: UndoPlan) -> None:
        from slowcode.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._undo(plan)

        self.push_screen(ConfirmScreen(plan.describe()), answered)

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def _undo(self, plan: UndoPlan) -> None:
        from slowcode.ops.undo import undo_last_step
        from slowcode.tui.literal import notify

        try:
            result = undo_last_step(self.root, plan)
        except SlowcodeError as error:
            self.call_from_thread(notify, self, str(error), severity="error")
            return
        finally:
            self.call_from_thread(self._check_undo)
        step = f"step {result.step} " if result.step else ""
        line = (
            f'↶ undid {step}"{plan.subject}" ({result.undone[:8]}) with {result.commit[:8]}, '
            f"so it is no longer applied: {', '.join(result.paths)}"
        )
        self.call_from_thread(self.session_screen.show_line, line)
        workflow = self.workflow
        if (
            workflow is not None
            and workflow.session.session_id == result.session_id
            and result.step.isdigit()
        ):
            # The plan on screen is the undone step's session's: it no longer says applied.
            self.call_from_thread(self.session_screen.plan_list.mark_undone, int(result.step))
        for path, marked in zip(result.kept, result.decision_commits, strict=True):
            kept = f"kept {path}, marked deprecated; {marked.line}"
            self.call_from_thread(self.session_screen.show_line, kept)
