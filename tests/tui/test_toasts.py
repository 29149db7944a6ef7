"""Toasts: above the key bar, one at a time, and gone after a few seconds."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from slowcode.core.config import Config
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.status_line import StatusLine


@pytest.mark.parametrize("size", [(160, 48), (80, 24), (60, 15)])
async def test_a_toast_leaves_the_key_bar_and_the_status_line_in_view(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=size, notifications=True) as pilot:
        app.notify("Something worth a moment's notice happened.", severity="warning")
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert toasts
        bar = app.screen.query_one(KeyBar).region
        status = app.screen.query_one(StatusLine).region
        for toast in toasts:
            assert not toast.region.overlaps(bar)
            assert not toast.region.overlaps(status)


async def test_a_new_toast_replaces_the_last_and_each_times_out(tmp_path: Path) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify("2 hunks are still undecided.", severity="warning")
        app.notify("1 hunk is still undecided.", severity="warning")
        await pilot.pause()
        shown = list(app._notifications)
        assert [n.message for n in shown] == ["1 hunk is still undecided."]
        assert shown[0].timeout == SlowcodeApp.NOTIFICATION_TIMEOUT
        app.notify("Could not ask why: the model went away", severity="error")
        await pilot.pause()
        assert [n.timeout for n in app._notifications] == [2 * SlowcodeApp.NOTIFICATION_TIMEOUT]


@pytest.mark.parametrize("size", [(80, 24), (60, 15)])
async def test_a_toast_over_the_decision_dialog_leaves_its_keys_in_view(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from slowcode.tui.screens.decision import DecisionScreen

    from .samples import three_hunk_review

    review = three_hunk_review(architectural=True, with_decision=True)
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=size, notifications=True) as pilot:
        app.push_screen(DecisionScreen(review.decision, architectural=True, reasons=["new module"]))
        await pilot.pause()
        await pilot.press("x")  # refused for a flagged step: says why, in a toast
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert toasts
        bar = app.screen.query_one(KeyBar).region
        assert all(not toast.region.overlaps(bar) for toast in toasts)
