"""A check's outcome is told once in the session log: a pass as info, a failure as an error."""

from __future__ import annotations

from pathlib import Path

from slowcode.core.config import Config
from slowcode.engine.progress import CheckFinished, CheckStarted, NoticeRaised
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp

SIZE = (120, 40)


async def test_a_passing_check_is_told_once_and_not_as_a_warning(tmp_path: Path) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        app._report(CheckStarted("make test"))
        app._report(CheckFinished("make test", 0))
        await pilot.pause()
        lines = [line for line in app.session_screen.commentary.lines if line]
        assert [line for line in lines if "check" in line] == ["✓ check passed: make test"]
        assert not any(line.startswith("!") for line in lines)
        assert not app._notifications  # a pass is no news worth a toast


async def test_a_failing_check_is_told_once_as_an_error(tmp_path: Path) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        app._report(CheckFinished("make test", 1))
        await pilot.pause()
        lines = [line for line in app.session_screen.commentary.lines if line]
        assert lines == ["✗ check FAILED (exit code 1): make test"]
        assert [n.severity for n in app._notifications] == ["error"]


async def test_an_info_notice_is_not_marked_as_a_warning(tmp_path: Path) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        app._report(NoticeRaised("info", "the map was refreshed"))
        app._report(NoticeRaised("warning", "retrying in 2 s"))
        await pilot.pause()
        lines = [line for line in app.session_screen.commentary.lines if line]
        assert lines == ["· the map was refreshed", "! retrying in 2 s"]
