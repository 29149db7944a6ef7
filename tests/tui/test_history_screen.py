"""The History screen: a snapshot, and `h` opening it from the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from .snapshot_apps.history_app import HistoryApp, history_repo

SIZE = (120, 30)


async def _loaded(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_history_screen_shows_sessions_and_their_steps(snap_compare: Any, tmp_path: Path) -> None:
    app = HistoryApp(history_repo(tmp_path / "repo"))
    assert snap_compare(app, run_before=_loaded, terminal_size=SIZE)


async def test_h_opens_the_history_and_escape_closes_it(tmp_path: Path) -> None:
    from textual.widgets import Tree

    from slowcode.core.config import Config
    from slowcode.model.settings import ModelSettings
    from slowcode.tui.app import SlowcodeApp
    from slowcode.tui.screens.history import HistoryScreen
    from slowcode.tui.screens.session import SessionScreen
    from tests.context.repos import make_repo

    root = history_repo(make_repo(tmp_path / "repo"))
    app = SlowcodeApp(root, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape", "h")  # escape leaves the task box, which has the focus
        await _loaded(pilot)
        assert isinstance(app.screen, HistoryScreen)
        tree = app.screen.query_one(Tree)
        newest = tree.root.children[0]
        assert str(newest.label).startswith("… 20261122-090000-bbbbbb  1 step · 2,300 tokens")
        assert str(newest.label).endswith(" · 30 s · Add a CLI flag")
        older = tree.root.children[1]
        first, second = [str(step.label) for step in older.children]
        assert second.endswith("· 22222222 (undone by 33333333)")
        # Each step's own tokens and cost: the planning request belongs to no step.
        assert "· 2,300 tokens · est. $" in first and "· 2,300 tokens · est. $" in second
        assert "· 6,900 tokens" in str(older.label)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


@pytest.mark.parametrize("width", [80, 60])
async def test_a_row_too_long_for_the_screen_ends_in_a_mark(tmp_path: Path, width: int) -> None:
    from textual.widgets import Tree

    app = HistoryApp(history_repo(tmp_path / "repo"))
    async with app.run_test(size=(width, 24)) as pilot:
        await _loaded(pilot)
        tree = app.screen.query_one(Tree)
        rows = [tree.render_line(y).text.rstrip() for y in range(tree.size.height)]
        full = [str(node.label) for node in tree.root.children]
        cut = [row for row in rows if row.endswith("…")]
        assert cut, rows
        assert all(len(row) <= tree.size.width for row in rows)
        assert rows[0].startswith(("▼ " + full[0])[: len(cut[0]) - 1].rstrip()[:20])
        assert tree.max_scroll_x == 0  # nothing out of sight to the right


def test_a_hunk_row_tells_its_verdict_and_how_it_was_shown() -> None:
    from slowcode.tui.screens.history import hunk_label

    shown = {"file": "app.py", "index": 1, "verdict": "accepted", "fully_displayed": True}
    assert hunk_label({**shown, "seconds_in_view": 12.4}) == (
        "✓ app.py hunk 2 · accepted · shown whole · 12.4 s in view"
    )
    assert "NOT shown whole" in hunk_label({**shown, "fully_displayed": False})
    # A journal from before the record of what was shown: the verdict alone.
    assert (
        hunk_label({"file": "a.py", "index": 0, "verdict": "rejected"})
        == "✗ a.py hunk 1 · rejected"
    )


async def test_enter_opens_a_step_to_its_hunks(tmp_path: Path) -> None:
    from textual.widgets import Tree

    app = HistoryApp(history_repo(tmp_path / "repo"))
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(pilot)
        tree = app.screen.query_one(Tree)
        assert tree.cursor_node is tree.root.children[0]  # the newest session, selected
        older = tree.root.children[1]
        first_step = older.children[0]
        opened = [first_step.is_expanded]
        tree.move_cursor(older)
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        opened.append(first_step.is_expanded)
        assert opened == [False, True]
        assert [str(node.label) for node in first_step.children] == [
            "✓ app.py hunk 1 · accepted",
            "~ app.py hunk 2 · edited",
            "✗ app.py hunk 3 · rejected",
        ]
