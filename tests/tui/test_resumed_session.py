"""A resumed session says which session and task it picked up, and shows its plan."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from slowcode.core.config import Config
from slowcode.engine.progress import SessionResumed, SessionState
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.review import ReviewScreen
from tests.fakeapi import FakeMessagesAPI, fake_settings
from tests.tui.app_sessions import SIZE, app_repo, plan_turn, step_turn, wait_for

TASK = "add greet"


async def test_a_resumed_session_names_its_session_task_and_step(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = app_repo(tmp_path)
    fake_api.script(plan_turn(), step_turn())
    first = SlowcodeApp(root, Config(), fake_settings(fake_api), resume=False, initial_task=TASK)
    async with first.run_test(size=SIZE) as pilot:
        first.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: first.session_screen.plan_list.reviewing)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(first.screen, ReviewScreen))
        assert first.workflow is not None
        session_id = first.workflow.session.session_id
        await pilot.press("q")  # quit mid-review

    requests = len(fake_api.message_requests)
    app = SlowcodeApp(root, Config(), fake_settings(fake_api), resume=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.session_screen
        # The log's first line, wrapped to the log's width.
        first_line = " ".join(line.rstrip() for line in screen.commentary.lines[:2])
        banner = f"↻ resumed session {session_id}: {TASK} (step 1 of 1, waiting for review)"
        assert first_line.startswith(banner)
        task_box = screen.query_one("#task", Input)
        assert task_box.value == TASK and task_box.disabled
        assert [step.title for step in screen.plan_list.steps] == ["Add greet"]
        assert screen.status.state is SessionState.STEP_REVIEW
    assert len(fake_api.message_requests) == requests  # nothing asked again


def test_the_resumed_line_names_the_state_when_no_plan_was_approved() -> None:
    event = SessionResumed("s1", "fix it", SessionState.PLANNING)
    assert event.line() == "↻ resumed session s1: fix it (planning)"
