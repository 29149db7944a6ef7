"""What the developer saw of each hunk is journaled with its verdict and told by history --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.core.config import Config
from slowcode.core.step_review import Hunk, Verdict
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.review import ReviewScreen
from slowcode.tui.widgets.seen_rows import HunkSpan, SeenRows
from tests.fakeapi import FakeMessagesAPI, fake_settings, reply

from .app_sessions import app_repo, plan_turn, step_turn, wait_for

TALL = "".join(f"    number_{n} = {n}\n" for n in range(60)) + "    return 'hello'\n"


async def test_a_tall_hunk_needs_the_extra_y_and_history_says_it_was_displayed_fully(
    tmp_path: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = app_repo(tmp_path)
    fake_api.script(
        plan_turn(), step_turn(TALL, "Adds sixty numbers."), reply("Done: sixty constants.")
    )
    app = SlowcodeApp(repo, Config(), fake_settings(fake_api), resume=False, initial_task="numbers")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session_screen.plan_list.reviewing)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        hunk = screen.review.hunks[0]
        presses = 0
        while hunk.verdict is Verdict.UNDECIDED and presses < 10:
            assert not hunk.fully_displayed or presses > 0
            await pilot.press("y")
            await pilot.pause()
            presses += 1
        assert hunk.verdict is Verdict.ACCEPTED and presses >= 2  # the extra y
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: app.workflow is not None and str(app.workflow.session.state) == "done"
        )
    capsys.readouterr()
    assert main(["history", "--json", "-C", str(repo)]) == 0
    (session,) = json.loads(capsys.readouterr().out)
    (shown,) = session["steps"][0]["hunks"]
    assert shown["file"] == "app.py" and shown["verdict"] == "accepted"
    assert shown["fully_displayed"] is True
    assert shown["seconds_in_view"] >= 0


def test_a_hunk_is_fully_displayed_only_once_every_row_was_drawn() -> None:
    now = [0.0]
    seen = SeenRows(clock=lambda: now[0])
    tall, short = _hunk("a.py"), _hunk("b.py")
    seen.relayout([HunkSpan(0, 30, tall), HunkSpan(30, 34, short)])
    for row in range(0, 20):  # a view of rows 0-19
        seen.drawn(row, 0, 20)
    now[0] = 4.0
    for row in range(14, 34):  # scrolled to rows 14-33
        seen.drawn(row, 14, 20)
    now[0] = 5.5
    seen.pause()  # a dialog covers the review: time stops counting
    now[0] = 100.0
    seen.resume()
    now[0] = 101.0
    seen.flush()
    assert tall.fully_displayed and short.fully_displayed
    assert tall.seconds_in_view == pytest.approx(4.0 + 1.5 + 1.0)
    assert short.seconds_in_view == pytest.approx(1.5 + 1.0)


def test_rows_skipped_by_a_jump_leave_the_hunk_not_fully_displayed() -> None:
    seen = SeenRows(clock=lambda: 0.0)
    hunk = _hunk("a.py")
    seen.relayout([HunkSpan(0, 50, hunk)])
    for row in [*range(0, 20), *range(30, 50)]:  # rows 20-29 never drawn
        seen.drawn(row, 0 if row < 20 else 30, 20)
    seen.flush()
    assert not hunk.fully_displayed


def _hunk(path: str) -> Hunk:
    return Hunk(path, 0, 1, 1, 1, 1, "", [])
