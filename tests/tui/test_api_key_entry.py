"""A refused or missing API key is fixed for this run from a dialog, without quitting."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from slowcode.core.config import Config
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.api_key import ApiKeyScreen
from slowcode.tui.widgets.key_bar import KeyBar
from tests.fakeapi import FakeMessagesAPI

from .app_sessions import SIZE, app_repo, plan_turn, wait_for

GOOD_KEY = "sk-ant-good-0123456789"


def _bar(app: SlowcodeApp) -> str:
    return " ".join(app.screen.query_one(KeyBar).shown_lines())


async def test_a_refused_key_is_replaced_from_a_and_the_request_goes_again(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.accepted_credentials = frozenset({GOOD_KEY})
    fake_api.script(plan_turn())
    repo = app_repo(tmp_path)
    settings = ModelSettings(api_key="sk-ant-stale", base_url=fake_api.base_url, max_retries=0)
    app = SlowcodeApp(repo, Config(), settings, resume=False, initial_task="add greet")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.session_screen
        await wait_for(pilot, lambda: "press a" in str(screen.query_one("#session-error").render()))
        assert "a API key…" in _bar(app)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        box = app.screen.query_one(Input)
        assert box.password
        await pilot.press(*GOOD_KEY, "enter")
        await wait_for(pilot, lambda: screen.plan_list.reviewing)
        assert "a API key…" not in _bar(app)
    keys = [request.credential for request in fake_api.requests]
    assert keys[0] == "sk-ant-stale" and keys[-1] == GOOD_KEY
    journals = list((repo / ".slowcode").rglob("*.jsonl"))
    assert journals and not any(GOOD_KEY in path.read_text() for path in journals)


async def test_a_task_entered_with_no_model_asks_for_a_key_and_escape_keeps_the_task(
    tmp_path: Path,
) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"fix bug", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        assert "No model configured" in " ".join(
            str(label.render()) for label in app.screen.query("Label")
        )
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.session_screen
        assert app.session_screen.query_one("#task", Input).value == "fix bug"
        assert app.workflow is None
