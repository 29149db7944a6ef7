"""The task box shows the start of a task longer than itself."""

from __future__ import annotations

from pathlib import Path

from slowcode.core.config import Config
from slowcode.engine.progress import SessionResumed, SessionState
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.widgets.task_box import TaskBox

LONG_TASK = "add retry with backoff to the HTTP client, " + "and log every retry, " * 10


def _app(root: Path, task: str | None = None) -> SlowcodeApp:
    settings = ModelSettings(base_url="http://127.0.0.1:9")
    return SlowcodeApp(root, Config(), settings, resume=False, initial_task=task)


async def test_a_prefilled_long_task_shows_its_start(tmp_path: Path) -> None:
    app = _app(tmp_path, LONG_TASK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.session_screen.query_one(TaskBox)
        assert box.has_focus
        assert box.cursor_position == 0
        assert box.scroll_offset.x == 0


async def test_a_resumed_long_task_shows_its_start_locked(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        event = SessionResumed("s1", LONG_TASK, SessionState.PLANNING)
        app.session_screen.show_progress(event)
        await pilot.pause()
        box = app.session_screen.query_one(TaskBox)
        assert box.value == LONG_TASK and box.disabled
        assert box.cursor_position == 0
        assert box.scroll_offset.x == 0
