"""The app exports the sessions it runs when told to, and flushes what is open when it quits."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from slowcode.core.config import Config
from slowcode.engine.progress import SessionState
from slowcode.telemetry.settings import telemetry_settings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.review import ReviewScreen
from tests.fakeapi import FakeMessagesAPI, fake_settings, reply, tool_use_block
from tests.helpers.sessions import EDITOR, edit, plan_turn, session_repo
from tests.telemetry.receiver import OtlpReceiver, attributes_of

SIZE = (120, 40)


async def _wait_for(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never became true")


def _app(root: Path, fake_api: FakeMessagesAPI, receiver: OtlpReceiver) -> SlowcodeApp:
    telemetry = telemetry_settings(Config(), {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint})
    return SlowcodeApp(
        root,
        Config(),
        fake_settings(fake_api),
        resume=False,
        initial_task="greet politely",
        telemetry=telemetry,
    )


async def test_a_session_in_the_app_is_exported_by_the_time_the_app_has_quit(
    tmp_path: Path, fake_api: FakeMessagesAPI, receiver: OtlpReceiver
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        reply("Done.", stop_reason="end_turn"),
    )
    app = _app(session_repo(tmp_path), fake_api, receiver)
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await _wait_for(pilot, lambda: app.session_screen.plan_list.reviewing)
        await pilot.press("enter")
        await _wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("a", "enter")
        await _wait_for(pilot, lambda: app.session_screen.status.state is SessionState.DONE)

    assert app.telemetry_warning is None
    names = [span.name for span in receiver.spans()]
    for name in (
        "invoke_agent slowcode",
        "chat claude-sonnet-5-5",
        "execute_tool " + EDITOR,
        "execute_tool finish_step",
        "slowcode.review",
        "slowcode.apply",
        "slowcode.commit",
    ):
        assert name in names
    assert receiver.metric("gen_ai.client.token.usage")


async def test_quitting_mid_session_exports_the_spans_still_open(
    tmp_path: Path, fake_api: FakeMessagesAPI, receiver: OtlpReceiver
) -> None:
    fake_api.script(plan_turn("Greet politely"))
    app = _app(session_repo(tmp_path), fake_api, receiver)
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await _wait_for(pilot, lambda: app.session_screen.plan_list.reviewing)
        await pilot.press("ctrl+q")

    (session,) = receiver.named("invoke_agent")
    assert attributes_of(session.attributes)["slowcode.session.state"] == "plan_review"
    (plan,) = receiver.named("execute_tool propose_plan")
    assert plan.parent_span_id == session.span_id


async def test_without_opentelemetry_installed_the_session_runs_and_one_line_says_so(
    tmp_path: Path,
    fake_api: FakeMessagesAPI,
    receiver: OtlpReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As on an install without the otel extra: importing the exporter fails.
    monkeypatch.setitem(sys.modules, "slowcode.telemetry.exporter", None)
    fake_api.script(plan_turn("Greet politely"))
    app = _app(session_repo(tmp_path), fake_api, receiver)
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await _wait_for(pilot, lambda: app.session_screen.plan_list.reviewing)
        await pilot.press("ctrl+q")

    assert app.telemetry_warning is not None
    assert "slowcode[otel]" in app.telemetry_warning
    assert receiver.bodies == []
