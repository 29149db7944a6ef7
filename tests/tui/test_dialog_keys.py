"""Each dialog's key bar lists the dialog's keys and covers the screen's bar under it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import ModalScreen

from slowcode.core.config import Config
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.confirm import ConfirmScreen
from slowcode.tui.screens.feedback import FeedbackScreen
from slowcode.tui.screens.hunk_edit import HunkEditScreen
from slowcode.tui.widgets.key_bar import KeyBar


def _app(root: Path) -> SlowcodeApp:
    return SlowcodeApp(root, Config(), ModelSettings(), resume=False)


def _dialogs() -> dict[str, tuple[ModalScreen[Any], list[str]]]:
    return {
        "feedback": (FeedbackScreen("Why send the plan back?"), ["⏎ Send", "esc Back"]),
        "hunk edit": (HunkEditScreen("cli.py", "x = 1\n"), ["^s Save edit", "esc Back"]),
        "confirm": (ConfirmScreen("Undo step 2?"), ["y Yes", "n No"]),
    }


@pytest.mark.parametrize("name", sorted(_dialogs()))
@pytest.mark.parametrize("size", [(80, 24), (60, 15)])
async def test_a_dialog_shows_only_its_own_keys(
    tmp_path: Path, name: str, size: tuple[int, int]
) -> None:
    dialog, expected = _dialogs()[name]
    app = _app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        under = app.screen.query_one(KeyBar)
        app.push_screen(dialog)
        await pilot.pause()
        bar = dialog.query_one(KeyBar)
        shown = [f"{hint.display} {hint.description}" for hint in bar.hints()]
        assert shown == expected
        assert bar.region.height >= under.region.height
        assert bar.region.y <= under.region.y
        assert "Decisions" not in " ".join(bar.shown_lines())
