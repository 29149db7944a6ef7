"""Each dialog's key bar lists the dialog's keys and covers the screen's bar under it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.screen import ModalScreen
from textual.widgets import DataTable

from slowcode.core.config import Config
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.confirm import ConfirmScreen
from slowcode.tui.screens.feedback import FeedbackScreen
from slowcode.tui.screens.help import HelpScreen
from slowcode.tui.screens.hunk_edit import HunkEditScreen
from slowcode.tui.widgets.key_bar import KeyBar

from .samples import three_hunk_review


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


async def test_the_key_list_fits_a_small_terminal_and_scrolls_to_its_last_key(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(60, 15)) as pilot:
        asked = asyncio.create_task(app.human.review_step(three_hunk_review()))
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        bar = app.screen.query_one(KeyBar)
        assert table.region.bottom <= bar.region.y
        assert table.row_count > table.region.height  # more keys than rows: it must scroll
        await pilot.press(*["down"] * table.row_count)
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        assert table.scroll_y > 0
        assert table.max_scroll_y > 0
        asked.cancel()


async def test_a_hunk_editor_title_too_long_for_the_dialog_ends_in_a_mark(tmp_path: Path) -> None:
    title = "cli.py @@ -22,7 +22,15 @@ def main(argv: list[str] | None = None) -> int:"
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(HunkEditScreen(title, "x = 1\n"))
        await pilot.pause()
        shown = app.screen.query_one("#hunk-edit-title").render_line(0).text.rstrip()
        assert shown.endswith("…") and shown.startswith("Edit cli.py @@ -22,7 +22,15 @@")


@pytest.mark.parametrize("size", [(80, 24), (60, 15)])
async def test_a_long_prompt_wraps_inside_its_dialog(tmp_path: Path, size: tuple[int, int]) -> None:
    prompt = "Supersede 0001 “Store the to-do list as a versioned JSON document”: title of the new"
    app = _app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.push_screen(FeedbackScreen(prompt))
        await pilot.pause()
        label = app.screen.query_one("#feedback-prompt")
        dialog = app.screen.query_one("#feedback-dialog")
        shown = " ".join(label.render_line(y).text.strip() for y in range(label.size.height))
        assert shown == prompt
        assert label.region.right <= dialog.region.right
