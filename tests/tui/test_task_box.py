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


async def test_a_task_longer_than_the_box_ends_in_a_mark(tmp_path: Path) -> None:
    app = _app(tmp_path, LONG_TASK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.session_screen.query_one(TaskBox)
        width = box.scrollable_content_region.width
        line = box.render_line(0).text
        assert line[:width] == LONG_TASK[: width - 1] + "…"


async def test_the_end_of_a_long_task_is_marked_at_the_start(tmp_path: Path) -> None:
    app = _app(tmp_path, LONG_TASK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.session_screen.query_one(TaskBox)
        await pilot.press("end")
        await pilot.pause()
        line = box.render_line(0).text
        assert line.startswith("…")
        assert "…" not in line[1:]
        assert line.rstrip().endswith(LONG_TASK.rstrip()[-10:])


async def test_a_short_task_has_no_mark(tmp_path: Path) -> None:
    app = _app(tmp_path, "fix bug")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = app.session_screen.query_one(TaskBox).render_line(0).text
        assert line.strip() == "fix bug"


async def test_a_placeholder_wider_than_the_box_ends_in_a_mark(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(30, 15)) as pilot:
        await pilot.pause()
        box = app.session_screen.query_one(TaskBox)
        box.placeholder = "a placeholder much longer than a thirty-column terminal"
        await pilot.pause()
        width = box.scrollable_content_region.width
        assert box.render_line(0).text[:width].endswith("…")
