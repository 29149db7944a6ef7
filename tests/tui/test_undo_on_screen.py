"""After an undo, the session screen no longer says the undone step is applied."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from slowcode.core.config import Config
from slowcode.core.plan import StepState
from slowcode.engine.progress import SessionState
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.confirm import ConfirmScreen
from slowcode.tui.screens.review import ReviewScreen
from slowcode.tui.widgets.plan_list import step_line
from tests.fakeapi import FakeMessagesAPI, fake_settings, reply
from tests.tui.app_sessions import SIZE, app_repo, plan_turn, step_turn, wait_for


async def test_an_undone_step_is_marked_undone_in_the_plan_and_the_log(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = app_repo(tmp_path)
    fake_api.script(plan_turn(), step_turn(), reply("The step is applied."))
    app = SlowcodeApp(root, Config(), fake_settings(fake_api), resume=False, initial_task="x")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.session_screen
        screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.plan_list.reviewing)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("a", "enter")
        await wait_for(pilot, lambda: screen.status.state is SessionState.DONE)
        assert screen.plan_list.steps[0].state is StepState.APPLIED
        await pilot.press("escape")  # out of the task box, to the keys
        await wait_for(pilot, lambda: screen.undo_available)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.plan_list.steps[0].state is StepState.UNDONE)
        assert str(step_line(1, screen.plan_list.steps[0])).startswith("↶ 1. Add greet")
        log = " ".join(line.rstrip() for line in screen.commentary.lines)
        assert '↶ undid step 1 "Add greet"' in log
        assert "no longer applied" in log
